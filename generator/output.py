"""A generated file as a value: where it goes in the build tree, and its bytes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class OutputFile:
    """A file of the Markdown tree: its path relative to the tree and its bytes."""

    path: str
    data: bytes
