"""Words a template shows a visitor without marking them for translation.

A template is read with Jinja's lexer (`Environment.lex`), not rendered. What it writes as it is
(its data tokens, outside `{% trans %}` blocks) is text for a visitor once the markup is taken
out: HTML tags and comments, the bodies of `<script>`, `<style>`, `<pre>`, `<code>`, `<kbd>`
and `<samp>`, Markdown syntax (code spans and blocks, link targets, attribute lists
`{: .class }`, admonition types), URLs, e-mail addresses, file names and entities, and the
front matter but for its `title` and `description`. Any word of two letters or more left there
is unmarked text. So is a word in an attribute a visitor reads or hears (TEXT_ATTRIBUTES), and
a string literal in an expression that reads as text (`"No valid label"`, `" label"`,
`"Website"`) rather than as a name (`"equalto"`, `"md-header--shadow"`), unless it is a
message of `_`, `gettext`, `ngettext`, `pgettext` or `npgettext`.

ALLOWED_WORDS is the short list of words that stay the same in every language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import jinja2

# The same in every language: the label names (issue 22: BRONZE, SILVER and GOLD stay), the
# initiative's and the labelling bodies' acronyms, and the names of the download formats.
ALLOWED_WORDS = frozenset(
    {"BRONZE", "SILVER", "GOLD", "ECEI", "ESCA", "EUCLES", "CSV", "JSON", "HTML", "Markdown"}
)
# Attributes whose value a visitor reads or hears: tooltips, names for screen readers, the card
# tables' cell headings (directory.css shows `data-label` before each cell), a meta content.
TEXT_ATTRIBUTES = frozenset(
    {
        "title",
        "aria-label",
        "aria-description",
        "aria-roledescription",
        "aria-valuetext",
        "alt",
        "placeholder",
        "label",
        "content",
        "data-label",
    }
)
# <meta> whose content is for machines: its content is not checked.
MACHINE_META = frozenset(
    {
        "og:type",
        "og:url",
        "og:image",
        "og:locale",
        "twitter:card",
        "viewport",
        "robots",
        "generator",
        "referrer",
        "theme-color",
        "color-scheme",
        "format-detection",
    }
)
# The front matter keys whose values are text; the others (hide, search, section) are settings.
FRONT_MATTER_TEXT = frozenset({"title", "description"})
GETTEXT_NAMES = frozenset({"_", "gettext", "ngettext", "pgettext", "npgettext"})
# Where an expression's value goes in the text left after lexing: a placeholder, never a word.
_VALUE = "\x00"
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True, slots=True)
class Unmarked:
    """Unmarked words on a line of a template: where they are (text, an attribute, a string)
    and what they say."""

    line: int
    where: str
    words: str

    def __str__(self) -> str:
        return f"{self.line}: {self.where}: {self.words}"


def unmarked(source: str, name: str = "template") -> list[Unmarked]:
    """Every line of a template's source with unmarked words, in order."""
    text, strings = _literal_text(source, name)
    found = [Unmarked(line, where, words) for line, where, words in _text_words(text)]
    found += [
        Unmarked(line, "string", words)
        for line, value in strings
        if (words := _string_words(value))
    ]
    return sorted(found, key=lambda u: (u.line, u.where))


def _literal_text(source: str, name: str) -> tuple[str, list[tuple[int, str]]]:
    """The text a template writes as it is, line for line with its source (an expression as
    _VALUE, a tag or a `{% trans %}` block as nothing but its line breaks), and the string
    literals of its expressions that are not the message of a gettext call, with their lines."""
    env = jinja2.Environment(
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    parts: list[str] = []
    strings: list[tuple[int, str]] = []
    in_trans = False
    depth = 0
    calls: list[int] = []  # the bracket depths of the gettext calls open
    previous = ""  # the last token of an expression, whitespace left out
    tokens = list(env.lex(source, name))
    line = 1
    for index, (lineno, kind, value) in enumerate(tokens):
        # `{%-` and `-%}` take line breaks out of the data: put them back, by the token's line.
        parts.append("\n" * (lineno - line))
        breaks = "\n" * value.count("\n")
        line = lineno + len(breaks)
        if kind == "data":
            parts.append(_VALUE + breaks if in_trans else value)
            continue
        parts.append(_VALUE + breaks if kind == "variable_begin" else breaks)
        if kind in ("block_begin", "variable_begin", "block_end", "variable_end"):
            depth, calls, previous = 0, [], ""
        if kind == "block_begin":
            after = index + 1
            while after < len(tokens) and tokens[after][1] == "whitespace":
                after += 1
            tag = tokens[after][2] if after < len(tokens) else ""
            in_trans = {"trans": True, "endtrans": False}.get(tag, in_trans)
        elif kind == "operator" and value in ("(", "[", "{"):
            depth += 1
            if value == "(" and previous in GETTEXT_NAMES:
                calls.append(depth)
        elif kind == "operator" and value in (")", "]", "}"):
            if calls and calls[-1] == depth:
                calls.pop()
            depth -= 1
        elif kind == "string":
            is_message = bool(calls) and calls[-1] == depth and previous in ("(", ",")
            if not is_message:
                strings.append((lineno, value[1:-1]))
        if kind != "whitespace":
            previous = value
    parts.append("\n" * (source.count("\n") + 1 - line))
    return "".join(parts), strings


def _blank(match: re.Match[str]) -> str:
    """A match replaced by its line breaks only, so that lines keep their numbers."""
    return "\n" * match.group(0).count("\n")


def _text_words(text: str) -> list[tuple[int, str, str]]:
    """(line, where, words) for each line of literal text, and each text attribute, with a word."""
    found: list[tuple[int, str, str]] = []
    text = _front_matter_settings_out(text)
    # Scripts, styles and code are not translated, nor is what an HTML comment says.
    text = re.sub(
        r"(?is)<(script|style|pre|code|kbd|samp)\b[^>]*>.*?</\1\s*>|<!--.*?-->", _blank, text
    )
    text = re.sub(r"<!\[CDATA\[|\]\]>", "", text)
    # The build's own marks in a page (generator/site/shell.py: cdshell0title, cdshell0searchend)
    # are taken out before anyone reads it.
    text = re.sub(r"cdshell0[a-z]+", "", text)

    tagged = text

    def tag(match: re.Match[str]) -> str:
        line = tagged.count("\n", 0, match.start()) + 1
        found.extend((line, where, words) for where, words in _attribute_words(match.group(0)))
        return _blank(match)

    text = re.sub(r"<[A-Za-z!?/][^<>]*>", tag, tagged)
    for pattern in _MARKUP:
        text = pattern.sub(_blank, text)
    for number, line in enumerate(text.split("\n"), start=1):
        words = _words(line)
        if words:
            found.append((number, "text", words))
    return found


# What is not words wherever it is: URLs, e-mail addresses, file names, entities.
_NOT_WORDS = (
    re.compile(r"\b(?:https?|ftp|mailto|urn|tel):[^\s)<>\]\"']+|\bwww\.[^\s)<>\]\"']+"),
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    re.compile(
        r"[\w./-]*\w\.(?:csv|json|jsonld|xml|svg|html|md|txt|js|css|ya?ml|png|webp|pdf|zip)\b"
    ),
    re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|\w+);"),
)
# What is not text in literal text, taken out before it is read for words: the above, then
# Markdown's syntax.
_MARKUP = (
    *_NOT_WORDS,
    re.compile(r"(?ms)^(\s*)(```|~~~).*?^\s*\2"),  # fenced code blocks
    re.compile(r"(`+)(?!`).+?(?<!`)\1"),  # code spans
    re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)"),  # a link's or image's target
    re.compile(r"(?m)^\s*\[[^\]]+\]:\s*\S+.*$"),  # a link reference definition
    re.compile(r"\{:[^}]*\}"),  # attribute lists
    re.compile(r"(?m)^\s*(?:!!!|\?\?\?\+?)(?:[ \t]+[\w-]+)*"),  # admonition markers and types
    re.compile(r":[\w+-]+:"),  # icon and emoji shortcodes
)


# Front matter: the first block of YAML-looking lines between two `---` lines (a template may
# define macros before it, which write nothing).
_FRONT_MATTER = re.compile(r"(?m)^---\n((?:[ \t]*(?:[\w-]+:.*|- .*)?\n)*?)---\n")


def _front_matter_settings_out(text: str) -> str:
    """The front matter with its keys and its settings blanked, its titles kept as text."""
    match = _FRONT_MATTER.search(text)
    if not match:
        return text
    lines = []
    for line in match.group(1).split("\n"):
        key = re.match(r"([\w-]+):", line)
        lines.append(line[key.end() :] if key and key.group(1) in FRONT_MATTER_TEXT else "")
    return text[: match.start()] + "\n" + "\n".join(lines) + "\n" + text[match.end() :]


_ATTRIBUTE = re.compile(r"([^\s=/<>\"']+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")


def _attribute_words(tag: str) -> list[tuple[str, str]]:
    """(attribute, words) for each text attribute of a tag that holds a word."""
    parts = re.match(r"<([^\s>/]*)(.*)", tag, re.DOTALL)
    if not parts:  # every tag starts with '<': never, but mypy cannot know
        return []
    name, rest = parts.groups()
    attributes = {
        key.lower(): value.strip("\"'") for key, value in _ATTRIBUTE.findall(rest) if value
    }
    found = []
    for key, value in attributes.items():
        if key not in TEXT_ATTRIBUTES:
            continue
        role = attributes.get("name") or attributes.get("property") or ""
        if key == "content" and (name.lower() != "meta" or role in MACHINE_META):
            continue
        words = _words(value)
        if words:
            found.append((f"{key} attribute", words))
    return found


def _words(text: str) -> str:
    """The words of text that are not allowed as they are, as the text around them reads."""
    for pattern in _NOT_WORDS:
        text = pattern.sub("", text)
    if not any(word not in ALLOWED_WORDS for word in _WORD.findall(text)):
        return ""
    return " ".join(text.replace(_VALUE, "…").split())


# In a string literal: markup, names with inner punctuation ('status.label', 'md-nav__link',
# 'countries/'), placeholders; what is left must be text.
_CODE_IN_STRING = (
    re.compile(r"<[^<>]*>?|[\w:-]+=\"[^\"]*\"?|[\w:-]+='[^']*'?"),
    re.compile(r"[.#]?\w+(?:[-_./:#=@]+\w+)+/?|[.#]\w+|\w+/"),
    re.compile(r"%\(\w*\)[#0 +-]*\d*(?:\.\d+)?\w|%\w|\{[^{}]*\}"),
)


def _string_words(value: str) -> str:
    """The words of a string literal that reads as text: one with a space in it, or one word
    with a capital ('Website'); a lone lowercase word is a name ('equalto', 'hidden')."""
    if not (re.search(r"\s", value) or re.match(r"[A-Z][a-z]", value)):
        return ""
    text = value
    for pattern in _CODE_IN_STRING:
        text = pattern.sub(" ", text)
    return _words(text) and repr(value)
