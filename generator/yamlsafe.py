"""Strict YAML: plain data only, with the line of every key.

Front matter and registries are written by strangers, so the loader refuses
what plain data never needs: tags, anchors and aliases (the YAML-bomb vector)
and duplicate keys, which PyYAML would silently resolve to the last one.
Timestamps stay text so one parser (``datetime.fromisoformat``) decides what a
valid time is, and the schema reports YAML 1.1 surprises such as ``no`` or
``12:30`` turning into a boolean or a number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

import yaml
from yaml.events import AliasEvent, NodeEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from . import yaml_advice

Path = tuple[str | int, ...]

_PLAIN_TAGS = {None, "!"}


class YamlError(ValueError):
    """The text is not the plain YAML data we accept; ``line`` is 1-based.

    ``more`` holds further problems found before parsing could start (every unreadable
    character of the text, not only the first), so each can be reported at once.
    """

    def __init__(self, message: str, line: int | None, more: tuple[YamlError, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.more = more

    def each(self) -> Iterator[tuple[int | None, str]]:
        """The line and message of this problem and of every one in ``more``."""
        yield self.line, self.message
        for other in self.more:
            yield other.line, other.message


_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
# SafeLoader's implicit types by first character, less timestamps and YAML 1.1's "value"
# type (a bare "="), which no constructor builds: it is text, as in YAML 1.2.
_LEFT_OUT = frozenset({"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:value"})
_IMPLICIT = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _LEFT_OUT]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _resolve(loader: Any, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
    """The tag of a node as PyYAML's resolver gives it, with no path resolvers (none is
    registered) and no catch-all ones (SafeLoader has none), without its general way's
    cost."""
    if kind is ScalarNode:
        if implicit[0]:
            for tag, regexp in _IMPLICIT.get(value[:1], ()):
                if regexp.match(value):
                    return tag
        return _STR
    return _SEQ if kind is SequenceNode else _MAP


def _no_path(*_: Any) -> None:
    """Path resolvers follow the node's place in the document; there are none."""


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors, aliases and explicit tags while composing."""

    yaml_implicit_resolvers = _IMPLICIT
    resolve = _resolve
    descend_resolver = ascend_resolver = _no_path

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            self._refuse(event, "*", "YAML aliases (*name) are not allowed")
        if isinstance(event, NodeEvent) and event.anchor is not None:
            self._refuse(event, "&", "YAML anchors (&name) are not allowed")
        tag = getattr(event, "tag", None)
        if tag not in _PLAIN_TAGS:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            self._refuse(event, "!", f"YAML tags like '{shown}' are not allowed")
        return super().compose_node(parent, index)

    def _refuse(self, event: Any, character: str, message: str) -> None:
        """Raise ``message``; for a text value that merely starts with ``character``, say to quote it."""
        line = event.start_mark.line
        advice = yaml_advice.start_advice(event.start_mark.buffer or "", line, character)
        raise YamlError(message if advice is None else advice.message, line + 1)


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser with our resolvers, for text that cannot hold anchors, aliases or tags.

    Anchors need '&', aliases '*' and tags '!'; text without any of them is
    parsed by the C parser, which large archives need. Everything
    else, and every error, goes through ``_StrictLoader`` so messages are one.
    """

    yaml_implicit_resolvers = _IMPLICIT
    resolve = _resolve
    descend_resolver = ascend_resolver = _no_path


_MARKUP = frozenset("&*!")


@dataclass(frozen=True)
class Document:
    """Parsed YAML data and the 1-based line where each key or item starts.

    ``typed`` holds, for each value YAML read as other than text, what was typed: a
    message can then show ``12:30`` where YAML made it the number 750.
    """

    data: Any
    lines: dict[Path, int]
    typed: dict[Path, str] = field(default_factory=dict)

    def line_of(self, path: Path) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())


def load(text: str, first_line: int = 1) -> Document:
    """Parse ``text``; lines are reported counting from ``first_line``."""
    _refuse_unreadable(text, first_line)
    if _MARKUP.isdisjoint(text):
        try:
            return _load_with(_FastLoader, text, first_line - 1)
        except YamlError:
            pass  # report it exactly as the strict loader words it
    return _load_with(_StrictLoader, text, first_line - 1)


# What PyYAML's reader refuses before parsing (control characters, U+FFFE...): its own
# error names only a position in the text, so they are found and told here first.
_UNREADABLE = yaml.reader.Reader.NON_PRINTABLE


def _refuse_unreadable(text: str, first_line: int) -> None:
    found = [match.start() for match in _UNREADABLE.finditer(text)]
    if not found:
        return
    lines = text.split("\n")
    errors = []
    for position in found:
        line = text.count("\n", 0, position)
        advice = yaml_advice.unreadable_character(lines, line, position - (text.rfind("\n", 0, position) + 1))
        errors.append(YamlError(advice.message, advice.line + first_line))
    raise YamlError(errors[0].message, errors[0].line, tuple(errors[1:]))


def _load_with(loader_class: type, text: str, offset: int) -> Document:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        lines: dict[Path, int] = {}
        typed: dict[Path, str] = {}
        data = None if node is None else _construct(loader, node, (), Document(None, lines, typed), offset)
    except YamlError as exc:
        raise YamlError(exc.message, None if exc.line is None else exc.line + offset) from None
    except yaml.MarkedYAMLError as exc:
        advice = yaml_advice.explain(text, _marks(exc))
        raise YamlError(advice.message, advice.line + 1 + offset) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}", None) from None
    finally:
        loader.dispose()
    return Document(data, lines, typed)


def _marks(exc: yaml.MarkedYAMLError) -> yaml_advice.Marks:
    problem, context = exc.problem_mark, exc.context_mark
    return yaml_advice.Marks(
        problem=str(exc.problem or exc.context or ""),
        problem_line=None if problem is None else problem.line,
        problem_column=None if problem is None else problem.column,
        context=str(exc.context or "") if exc.problem else "",
        context_line=None if context is None else context.line,
    )


def _construct(loader: _StrictLoader, node: Node, path: Path, found: Document, offset: int) -> Any:
    """The data of ``node``, with the lines and typed text of it and its parts put in ``found``."""
    lines = found.lines
    lines[path] = node.start_mark.line + 1 + offset
    if isinstance(node, MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(loader, key_node) if isinstance(key_node, ScalarNode) else loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise YamlError(f"keys must be text, not {key!r}", key_node.start_mark.line + 1)
            if key in result:
                first = lines[path + (key,)] - offset
                raise YamlError(f"'{key}' is given twice (first on line {first + offset}): keep one", key_node.start_mark.line + 1)
            result[key] = _construct(loader, value_node, path + (key,), found, offset)
            lines[path + (key,)] = key_node.start_mark.line + 1 + offset
        return result
    if isinstance(node, SequenceNode):
        return [_construct(loader, item, path + (i,), found, offset) for i, item in enumerate(node.value)]
    assert isinstance(node, ScalarNode)
    if node.tag != _STR:
        found.typed[path] = node.value
    return _scalar(loader, node)


def _scalar(loader: _StrictLoader, node: ScalarNode) -> Any:
    # Text, most of every document, is the node's value as the parser left it: the
    # constructor's own way there (PyYAML's construct_yaml_str) takes five times longer.
    return node.value if node.tag == _STR else loader.construct_object(node, deep=True)
