"""YAML from users, read within bounds: no native recursion, no alias bombs.

PyYAML's composer builds the node tree recursively — in C when libyaml is present, so a document
of 50,000 nested ``[`` overflows the C stack and kills the process (exit 139) — and it expands
nothing, but whatever walks the result afterwards (``json.dumps`` of a field) meets every alias
expanded: 9 anchors × 9 references ("billion laughs") are 9⁹ values from a few hundred bytes.

:func:`load` therefore composes the node tree itself, from libyaml's event stream (an iterative
parser), with an explicit stack, and counts while it goes: the nesting depth (an alias counts as
deep as the node it points to), the aliases, and the values and characters the document holds once
its aliases are expanded.  The first bound of :class:`~vlrkit.formats.limits.Limits` crossed
raises :class:`~vlrkit.formats.limits.LimitError` — before any Python object is constructed.  An
alias to a node still being composed (``&a [*a]``, a document that never ends) is refused as
malformed.  Then PyYAML's *safe* constructor turns the bounded node tree into plain data (its own
walk is iterative for sequences and mappings, and the depth is bounded anyway).

Errors: :class:`YamlError` (a ``yaml.YAMLError``: malformed, or a value the safe constructor
cannot build) and :class:`~vlrkit.formats.limits.LimitError`.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from vlrkit.formats.limits import DEFAULT, Limits

#: libyaml's parser when available (about 10x faster), else PyYAML's pure-Python one; both
#: parse iteratively (their state is a heap stack), only the composer recursed.
_BASE: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlError(yaml.YAMLError):
    """Malformed YAML, or a value that cannot be built (a bad date, a 5,000-digit integer)."""


class _Frame:
    """A collection being composed: its node, a key waiting for its value, and the counts before
    it (to know, when it closes, how much an alias to it expands to: values, characters, levels)."""

    __slots__ = ("node", "key", "anchor", "nodes0", "chars0", "depth", "deepest")

    def __init__(self, node: Node, anchor: str | None, nodes0: int, chars0: int, depth: int) -> None:
        self.node, self.anchor, self.key = node, anchor, None
        self.nodes0, self.chars0, self.depth, self.deepest = nodes0, chars0, depth, depth


class _Loader(_BASE):  # type: ignore[misc, valid-type]
    """The safe loader with a bounded, iterative composer (see the module doc)."""

    def __init__(self, stream: str | bytes, limits: Limits) -> None:
        super().__init__(stream)
        self._limits = limits

    def get_single_node(self) -> Node | None:  # noqa: C901 - one state machine, kept in one place
        limits = self._limits
        self.get_event()  # StreamStart
        document: Node | None = None
        if not self.check_event(StreamEndEvent):
            self.get_event()  # DocumentStart
            anchors: dict[str, Node] = {}
            sizes: dict[str, tuple[int, int, int]] = {}  # anchor -> (values, characters, height)
            open_anchors: set[str] = set()
            stack: list[_Frame] = []
            nodes = chars = aliases = 0
            while True:
                event = self.get_event()
                depth = len(stack)
                if isinstance(event, (SequenceEndEvent, MappingEndEvent)):
                    frame = stack.pop()
                    frame.node.end_mark = event.end_mark
                    if frame.anchor is not None:
                        open_anchors.discard(frame.anchor)
                        sizes[frame.anchor] = (nodes - frame.nodes0 + 1, chars - frame.chars0,
                                               frame.deepest - frame.depth + 1)
                    if stack:
                        stack[-1].deepest = max(stack[-1].deepest, frame.deepest)
                    node: Node = frame.node
                else:
                    anchor = event.anchor
                    if isinstance(event, AliasEvent):
                        if anchor not in anchors:
                            raise YamlError(f"found undefined alias {anchor!r} {event.start_mark}")
                        if anchor in open_anchors:
                            raise YamlError(f"alias {anchor!r} inside its own anchor expands without end "
                                            f"{event.start_mark}")
                        aliases += 1
                        limits.check("yaml_aliases", aliases)
                        more_nodes, more_chars, height = sizes[anchor]
                        nodes += more_nodes
                        chars += more_chars
                        limits.check("yaml_depth", depth + height)
                        if stack:
                            stack[-1].deepest = max(stack[-1].deepest, depth + height)
                        node = anchors[anchor]
                    else:
                        if anchor is not None and anchor in anchors:
                            raise YamlError(f"found duplicate anchor {anchor!r} {event.start_mark}")
                        nodes += 1
                        limits.check("yaml_nodes", nodes)
                        if isinstance(event, ScalarEvent):
                            chars += len(event.value)
                            tag = event.tag
                            if tag is None or tag == "!":
                                tag = self.resolve(ScalarNode, event.value, event.implicit)
                            node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
                            if anchor is not None:
                                sizes[anchor] = (1, len(event.value), 0)
                        else:
                            limits.check("yaml_depth", depth + 1)
                            tag = event.tag
                            if isinstance(event, SequenceStartEvent):
                                if tag is None or tag == "!":
                                    tag = self.resolve(SequenceNode, None, event.implicit)
                                node = SequenceNode(tag, [], event.start_mark, None, flow_style=event.flow_style)
                            elif isinstance(event, MappingStartEvent):
                                if tag is None or tag == "!":
                                    tag = self.resolve(MappingNode, None, event.implicit)
                                node = MappingNode(tag, [], event.start_mark, None, flow_style=event.flow_style)
                            else:  # pragma: no cover - the parser emits nothing else here
                                raise YamlError(f"unexpected {type(event).__name__} {event.start_mark}")
                            if anchor is not None:
                                anchors[anchor] = node
                                open_anchors.add(anchor)
                            stack.append(_Frame(node, anchor, nodes, chars, depth + 1))
                            continue
                        if anchor is not None:
                            anchors[anchor] = node
                limits.check("yaml_nodes", nodes)
                limits.check("yaml_expanded_chars", chars)
                if not stack:
                    document = node
                    break
                parent = stack[-1]
                if isinstance(parent.node, SequenceNode):
                    parent.node.value.append(node)
                elif parent.key is None:
                    parent.key = node
                else:
                    parent.node.value.append((parent.key, node))
                    parent.key = None
            self.get_event()  # DocumentEnd
        if not self.check_event(StreamEndEvent):
            event = self.get_event()
            raise YamlError(f"expected a single document in the stream, but found another {event.start_mark}")
        self.get_event()  # StreamEnd
        return document


def load(text: str | bytes, limits: Limits = DEFAULT) -> Any:
    """The plain data of one YAML document, within ``limits``; raise YamlError or LimitError."""
    limits.check("yaml_chars", len(text))
    loader = _Loader(text, limits)
    try:
        return loader.get_single_data()
    except yaml.YAMLError:
        raise
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        # the safe constructor lets some Python errors through (2020-13-45 as a date, an integer
        # of more digits than Python converts): a bad value, reported as such
        raise YamlError(f"a value cannot be read: {exc}") from exc
    finally:
        loader.dispose()
