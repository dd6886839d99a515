"""Pages filled into shells are the pages the engine renders from their whole Markdown: MkDocs
renders each page's shell (front matter and headings) and our code renders the body with
Python-Markdown, mkdocs.yml's extensions and MkDocs's links; raw HTML put aside comes back as
Python-Markdown leaves it; a link MkDocs's strict build refuses fails our build too; and finish
refuses fills that do not belong to the engine's pages."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.build.build import CONTENT, Project, build, generate, run_mkdocs
from generator.build.finish import Pages, edition_folders, finish, read_pages
from generator.build.progress import Progress
from generator.build.writer import write_tree
from generator.core.errors import ConfigError, FilesRefused
from generator.core.output import OutputFile
from generator.site.htmlbody import BodyRenderer, page_address, relative_address
from generator.site.shell import SEARCH_END, SITE_PAGES_FILE, SitePage, site_pages_text
from generator.site.siteconfig import EngineSettings
from tests.conftest import ROOT
from tests.golden import AS_OF, FIXTURE_RECORDS

QUIET = Progress(quiet=True)
ENGINE = EngineSettings(
    extensions=("admonition", "attr_list", "tables", "toc"),
    extension_configs={"toc": {"permalink": False}},
)


def _html_files(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*.html"))
        if not p.relative_to(site).as_posix().startswith("pagefind/")
    }


@pytest.mark.slow
@pytest.mark.parametrize("records", [FIXTURE_RECORDS, ROOT / "clusters"], ids=["fixture", "sample"])
def test_pages_filled_into_their_shells_are_what_the_engine_renders_from_their_markdown(
    tmp_path, records
):
    ours = tmp_path / "ours"
    build(Project(ROOT), records, ours, AS_OF, strict=False, progress=QUIET)
    # The same tree with every English page's whole Markdown, as MkDocs rendered it before
    # (the other languages' shells as they are: their pages link the downloads at the site's
    # root, outside their tree, which MkDocs would refuse), each language built into its
    # folder of the site.
    generated = generate(Project(ROOT), records, AS_OF, strict=False, progress=QUIET)
    tree, site = tmp_path / "tree", tmp_path / "site"
    for edition in generated.editions:
        whole = {f"{CONTENT}/{f.path}": f.data for f in edition.markdown if not edition.folder}
        write_tree(
            tree / edition.folder,
            [OutputFile(f.path, whole.get(f.path, f.data)) for f in edition.tree_files],
        )
    assert [e.code for e in generated.editions] == ["en", "de", "fr", "es", "it", "pl"]
    run_engine(tree, site, tmp_path)
    finish(
        tree,
        site,
        {
            e.folder.rstrip("/"): e.pages if e.folder else Pages(e.pages.clusters)
            for e in generated.editions
        },
    )
    expected, actual = _html_files(site), _html_files(ours)
    assert sorted(actual) == sorted(expected)
    for path, data in expected.items():
        assert actual[path] == data, path


# (case, Markdown): raw HTML that Python-Markdown reads in odd ways
# fmt: off
ODD_HTML = [
    ("a block after a paragraph line", "Text\n<div class=\"a\">\n<p>b</p>\n</div>\nafter\n"),
    ("a block with text after its end", "<div>a</div> tail *em*\n\n<table><tr><td>1</td></tr></table>\n"),
    ("a comment inside", "<div>\n<!-- </div> -->\n<p>x</p>\n</div>\n"),
    ("fenced code holding HTML", "```\n<div>x</div>\n```\n\n<div>y</div>\n"),
    ("unclosed paragraphs", "<div>\n<p>a\n<p>b\n</div>\n"),
    ("our own token in the text", "<div>cdraw00z</div>\n\n<div>b</div>\n"),
    ("void and self-closed elements", "<div><input type=\"search\"><br/><img src=\"x.png\" alt=\"\"></div>\n"),
    ("a style element", "<noscript><style>.a { display: none; }</style></noscript>\n<div class=\"x\">\n<form><select><option value=\"\">All</option></select></form>\n</div>\n"),
    ("indented HTML", "  <div>\n  <p>a</p>\n  </div>\n"),
    ("a block inside a list", "- item\n\n    <div>x</div>\n\n- other\n"),
    ("an attribute holding a tag's name", "<div title=\"a div\">\n<span data-x=\"</div>\">y</span>\n</div>\n"),
    ("blocks back to back", "<div>a</div>\n<div>b</div>\n<p class=\"c\">d</p>\n\n# Heading\n\n<dl><dt>x</dt><dd>y</dd></dl>\n"),
]
# fmt: on


@pytest.mark.parametrize(("case", "text"), ODD_HTML, ids=[c for c, _ in ODD_HTML])
def test_raw_html_put_aside_comes_back_as_python_markdown_leaves_it(case, text):
    renderer = BodyRenderer(ENGINE, frozenset({"index.md", "x.png"}))
    fast = renderer.render("index.md", text)
    renderer._raw.enabled = False
    plain = renderer.render("index.md", text)
    assert fast == plain


# (link, from the page, what MkDocs makes of it)
# fmt: off
LINKS = [
    ("index.md", "countries/de.md", "../"),
    ("../clusters/index.md", "countries/de.md", "../../clusters/"),
    ("../clusters.csv", "countries/de.md", "../../clusters.csv"),
    ("about.md#downloads", "statistics.md", "../about/#downloads"),
    ("countries/index.md", "index.md", "countries/"),
    ("labels/gold.md", "about.md", "../labels/gold/"),
    ("https://example.org/a.md", "about.md", "https://example.org/a.md"),
    ("#here", "about.md", "#here"),
]
# fmt: on


@pytest.mark.parametrize(("link", "page", "expected"), LINKS)
def test_a_markdown_link_becomes_the_address_mkdocs_gives_it(link, page, expected):
    files = frozenset({"index.md", "countries/de.md", "countries/index.md", "clusters/index.md",
                       "clusters.csv", "about.md", "statistics.md", "labels/gold.md"})  # fmt: skip
    renderer = BodyRenderer(ENGINE, files)
    body = renderer.render(page, f"[x]({link})\n")
    assert body.html == f'<p><a href="{expected}">x</a></p>'


def test_addresses_are_mkdocss():
    assert page_address("index.md") == "./"
    assert page_address("countries/index.md") == "countries/"
    assert page_address("labels/gold/page/2.md") == "labels/gold/page/2/"
    assert relative_address("./", "countries/de/") == "../../"


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "site_templates", project / "site_templates")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project


# (case, the line added to about.md.j2, the message)
# fmt: off
BAD_LINKS = [
    ("a page that does not exist", "[x](nowhere.md)", "'about.md': the link 'nowhere.md' leads to no page or file of the site"),
    ("an absolute link", "[x](/clusters.csv)", "'about.md': the link '/clusters.csv' is absolute: write it relative to the page"),
    ("an anchor its page lacks", "[x](statistics.md#nowhere)", "'about.md': the link '#nowhere' leads to an anchor that its page does not have"),
]
# fmt: on


@pytest.mark.parametrize(("case", "line", "message"), BAD_LINKS, ids=[c for c, *_ in BAD_LINKS])
def test_a_link_that_mkdocs_strict_build_refuses_fails_the_build(tmp_path, case, line, message):
    project = _project(tmp_path)
    about = project / "site_templates" / "pages" / "about.md.j2"
    about.write_text(about.read_text() + f"\n{line}\n")
    with pytest.raises(ConfigError) as raised:
        generate(Project(project), FIXTURE_RECORDS, AS_OF, strict=False, progress=QUIET)
    assert str(raised.value) == message


def test_a_bad_markdown_extension_in_mkdocs_yml_is_one_line(tmp_path):
    project = _project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - admonition\n", "  - nosuch\n"))
    with pytest.raises(ConfigError, match=r"^mkdocs\.yml: markdown_extensions: "):
        generate(Project(project), FIXTURE_RECORDS, AS_OF, strict=False, progress=QUIET)


def run_engine(tree: Path, site: Path, scratch: Path) -> None:
    """MkDocs on a tree in each of its languages, each built into its folder of the site (the
    English one first: MkDocs empties the folder it builds into)."""
    run_mkdocs(tree, site, AS_OF)
    for folder in edition_folders(tree):
        run_mkdocs(tree / folder, scratch / f"built-{folder}", AS_OF)
        (scratch / f"built-{folder}").rename(site / folder)


@pytest.fixture(scope="module")
def engine_site(tmp_path_factory) -> tuple[Path, Path]:
    """A generated tree and the site MkDocs built from it, not finished."""
    folder = tmp_path_factory.mktemp("shells")
    generated = generate(Project(ROOT), FIXTURE_RECORDS, AS_OF, strict=False, progress=QUIET)
    write_tree(folder / "tree", generated.files)
    run_engine(folder / "tree", folder / "site", folder)
    return folder / "tree", folder / "site"


def _fresh(engine_site, tmp_path) -> tuple[Path, Path]:
    tree, site = tmp_path / "tree", tmp_path / "site"
    shutil.copytree(engine_site[0], tree)
    shutil.copytree(engine_site[1], site)
    return tree, site


def test_the_tree_s_pages_files_finish_the_site_as_build_does(engine_site, tmp_path):
    tree, site = _fresh(engine_site, tmp_path)
    finish(tree, site)
    built = tmp_path / "built"
    build(Project(ROOT), FIXTURE_RECORDS, built, AS_OF, strict=False, progress=QUIET)
    assert _html_files(site) == _html_files(built)


# (case, the fills written into site-pages.jsonl, the line finish prints)
# fmt: off
BAD_FILLS = [
    ("a path out of the site", '{"path":"../x.md","fills":{}}', "the page's path '../x.md' is not one of a generated page: lowercase a-z, 0-9, '-' and '_' in folders and a name ending in '.md'"),
    ("a page the engine did not make", '{"path":"nowhere.md","fills":{}}', "{site}/nowhere/index.html:1:1: error: the engine made no page for 'nowhere.md'"),
    ("an unknown fill", '{"path":"about.md","fills":{"script":"x"}}', "not a page's fills: expected a JSON object with a 'path' and 'fills', an object of text values among title, description, body"),
    ("a path twice", '{"path":"about.md","fills":{}}\n{"path":"about.md","fills":{}}', "the page's path 'about.md' is on line 1 too: two pages cannot share one address"),
]
# fmt: on


@pytest.mark.parametrize(("case", "lines", "line"), BAD_FILLS, ids=[c for c, *_ in BAD_FILLS])
def test_fills_that_are_not_the_engine_s_pages_are_refused_and_nothing_written(
    engine_site, tmp_path, case, lines, line
):
    tree, site = _fresh(engine_site, tmp_path)
    (tree / SITE_PAGES_FILE).write_text(lines + "\n")
    before = _html_files(site)
    with pytest.raises(FilesRefused) as raised:
        if case == "a page the engine did not make":
            finish(tree, site)
        else:
            read_pages(tree)
    found = [d.format() for d in raised.value.diagnostics]
    assert any(f.endswith(line.format(site=site)) for f in found), found
    if case != "a page the engine did not make":
        return
    assert _html_files(site) == before


def test_a_shell_without_its_markers_is_refused(engine_site, tmp_path):
    tree, site = _fresh(engine_site, tmp_path)
    about = site / "about" / "index.html"
    about.write_text(about.read_text().replace("cdpage0start", "gone"))
    with pytest.raises(FilesRefused) as raised:
        finish(tree, site)
    assert [d.message for d in raised.value.diagnostics] == [
        "the engine's page lacks the markers its body goes between"
    ]


def test_a_title_token_shown_on_another_page_is_refused(engine_site, tmp_path):
    tree, site = _fresh(engine_site, tmp_path)
    pages = read_pages(tree).others
    home = site / "index.html"
    home.write_text(home.read_text().replace("</body>", "cdpage0title</body>"))
    (tree / SITE_PAGES_FILE).write_bytes(
        site_pages_text(
            [SitePage(p.path, {k: v for k, v in p.fills.items() if k != "title"}) for p in pages]
        )
    )
    with pytest.raises(FilesRefused) as raised:
        finish(tree, site)
    assert "the engine's page holds a token of another page" in raised.value.diagnostics[0].message


class _TopLevel(HTMLParser):
    """The tags at the top level of an HTML part, with their attributes, and every attribute
    anywhere in it."""

    def __init__(self) -> None:
        super().__init__()
        self.depth, self.top, self.attributes = 0, [], set()

    def handle_starttag(self, tag, attrs):
        self.attributes |= {name for name, _ in attrs}
        if self.depth == 0:
            self.top.append((tag, dict(attrs)))
        if tag not in VOID:
            self.depth += 1

    def handle_endtag(self, tag):
        self.depth -= 1

    def handle_data(self, data):
        if self.depth == 0 and data.strip():
            self.top.append(("text", {"text": data}))


VOID = {"img", "br", "hr", "input", "meta", "link", "source", "wbr"}


def test_what_follows_a_cluster_pages_searched_part_is_ignored_by_search_in_every_language():
    # The slim copy that Pagefind reads ends at the searched part: what follows must hold
    # nothing it would index (no text outside data-pagefind-ignore, no filter, meta or sort).
    generated = generate(Project(ROOT), ROOT / "clusters", AS_OF, strict=False, progress=QUIET)
    assert len(generated.editions) == 6
    states = set()
    for edition in generated.editions:
        for page in edition.pages.clusters:
            assert page.searched is not None and SEARCH_END not in page.body
            assert page.body[: page.searched].endswith("\n</div>")
            rest = _TopLevel()
            rest.feed(page.body[page.searched :])
            for tag, attrs in rest.top:
                assert tag == "script" or "data-pagefind-ignore" in attrs, (page.id, tag, attrs)
            assert not {a for a in rest.attributes if a.startswith("data-pagefind-")} - {
                "data-pagefind-ignore"
            }
            states.add(re.search(r"cd-status--(\w+)", page.body)[1])
    assert states >= {"valid", "renewal", "expired"}
