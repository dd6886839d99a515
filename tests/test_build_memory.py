"""A build holds little at a time, whatever the number of clusters and languages: each language's
cluster pages are handed to the thread that writes them as they are rendered (a few thousand at
most waiting), each page rendered once, and no language is kept once written. The figures are
measured by `make bench-floor` (peak memory at 10,000 clusters in six languages); these tests
check the behaviour that keeps them."""

from __future__ import annotations

import shutil
import sys
import threading
from pathlib import Path

import pytest

import generator.build.build as building
from generator.build.finish import OnDemand
from generator.build.processes import Running
from generator.cli import main
from generator.core.errors import BuildFailed
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


def test_a_page_stream_hands_the_pages_over_in_order_and_ends():
    stream = building.PageStream(2, threading.Event())
    pages = [_page(n) for n in range(5)]

    def render():
        for page in pages:
            assert stream.put(page)
        stream.put(building._END)

    renderer = threading.Thread(target=render)
    renderer.start()
    assert [p.id for p in stream] == ["c0", "c1", "c2", "c3", "c4"]
    renderer.join()


def test_a_page_stream_holds_no_more_pages_than_its_room():
    stream = building.PageStream(2, threading.Event())
    assert stream.put(_page(0)) and stream.put(_page(1))
    put = threading.Thread(target=stream.put, args=(_page(2),), daemon=True)
    put.start()
    put.join(0.5)
    assert put.is_alive()  # waits for room
    next(iter(stream))
    put.join(2)
    assert not put.is_alive()


def test_a_page_stream_stops_both_sides_once_the_build_stops():
    stop = threading.Event()
    stream = building.PageStream(1, stop)
    assert stream.put(_page(0))
    stop.set()
    assert not stream.put(_page(1))  # the renderer gives up
    with pytest.raises(BuildFailed):  # the filler too
        list(stream)


def test_a_stopped_build_writes_none_of_the_pages_still_waiting_in_the_stream():
    # A Ctrl-C stopped the build, yet the filler wrote up to 2,000 pages that waited in the
    # stream (at 3,000 clusters, 0.7 s more before the build ended).
    stop = threading.Event()
    stream = building.PageStream(3, stop)
    assert stream.put(_page(0)) and stream.put(_page(1))
    stop.set()
    written = []
    with pytest.raises(BuildFailed):
        for page in stream:
            written.append(page)
    assert written == []


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


def test_a_failing_search_index_is_the_builds_error_not_the_stop_it_causes(
    tmp_path, monkeypatch, capsys, two_records
):
    def failing(site, slims, code):
        raise building.BuildFailed(f"Pagefind failed: no room for {code}")

    monkeypatch.setattr(building, "start_language", failing)
    monkeypatch.chdir(ROOT)
    out = tmp_path / "site"
    assert main(["build", "--data", str(two_records), "--out", str(out), "--quiet"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == "clusterdir: error: Pagefind failed: no room for en"
    assert not out.exists()
    assert not any(t.name.startswith("clusterdir-fill") for t in threading.enumerate())


def test_the_build_stops_for_the_first_error_of_any_of_its_threads():
    from concurrent.futures import ThreadPoolExecutor

    stop = building.Stop()
    stop.fail(building.BuildFailed("Pagefind failed: exit code 1"))
    stop.fail(building.BuildFailed("the build stopped"))  # another side, stopping after it
    with ThreadPoolExecutor(1) as pool:
        stopped = pool.submit(
            lambda: (_ for _ in ()).throw(building.BuildFailed("the build stopped"))
        )
        with pytest.raises(building.BuildFailed, match="Pagefind failed: exit code 1"):
            stop.result(stopped)
        assert stop.result(pool.submit(lambda: 7)) == 7


def test_pagefind_failing_for_a_language_is_the_line_shown_while_the_next_one_is_filled(
    tmp_path, monkeypatch, capsys, two_records
):
    # English's Pagefind fails while the filler fills German: the filler gives up because the
    # build stopped, and the line says why it stopped (Pagefind's complaint), not that it did.
    failed = threading.Event()
    start, done, fill = building.start_language, building.search_done, building._fill

    def failing_in_english(site, slims, code):
        running, output = start(site, slims, code)
        if code == "en":
            running.stop()
            command = "print('Error: no room for the index'); raise SystemExit(3)"
            running = Running([sys.executable, "-c", command])
        return running, output

    def searched(running, output):
        try:
            done(running, output)
        finally:
            failed.set()

    def filled(edition, tree, site, slim):
        if edition.code == "en":
            return fill(edition, tree, site, slim)
        assert failed.wait(60)
        raise building._Stopped

    monkeypatch.setattr(building, "start_language", failing_in_english)
    monkeypatch.setattr(building, "search_done", searched)
    monkeypatch.setattr(building, "_fill", filled)
    monkeypatch.chdir(ROOT)
    out = tmp_path / "site"
    assert main(["build", "--data", str(two_records), "--out", str(out), "--quiet"]) == 1
    assert capsys.readouterr().err == (
        "clusterdir: error: Pagefind failed: Error: no room for the index\n"
    )
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == ["two"]
    assert [t for t in threading.enumerate() if t.name.startswith("clusterdir-fill")] == []
