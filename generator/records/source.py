"""Reading one record file into a tree of YAML nodes that remember their line and column.

Only plain data gets through: anchors, aliases, tags, duplicate keys and more than one document
are refused, and scalars keep the text the editor wrote (so `NO` stays Norway, `2024-03` stays a
month and `0123` is not octal). The parser is libyaml's event stream when available.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import yaml

from generator.core.errors import Diagnostic, Severity, shown
from generator.records.reader import MAX_BYTES

try:  # libyaml parses ten times faster; the pure-Python parser gives the same events.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_DEPTH = 16  # records nest three levels deep; deeper input is refused before it costs time
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


@dataclass(slots=True)
class Node:
    """A YAML node: kind is 'map', 'seq' or 'scalar'; positions are 1-based."""

    kind: str
    line: int
    col: int
    value: str = ""
    plain: bool = False  # an unquoted scalar, whose `null` or empty text means no value
    items: list[Node] = field(default_factory=list)  # sequence items
    pairs: list[tuple[Node, Node]] = field(default_factory=list)  # mapping keys and values
    flow: bool = False  # a collection written in brackets: [a, b] or {a: b}
    end: tuple[int, int] = (0, 0)  # 0-based offset pair (line, column) just past the node;
    # exact for scalars and bracketed collections (for block collections, see `last_end`)

    def last_end(self) -> tuple[int, int]:
        """Where the node's own text ends (0-based line and column): past its last scalar or bracket."""
        if self.kind == "scalar" or self.flow:
            return self.end
        ends = [n.last_end() for n in self.items] + [
            end for key, value in self.pairs for end in (key.last_end(), value.last_end())
        ]
        return max(ends, default=(self.line - 1, self.col - 1))

    @property
    def is_null(self) -> bool:
        """Whether the node is an empty or `null` plain scalar."""
        return self.kind == "scalar" and self.plain and self.value in _NULLS

    def describe(self) -> str:
        """What kind of value this is, in an editor's words."""
        if self.kind == "map":
            return "a mapping"
        if self.kind == "seq":
            return "a list"
        return "nothing" if self.is_null else shown(self.value)


class SourceError(Exception):
    """A file that cannot be read as a single plain YAML mapping."""

    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


def decode(data: bytes) -> str:
    """Decode UTF-8 (a byte-order mark is allowed), naming the line of the first bad byte."""
    if len(data) > MAX_BYTES:
        raise SourceError(
            1, 1, f"the file is {len(data):,} bytes; a record must be under {MAX_BYTES:,}"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SourceError(
            line, col, f"byte 0x{data[exc.start]:02x} is not UTF-8: save the file as UTF-8"
        ) from None


def _mark(event: yaml.Event) -> tuple[int, int]:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)


def _end(event: yaml.Event) -> tuple[int, int]:
    mark = event.end_mark
    return (mark.line, mark.column) if mark else (0, 0)


_BREAK = re.compile(r"\r\n|\r|\n")
# Characters YAML reads as line breaks although an editor shows none: refused before parsing,
# so that every line number below is one the editor can see.
_HIDDEN_BREAKS = re.compile("[\x85\u2028\u2029]")


def position_of(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of a character index, as an editor counts them."""
    before = text[:index]
    breaks = list(_BREAK.finditer(before))
    line_start = breaks[-1].end() if breaks else 0
    return len(breaks) + 1, index - line_start + 1


def _yaml_error(exc: yaml.YAMLError, source: str) -> SourceError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    context_mark = getattr(exc, "context_mark", None)
    if context and context_mark is not None and mark is not None and context_mark.line != mark.line:
        context = f"{context} (from line {context_mark.line + 1})"
    text = f"{context}, {problem}" if context and problem else problem
    # The parser's words may quote the file (a character, a tag): shown like any value.
    text = shown(text, None, quoted=False)
    if mark is None:
        position = getattr(exc, "position", None) or 0
        if _Loader is not yaml.SafeLoader:  # libyaml counts bytes, the Python reader characters
            position = len(source.encode("utf-8")[:position].decode("utf-8", "ignore"))
        line, col = position_of(source, position)
    else:
        line, col = mark.line + 1, mark.column + 1
    return SourceError(line, col, f"YAML syntax error: {text}")


_NODE_KINDS = {
    yaml.ScalarEvent: "scalar",
    yaml.MappingStartEvent: "map",
    yaml.SequenceStartEvent: "seq",
}
_END_EVENTS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _node(event: yaml.ScalarEvent | yaml.CollectionStartEvent, kind: str) -> Node:
    """A node for a scalar or collection-start event, refusing anchors and tags."""
    if event.anchor is not None:
        raise SourceError(
            *_mark(event),
            f"anchors (&{shown(event.anchor, quoted=False)}) are not allowed: write the value out",
        )
    line, col = _mark(event)
    if not isinstance(event, yaml.ScalarEvent):  # a mapping's or a sequence's start
        if event.tag is not None:
            raise SourceError(
                line, col, f"tags ({_short_tag(event.tag)}) are not allowed in records"
            )
        return Node(kind, line, col, flow=bool(event.flow_style))
    if event.tag is not None and event.tag != "!":  # "!" only marks a quoted scalar
        raise SourceError(line, col, f"tags ({_short_tag(event.tag)}) are not allowed in records")
    return Node(kind, line, col, value=event.value, plain=event.implicit[0], end=_end(event))


def _short_tag(tag: str) -> str:
    # libyaml decodes %XX escapes in a tag: `!%1B%5B2K` arrives as ESC [ 2 K.
    return shown(tag.replace("tag:yaml.org,2002:", "!!"), quoted=False)


class _Tree:
    """The node tree being built from the event stream: the open collections, and per open
    mapping the key that waits for its value and the keys seen so far."""

    def __init__(self) -> None:
        self.root: Node | None = None
        self.documents = 0
        self._open: list[Node] = []
        self._pending_key: list[Node | None] = []
        self._seen_keys: list[dict[str, Node]] = []

    def other(self, event: yaml.Event) -> None:
        """An event that is not a node: a collection's end, an alias, a document's start."""
        if type(event) in _END_EVENTS:
            self._open.pop().end = _end(event)
            self._pending_key.pop()
            self._seen_keys.pop()
        elif isinstance(event, yaml.AliasEvent):
            raise SourceError(*_mark(event), "aliases (*name) are not allowed: write the value out")
        elif isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise SourceError(
                    *_mark(event), "a file holds one record: remove the second document ('---')"
                )

    def node(self, node: Node) -> None:
        """A scalar, or the start of a collection: placed in its parent, opened if a collection."""
        if not self._open:
            self.root = node
        elif self._open[-1].kind == "seq":
            self._open[-1].items.append(node)
        elif self._pending_key[-1] is None:
            self._key(node)
        else:
            self._open[-1].pairs.append((self._pending_key[-1], node))
            self._pending_key[-1] = None
        if node.kind != "scalar":
            if len(self._open) >= MAX_DEPTH:
                raise SourceError(node.line, node.col, f"nested deeper than {MAX_DEPTH} levels")
            self._open.append(node)
            self._pending_key.append(None)
            self._seen_keys.append({})

    def _key(self, node: Node) -> None:
        if node.kind != "scalar":
            raise SourceError(node.line, node.col, "a key must be a plain word such as 'name'")
        previous = self._seen_keys[-1].get(node.value)
        if previous is not None:
            raise SourceError(
                node.line,
                node.col,
                f"key {shown(node.value)} is given twice (first on line {previous.line})",
            )
        self._seen_keys[-1][node.value] = node
        self._pending_key[-1] = node


def parse(text: str) -> Node:
    """Parse one YAML document into nodes; raise SourceError on anything but plain data."""
    hidden = _HIDDEN_BREAKS.search(text)
    if hidden:
        name = unicodedata.name(hidden.group(), "NEXT LINE")
        raise SourceError(
            *position_of(text, hidden.start()),
            f"U+{ord(hidden.group()):04X} {name} reads as a line break that no editor shows:"
            " remove it",
        )
    tree = _Tree()
    loader = _Loader(text)
    try:
        # The loader's event methods are called directly: a generator around them costs a third
        # of the time on large record sets.
        while loader.check_event():
            event = loader.get_event()
            kind = _NODE_KINDS.get(type(event))
            if kind is None:
                tree.other(event)
            else:
                tree.node(_node(event, kind))
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, text) from None
    finally:
        loader.dispose()
    if tree.root is None:
        raise SourceError(
            1, 1, "the file is empty: a record needs at least name, country, website and labels"
        )
    return tree.root


def read_record(path_label: str, data: bytes) -> tuple[Node | None, list[Diagnostic]]:
    """Decode and parse a record file's bytes; a problem becomes one diagnostic."""
    try:
        return parse(decode(data)), []
    except SourceError as exc:
        return None, [Diagnostic(path_label, exc.line, exc.col, Severity.ERROR, exc.message)]
