"""Golden files: the Markdown and data that the fixture records generate, committed for review.

Refresh them after an intended change with `make golden` (python -m tests.golden), then read
the diff before committing it.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

from generator.build.build import CONTENT, Project, generate
from generator.build.progress import Progress
from generator.site.shell import PAGES_FILE, read_pages

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_RECORDS = ROOT / "tests" / "fixtures" / "site"
GOLDEN = ROOT / "tests" / "golden" / "site"
AS_OF = dt.date(2026, 11, 25)


def generated_files() -> dict[str, bytes]:
    """The generated Markdown pages and data files of the fixture set (not the copied static
    files), and each cluster page's body as an HTML file (clusters/<id>.html) from the tree's
    cluster pages, after its title, description and breadcrumb step in comments.

    The map's shapes are copies of site_templates/data/*.topo.json and stay out too.
    """
    generated = generate(
        Project(ROOT), FIXTURE_RECORDS, AS_OF, strict=True, progress=Progress(quiet=True)
    )
    prefix = f"{CONTENT}/"
    found = {
        f.path.removeprefix(prefix): f.data
        for f in generated.files
        if f.path.startswith(prefix)
        and not f.path.startswith(f"{prefix}assets/")
        and not f.path.endswith(".topo.json")
    }
    # The pages as the templates rendered them (the tree holds their shells: htmlbody.py).
    found.update((f.path, f.data) for f in generated.markdown)
    pages = next(f.data for f in generated.files if f.path == PAGES_FILE)
    for page in read_pages(pages.decode("utf-8")):
        head = f"<!-- title: {page.title} -->\n<!-- description: {page.description} -->\n"
        if page.trail:
            head += f"<!-- trail: {page.trail} -->\n"
        found[f"clusters/{page.id}.html"] = (head + page.body).encode("utf-8")
    return found


def refresh() -> None:
    """Rewrite the golden folder from the current templates."""
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for path, data in generated_files().items():
        target = GOLDEN / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    print(f"refreshed {GOLDEN.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    refresh()
