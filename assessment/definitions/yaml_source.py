"""YAML text to plain data plus the line of every value, with PyYAML's safe loader only.

Used for definitions and for the answers and estimates files the command line reads.
Anchors and aliases are refused outright: definitions never need them, and refusing them
removes alias bombs. So is nesting deeper than any of these formats needs, before anything
recursive (composing, checking) sees it. Duplicate keys, which `safe_load` silently lets the
last one win, are refused too.
"""

from __future__ import annotations

from typing import Any

import yaml

from assessment.definitions.problems import Path, Problem

MAX_BYTES = 256 * 1024
"""A questionnaire is a few dozen kilobytes; anything far larger is a mistake or an attack."""

MAX_DEPTH = 20
"""Lists and mappings inside one another. Definitions need 6 (a show-if condition inside a
question inside the list of questions), answers and estimates files 6; this leaves room for
show-if conditions combined several levels deep, and refuses `[[[[...]]]]` long before the
parser and the checks run out of stack."""

LineMap = dict[Path, int]
_PLAIN_TAGS = (yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG)


def _not_text(key: Any) -> str:
    if isinstance(key, bool):
        return f"key {key!r} is not text: quote it, since YAML reads yes, no, on and off as true or false"
    return f"key {key!r} is not text"


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML was built with it (about ten times faster), else the pure one."""


class _TooDeep(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


def _scan(text: str) -> None:
    """Walk the event stream, which expands nothing and recurses nowhere: refuse any anchor or
    alias (MarkedYAMLError) and any nesting deeper than MAX_DEPTH (_TooDeep)."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError(
                problem="anchors and aliases (& and *) are not allowed in definitions",
                problem_mark=event.start_mark,
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _TooDeep(event.start_mark.line + 1)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def read_yaml(name: str, text: str) -> tuple[Any, LineMap, list[Problem]]:
    """Parse `text`; return the data, the line of every path, and the problems found."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        return None, {}, [Problem(name, (), None, f"file is larger than {MAX_BYTES // 1024} KiB")]
    loader = _Loader(text)
    lines: LineMap = {}
    problems: list[Problem] = []
    try:
        _scan(text)
        node = loader.get_single_node()
        if node is None:
            return None, {}, [Problem(name, (), None, "file is empty")]
        return _plain(loader, node, (), lines, problems, name), lines, problems
    except _TooDeep as error:
        reason = f"lists and mappings are nested more than {MAX_DEPTH} deep here; no file of this kind needs that"
        return None, {}, [Problem(name, (), error.line, reason)]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        return None, {}, [Problem(name, (), line, f"YAML syntax: {error.problem}")]
    except yaml.YAMLError as error:
        return None, {}, [Problem(name, (), None, f"YAML syntax: {error}")]
    finally:
        loader.dispose()


def _plain(
    loader: Any,
    node: yaml.Node,
    path: Path,
    lines: LineMap,
    problems: list[Problem],
    name: str,
) -> Any:
    """Turn a composed node into plain data, recording lines and refusing duplicate keys."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _PLAIN_TAGS:
        problems.append(Problem(name, path, lines[path], f"the tag {node.tag!r} is not allowed"))
        return None
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)
            if not isinstance(key, str):
                problems.append(Problem(name, path, key_node.start_mark.line + 1, _not_text(key)))
                continue
            if key in result:
                problems.append(Problem(name, (*path, key), key_node.start_mark.line + 1, "duplicate key"))
                continue
            result[key] = _plain(loader, value_node, (*path, key), lines, problems, name)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_plain(loader, item, (*path, index), lines, problems, name) for index, item in enumerate(node.value)]
    return loader.construct_object(node)
