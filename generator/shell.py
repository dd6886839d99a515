"""Cluster pages from one page shell: what keeps a build of 10,000 clusters within a minute.

An engine (MkDocs, ProperDocs, Zensical) spends about 9 ms on each page, nearly all of it on
parsing HTML and rendering the theme, which is the same for every cluster page. So the engine
renders one cluster page, the shell, whose name, description, address and body are tokens; the
finish step then fills a copy of the rendered shell for each cluster. The shell lies at the depth
of every cluster page, so its relative links fit them all, and whatever theme, features and
overrides the engine used are in every cluster page as they are in the shell.

Pure: text in, text out. build.py's finish step reads the shell and writes the pages.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field

# The shell's id (a file name no record may take: records.RESERVED_IDS) and its tokens: words
# no page holds otherwise, replaced in one pass, so that no value put in is read again.
SHELL_ID = "cd-cluster-shell"
TOKENS = {
    "title": "cdshell0title",
    "description": "cdshell0description",
    "body": "cdshell0body",
}
PAGES_FILE = "cluster-pages.jsonl"  # in the build tree, beside content/: one page a line


@dataclass(frozen=True, slots=True)
class ClusterPage:
    """What makes one cluster page of the shell: its id, title, description and body HTML, and
    the files beside the page (name to text: its status file and its badge)."""

    id: str
    title: str
    description: str
    body: str
    files: dict[str, str] = field(default_factory=dict)


def pages_text(pages: Iterable[ClusterPage]) -> bytes:
    """The cluster pages as JSON Lines, for the build tree."""
    lines = (json.dumps(asdict(page), ensure_ascii=False, separators=(",", ":")) for page in pages)
    return ("\n".join(lines) + "\n").encode("utf-8")


def read_pages(text: str) -> Iterator[ClusterPage]:
    """The cluster pages back from JSON Lines."""
    for line in text.splitlines():
        if line:
            yield ClusterPage(**json.loads(line))


class Shell:
    """A rendered shell page, cut at its tokens once, filled for each cluster."""

    def __init__(self, rendered: str) -> None:
        url_token = f"clusters/{SHELL_ID}/"
        pattern = "|".join(re.escape(t) for t in (*TOKENS.values(), url_token))
        self._parts = re.split(f"({pattern})", rendered)
        names = {token: name for name, token in TOKENS.items()}
        names[url_token] = "url"
        self._slots = [(i, names[part]) for i, part in enumerate(self._parts) if part in names]
        found = {name for _, name in self._slots}
        missing = set(TOKENS) - found
        if missing:
            raise ValueError(f"the shell page lacks its {', '.join(sorted(missing))}")

    def fill(self, page: ClusterPage) -> str:
        """The complete HTML page of one cluster."""
        values = {
            "title": html.escape(page.title),
            "description": html.escape(page.description),
            "body": page.body,
            "url": f"clusters/{page.id}/",
        }
        parts = list(self._parts)
        for index, name in self._slots:
            parts[index] = values[name]
        return "".join(parts)
