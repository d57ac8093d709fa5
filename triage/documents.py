"""Reading YAML and JSON documents safely: no object construction, no duplicate keys."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from triage.errors import TriageError


@cache
def _strict_safe_loader() -> Any:
    """PyYAML's safe loader, refusing a key given twice in one mapping. Built on first use:
    importing PyYAML is a tenth of a cold start, and a command typed on the line needs none."""
    import yaml

    class StrictSafeLoader(yaml.SafeLoader):
        pass

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
    return StrictSafeLoader


def _reject_duplicate_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise TriageError(f"key {key!r} is given twice")
        result[key] = value
    return result


def parse_document(text: str, suffix: str) -> Any:
    """The data in a YAML or JSON text; bad syntax raises TriageError with its position."""
    if suffix == ".json":
        try:
            return json.loads(text, object_pairs_hook=_reject_duplicate_pairs)
        except json.JSONDecodeError as exc:
            raise TriageError(f"malformed JSON: {exc.msg} (line {exc.lineno})") from None
    import yaml

    try:
        return yaml.load(text, Loader=_strict_safe_loader())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise TriageError(f"malformed YAML: {exc.problem}{where}") from None
    except yaml.YAMLError as exc:
        raise TriageError(f"malformed YAML: {exc}") from None


SUFFIXES = (".yaml", ".yml", ".json")


def read_document(path: Path) -> Any:
    """The data in a .yaml, .yml or .json file, errors naming the file."""
    if path.suffix.lower() not in SUFFIXES:
        raise TriageError("not a case file: expected .yaml, .yml or .json", where=str(path))
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise TriageError("no such file", where=str(path)) from None
    except IsADirectoryError:
        raise TriageError("is a folder, not a file", where=str(path)) from None
    except OSError as exc:
        raise TriageError(f"cannot read: {exc.strerror}", where=str(path)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TriageError(f"not UTF-8 text (byte {exc.start})", where=str(path)) from None
    try:
        return parse_document(text, path.suffix.lower())
    except TriageError as exc:
        raise exc.located(str(path)) from None
