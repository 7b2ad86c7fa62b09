"""Read YAML keeping the line of every mapping, key and list item.

Content errors must name ``file:line``; PyYAML knows lines only while parsing, so the loader
builds dict and list subclasses that remember them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import YamlSyntaxError


class LineDict(dict[str, Any]):
    """A mapping that remembers where it and each of its keys start (1-based lines)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list[Any]):
    """A sequence that remembers where it and each item start."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        key = str(key) if not isinstance(key, str) else key
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key '{key}' appears twice in the same block", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_timestamp_as_text(loader: _Loader, node: yaml.ScalarNode) -> str:
    # Dates stay text: the content model parses them and reports bad ones with a fix.
    return str(loader.construct_scalar(node))


def _keep_lines(loader: Any) -> None:
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)


_keep_lines(_Loader)
_FAST_LOADER: Any = _Loader
if getattr(yaml, "__with_libyaml__", False):
    class _CLoader(yaml.CSafeLoader):
        """The same nodes and lines through libyaml: about 8× faster on the long generated town list."""

    _keep_lines(_CLoader)
    _FAST_LOADER = _CLoader


def parse_yaml(text: str) -> Any:
    """Parse with libyaml when present; on an error parse again in pure Python, whose messages the fixes of
    _syntax_fix are written for ("found character '\\t'…")."""
    if _FAST_LOADER is not _Loader:
        try:
            return yaml.load(text, Loader=_FAST_LOADER)  # a SafeLoader twin: no arbitrary objects
        except yaml.YAMLError:
            pass
    return yaml.load(text, Loader=_Loader)


def load_yaml(path: Path, display: str) -> Any:
    """Parse one YAML file; syntax problems become a YamlSyntaxError naming file:line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlSyntaxError(display, 1, f"the file is not UTF-8 text ({exc.reason})",
                              "save the file as UTF-8 (most editors offer it in 'Save as').") from None
    try:
        return parse_yaml(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = (exc.problem or "invalid YAML").strip()
        raise YamlSyntaxError(display, line, f"YAML syntax: {problem}", _syntax_fix(problem)) from None
    except yaml.YAMLError as exc:  # pragma: no cover - other PyYAML errors carry no mark
        raise YamlSyntaxError(display, 1, f"YAML syntax: {exc}", "check indentation and quotes.") from None


def _syntax_fix(problem: str) -> str:
    if "appears twice" in problem:
        return "remove or rename one of the two keys."
    if "tab" in problem or "'\\t'" in problem:
        return "indent with spaces, never with tabs."
    if "mapping values are not allowed" in problem:
        return "put text containing ': ' between quotes, or fix the indentation of this line."
    if "could not find expected ':'" in problem or "expected <block end>" in problem:
        return "check the indentation of this line and the one before; every level uses 2 spaces."
    if "found character" in problem:
        return "put the text between quotes."
    return "check the indentation and quotes on this line and the line above."
