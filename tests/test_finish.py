"""`finish` trusts its --tree and --site no more than the records: it reads only the regular
files that `generate` and an engine write, with a size limit; it follows no link in either
folder; and it checks each line of the pages file, so that no page lands on another's address.

A FIFO in the tree hung it, a link to /dev/zero filled the memory, a linked cluster folder in
the site was written through, a linked folder in the tree was published, and an empty id
overwrote the cluster list. Each case is now one line naming the file (and the line), and
nothing is written.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.build.finish import finish, write_slim_pages
from generator.build.writer import write_tree
from generator.core.errors import BuildFailed
from generator.core.output import OutputFile
from generator.site.shell import PAGES_FILE, SHELL_ID, TOKENS, ClusterPage, Shell, pages_text
from tests.conftest import ROOT

LINK = "a link: finish follows no link in the tree or the site"
GOOD_PAGE = ClusterPage(
    "good-cluster", "Good", "A good cluster", "<p>good</p>", {"badge.svg": "<svg/>"}
)
LIST_PAGE = b"<html><body>the cluster list</body></html>"


@pytest.fixture()
def made(tmp_path: Path) -> tuple[Path, Path]:
    """A tree as `generate` writes it and a site as an engine builds it, the smallest there is."""
    tree, site = tmp_path / "tree", tmp_path / "site"
    (tree / "after").mkdir(parents=True)
    (tree / PAGES_FILE).write_bytes(pages_text([GOOD_PAGE]))
    (tree / "after" / "robots.txt").write_text("User-agent: *\n")
    shell = site / "clusters" / SHELL_ID
    shell.mkdir(parents=True)
    (shell / "index.html").write_text(
        f"<html><head><title>{TOKENS['title']}</title>"
        f'<meta name="description" content="{TOKENS["description"]}"></head>'
        f'<body><a href="../clusters/{SHELL_ID}/">here</a>'
        f"<main data-pagefind-body>{TOKENS['body']}</main></body></html>"
    )
    (site / "clusters" / "index.html").write_bytes(LIST_PAGE)
    (site / "index.html").write_text("<html><body>home</body></html>")
    return tree, site


def _finish(tree: Path, site: Path) -> subprocess.CompletedProcess[str]:
    # A separate process with a time limit: a FIFO that blocks must fail the test, not hang it.
    return subprocess.run(
        [sys.executable, "-m", "generator", "finish", "--tree", str(tree), "--site", str(site)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def _refused(result: subprocess.CompletedProcess[str], *lines: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert sorted(result.stdout.splitlines()) == sorted(lines), result.stdout
    assert result.stderr.startswith(f"clusterdir: error: {len(lines)} error"), result.stderr
    assert "is not finished" in result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


def _untouched(site: Path) -> None:
    assert (site / "clusters" / "index.html").read_bytes() == LIST_PAGE
    assert (site / "clusters" / SHELL_ID / "index.html").is_file()
    assert not (site / "clusters" / GOOD_PAGE.id).exists()
    assert not (site / "pagefind").exists()


def test_a_good_tree_and_site_are_finished(made):
    tree, site = made
    result = _finish(tree, site)
    assert result.returncode == 0, result.stderr
    page = (site / "clusters" / GOOD_PAGE.id / "index.html").read_text()
    assert "<p>good</p>" in page and f"clusters/{GOOD_PAGE.id}/" in page
    assert (site / "clusters" / GOOD_PAGE.id / "badge.svg").read_text() == "<svg/>"
    assert (site / "robots.txt").is_file()
    assert not (site / "clusters" / SHELL_ID).exists()


def test_a_fifo_in_the_tree_is_refused_without_waiting_for_it(made):
    tree, site = made
    (tree / PAGES_FILE).unlink()
    os.mkfifo(tree / PAGES_FILE)
    _refused(
        _finish(tree, site), f"{tree}/{PAGES_FILE}:1:1: error: a FIFO, not a regular file: not read"
    )
    _untouched(site)


def test_a_pages_file_linked_to_dev_zero_is_refused_without_reading_it(made):
    tree, site = made
    (tree / PAGES_FILE).unlink()
    (tree / PAGES_FILE).symlink_to("/dev/zero")
    _refused(_finish(tree, site), f"{tree}/{PAGES_FILE}:1:1: error: {LINK}")
    _untouched(site)


def test_a_link_that_stays_in_the_tree_is_refused_too(made):
    # generate writes no link at all: even one that stays inside is not the tree it wrote.
    tree, site = made
    (tree / "after" / "sitemap.xml").symlink_to(tree / PAGES_FILE)
    _refused(_finish(tree, site), f"{tree}/after/sitemap.xml:1:1: error: {LINK}")
    _untouched(site)


def test_a_linked_cluster_folder_in_the_site_is_refused_and_nothing_written_through_it(
    made, tmp_path
):
    tree, site = made
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (site / "clusters" / GOOD_PAGE.id).symlink_to(elsewhere)
    _refused(_finish(tree, site), f"{site}/clusters/{GOOD_PAGE.id}:1:1: error: {LINK}")
    assert list(elsewhere.iterdir()) == []


def test_a_linked_folder_in_the_tree_is_refused_and_none_of_its_files_published(made, tmp_path):
    tree, site = made
    private = tmp_path / "private"
    private.mkdir()
    (private / "id_ed25519").write_text("PRIVATE KEY\n")
    (tree / "after" / "robots.txt").unlink()
    (tree / "after").rmdir()
    (tree / "after").symlink_to(private)
    _refused(_finish(tree, site), f"{tree}/after:1:1: error: {LINK}")
    assert not (site / "id_ed25519").exists()
    _untouched(site)


def test_a_fifo_in_the_site_is_refused_before_the_search_index_reads_it(made):
    tree, site = made
    os.mkfifo(site / "waiting.html")
    _refused(
        _finish(tree, site), f"{site}/waiting.html:1:1: error: a FIFO, not a regular file: not read"
    )
    _untouched(site)


def _line(**changes: object) -> str:
    page = {"id": "x", "title": "T", "description": "D", "body": "<p>b</p>", "files": {}}
    page.update(changes)
    return json.dumps(page)


BAD_LINES = [
    ("bad JSON", '{"id": "x", "title": ', "bad JSON: Expecting value at column 22"),
    ("an empty id", _line(id=""), "the page's id is empty: a cluster page needs its cluster's id"),
    (
        "an id that climbs out",
        _line(id="../x"),
        "the page's id '../x' is not a cluster id: lowercase a-z, 0-9 and single hyphens, and"
        " none of the site's own addresses",
    ),
    (
        "an id of a page of the site",
        _line(id="page"),
        "the page's id 'page' is not a cluster id: lowercase a-z, 0-9 and single hyphens, and"
        " none of the site's own addresses",
    ),
    ("a NUL in the line", _line(id="x") + "\0", "the line holds a NUL character"),
    ("a NUL in a value", _line(body="<p>\0</p>"), "the page's body holds a NUL character"),
    (
        "a lone surrogate",
        _line(title="\\ud800").replace("\\\\ud800", "\\ud800"),
        "the page's title holds a lone surrogate (\\ud800 to \\udfff), not text",
    ),
    (
        "not a page",
        "[1, 2]",
        "not a cluster page: expected a JSON object of text values id, title, description,"
        " body and an object of files",
    ),
    (
        "a file that generate never writes",
        _line(files={"../../index.html": "<p>over</p>"}),
        "the page's file '../../index.html' is not one that generate writes"
        " (badge.svg, status.json)",
    ),
    (
        "a searched part beyond the body",
        _line(id="x", searched=len("<p>b</p>") + 1),
        "the page's searched part is not a place in its body: a whole number up to its length",
    ),
    (
        "a searched part that is not a number",
        _line(id="x", searched="12"),
        "the page's searched part is not a place in its body: a whole number up to its length",
    ),
    (
        "an id given twice",
        _line(id=GOOD_PAGE.id),
        "the page's id 'good-cluster' is on line 1 too: two pages cannot share one address",
    ),
]


@pytest.mark.parametrize(("case", "line", "message"), BAD_LINES, ids=[c for c, _, _ in BAD_LINES])
def test_each_bad_line_of_the_pages_file_is_one_error_naming_the_line(made, case, line, message):
    tree, site = made
    with (tree / PAGES_FILE).open("a", encoding="utf-8") as pages:
        pages.write(line + "\n")
    _refused(_finish(tree, site), f"{tree}/{PAGES_FILE}:2:1: error: {message}")
    _untouched(site)


def test_every_bad_line_is_named_in_one_run(made):
    tree, site = made
    lines = [line for _, line, _ in BAD_LINES]
    (tree / PAGES_FILE).write_text(pages_text([GOOD_PAGE]).decode() + "\n".join(lines) + "\n")
    result = _finish(tree, site)
    assert result.returncode == 1
    assert [ln.split(":")[1] for ln in result.stdout.splitlines()] == [
        str(n) for n in range(2, 2 + len(lines))
    ]
    _untouched(site)


def test_a_page_whose_address_the_site_already_has_is_refused(made):
    tree, site = made
    taken = site / "clusters" / GOOD_PAGE.id
    taken.mkdir()
    (taken / "index.html").write_text("the engine's page")
    _refused(
        _finish(tree, site),
        f"{taken}:1:1: error: a page of the site stands where the cluster page of"
        f" '{GOOD_PAGE.id}' would go: nothing replaces it",
    )
    assert (taken / "index.html").read_text() == "the engine's page"


def test_the_pages_file_over_its_size_limit_is_refused_unread(made, monkeypatch, capsys):
    from generator.build import finish
    from generator.cli import main

    tree, site = made
    monkeypatch.setattr(finish, "MAX_PAGES_BYTES", 100)
    assert main(["finish", "--tree", str(tree), "--site", str(site)]) == 1
    size = (tree / PAGES_FILE).stat().st_size
    assert capsys.readouterr().out == (
        f"{tree}/{PAGES_FILE}:1:1: error: the file is {size:,} bytes; a file of the tree or"
        " the site must be under 100\n"
    )
    _untouched(site)


def test_writing_a_tree_never_follows_a_link_made_after_the_check(tmp_path):
    # finish checks for links first; the writer refuses one made in between.
    root, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    (root / "clusters").mkdir(parents=True)
    elsewhere.mkdir()
    (root / "clusters" / "x").symlink_to(elsewhere)
    with pytest.raises(BuildFailed, match="a link on its way leads elsewhere"):
        write_tree(root, [OutputFile("clusters/x/index.html", b"page")])
    (root / "robots.txt").symlink_to(elsewhere / "robots.txt")
    with pytest.raises(BuildFailed, match=r"robots\.txt"):
        write_tree(root, [OutputFile("robots.txt", b"robots")])
    assert list(elsewhere.iterdir()) == []


def test_writing_a_tree_never_waits_on_a_fifo(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    os.mkfifo(root / "robots.txt")
    with pytest.raises(BuildFailed, match=r"robots\.txt"):
        write_tree(root, [OutputFile("robots.txt", b"robots")])


def test_writing_a_tree_never_follows_a_folder_swapped_for_a_link_while_it_writes(tmp_path):
    # `generate --out` into an empty folder that another user owns: once the first page is in
    # content/, they swap content/ for a link to a folder of root's. The writer holds each
    # folder it made open, and opens each from the one above it, never through a link: the
    # pages go on into the folder it made, wherever that was moved, and none to the other.
    root, elsewhere = tmp_path / "tree", tmp_path / "elsewhere"
    elsewhere.mkdir()

    def files() -> Iterator[OutputFile]:
        yield OutputFile("content/index.md", b"# Home")
        (root / "content").rename(root / "content-moved")
        (root / "content").symlink_to(elsewhere)
        yield OutputFile("content/about.md", b"# About")
        yield OutputFile("content/countries/index.md", b"# Countries")

    write_tree(root, files())
    assert list(elsewhere.iterdir()) == []
    moved = root / "content-moved"
    assert sorted(p.relative_to(moved).as_posix() for p in moved.rglob("*.md")) == [
        "about.md",
        "countries/index.md",
        "index.md",
    ]


def test_writing_a_tree_never_writes_through_a_hard_link(tmp_path):
    root, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    root.mkdir()
    elsewhere.mkdir()
    (elsewhere / "secrets.txt").write_text("unchanged\n")
    os.link(elsewhere / "secrets.txt", root / "robots.txt")
    with pytest.raises(BuildFailed) as caught:
        write_tree(root, [OutputFile("robots.txt", b"User-agent: *\n")])
    assert str(caught.value) == (
        f"'{root}/robots.txt' has other names (hard links): nothing was written through it"
    )
    assert (elsewhere / "secrets.txt").read_text() == "unchanged\n"


def test_ctrl_c_during_finish_says_the_site_needs_building_again(made, monkeypatch, capsys):
    # The cluster pages are written; a second finish refuses to replace them, so "interrupted"
    # alone left the user with a site that finish would never complete.
    import generator.build.search as searching
    from generator.cli import main

    def no_search_index(running: object, output: Path) -> None:
        raise KeyboardInterrupt  # Ctrl-C while Pagefind indexes

    monkeypatch.setattr(searching, "search_done", no_search_index)
    tree, site = made
    assert main(["finish", "--tree", str(tree), "--site", str(site)]) == 130
    assert capsys.readouterr().err == (
        f"clusterdir: interrupted: {site} is not finished and may hold some of its cluster pages:"
        " build it again with the engine, then run finish\n"
    )


def test_the_slim_copy_for_search_ends_where_the_pages_searched_part_does(tmp_path):
    body = "<p>found</p><p data-pagefind-ignore>not searched</p>"
    page = ClusterPage("x", "X", "D", body, searched=len("<p>found</p>"))
    shell = (
        f'<html lang="de"><head><title>{TOKENS["title"]}</title>'
        f'<meta name="description" content="{TOKENS["description"]}"></head>'
        f"<body><nav>menu</nav><main data-pagefind-body>{TOKENS['body']}</main></body></html>"
    )
    assert write_slim_pages(shell, (page,), tmp_path)
    slim = (tmp_path / "clusters" / "x" / "index.html").read_text("utf-8")
    assert '<html lang="de">' in slim and "menu" not in slim
    assert "<main data-pagefind-body><p>found</p></main>" in slim
    # The page itself is whole; a page without a searched part is searched whole.
    assert f"<main data-pagefind-body>{body}</main>" in Shell(shell).fill(page)
    whole = ClusterPage("y", "Y", "D", body)
    assert write_slim_pages(shell, (whole,), tmp_path)
    assert f"<main data-pagefind-body>{body}</main>" in (
        tmp_path / "clusters" / "y" / "index.html"
    ).read_text("utf-8")


# A cluster shell with one searched element (slim copies are indexed), and one with two (the
# site's own pages are indexed): search.py's two ways.
ONE_SEARCHED = f"<main data-pagefind-body>{TOKENS['body']}</main>"
TWO_SEARCHED = f"<main data-pagefind-body>{TOKENS['body']}</main><p data-pagefind-body>x</p>"


def _language_site(site: Path, tree: Path, code: str, searched: str) -> None:
    """A language's tree and the site an engine built of it, in its folder ('' for English)."""
    folder = "" if code == "en" else code
    (tree / folder).mkdir(parents=True, exist_ok=True)
    (tree / folder / PAGES_FILE).write_bytes(pages_text([GOOD_PAGE]))
    shell = site / folder / "clusters" / SHELL_ID
    shell.mkdir(parents=True)
    (shell / "index.html").write_text(
        f'<html lang="{code}"><head><title>{TOKENS["title"]}</title>'
        f'<meta name="description" content="{TOKENS["description"]}"></head>'
        f"<body><nav>menu</nav>{searched}</body></html>"
    )
    (site / folder / "index.html").write_text(f'<html lang="{code}"><body>home</body></html>')


def _bundle(site: Path, folder: str) -> tuple[dict[str, int], list[str]]:
    """A search bundle's languages with their page counts, and its pages' addresses."""
    bundle = site / folder / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    urls = sorted(
        json.loads(gzip.decompress(f.read_bytes()).removeprefix(b"pagefind_dcd"))["url"]
        for f in (bundle / "fragment").glob("*.pf_fragment")
    )
    return {code: found["page_count"] for code, found in entry["languages"].items()}, urls


@pytest.mark.parametrize("searched", [ONE_SEARCHED, TWO_SEARCHED], ids=["slim", "whole"])
def test_each_language_gets_a_search_bundle_of_its_own_pages_at_their_addresses(tmp_path, searched):
    tree, site = tmp_path / "tree", tmp_path / "site"
    for code in ("en", "de"):
        _language_site(site, tree, code, searched)
    # An English page in a folder whose name means something in a glob: English's pages
    # outside the other languages' folders are named one by one.
    odd = site / "a,b{c}(d)[e]"
    odd.mkdir()
    (odd / "index.html").write_text('<html lang="en"><body><p data-pagefind-body>odd</p>')
    search = tmp_path / "search"
    finish(tree, site, search=search)
    english = ["/clusters/good-cluster/"] + (["/a,b{c}(d)[e]/"] if searched == TWO_SEARCHED else [])
    assert _bundle(site, "") == ({"en": len(english)}, sorted(english))
    assert _bundle(site, "de") == ({"de": 1}, ["/de/clusters/good-cluster/"])
    # The slim copies of each language lie in its own folder, at their paths on the site.
    slim = sorted(p.relative_to(search).as_posix() for p in search.rglob("*.html"))
    if searched == ONE_SEARCHED:
        assert slim == [
            "de/de/clusters/good-cluster/index.html",
            "en/clusters/good-cluster/index.html",
        ]
    else:
        assert slim == []
