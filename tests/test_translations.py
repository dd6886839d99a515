"""The languages' catalogs stay complete and right, `make translations` keeps them so, and no
template shows a word that is not marked for translation.

Every shipped catalog (`generator/translations/<code>/LC_MESSAGES/clusterdir.po`) is checked by
scripts/translations.py:check_catalog, the check `make translations` runs too: nothing
untranslated or fuzzy, every placeholder of the English in the translation and no other, every
plural form there, and a Plural-Forms header that gives each CLDR plural category of the
language a form of its own (Polish: three). The rule for the count: a plural form may write
the number in words ('jeden klaster', without `{n}` or `%(num)d`) only where the language takes
that form for the number 1 alone (German, Italian, Polish, Spanish); French takes its first
form for 0 and 1, so its first form keeps the number. Each check is proved on a bad catalog in
tests/fixtures/catalogs/, named after its case.

The unmarked-word check (tests/unmarked.py) is proved on tests/fixtures/templates/: a page
with every kind of unmarked word, and the same page marked.
"""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from generator.core import i18n
from scripts import translations
from tests.conftest import FIXTURES, ROOT
from tests.unmarked import _literal_text, unmarked

CATALOGS = FIXTURES / "catalogs"
TEMPLATES = ROOT / "site_templates"
SHIPPED = translations.languages()
SHIPPED_LANGUAGES = ("de", "fr", "es", "it", "pl")  # issue 22; the catalogs may come later


def _read(path: Path, code: str | None = None) -> Catalog:
    return translations.read_catalog(path.read_bytes(), str(path.relative_to(ROOT)), code)


def _keys(catalog: Catalog) -> set[tuple[str, str | None]]:
    """Each entry as (msgid, context), the header left out."""
    return {(m.id if isinstance(m.id, str) else m.id[0], m.context) for m in catalog if m.id}


@pytest.fixture(scope="module")
def extracted() -> Catalog:
    """The marked strings of today's sources, extracted in memory as `make translations` does."""
    return translations.extract()


# The shipped catalogs


@pytest.mark.parametrize("code", SHIPPED)
def test_a_shipped_catalog_has_nothing_untranslated_fuzzy_or_wrong(code):
    path = translations.catalog_path(code)
    problems = translations.check_catalog(_read(path, code))
    shown = str(path.relative_to(ROOT))
    assert not problems, "\n".join(p.text(shown) for p in problems)


@pytest.mark.parametrize("code", SHIPPED)
def test_a_shipped_catalog_names_its_own_language(code):
    catalog = _read(translations.catalog_path(code))
    assert str(catalog.locale) == code


@pytest.mark.parametrize("code", SHIPPED)
def test_a_shipped_catalog_holds_every_string_of_the_sources_and_no_other(code, extracted):
    catalog = _read(translations.catalog_path(code), code)
    missing = _keys(extracted) - _keys(catalog)
    gone = _keys(catalog) - _keys(extracted)
    assert not missing and not gone, (
        f"run `make translations`: {len(missing)} strings missing ({sorted(missing)[:5]}),"
        f" {len(gone)} no longer in the sources ({sorted(gone)[:5]})"
    )


def test_the_template_holds_every_string_of_the_sources_and_no_other(extracted):
    template = _read(translations.TEMPLATE)
    assert _keys(template) == _keys(extracted), "run `make translations`"


def test_polish_has_three_plural_forms():
    if "pl" not in SHIPPED:
        pytest.skip("no Polish catalog yet")
    assert _read(translations.catalog_path("pl")).num_plurals == 3


@pytest.mark.parametrize("code", SHIPPED_LANGUAGES)
def test_a_new_catalog_gets_plural_forms_the_check_accepts(code):
    catalog = translations.read_catalog(translations.initial(b"", code), "new", code)
    assert translations.check_catalog(catalog) == []
    assert catalog.num_plurals == {"de": 2, "pl": 3}.get(code, catalog.num_plurals)


def test_the_tooling_and_the_site_agree_on_where_catalogs_are():
    assert translations.DOMAIN == i18n.DOMAIN
    assert translations.SOURCE_LANGUAGE == i18n.SOURCE_LANGUAGE
    assert translations.TRANSLATIONS == i18n.TRANSLATIONS
    assert translations.catalog_path("de") == i18n.catalog_path("de")


# The checks, proved on bad catalogs (tests/fixtures/catalogs/, each named after its case)

# fmt: off
REPORTED = {
    "complete.po": [],
    "untranslated.po": [("untranslated", "Countries")],
    "fuzzy.po": [("fuzzy", "All countries")],
    "placeholder_missing.po": [
        ("placeholder missing", "{subject} in {country} hold a valid ECEI label on {day}."),
        ("placeholder missing", "%(num)d cluster"),
    ],
    "placeholder_extra.po": [
        ("placeholder extra", "Countries"),
        ("placeholder missing", "Clusters in %(country)s"),
        ("placeholder extra", "Clusters in %(country)s"),
    ],
    "plural_form_missing.po": [("plural form missing", "{n} cluster")],
    "plural_forms_header_wrong.po": [("plural forms header", "")],
    "count_left_out_of_shared_form.po": [("placeholder missing", "{n} cluster")],
    "lone_brace.po": [("broken placeholder", "{n} cluster")],
}
# fmt: on


@pytest.mark.parametrize("name", sorted(REPORTED))
def test_the_catalog_checks_report_what_is_wrong_with_each_fixture(name):
    problems = translations.check_catalog(_read(CATALOGS / name))
    assert [(p.kind, p.msgid) for p in problems] == REPORTED[name]


def test_every_catalog_fixture_has_its_expected_report():
    assert sorted(p.name for p in CATALOGS.glob("*.po")) == sorted(REPORTED)


def test_a_problem_reads_as_one_line_with_the_catalogs_place():
    problems = translations.check_catalog(_read(CATALOGS / "placeholder_missing.po"))
    assert problems[0].text("de.po") == (
        "de.po:10: placeholder missing: msgstr lacks {country}:"
        " '{subject} in {country} hold a valid ECEI label on {day}.'"
    )


# fmt: off
PLACEHOLDERS = [
    ("{n} clusters in {country}", ["{country}", "{n}"]),
    ("%(num)d clusters in %(country)s", ["%(country)s", "%(num)d"]),
    ("%s of %d", ["%d", "%s"]),
    ("{n} of {n}", ["{n}", "{n}"]),
    ("80%% overall, {{literal}}", []),
    ("50 % of them", []),
]
# fmt: on


@pytest.mark.parametrize(("text", "found"), PLACEHOLDERS)
def test_placeholders_are_the_format_fields_of_either_kind(text, found):
    assert sorted(translations.placeholders(text).elements()) == found


# make translations, on a small project of its own


SAMPLE_PY = """\
from generator.core import i18n
from generator.core.words import _counted

# Translators: the greeting on the home page.
HELLO = i18n.N_("Hello")


def rows(n):
    return _counted(n, "{n} row", "{n} rows")
"""
SAMPLE_J2 = """\
# {{ _("Countries") }}

{# Translators: the count of a country's clusters. #}
{% trans count=n %}{{ count }} cluster{% pluralize %}{{ count }} clusters{% endtrans %}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with one marked Python module and one template, and the real babel.cfg."""
    for name in ("babel.cfg", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "generator").mkdir()
    (tmp_path / "generator" / "sample.py").write_text(SAMPLE_PY, "utf-8")
    (tmp_path / "site_templates" / "pages").mkdir(parents=True)
    (tmp_path / "site_templates" / "pages" / "sample.md.j2").write_text(SAMPLE_J2, "utf-8")
    return tmp_path


def _run(project: Path, *init: str, check: bool = False) -> tuple[int, list[str]]:
    lines: list[str] = []
    status = translations.run(init, check=check, root=project, out=lines.append)
    return status, lines


def _files(project: Path) -> dict[str, bytes]:
    folder = project / "generator" / "translations"
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_make_translations_extracts_python_and_templates_with_places_and_comments(project):
    _run(project)
    template = (project / "generator" / "translations" / "clusterdir.pot").read_text("utf-8")
    assert '#. the greeting on the home page.\n#: generator/sample.py:5\nmsgid "Hello"' in template
    assert 'msgid "{n} row"\nmsgid_plural "{n} rows"' in template
    assert "#: site_templates/pages/sample.md.j2:1\n" in template
    assert "#. the count of a country's clusters.\n" in template
    assert 'msgid "%(count)s cluster"\nmsgid_plural "%(count)s clusters"' in template


def test_make_translations_writes_the_same_bytes_when_nothing_changed(project):
    _run(project, "de", "pl")
    first = _files(project)
    assert set(first) == {
        "clusterdir.pot",
        "de/LC_MESSAGES/clusterdir.po",
        "pl/LC_MESSAGES/clusterdir.po",
    }
    assert b"POT-Creation-Date" not in first["clusterdir.pot"]
    assert b"Generated-By" not in first["clusterdir.pot"]
    _run(project)
    assert _files(project) == first


def test_make_translations_init_starts_a_catalog_with_the_languages_plural_forms(project):
    _run(project, "pl")
    catalog = translations.read_catalog(
        translations.catalog_path("pl", project / "generator" / "translations").read_bytes(),
        "pl.po",
    )
    assert str(catalog.locale) == "pl"
    assert catalog.num_plurals == 3
    assert not catalog.fuzzy
    assert translations.counts(catalog) == translations.Counts(0, 4, 0)


def test_make_translations_lists_each_untranslated_string_with_its_place(project):
    status, lines = _run(project, "de")
    assert status == 0  # only --check fails on what is left to do
    assert "de: 0 translated, 4 untranslated, 0 fuzzy" in lines
    assert "  untranslated generator/sample.py:5: 'Hello'" in lines
    assert "  untranslated site_templates/pages/sample.md.j2:1: 'Countries'" in lines


def _translate_german(project: Path) -> Path:
    path = translations.catalog_path("de", project / "generator" / "translations")
    text = path.read_text("utf-8")
    for english, german in (
        ('msgid "Hello"\nmsgstr ""', 'msgid "Hello"\nmsgstr "Hallo"'),
        ('msgid "Countries"\nmsgstr ""', 'msgid "Countries"\nmsgstr "Länder"'),
        (
            'msgid_plural "{n} rows"\nmsgstr[0] ""\nmsgstr[1] ""',
            'msgid_plural "{n} rows"\nmsgstr[0] "{n} Zeile"\nmsgstr[1] "{n} Zeilen"',
        ),
        (
            'msgid_plural "%(count)s clusters"\nmsgstr[0] ""\nmsgstr[1] ""',
            'msgid_plural "%(count)s clusters"\nmsgstr[0] "%(count)s Cluster"\n'
            'msgstr[1] "%(count)s Cluster"',
        ),
    ):
        assert english in text
        text = text.replace(english, german)
    path.write_text(text, "utf-8")
    return path


def test_make_translations_check_fails_until_every_catalog_is_done_and_up_to_date(project):
    status, lines = _run(project, "de", check=True)
    assert status == 1
    assert (
        "generator/translations/de/LC_MESSAGES/clusterdir.po is out of date: run `make translations`"
        in lines
    )
    assert not (project / "generator" / "translations").exists()  # --check writes nothing
    _run(project, "de")
    assert _run(project, check=True)[0] == 1  # untranslated
    _translate_german(project)
    status, lines = _run(project, check=True)
    assert (status, lines[1:]) == (0, ["de: 4 translated, 0 untranslated, 0 fuzzy"])


def test_make_translations_keeps_a_translation_whose_english_changed_as_fuzzy(project):
    _run(project, "de")
    path = _translate_german(project)
    sample = project / "generator" / "sample.py"
    sample.write_text(sample.read_text("utf-8").replace('"Hello"', '"Hello there"'), "utf-8")
    assert _run(project, check=True)[0] == 1
    _run(project)
    text = path.read_text("utf-8")
    assert '#, fuzzy\n#| msgid "Hello"\nmsgid "Hello there"\nmsgstr "Hallo"' in text
    assert "  fuzzy generator/sample.py:5: 'Hello there'" in _run(project)[1]
    before = _files(project)
    _run(project)
    assert _files(project) == before  # the previous msgid stays until the entry is checked


def test_a_template_that_does_not_parse_stops_the_extraction_at_its_line(project):
    pages = project / "site_templates" / "pages"
    (pages / "broken.md.j2").write_text("text\n{% if %}\n", "utf-8")
    with pytest.raises(
        translations.ExtractionError, match=r"^site_templates/pages/broken.md.j2:2: "
    ):
        _run(project)


def test_a_catalog_that_does_not_parse_stops_make_translations_at_its_line(project):
    _run(project, "de")
    path = translations.catalog_path("de", project / "generator" / "translations")
    path.write_text(path.read_text("utf-8") + '\nmsgid "Hello"\nmsgstring "Hallo"\n', "utf-8")
    with pytest.raises(
        translations.CatalogError,
        match=r"^generator/translations/de/LC_MESSAGES/clusterdir.po:\d+: ",
    ):
        _run(project)


def test_make_translations_refuses_english_which_needs_no_catalog(capsys):
    with pytest.raises(SystemExit):
        translations.main(["--init", "en"])
    assert "English is what the strings are written in" in capsys.readouterr().err


def test_make_translations_refuses_a_language_code_babel_does_not_know(capsys):
    with pytest.raises(SystemExit) as stopped:
        translations.main(["--init", "xx"])
    assert stopped.value.code == 2
    assert "'xx' is not a language code Babel knows" in capsys.readouterr().err


def _singular_plural_helpers() -> set[str]:
    """Each function of the generator that takes a message's singular and plural, as Babel's
    keyword spec: 'ngettext:1,2', '_counted:2,3'."""
    specs = set()
    for path in (ROOT / "generator").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            # words.py's `_english_…` helpers word the commands' messages, which stay English
            # and are never extracted.
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_english_"):
                continue
            names = [a.arg for a in node.args.args]
            for one, other in (("singular", "plural"), ("one", "other")):
                if one in names and other in names:
                    context = "1c," if names[0] == "context" else ""
                    specs.add(
                        f"{node.name}:{context}{names.index(one) + 1},{names.index(other) + 1}"
                    )
    return specs


def test_babel_cfg_names_every_function_that_takes_a_singular_and_a_plural():
    keywords = set(
        re.findall(r"(?m)^keywords = (.*)$", (ROOT / "babel.cfg").read_text())[0].split()
    )
    assert _singular_plural_helpers() - keywords == set()


def test_babel_cfg_parses_templates_as_the_renderer_does():
    # The block options change a {% trans %} block's msgid: extracted otherwise, a message
    # would never be found in the catalog, and the page would stay English.
    from generator.site.pages import template_environment

    env = template_environment(TEMPLATES / "pages")
    options = translations.read_config().options_map["site_templates/pages/**.j2"]

    def flag(key: str) -> bool:
        return options.get(key, "false").lower() in {"1", "on", "yes", "true"}

    assert flag("trim_blocks") == env.trim_blocks
    assert flag("lstrip_blocks") == env.lstrip_blocks
    assert flag("keep_trailing_newline") == env.keep_trailing_newline
    assert flag("trimmed") == bool(env.policies.get("ext.i18n.trimmed", False))


# Unmarked words in templates (tests/unmarked.py)


def _templates() -> list[Path]:
    return sorted((TEMPLATES / "pages").rglob("*.j2")) + sorted(
        (TEMPLATES / "overrides").rglob("*.html")
    )


@pytest.mark.parametrize("path", _templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_a_template_shows_no_word_that_is_not_marked_for_translation(path):
    found = unmarked(path.read_text("utf-8"), path.name)
    shown = str(path.relative_to(ROOT))
    assert not found, "\n".join(f"{shown}:{u}" for u in found)


@pytest.mark.parametrize("path", _templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_the_unmarked_check_keeps_the_templates_line_numbers(path):
    source = path.read_text("utf-8")
    text, _ = _literal_text(source, path.name)
    assert text.count("\n") == source.count("\n")


# fmt: off
UNMARKED = [
    (5, "text"),  # the front matter's title
    (11, "text"),  # a heading
    (13, "text"),  # a paragraph, its link's address left out
    (15, "text"),  # an admonition's title
    (17, "text"),  # a table's head
    (20, "title attribute"),
    (21, "aria-label attribute"),
    (22, "alt attribute"),
    (23, "placeholder attribute"),
    (24, "content attribute"),
    (25, "data-label attribute"),
    (26, "text"),  # one word in an element
    (27, "string"),  # a piece of a sentence: level ~ " label"
    (28, "string"),  # a sentence in an expression
    (29, "string"),  # a keyword argument of a gettext call
    (30, "string"),  # a string set to a variable
    (31, "text"),  # a word beside an allowed one (GOLD)
]
# fmt: on


def test_the_unmarked_check_finds_every_kind_of_unmarked_word():
    source = (FIXTURES / "templates" / "unmarked_words.md.j2").read_text("utf-8")
    assert [(u.line, u.where) for u in unmarked(source)] == UNMARKED


def test_the_unmarked_check_finds_nothing_in_the_same_page_marked():
    source = (FIXTURES / "templates" / "marked_words.md.j2").read_text("utf-8")
    assert unmarked(source) == []
