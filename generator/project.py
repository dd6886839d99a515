"""Where a site's configuration and templates live."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Project:
    """Where the site's configuration and templates live."""

    root: Path

    @property
    def config(self) -> Path:
        """The MkDocs configuration copied into each build tree."""
        return self.root / "mkdocs.yml"

    @property
    def templates(self) -> Path:
        """The site templates folder."""
        return self.root / "site_templates"
