"""Safe YAML loading that remembers where every key stood and refuses duplicate keys.

Only SafeLoader-based loaders are used: a rule or profile file can never construct Python
objects or run code. PyYAML silently keeps the last of two equal keys; a rule author would
never see the first one vanish, so a duplicate is an error here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ma_cli.errors import InputError, RuleError

try:  # the C parser is several times faster; the constructor stays the safe one either way
    _Base = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Base = yaml.SafeLoader

MAX_BYTES = 5 * 1024 * 1024


class Marked(dict):
    """A mapping that knows the line and column (1-based) of itself and of each key."""

    __slots__ = ("line", "column", "key_marks")


class _Loader(_Base):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Marked:
    loader.flatten_mapping(node)
    result = Marked()
    result.line, result.column = node.start_mark.line + 1, node.start_mark.column + 1
    result.key_marks = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain value, not a list or mapping", key_node.start_mark)
        if key in result:
            first = result.key_marks[key]
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}' (first at line {first[0]})", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_marks[key] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _mark_of(err: yaml.YAMLError) -> tuple[int, int]:
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    if mark is None:
        return 0, 0
    return mark.line + 1, mark.column + 1


def load_text(text: str, name: str, rule_file: bool = False) -> Any:
    """Parse YAML text; on failure raise an InputError (RuleError for rule files) with the place."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from (C)SafeLoader
    except yaml.YAMLError as err:
        line, col = _mark_of(err)
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        if "could not determine a constructor" in str(err):
            problem = "tags such as '!!python/...' are not allowed (plain YAML values only)"
        if rule_file:
            raise RuleError(problem, name, line, col) from None
        where = f"{name}:{line}:{col}" if line else name
        raise InputError(f"{where}: not valid YAML: {problem}") from None
    except RecursionError:
        raise InputError(f"{name}: YAML is nested too deeply") from None


def read_text(path: Path, what: str) -> str:
    """Read a UTF-8 text file with clear, one-line errors for the usual ways this goes wrong."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{path}: {what} is {size:,} bytes; expected at most {MAX_BYTES:,}")
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: {what} not found") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder; expected a {what} file") from None
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: {what} is not UTF-8 text (byte {err.start}); save it as UTF-8") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read {what}: {err.strerror}") from None


def load_file(path: Path, what: str, rule_file: bool = False) -> Any:
    return load_text(read_text(path, what), str(path), rule_file=rule_file)
