"""A generated file as a value (where it goes in the build tree, and its bytes), and JSON
written to sit inside an HTML page."""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class OutputFile:
    """A file of the Markdown tree: its path relative to the tree and its bytes."""

    path: str
    data: bytes


def json_for_script(data: object) -> str:
    """JSON to put inside an HTML <script>: '<', '>' and '&' as escapes, so that no value can
    close the element or open a comment, whatever a record says."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
