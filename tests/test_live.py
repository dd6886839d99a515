"""What the preview serves after a change is what a build of the same input writes, byte for
byte (the search index aside, which Pagefind does not write the same way twice): a running
`clusterdir serve` has its records edited, added, renamed, deleted and broken, and a template
changed, and after each change every file it serves is compared with a fresh build."""

from __future__ import annotations

import gzip
import http.client
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from generator.build.build import Project, build
from generator.build.progress import Progress
from generator.build.serve import KEEPING, SEARCH_READY, VERSION_PATH
from tests.conftest import ROOT
from tests.golden import AS_OF, FIXTURE_RECORDS
from tests.test_serve import _serving

RELOAD = re.compile(rb"<script>\(function\(\)\{var v=[0-9]+;.*?</script></body>", re.S)

pytestmark = pytest.mark.slow


# Each language's search index, in its folder of the site (pagefind/, de/pagefind/).
SEARCH_INDEX = re.compile(r"(?:[a-z]{2}/)?pagefind/")


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not SEARCH_INDEX.match(p.relative_to(folder).as_posix())
    }


def _replace(path: Path, text: str) -> None:
    """Write a file as editors save one: a new file renamed over the old (one event)."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def _get(port: int, path: str) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path)
    answer = connection.getresponse()
    assert answer.status == 200, path
    return answer.read()


def _same_as_a_build(preview, port: int, project: Path, records: Path, out: Path) -> None:
    """Every file the preview serves is the one a fresh build writes, and no other."""
    build(Project(project), records, out, AS_OF, strict=False, progress=Progress(quiet=True))
    expected = _files(out)
    (served_folder,) = preview.temp.glob("clusterdir-serve-*/build/site")
    served = _files(served_folder)
    assert sorted(served) == sorted(expected)
    for path, data in expected.items():
        assert served[path] == data, path
        url = "/" + path.removesuffix("index.html")
        answer = _get(port, url)
        if path.endswith(".html"):
            answer = RELOAD.sub(b"</body>", answer, count=1)
        assert answer == data, path


def test_every_served_file_is_what_a_build_writes_after_each_kind_of_change(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "site_templates", project / "site_templates")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    records = tmp_path / "records"
    shutil.copytree(FIXTURE_RECORDS, records)
    rhein = records / "de" / "gold-cluster-rhein.yaml"
    with _serving(tmp_path, records, cwd=project) as preview:
        _, port = preview.address()
        step = iter(range(100))

        def check() -> None:
            _same_as_a_build(preview, port, project, records, tmp_path / f"fresh-{next(step)}")

        check()
        # An edit: the city, on the cluster page, its country's page and the lists.
        _replace(rhein, rhein.read_text().replace("city: Köln", "city: Mainzburg"))
        preview.wait_for("Built ")
        check()
        # An edit that changes the counts: the level of the latest award.
        text = rhein.read_text()
        _replace(rhein, text.replace("level: gold", "level: silver", 1))
        preview.wait_for("Built ")
        check()
        # A new record in a country that has a page.
        added = records / "de" / "new-cluster-in-berlin.yaml"
        _replace(added, rhein.read_text().replace("Gold Cluster Rhein", "New Cluster in Berlin"))
        preview.wait_for("Built ")
        check()
        # A rename: the old address goes, the new one comes.
        added.rename(records / "de" / "renamed-cluster-in-berlin.yaml")
        preview.wait_for("Built ")
        check()
        # A deletion.
        (records / "de" / "renamed-cluster-in-berlin.yaml").unlink()
        preview.wait_for("Built ")
        check()
        # A broken record: the last good version stays, as it was.
        good = rhein.read_text()
        _replace(rhein, good + "country: [\n")
        assert preview.wait_for(KEEPING) == KEEPING + "\n"
        _replace(rhein, good)
        preview.wait_for("Built ")
        check()
        # A template: the engine runs again.
        about = project / "site_templates" / "pages" / "about.md.j2"
        _replace(about, about.read_text().replace("## Where it comes from", "## Where it is from"))
        preview.wait_for("Built ")
        check()
        assert _get(port, VERSION_PATH) != b"0"
        code, rest = preview.stop()
        assert code == 0 and "Traceback" not in "".join(preview.lines) + rest
    assert not any(p.name.startswith("clusterdir-serve-") for p in (tmp_path / "tmp").iterdir())
    assert os.path.isdir(tmp_path / "fresh-0")


def _searched(site: Path, folder: str) -> tuple[list[str], dict[str, str]]:
    """A language's search bundle in the served site: its languages, and each page's text by
    its address."""
    bundle = site / folder / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    pages = [
        json.loads(gzip.decompress(f.read_bytes()).removeprefix(b"pagefind_dcd"))
        for f in (bundle / "fragment").glob("*.pf_fragment")
    ]
    return list(entry["languages"]), {page["url"]: page["content"] for page in pages}


def test_the_preview_indexes_a_changed_cluster_again_in_each_languages_own_search(tmp_path):
    records = tmp_path / "records"
    shutil.copytree(FIXTURE_RECORDS, records)
    rhein = records / "de" / "gold-cluster-rhein.yaml"
    with _serving(tmp_path, records) as preview:
        preview.address()
        (site,) = preview.temp.glob("clusterdir-serve-*/build/site")
        _replace(rhein, rhein.read_text().replace("city: Köln", "city: Mainzburg"))
        preview.wait_for("Built ")
        preview.wait_for(SEARCH_READY)
        for folder in ("", "de/", "pl/"):
            languages, pages = _searched(site, folder)
            assert languages == [folder.strip("/") or "en"]
            assert all(url.startswith(f"/{folder}clusters/") for url in pages), pages
            assert "Mainzburg" in pages[f"/{folder}clusters/gold-cluster-rhein/"]
            assert not any("Köln" in text for text in pages.values())
        code, rest = preview.stop()
        assert code == 0 and "Traceback" not in "".join(preview.lines) + rest
