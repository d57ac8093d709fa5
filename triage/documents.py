"""Reading YAML and JSON documents safely: no object construction, no duplicate keys, and
limits on size, nesting, alias expansion and length checked before the work they bound."""

from __future__ import annotations

import json
import stat
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from triage.errors import TriageError
from triage.limits import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_NODES,
    MAX_NUMBER_DIGITS,
    MAX_TEXT_CHARS,
    size_text,
)

if TYPE_CHECKING:
    import yaml


def _line(mark: yaml.Mark | None) -> str:
    return f" (line {mark.line + 1})" if mark else ""


@cache
def _strict_safe_loader(max_nodes: int = MAX_NODES) -> Any:
    """PyYAML's safe loader, refusing a key given twice in one mapping, and checking the limits
    while it composes the document. Built on first use: importing PyYAML is a tenth of a cold
    start, and a command typed on the line needs none."""
    import yaml

    class StrictSafeLoader(yaml.SafeLoader):
        """PyYAML's safe loader, refusing a key given twice in one mapping, and checking the limits
        while it composes the document: nesting before it recurses, the size of every node with its
        aliases expanded (so an alias bomb stops after a few thousand nodes, not a billion), the
        length of every scalar before it is constructed."""

        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self._depth = 0
            self._sizes: dict[int, tuple[int, int]] = {}  # id(node) -> (nodes, height), expanded
            self._nodes = 0  # in the document so far, aliases expanded

        def compose_node(self, parent: Any, index: Any) -> yaml.Node:
            mark = self.peek_event().start_mark
            is_alias = self.check_event(yaml.AliasEvent)
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise TriageError(f"nested more than {MAX_DEPTH} levels deep{_line(mark)}")
            try:
                node = super().compose_node(parent, index)
            finally:
                self._depth -= 1
            if not is_alias:
                self._sizes[id(node)] = self._measure(node)
            elif id(node) not in self._sizes:  # an alias to a node still being composed
                raise TriageError(f"an alias refers to a node that contains it{_line(mark)}")
            nodes, height = self._sizes[id(node)]
            self._nodes += nodes if is_alias else 1
            if self._nodes > max_nodes:
                raise TriageError(
                    f"more than {max_nodes} values once aliases are expanded{_line(mark)}"
                )
            if self._depth + 1 + height > MAX_DEPTH:
                raise TriageError(f"nested more than {MAX_DEPTH} levels deep{_line(mark)}")
            return node

        def _measure(self, node: yaml.Node) -> tuple[int, int]:
            if isinstance(node, yaml.ScalarNode):
                if len(node.value) > MAX_TEXT_CHARS:
                    raise TriageError(
                        f"a value of {len(node.value)} characters; the limit is {MAX_TEXT_CHARS}"
                        + _line(node.start_mark)
                    )
                return 1, 0
            if isinstance(node, yaml.SequenceNode):
                children = list(node.value)
            else:
                children = [part for pair in node.value for part in pair]
            nodes, height = 1, 0
            for child in children:
                child_nodes, child_height = self._sizes[id(child)]
                nodes += child_nodes
                height = max(height, child_height + 1)
            return nodes, height

        def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
            try:
                return super().construct_object(node, deep=deep)
            except (ValueError, OverflowError) as exc:  # e.g. a date 2026-13-45
                shown = repr(node.value)[:60] if isinstance(node, yaml.ScalarNode) else "a value"
                raise TriageError(f"cannot read {shown}: {exc}{_line(node.start_mark)}") from None

        def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
            digits = sum(char.isdigit() for char in node.value)
            if digits > MAX_NUMBER_DIGITS:
                raise TriageError(
                    f"a number of {digits} digits; the limit is {MAX_NUMBER_DIGITS}"
                    + _line(node.start_mark)
                )
            return super().construct_yaml_int(node)

    def construct_mapping(loader: StrictSafeLoader, node: yaml.MappingNode, deep: bool = False):
        loader.flatten_mapping(node)
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=deep)
            try:
                duplicate = key in seen
            except TypeError:  # an unhashable key: let the base constructor report it
                break
            if duplicate:
                line = key_node.start_mark.line + 1
                raise TriageError(f"key {key!r} is given twice (line {line})")
            seen.add(key)
        return loader.construct_mapping(node, deep=deep)

    StrictSafeLoader.add_constructor(
        yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping
    )
    StrictSafeLoader.add_constructor("tag:yaml.org,2002:int", StrictSafeLoader.construct_yaml_int)
    return StrictSafeLoader


def _reject_duplicate_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)  # in C; fewer keys than pairs when one is given twice
    if len(result) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise TriageError(f"key {key!r} is given twice")
            seen.add(key)
    return result


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise TriageError(
            f"a number of {len(text.lstrip('-'))} digits; the limit is {MAX_NUMBER_DIGITS}"
        )
    return int(text)


def _check_json_shape(data: Any) -> None:
    """The YAML limits, for a JSON document (which has no aliases: its size is its text's)."""
    stack = [(data, 1)]
    nodes = 0
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise TriageError(f"more than {MAX_NODES} values")
        if depth > MAX_DEPTH:
            raise TriageError(f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
            raise TriageError(f"a value of {len(value)} characters; the limit is {MAX_TEXT_CHARS}")
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for pair in value.items() for item in pair)
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)


def _within_limits_by_its_text(text: str) -> bool:
    """Whether a JSON text is too small to break a limit `_check_json_shape` checks, whatever
    it holds: every value or key after the first follows one of `[{,:`, every level of nesting
    opens with `[` or `{`, and no string is longer than the text (a case, one short line, is
    checked this way without walking its values)."""
    if len(text) > MAX_TEXT_CHARS:
        return False
    opening = text.count("[") + text.count("{")
    return opening < MAX_DEPTH and 1 + opening + text.count(",") + text.count(":") <= MAX_NODES


# One decoder for every JSON text (json.loads with hooks would make a decoder, and its scanner,
# for each); its check of a byte-order mark is json.loads's.
_JSON = json.JSONDecoder(object_pairs_hook=_reject_duplicate_pairs, parse_int=_json_int)


def parse_document(text: str, suffix: str, max_nodes: int = MAX_NODES) -> Any:
    """The data in a YAML or JSON text; bad syntax raises TriageError with its position.
    `max_nodes`: the values a YAML text may hold, aliases expanded (a knowledge-base file
    holds more than a case)."""
    if suffix == ".json":
        try:
            if text.startswith("\ufeff"):  # as json.loads says it
                raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
            data = _JSON.decode(text)
        except json.JSONDecodeError as exc:
            raise TriageError(f"malformed JSON: {exc.msg} (line {exc.lineno})") from None
        except RecursionError:
            raise TriageError(f"nested more than {MAX_DEPTH} levels deep") from None
        if not _within_limits_by_its_text(text):
            _check_json_shape(data)
        return data
    import yaml

    try:
        return yaml.load(text, Loader=_strict_safe_loader(max_nodes))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise TriageError(f"malformed YAML: {exc.problem}{where}") from None
    except yaml.reader.ReaderError as exc:
        character = f"U+{exc.character:04X}" if isinstance(exc.character, int) else "a byte"
        raise TriageError(
            f"malformed YAML: the character {character} is not allowed "
            f"(character {exc.position + 1})"
        ) from None
    except yaml.YAMLError as exc:
        raise TriageError(f"malformed YAML: {exc}") from None


SUFFIXES = (".yaml", ".yml", ".json")


def _read_bytes(path: Path) -> bytes:
    """The file's bytes; its size is checked before it is read, and no more than the limit is
    read even if it grows meanwhile (or is a device that never ends)."""
    info = path.stat()
    if stat.S_ISDIR(info.st_mode):
        raise TriageError("is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise TriageError("not a regular file")
    if info.st_size > MAX_FILE_BYTES:
        raise TriageError(
            f"the file is {info.st_size} bytes; the limit is {size_text(MAX_FILE_BYTES)}"
        )
    with path.open("rb") as stream:
        raw = stream.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise TriageError(f"the file is over the limit of {size_text(MAX_FILE_BYTES)}")
    return raw


def read_document(path: Path, max_nodes: int = MAX_NODES) -> Any:
    """The data in a .yaml, .yml or .json file, errors naming the file."""
    try:
        return parse_document(_read_text(path), path.suffix.lower(), max_nodes)
    except TriageError as exc:
        raise exc.located(str(path)) from None


def _read_text(path: Path) -> str:
    """The text of a case file (a .yaml, .yml or .json file, read as UTF-8)."""
    if path.suffix.lower() not in SUFFIXES:
        raise TriageError("not a case file: expected .yaml, .yml or .json")
    try:
        raw = _read_bytes(path)
    except FileNotFoundError:
        raise TriageError("no such file") from None
    except OSError as exc:
        raise TriageError(f"cannot read: {exc.strerror}") from None
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")  # a byte-order mark is no content
    except UnicodeDecodeError as exc:
        raise TriageError(f"not UTF-8 text (byte {exc.start})") from None
