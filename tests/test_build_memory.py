"""A build holds little at a time, whatever the number of clusters and languages: each language's
cluster pages are rendered as they are written (the first of them while the engine works), each
page once, and the files are written on a thread of their own. The figures are measured by
`make bench-floor` (peak memory at 10,000 clusters in six languages); these tests check the
behaviour that keeps them."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

import generator.build.build as building
from generator.build.finish import OnDemand
from generator.build.writer import BackgroundWriter, TreeWriter
from generator.cli import main
from generator.core.errors import BuildFailed
from generator.core.output import OutputFile
from generator.site.shell import ClusterPage

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
LANGUAGES = ("en", "de", "fr", "es", "it", "pl")


def _page(number: int) -> ClusterPage:
    return ClusterPage(f"c{number}", f"C{number}", "D", f"<p>{number}</p>")


def _counting(pages: list[ClusterPage], made: list[str]):
    def render():
        for page in pages:
            made.append(page.id)
            yield page

    return render


def test_pages_rendered_on_demand_are_rendered_as_they_are_asked_for():
    made: list[str] = []
    pages = [_page(n) for n in range(3)]
    on_demand = OnDemand(tuple(p.id for p in pages), _counting(pages, made))
    assert len(on_demand) == 3 and made == []
    assert [p.id for p in on_demand] == ["c0", "c1", "c2"] and made == ["c0", "c1", "c2"]


def test_pages_rendered_ahead_stop_when_the_wait_ends_and_the_rest_follow_in_order():
    made: list[str] = []
    pages = [_page(n) for n in range(5)]
    waits = iter([True, True, False])
    ahead = OnDemand(tuple(p.id for p in pages), _counting(pages, made)).ahead(
        lambda: next(waits), 10
    )
    assert made == ["c0", "c1"]  # rendered while "the engine" worked
    assert [p.id for p in ahead] == ["c0", "c1", "c2", "c3", "c4"]
    assert made == ["c0", "c1", "c2", "c3", "c4"]  # none rendered twice


def test_pages_rendered_ahead_are_at_most_the_number_given():
    made: list[str] = []
    pages = [_page(n) for n in range(5)]
    OnDemand(tuple(p.id for p in pages), _counting(pages, made)).ahead(lambda: True, 2)
    assert made == ["c0", "c1"]


def test_rendering_on_demand_stops_once_the_build_stops():
    stop = threading.Event()
    pages = [_page(n) for n in range(3)]
    seen = []
    with pytest.raises(BuildFailed):
        for page in OnDemand(tuple(p.id for p in pages), lambda: iter(pages)).until(stop):
            seen.append(page.id)
            stop.set()
    assert seen == ["c0"]


def test_the_background_writer_writes_every_file_in_order(tmp_path):
    writer = TreeWriter(tmp_path)
    with BackgroundWriter() as background:
        for n in range(200):
            background.put(writer, OutputFile(f"d{n % 7}/f{n}.txt", str(n).encode()))
    writer.close()
    assert sorted(p.name for p in tmp_path.rglob("*.txt")) == sorted(
        f"f{n}.txt" for n in range(200)
    )
    assert (tmp_path / "d3" / "f10.txt").read_text() == "10"


def test_the_background_writer_raises_a_failed_write_on_the_callers_thread(tmp_path):
    writer = TreeWriter(tmp_path)
    (tmp_path / "taken").write_text("a file where a folder would go")
    with pytest.raises(BuildFailed), BackgroundWriter() as background:
        background.put(writer, OutputFile("taken/x.txt", b"x"))
        for n in range(1000):  # put raises once the failure is known, else leaving the block
            background.put(writer, OutputFile(f"later/{n}.txt", b"y"))
    writer.close()
    assert not (tmp_path / "later" / "999.txt").exists()


def test_the_background_writer_stops_writing_when_its_block_fails(tmp_path):
    writer = TreeWriter(tmp_path)
    with pytest.raises(KeyboardInterrupt), BackgroundWriter() as background:
        background.put(writer, OutputFile("a.txt", b"a"))
        raise KeyboardInterrupt
    writer.close()
    # Whatever was put before is written or not, but nothing is written after the block.
    assert not any(t.name == "clusterdir-write" and t.is_alive() for t in threading.enumerate())


@pytest.fixture
def two_records(tmp_path: Path) -> Path:
    folder = tmp_path / "two"
    folder.mkdir()
    for name in ("norway-is-no.yaml", "every-field.yaml"):
        shutil.copy(FIXTURES / "good" / name, folder / name)
    return folder


def test_a_build_renders_each_cluster_page_once_in_every_language_and_keeps_none(
    tmp_path, monkeypatch, two_records
):
    rendered: list[str] = []
    each = building.each_cluster_page

    def counted(renderer, progress=None, cache=None):
        for page in each(renderer, progress, cache):
            rendered.append(renderer.settings.language)
            yield page

    monkeypatch.setattr(building, "each_cluster_page", counted)
    kept: list[building.Generated] = []
    publish = building.publish

    def published(*args, **kwargs):
        result = publish(*args, **kwargs)
        kept.append(result)
        return result

    monkeypatch.setattr(building, "publish", published)
    monkeypatch.chdir(ROOT)
    out = tmp_path / "site"
    assert main(["build", "--data", str(two_records), "--out", str(out), "--quiet"]) == 0
    assert sorted(rendered) == sorted(LANGUAGES * 2)  # two clusters, six languages, once each
    for code in LANGUAGES:
        folder = out if code == "en" else out / code
        assert len(list((folder / "clusters").glob("*/index.html"))) == 2, code
    (result,) = kept
    assert result.editions == () and result.later == ()  # let go once written
    assert result.page_count == sum(1 for _ in out.rglob("index.html"))
