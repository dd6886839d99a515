"""No English in the site's scripts: every word a script shows comes from the page, in the page's
language (generator/core/words.py's list_words and map_script_words, the header's search
button), and a counted message reaches a script as a form for each plural category of that
language, which the script picks with Intl.PluralRules.

The scripts are read with a small tokenizer (comments and regular expressions skipped, the
expressions inside a template literal read as code) and each string literal is checked: prose
(two words in a row), a capitalised word that is not a key's or a GeoJSON type's name, or any
text set where a visitor reads it (textContent, a title, an aria-label, a placeholder, a
tooltip) is English left in the script. An error's message (`new Error(…)`) is for the
console and the map's data-failed attribute, never shown, and may stay English."""

from __future__ import annotations

import html
import io
import itertools
import json
import re
from dataclasses import dataclass
from pathlib import Path

import babel
import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import Translations

from generator.core import i18n, words
from generator.core.output import json_for_script
from tests.conftest import ROOT

ASSETS = ROOT / "site_templates" / "assets"
GOLDEN = ROOT / "tests" / "golden" / "site"

# Capitalised words a script compares or builds, never shows: keys (KeyboardEvent.key) and
# GeoJSON's types.
NAMES = {"Enter", "Backspace", "Escape", "Tab", "Polygon", "Feature"}
# Where a text is shown or read out as it is set.
SHOWN_PROPERTIES = {"textContent", "innerText", "title", "placeholder", "alt", "label"}
SHOWN_ATTRIBUTES = {"aria-label", "aria-description", "title", "placeholder", "alt", "label"}
SHOWING_CALLS = {"bindTooltip", "bindPopup", "setContent", "addAttribution", "createTextNode"}
# What comes before a regular expression rather than a division.
_BEFORE_REGEX = {"return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw",
                 "case", "do", "else", "yield", "await"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Literal:
    """A string or template literal of a script: its text (a template's expressions as {…}),
    its line, the tokens just before it (nearest last) and the function it is an argument of."""

    text: str
    line: int
    before: tuple[str, ...]
    callee: str | None


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "name", "number", "punct", "string"
    value: str


class _Reader:
    """A JavaScript tokenizer good enough for the site's scripts: it finds the string and
    template literals, and skips comments and regular expressions."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.at = 0
        self.tokens: list[_Token] = []
        self.calls: list[str | None] = []  # for each open '(': the name before it
        self.literals: list[Literal] = []

    def read(self, until: str | None = None) -> None:
        """Read tokens up to the end, or up to the '}' that closes a template's expression."""
        depth = 0
        src = self.source
        while self.at < len(src):
            char = src[self.at]
            if char.isspace():
                self.at += 1
            elif src.startswith("//", self.at):
                end = src.find("\n", self.at)
                self.at = len(src) if end < 0 else end
            elif src.startswith("/*", self.at):
                self.at = src.index("*/", self.at) + 2
            elif char in "'\"":
                start = self.at
                self._literal(self._string(char), start)
            elif char == "`":
                start = self.at
                self._literal(self._template(), start)
            elif char == "/" and self._regex_allowed():
                self._regex()
            elif char.isalnum() or char in "_$":
                match = re.compile(r"[\w$.]+" if char.isdigit() else r"[\w$]+").match(src, self.at)
                assert match is not None
                self.at = match.end()
                self.tokens.append(_Token("number" if char.isdigit() else "name", match[0]))
            else:
                self.at += 1
                if until and char == "{":
                    depth += 1
                elif until and char == "}":
                    if depth == 0:
                        return
                    depth -= 1
                if char == "(":
                    last = self.tokens[-1] if self.tokens else None
                    self.calls.append(last.value if last and last.kind == "name" else None)
                elif char == ")" and self.calls:
                    self.calls.pop()
                self.tokens.append(_Token("punct", char))

    def _regex_allowed(self) -> bool:
        if not self.tokens:
            return True
        last = self.tokens[-1]
        if last.kind == "name":
            return last.value in _BEFORE_REGEX
        return last.kind == "punct" and last.value not in ")]}"

    def _string(self, quote: str) -> str:
        src, i, text = self.source, self.at + 1, []
        while src[i] != quote:
            if src[i] == "\\":
                text.append(self._escape(src, i))
                i += 6 if src[i + 1] == "u" else 2
            else:
                text.append(src[i])
                i += 1
        self.at = i + 1
        return "".join(text)

    @staticmethod
    def _escape(src: str, i: int) -> str:
        code = src[i + 1]
        if code == "u":
            return chr(int(src[i + 2 : i + 6], 16))
        return {"n": "\n", "t": "\t", "r": "\r"}.get(code, code)

    def _template(self) -> str:
        src, text = self.source, []
        self.at += 1
        while src[self.at] != "`":
            if src[self.at] == "\\":
                text.append(self._escape(src, self.at))
                self.at += 2
            elif src.startswith("${", self.at):
                self.at += 2
                outer = self.tokens
                self.tokens = []
                self.read(until="}")
                self.tokens = outer
                text.append("{…}")
            else:
                text.append(src[self.at])
                self.at += 1
        self.at += 1
        return "".join(text)

    def _regex(self) -> None:
        src, i, in_class = self.source, self.at + 1, False
        while in_class or src[i] != "/":
            if src[i] == "\\":
                i += 1
            elif src[i] == "[":
                in_class = True
            elif src[i] == "]":
                in_class = False
            i += 1
        match = re.compile(r"[a-z]*").match(src, i + 1)
        assert match is not None
        self.at = match.end()
        self.tokens.append(_Token("punct", "regex"))

    def _literal(self, text: str, start: int) -> None:
        before = tuple(t.value for t in self.tokens[-4:])
        callee = self.calls[-1] if self.calls else None
        line = self.source.count("\n", 0, start) + 1
        self.literals.append(Literal(text, line, before, callee))
        self.tokens.append(_Token("string", text))


def literals(source: str) -> list[Literal]:
    """The string and template literals of a script, in order."""
    reader = _Reader(source)
    reader.read()
    return reader.literals


_MARKUP = re.compile(r"<[^>]*>|\{\{.*?\}\}|\{[\w…]+\}|&#?\w+;")
_PLAIN_WORD = re.compile(r"[(“\"']?[A-Za-z][a-z'’]+[.,;:!?)”\"']*")


def _prose(text: str) -> bool:
    """Two plain words in a row once markup, template tags and placeholders are set aside."""
    plain = [bool(_PLAIN_WORD.fullmatch(part)) for part in _MARKUP.sub(" ", text).split()]
    return any(a and b for a, b in itertools.pairwise(plain))


def _shown_where_set(literal: Literal) -> bool:
    """Whether the literal is put where a visitor reads it, as it is."""
    before = literal.before
    if len(before) >= 2 and before[-1] == "=" and before[-2] in SHOWN_PROPERTIES:
        return True  # `box.textContent = "…"`
    if len(before) >= 2 and before[-1] == ":" and before[-2] in SHOWN_PROPERTIES | SHOWN_ATTRIBUTES:
        return True  # an attribute or option given in an object
    if literal.callee == "setAttribute" and before[-4:-2] == ("setAttribute", "("):
        return before[-1] == "," and before[-2] in SHOWN_ATTRIBUTES
    return before[-2:] in {(call, "(") for call in SHOWING_CALLS}  # the text, its first argument


def english(literal: Literal) -> bool:
    """Whether a literal holds words a visitor would read in English."""
    if literal.callee == "Error" or literal.text == "use strict":
        return False  # a message for the console and data-failed, never shown; a directive
    text = literal.text.strip()
    if _prose(literal.text):
        return True
    if re.fullmatch(r"[A-Z][a-z]{2,}", text) and text not in NAMES:
        return True
    return bool(re.search(r"[A-Za-z]", _MARKUP.sub("", text))) and _shown_where_set(literal)


def english_left(source: str) -> list[str]:
    """Each literal of a script that is English shown to people, as 'line: text'."""
    return [f"{lit.line}: {lit.text!r}" for lit in literals(source) if english(lit)]


# The checker itself


@pytest.mark.parametrize(
    "source",
    [
        'box.textContent = "Legend";',
        'box.textContent = "none";',
        'var text = "a group of clusters: choose it to zoom in";',
        'element("pagefind-input", { placeholder: "Search clusters" });',
        'nav.setAttribute("aria-label", "Pages of the list");',
        'if (text === "Previous") link.rel = "prev";',
        "var shown = `Showing ${n} clusters`;",
        'var half = width / 2; var hint = "Zoom in";',
        'marker.bindTooltip("Spain");',
        "var notice = 'Part of the map could not be loaded.';",
    ],
)
def test_the_checker_finds_english_shown_to_people(source):
    assert english_left(source), source


@pytest.mark.parametrize(
    "source",
    [
        "// Showing all clusters\nvar a = 1;",
        "/* The legend of the map, with its shades */ var a = 1;",
        'text = text.replace(/Showing all (\\d+) clusters/g, "");',
        'var found = document.querySelector("pagefind-input input");',
        'L.DomUtil.create("div", "cd-legend-swatch cd-shade-none", box);',
        'reject(new Error(url + " did not load"));',
        'if (event.key === "Enter") follow();',
        "var html = '<span aria-hidden=\"true\">' + n + '</span>';",
        "var body = '{{#if meta.status}}<p class=\"cd-result-status\">{{ meta.status }}</p>{{/if}}';",
        'var ok = total / 2 > 1 ? "markers" : "groups";',
        'nav.setAttribute("aria-label", words.pages);',
        "var key = `${zoom}-${x}-${y}`;",
        'var media = window.matchMedia("(prefers-color-scheme: dark)");',
    ],
)
def test_the_checker_leaves_code_alone(source):
    assert english_left(source) == [], source


# The scripts


@pytest.mark.parametrize("script", sorted(ASSETS.glob("**/*.js")), ids=lambda p: p.name)
def test_no_script_holds_english_shown_to_people(script: Path):
    found = english_left(script.read_text(encoding="utf-8"))
    assert found == [], f"{script.relative_to(ROOT)}: words to take from the page: {found}"


def test_the_scripts_the_generated_pages_carry_hold_no_english():
    """The scripts the generator writes into pages (folium's and the call of map.js in the
    map's pages, the cluster pages' timeline), not only the files under site_templates/assets/."""
    pages = ("map/frame.html", "map.md", "clusters/cd-cluster-shell.md")
    for page in (GOLDEN / name for name in pages):
        document = page.read_text(encoding="utf-8")
        scripts = re.findall(r"<script>(.*?)</script>", document, flags=re.DOTALL)
        assert scripts, page
        for script in scripts:
            assert english_left(script) == [], page


# Plural forms, as a script gets them


def _catalog(code: str, messages: dict[object, object]) -> i18n.Language:
    """A language whose catalog holds these messages (msgid, or (singular, plural), to their
    translation), built in memory: the test needs no shipped catalog."""
    catalog = Catalog(locale=code, domain=i18n.DOMAIN)
    for message, translation in messages.items():
        catalog.add(message, translation)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return i18n.Language(code, babel.Locale.parse(code), Translations(compiled, i18n.DOMAIN))


POLISH_CLUSTERS = ("{n} klaster", "{n} klastry", "{n} klastrów")
POLISH = _catalog(
    "pl",
    {
        ("{n} cluster", "{n} clusters"): POLISH_CLUSTERS,
        ("{n} cluster in {place}", "{n} clusters in {place}"): (
            "{n} klaster w: {place}",
            "{n} klastry w: {place}",
            "{n} klastrów w: {place}",
        ),
        "Previous": "Poprzednia",
        "Legend": "Legenda",
    },
)


def test_plural_forms_gives_polish_its_three_forms_by_category():
    with i18n.speaking(POLISH):
        forms = i18n.plural_forms("{n} cluster", "{n} clusters")
    assert {key: forms[key] for key in ("one", "few", "many")} == dict(
        zip(("one", "few", "many"), POLISH_CLUSTERS, strict=True)
    )
    # As a script picks a form: the category of the number (Intl.PluralRules gives the
    # CLDR's, as Babel does here), else "other".
    picked = {
        n: forms.get(POLISH.locale.plural_form(n), forms["other"]).format(n=n)
        for n in (1, 2, 5, 22)
    }
    assert picked == {1: "1 klaster", 2: "2 klastry", 5: "5 klastrów", 22: "22 klastry"}


def test_plural_forms_gives_english_one_and_other():
    assert i18n.plural_forms("{n} cluster", "{n} clusters") == {
        "one": "{n} cluster",
        "other": "{n} clusters",
    }


def test_the_scripts_words_are_given_in_the_current_language():
    with i18n.speaking(POLISH):
        map_words = words.map_script_words()
        list_words = words.list_words()
    assert map_words["groupIn"]["few"] == "{n} klastry w: {place}"
    assert map_words["legend"] == "Legenda"
    assert list_words["previous"] == "Poprzednia"
    assert set(list_words["shown"]["all"]) >= {"one", "few", "many", "other"}
    # Untranslated words stay English, never empty.
    assert map_words["hint"] == "Zoom in to see each cluster"
    assert words.map_script_words()["legend"] == "Legend"  # English outside `speaking`


# In the browser: the scripts pick forms and write numbers in the page's language


def _category(n: int) -> str:
    return str(POLISH.locale.plural_form(n))


def _marked(forms: dict[str, str], prefix: str = "") -> dict[str, str]:
    """Forms that say which category was picked: 'FEW {n}'."""
    return {key: f"{key.upper()} {prefix}{{n}}" for key in (*forms, "one", "few", "many")}


def test_the_list_picks_its_count_line_by_the_pages_plural_rules(visitor):
    """A list page in Polish (its lang and words rewritten on the way) words each filtered
    count with the form of its number's category."""
    page = visitor.page

    def polish(route):
        response = route.fetch()
        document = response.text().replace('<html lang="en"', '<html lang="pl"', 1)
        match = re.search(r"data-words='([^']*)'", document)
        assert match is not None
        given = json.loads(html.unescape(match[1]))
        given["shown"] = {key: _marked(forms) for key, forms in given["shown"].items()}
        text = json.dumps(given).replace("'", "\\u0027")
        document = document[: match.start(1)] + text + document[match.end(1) :]
        route.fulfill(response=response, body=document)

    page.route(visitor.base + "clusters/", polish)
    page.goto(visitor.base + "clusters/")
    page.locator(".cd-list.cd-list--ready").wait_for()
    options = page.locator("select[name=country] option:not([value=''])")
    seen = set()
    for code in options.evaluate_all("options => options.map(o => o.value)"):
        page.locator("select[name=country]").select_option(code)
        page.wait_for_function(
            "code => new URL(location.href).searchParams.get('country') === code", arg=code
        )
        n = int(page.locator(".cd-list").get_attribute("data-shown"))
        assert page.locator(".cd-shown").inner_text() == f"{_category(n).upper()} {n}", code
        seen.add(_category(n))
    assert seen >= {"one", "few", "many"}  # the sample's countries hold 1, 2 to 4, and 5 or more


def test_the_map_names_a_country_by_the_pages_plural_rules(visitor):
    """The map's frame in Polish (its lang and words rewritten on the way) names each country
    with the form of its count's category."""
    page = visitor.page

    def polish(route):
        response = route.fetch()
        document = response.text().replace('<html lang="en"', '<html lang="pl"', 1)
        pattern = r'(<script type="application/json" id="cd-map-data">)(.*?)(</script>)'
        match = re.search(pattern, document, flags=re.DOTALL)
        assert match is not None
        data = json.loads(match[2])
        data["words"]["country"] = _marked(data["words"]["country"], "{name} ")
        document = document[: match.start(2)] + json_for_script(data) + document[match.end(2) :]
        route.fulfill(response=response, body=document)

    page.route(visitor.base + "map/frame.html", polish)
    page.goto(visitor.base + "map/frame.html")
    page.locator(".folium-map[data-ready=true]").wait_for()
    labels = page.locator("path.cd-country--labelled").evaluate_all(
        "paths => paths.map(p => p.getAttribute('aria-label'))"
    )
    assert labels
    seen = set()
    for label in labels:
        category, _, rest = label.partition(" ")
        n = int(rest.rsplit(" ", 1)[1])
        assert category == _category(n).upper(), label
        seen.add(category)
    assert len(seen) > 1
