"""`make translations`: extract the marked strings into the catalogs' template, update every
language's catalog from it, and list what is left to translate.

    python -m scripts.translations [--init CODE]... [--check]

The strings are found as `babel.cfg` says (Python under generator/, the page templates) and
written to `generator/translations/clusterdir.pot`; each catalog present,
`generator/translations/<code>/LC_MESSAGES/clusterdir.po`, is updated from it (a new string is
added untranslated, a changed one keeps its old translation marked fuzzy, a string gone from
the sources is dropped), and `--init CODE` starts the catalog of a new language. A run with
nothing changed in the sources writes the same bytes: the template keeps its `#: file:line`
places, for translators, but no creation date or Babel version that would change every run.

Then, for each language: how many entries are translated, untranslated and fuzzy, every
untranslated and fuzzy entry on a line with its place in the sources, and every problem
`check_catalog` finds (a placeholder missing or added, a plural form missing, a Plural-Forms
header that does not follow the language's plural rules). `--check` writes nothing and exits
1 when a catalog is out of date or has any of these (CI); tests/test_translations.py runs the
same checks on every shipped catalog.
"""

from __future__ import annotations

import argparse
import configparser
import gettext
import io
import re
import string
import sys
import tokenize
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import babel
import jinja2
import yaml
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_keywords
from babel.messages.plurals import get_plural
from babel.messages.pofile import PoFileError, read_po, unescape, write_po

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "babel.cfg"
DOMAIN = "clusterdir"  # generator/core/i18n.py:DOMAIN
TRANSLATIONS = ROOT / "generator" / "translations"
TEMPLATE = TRANSLATIONS / f"{DOMAIN}.pot"
PROJECT = "clusterdir"
SOURCE_LANGUAGE = "en"  # generator/core/i18n.py:SOURCE_LANGUAGE
WIDTH = 76  # Babel's and gettext's usual width
# The header lines that would change on every run (the time, Babel's version), left out.
_UNSTABLE_HEADER = re.compile(rb'^"(?:POT-Creation-Date|Generated-By): [^"]*"\n', re.MULTILINE)
# (Babel wraps comment lines at WIDTH: these are shorter.)
_TEMPLATE_HEADER = """\
# Translations template for clusterdir, the ECEI cluster directory.
# Written by `make translations` (scripts/translations.py) from the
# sources: do not edit. Translate in the catalogs beside it,
# <code>/LC_MESSAGES/clusterdir.po.
#"""
_CATALOG_HEADER = """\
# {name} translations of clusterdir, the ECEI cluster directory.
# `make translations` updates this file from the sources. Translate each
# msgstr as a whole sentence, keep every placeholder, and remove the
# fuzzy flag once you have checked a translation. See CONTRIBUTING.md,
# "Translations".
#"""
# The names a counted message gives its count: Python's `{n}` (i18n.ngettext's convention)
# and the `%(num)d` of Jinja's ngettext (or `%(count)s` in a `{% trans count=… %}` block).
COUNT_NAMES = frozenset({"n", "num", "count"})
# Whole numbers that stand for all of them when a catalog's plural formula is compared with the
# CLDR rules: every small number, and the millions that French, Italian and Spanish set apart.
_SAMPLE_NUMBERS = (*range(0, 2001), 10**6, 2 * 10**6, 10**7, 10**6 + 1, 10**9)


# Extraction


@dataclass(frozen=True, slots=True)
class Extraction:
    """What babel.cfg says: which extractor reads which files, with which options, keywords
    and comment tags."""

    method_map: list[tuple[str, str]]
    options_map: dict[str, dict[str, Any]]
    keywords: dict[str, Any]
    comment_tags: tuple[str, ...]


def read_config(path: Path = CONFIG) -> Extraction:
    """babel.cfg as Babel reads it. Each section's keywords and comment tags are gathered into
    one set for the whole extraction, so that any Babel from 2.14 on extracts the same (only
    2.18 and later read them per section)."""
    parser = configparser.RawConfigParser()
    parser.read_string(path.read_text("utf-8"), str(path))
    method_map: list[tuple[str, str]] = []
    options_map: dict[str, dict[str, Any]] = {}
    keywords: dict[str, Any] = {}
    tags: list[str] = []
    for section in parser.sections():
        method, pattern = (part.strip() for part in section.split(":", 1))
        options = dict(parser.items(section))
        keywords.update(parse_keywords(options.pop("keywords", "").split()))
        tags.extend(t for t in options.pop("add_comments", "").split() if t not in tags)
        method_map.append((pattern, method))
        options_map[pattern] = options
    return Extraction(method_map, options_map, keywords, tuple(tags))


def extract(root: Path = ROOT, config: Path = CONFIG) -> Catalog:
    """Every marked string of the sources, with its places and its comments for translators."""
    how = read_config(config)
    # Walk only the folders the patterns start with (not tools/*/node_modules or site/).
    tops = {pattern.split("/", 1)[0] for pattern, _ in how.method_map}

    def wanted(dirpath: str) -> bool:
        parts = Path(dirpath).relative_to(root).parts
        return not parts or (parts[0] in tops and not any(p.startswith((".", "_")) for p in parts))

    reading = [""]  # the file being read, to name it when it does not parse

    def note(filename: str, method: str, options: dict[str, Any]) -> None:
        reading[0] = Path(filename).as_posix()

    catalog = Catalog(project=PROJECT, version=_version(root), header_comment=_TEMPLATE_HEADER)
    found = extract_from_dir(
        str(root),
        how.method_map,
        how.options_map,
        keywords=how.keywords,
        comment_tags=how.comment_tags,
        callback=note,
        strip_comment_tags=True,  # as Jinja does: "#. the count of …", the tag left out
        directory_filter=wanted,
    )
    try:
        for filename, lineno, message, comments, context in found:
            where = Path(filename).as_posix()
            catalog.add(message, None, [(where, lineno)], auto_comments=comments, context=context)
    except (jinja2.TemplateSyntaxError, SyntaxError, tokenize.TokenError) as exc:
        line = getattr(exc, "lineno", None) or ""
        message = getattr(exc, "message", None) or getattr(exc, "msg", None) or str(exc)
        raise ExtractionError(f"{reading[0]}:{line}: {message}") from None
    return catalog


class ExtractionError(Exception):
    """A source file that does not parse, so its strings cannot be extracted."""


def _version(root: Path) -> str:
    project = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))["project"]
    return str(project["version"])


def po_bytes(catalog: Catalog) -> bytes:
    """A catalog or template as its file holds it: obsolete entries dropped, the previous
    msgid of a fuzzy entry kept (so a translator sees what changed), no unstable header."""
    out = io.BytesIO()
    write_po(out, catalog, width=WIDTH, ignore_obsolete=True, include_previous=True)
    return _UNSTABLE_HEADER.sub(b"", out.getvalue())


def read_catalog(data: bytes, path: str, locale: str | None = None) -> Catalog:
    """A catalog's bytes read, or PoFileError naming the file and line of what does not parse.
    A fuzzy entry's previous msgid (`#| msgid`) comes back as its previous_id (Babel reads it
    as a translator's comment, and would write it back as one)."""
    try:
        catalog = read_po(io.BytesIO(data), locale=locale, domain=DOMAIN, abort_invalid=True)
    except PoFileError as exc:
        reason = str(exc).rsplit(" on ", 1)[0]
        raise CatalogError(f"{path}:{exc.lineno + 1}: {reason}") from None
    for message in catalog:
        previous = [c[1:].strip() for c in message.user_comments if c.startswith("|")]
        if previous:
            message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
            message.previous_id = _previous_id(previous)
    return catalog


class CatalogError(Exception):
    """A catalog that does not parse as a PO file, with its path and line."""


def _previous_id(lines: list[str]) -> list[str]:
    """`msgid "a"`, `"b"`, `msgid_plural "c"` as ['ab', 'c']."""
    parts: list[str] = []
    for line in lines:
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgid", "msgid_plural"):
            parts.append(unescape(rest.strip()))
        elif parts and line.startswith('"'):
            parts[-1] += unescape(line)
    return parts


def updated(catalog_data: bytes, template_data: bytes, code: str, path: str) -> bytes:
    """A language's catalog updated from the template: new strings untranslated, changed ones
    fuzzy with their old translation and old msgid, strings gone from the sources dropped."""
    catalog = read_catalog(catalog_data, path, code)
    # Babel's update forgets the previous msgid of an entry that was fuzzy already.
    previous = {(m.id, m.context): m.previous_id for m in catalog if m.fuzzy and m.previous_id}
    catalog.update(read_catalog(template_data, str(TEMPLATE), None), no_fuzzy_matching=False)
    for message in catalog:
        if message.fuzzy and not any(_strings(message)):
            # An untranslated entry whose English changed is still untranslated, not a guess.
            message.flags.discard("fuzzy")
            message.previous_id = []
        elif message.fuzzy and not message.previous_id:
            message.previous_id = previous.get((message.id, message.context), [])
    return po_bytes(catalog)


def initial(template_data: bytes, code: str) -> bytes:
    """A new language's catalog: every string untranslated, the language's plural forms."""
    catalog = read_catalog(template_data, str(TEMPLATE), code)
    catalog.fuzzy = False
    catalog.header_comment = _CATALOG_HEADER.format(name=babel.Locale.parse(code).english_name)
    return po_bytes(catalog)


def _strings(message: Message) -> list[str]:
    """A message's translation as a list: its one msgstr, or each plural form."""
    if isinstance(message.string, str):
        return [message.string]
    return list(message.string or ())


def catalog_path(code: str, translations: Path = TRANSLATIONS) -> Path:
    """Where the catalog of a language lives (generator/core/i18n.py:catalog_path)."""
    return translations / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages(translations: Path = TRANSLATIONS) -> list[str]:
    """The codes of the languages that have a catalog, sorted."""
    return sorted(p.parent.parent.name for p in translations.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


# Checks


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing to fix in a catalog: its kind, the entry's line in the catalog and msgid, what
    is wrong, and where the string is in the sources ('' for the header)."""

    kind: str  # one of KINDS
    line: int
    msgid: str
    detail: str
    source: str = ""

    def text(self, path: str) -> str:
        """The problem on one line, as `path:line: kind: detail: "msgid"`."""
        what = f"{self.kind}: {self.detail}" if self.detail else self.kind
        shown = self.msgid if len(self.msgid) <= 60 else self.msgid[:59] + "…"
        return f"{path}:{self.line}: {what}" + (f": {shown!r}" if shown else "")


KINDS = (
    "untranslated",
    "fuzzy",
    "plural form missing",
    "placeholder missing",
    "placeholder extra",
    "broken placeholder",
    "plural forms header",
)


def check_catalog(catalog: Catalog) -> list[Problem]:
    """Everything wrong with a catalog: each untranslated or fuzzy entry, each translation
    missing a placeholder of its English or holding one it does not have, each plural message
    short of a form, and a Plural-Forms header that does not follow the language's plural
    rules. A fuzzy entry is not used, so only its fuzziness is reported."""
    problems = _header_problems(catalog)
    if problems:  # without the right formula, no plural form can be checked
        return problems
    forms = _forms_of(catalog)
    for message in catalog:
        if not message.id:  # the header
            continue
        problems.extend(_message_problems(message, forms))
    return problems


def _message_problems(message: Message, forms: Sequence[frozenset[int]]) -> list[Problem]:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    where = ":".join(str(part) for part in message.locations[0]) if message.locations else ""

    def problem(kind: str, detail: str = "") -> Problem:
        return Problem(kind, message.lineno or 0, msgid, detail, where)

    english = [message.id] if isinstance(message.id, str) else list(message.id)
    plural = len(english) > 1
    strings = _strings(message)
    if message.fuzzy:
        return [problem("fuzzy")]
    if not any(strings):
        return [problem("untranslated")]
    problems: list[Problem] = []
    if plural:
        empty = [i for i in range(len(forms)) if i >= len(strings) or not strings[i]]
        if empty:
            listed = ", ".join(f"msgstr[{i}]" for i in empty)
            problems.append(problem("plural form missing", f"{listed} of {len(forms)} forms"))
    brace = all(_brace_fields(text) is not None for text in english)
    wanted: Counter[str] = Counter()
    for text in english:
        wanted |= placeholders(text, brace)
    for index, text in enumerate(strings):
        if not text:
            continue
        name = f"msgstr[{index}]" if plural else "msgstr"
        if brace and _brace_fields(text) is None:
            problems.append(
                problem("broken placeholder", f"{name} has a lone brace (write {{{{ or }}}})")
            )
            continue
        found = placeholders(text, brace)
        needed = wanted
        if plural and index < len(forms) and forms[index] == frozenset({1}):
            # The form for the number 1 alone may say 'one' in words ('Ein Cluster').
            needed = Counter({k: v for k, v in wanted.items() if _name(k) not in COUNT_NAMES})
        missing = needed - found
        extra = Counter({k: v for k, v in found.items() if k not in wanted})
        if missing:
            problems.append(problem("placeholder missing", f"{name} lacks {_listed(missing)}"))
        if extra:
            problems.append(
                problem("placeholder extra", f"{name} has {_listed(extra)}, not in the English")
            )
    return problems


_NAMED_PERCENT = re.compile(r"%\((\w*)\)[#0 +-]*\d*(?:\.\d+)?([diouxXeEfFgGcrsa])")
_BARE_PERCENT = re.compile(r"%(?:\.\d+)?([sdif])")


def placeholders(text: str, brace: bool = True) -> Counter[str]:
    """The placeholders of a message: `{name}` str.format fields (when `brace`), `%(name)s`
    and `%(name)d`, and bare `%s`/`%d`; `%%` and `{{` are text, not placeholders."""
    found: Counter[str] = Counter()
    rest = text.replace("%%", "")
    for match in _NAMED_PERCENT.finditer(rest):
        found[f"%({match.group(1)}){match.group(2)}"] += 1
    for match in _BARE_PERCENT.finditer(_NAMED_PERCENT.sub("", rest)):
        found[f"%{match.group(1)}"] += 1
    if brace:
        for field in _brace_fields(text) or ():
            found["{" + field + "}"] += 1
    return found


def _brace_fields(text: str) -> list[str] | None:
    """The str.format field names of a text ('' for `{}`), None when it is not a valid pattern."""
    try:
        return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError:
        return None


def _name(placeholder: str) -> str:
    """'n' for '{n}', '{n.x}' and '%(n)d'."""
    match = re.match(r"\{([^.\[!:}]*)|%\((\w*)\)", placeholder)
    return (match.group(1) or match.group(2) or "") if match else ""


def _listed(placeholders: Counter[str]) -> str:
    return ", ".join(sorted(placeholders))


def _formula(catalog: Catalog) -> Callable[[int], int] | None:
    try:
        return gettext.c2py(catalog.plural_expr)
    except (ValueError, SyntaxError, RecursionError):
        return None


def _forms_of(catalog: Catalog) -> list[frozenset[int]]:
    """For each plural form of the catalog, the sample numbers that take it."""
    formula = _formula(catalog)
    numbers: list[set[int]] = [set() for _ in range(catalog.num_plurals)]
    for n in _SAMPLE_NUMBERS:
        index = formula(n) if formula else 0
        if 0 <= index < len(numbers):
            numbers[index].add(n)
    return [frozenset(found) for found in numbers]


def _header_problems(catalog: Catalog) -> list[Problem]:
    """The Plural-Forms header against the CLDR's plural rules of the catalog's language: one
    gettext form per plural category that whole numbers fall in, each number taking the form of
    its category (a script picks the form by category: generator/core/i18n.py:plural_forms)."""
    if catalog.locale is None:
        return [Problem("plural forms header", 1, "", "the catalog names no Language")]
    locale = catalog.locale
    expected = get_plural(locale)
    advice = (
        f"the CLDR's rules give 'nplurals={expected.num_plurals}; plural={expected.plural_expr};'"
    )
    formula = _formula(catalog)
    if formula is None:
        return [Problem("plural forms header", 1, "", f"its formula does not parse: {advice}")]
    form_of: dict[str, set[int]] = {}
    bad = False
    for n in _SAMPLE_NUMBERS:
        index = formula(n)
        bad |= not 0 <= index < catalog.num_plurals
        form_of.setdefault(locale.plural_form(n), set()).add(index)
    one_each = all(len(indices) == 1 for indices in form_of.values())
    distinct = len({min(indices) for indices in form_of.values()}) == len(form_of)
    if bad or not one_each or not distinct or catalog.num_plurals != len(form_of):
        categories = ", ".join(sorted(form_of))
        return [
            Problem(
                "plural forms header",
                1,
                "",
                f"'{catalog.plural_forms}' does not give each plural category of "
                f"{locale.english_name} whole numbers ({categories}) a form of its own: {advice}",
            )
        ]
    return []


@dataclass(frozen=True, slots=True)
class Counts:
    """How much of a catalog is done."""

    translated: int
    untranslated: int
    fuzzy: int


def counts(catalog: Catalog) -> Counts:
    """The entries translated, untranslated and fuzzy (a plural entry with a form missing is
    untranslated)."""
    translated = untranslated = fuzzy = 0
    for message in catalog:
        if not message.id:
            continue
        strings = _strings(message)
        if message.fuzzy:
            fuzzy += 1
        elif all(strings) and len(strings) == (
            1 if isinstance(message.id, str) else catalog.num_plurals
        ):
            translated += 1
        else:
            untranslated += 1
    return Counts(translated, untranslated, fuzzy)


# The command


def run(
    init: Iterable[str] = (),
    check: bool = False,
    root: Path = ROOT,
    out: Callable[[str], None] = print,
) -> int:
    """Extract, update (or with `check`, compare) every catalog, report; the exit status."""
    translations = root / "generator" / "translations"
    template_path = translations / TEMPLATE.name
    template_data = po_bytes(extract(root, root / CONFIG.name))
    stale: list[str] = []
    _put(template_path, template_data, check, stale, root)
    codes = sorted(set(languages(translations)) | set(init))
    failed = False
    out(f"{template_path.relative_to(root)}: {_entries(template_data)} strings")
    for code in codes:
        path = catalog_path(code, translations)
        shown = str(path.relative_to(root))
        if path.exists():
            data = updated(path.read_bytes(), template_data, code, shown)
        else:
            data = initial(template_data, code)
        _put(path, data, check, stale, root)
        catalog = read_catalog(data, shown, code)
        done = counts(catalog)
        problems = check_catalog(catalog)
        out(
            f"{code}: {done.translated} translated, {done.untranslated} untranslated,"
            f" {done.fuzzy} fuzzy"
        )
        for problem in problems:
            if problem.kind in ("untranslated", "fuzzy") and problem.source:
                out(f"  {problem.kind} {problem.source}: {problem.msgid!r}")
            else:
                out("  " + problem.text(shown))
        failed |= bool(problems)
    for name in stale:
        out(f"{name} is out of date: run `make translations`")
    return 1 if check and (failed or stale) else 0


def _put(path: Path, data: bytes, check: bool, stale: list[str], root: Path) -> None:
    """Write a file whose bytes changed; with `check`, note it as out of date instead."""
    if path.exists() and path.read_bytes() == data:
        return
    if check:
        stale.append(str(path.relative_to(root)))
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _entries(data: bytes) -> int:
    return sum(1 for message in read_catalog(data, "template") if message.id)


def _language_code(text: str) -> str:
    """A language code that Babel knows ('de', 'pt_BR'), as argparse's type."""
    try:
        babel.Locale.parse(text)
    except (ValueError, babel.UnknownLocaleError) as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a language code Babel knows") from exc
    if not re.fullmatch(r"[a-z]{2,3}(_[A-Z]{2})?", text):
        raise argparse.ArgumentTypeError(f"{text!r}: write a code as 'de' or 'pt_BR'")
    if text == SOURCE_LANGUAGE:
        raise argparse.ArgumentTypeError("English is what the strings are written in: no catalog")
    return text


def main(argv: Sequence[str] | None = None) -> int:
    """The command line of `make translations`."""
    parser = argparse.ArgumentParser(
        prog="make translations",
        description="Extract the marked strings, update every language's catalog, and list "
        "what is untranslated or fuzzy.",
    )
    parser.add_argument(
        "--init",
        action="append",
        default=[],
        type=_language_code,
        metavar="CODE",
        help="start the catalog of a new language (repeat for several)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if a catalog is out of date, untranslated, fuzzy or wrong",
    )
    args = parser.parse_args(argv)
    try:
        return run(args.init, args.check)
    except (CatalogError, ExtractionError) as exc:
        print(f"make translations: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())


def extract_rules_notes(
    fileobj: Any, keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel extractor for generator/data/rules.yaml: each awarding body's `note`, a sentence
    the about page shows in the page's language (the bodies' names and the labels' titles are
    names, and stay as written)."""
    root = yaml.compose(fileobj.read().decode("utf-8"))
    if not isinstance(root, yaml.MappingNode):
        return
    for key, value in root.value:
        if key.value != "awarding_bodies" or not isinstance(value, yaml.SequenceNode):
            continue
        for body in value.value:
            fields = (
                {k.value: v for k, v in body.value} if isinstance(body, yaml.MappingNode) else {}
            )
            note = fields.get("note")
            if isinstance(note, yaml.ScalarNode) and note.value:
                acronym = fields.get("acronym")
                who = acronym.value if isinstance(acronym, yaml.ScalarNode) else "the body"
                comment = (
                    f"the about page's note on {who}, one of the bodies that award the labels."
                )
                yield note.start_mark.line + 1, None, note.value, [comment]


def extract_sectors(
    fileobj: Any, keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel extractor for generator/data/sectors.yaml: each sector's name, which pages show in
    their language (records and filters name a sector by its English words, which stay)."""
    root = yaml.compose(fileobj.read().decode("utf-8"))
    if not isinstance(root, yaml.SequenceNode):
        return
    for item in root.value:
        if isinstance(item, yaml.ScalarNode) and item.value:
            comment = "a sector of the comparative portfolio, as a list's filter and a cluster page name it."
            yield item.start_mark.line + 1, None, item.value, [comment]
