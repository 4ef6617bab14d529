"""Safe YAML loading that remembers where every key stood and refuses duplicate keys.

Only SafeLoader-based loaders are used: a rule or profile file can never construct Python
objects or run code. PyYAML silently keeps the last of two equal keys; a rule author would
never see the first one vanish, so a duplicate is an error here (`rules validate` collects
every duplicate of a file at once). Sequences, like mappings, remember where each item stood.

Hostile or broken files are stopped before anything is built from them (README, "Errors,
safety and fuzzing"): at most MAX_BYTES are read; a first pass over the parser's events (libyaml's
parser is a loop, not a recursion) refuses nesting deeper than MAX_DEPTH, because composing a
deeply nested document recurses in C and crashes the process; and it refuses aliases (`*name`),
because a handful of aliases can stand for billions of values ("billion laughs") that any code
walking the data would expand. No ma-cli file needs them: write the value out.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ma_cli.errors import InputError, RuleError

try:  # the C parser is several times faster; the constructor stays the safe one either way
    _Base = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Base = yaml.SafeLoader

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
MAX_VALUES = 100_000  # a profile holds hundreds, the largest rule file a few thousand


class Marked(dict):
    """A mapping that knows the line and column (1-based) of itself and of each key."""

    __slots__ = ("line", "column", "key_marks")


class MarkedList(list):
    """A sequence that knows the line and column (1-based) of itself and of each item."""

    __slots__ = ("line", "column", "item_marks")


class _Loader(_Base):
    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates: list[tuple[str, int, int]] = []  # (message, line, column) of each repeated key


_STR_TAG = "tag:yaml.org,2002:str"


def _construct(loader: _Loader, node: yaml.Node) -> Any:
    # Most rule and profile values are plain text: take it straight from the node (what the
    # safe constructor would return) and skip PyYAML's per-object bookkeeping, which costs
    # start-up time on every run. (Aliases are refused before anything is constructed.)
    if node.tag == _STR_TAG and type(node) is yaml.ScalarNode:
        return node.value
    return loader.construct_object(node, deep=True)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Marked:
    loader.flatten_mapping(node)
    result = Marked()
    result.line, result.column = node.start_mark.line + 1, node.start_mark.column + 1
    result.key_marks = {}
    for key_node, value_node in node.value:
        key = _construct(loader, key_node)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain value, not a list or mapping", key_node.start_mark)
        if key in result:
            # keep the first value and go on, so every duplicate in the file can be reported at once
            first = result.key_marks[key]
            mark = key_node.start_mark
            loader.duplicates.append((f"duplicate key '{key}' (first at line {first[0]})", mark.line + 1,
                                      mark.column + 1))
            continue
        result[key] = _construct(loader, value_node)
        result.key_marks[key] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
    return result


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode):
    # 2021-13-01 looks like a date to YAML but is none; keep the text so the profile or rule
    # check that reads the field can name it ("work[0].from: '2021-13-01' is not a real calendar date").
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> MarkedList:
    result = MarkedList(_construct(loader, child) for child in node.value)
    result.line, result.column = node.start_mark.line + 1, node.start_mark.column + 1
    result.item_marks = [(child.start_mark.line + 1, child.start_mark.column + 1) for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


class _Refused(yaml.MarkedYAMLError):
    """Valid YAML that ma-cli will not build: too deep, too many values, or an alias."""


def _refuse_hostile_shapes(text: str) -> None:
    """Raise yaml.MarkedYAMLError at the first alias, nesting deeper than MAX_DEPTH, or more than
    MAX_VALUES values (building 5 MB of small values takes seconds and hundreds of MB)."""
    depth = values = 0
    for event in yaml.parse(text, Loader=_Base):
        if isinstance(event, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            values += 1
            if values > MAX_VALUES:
                raise _Refused(problem=f"more than {MAX_VALUES:,} values; expected a much smaller file",
                                           problem_mark=event.start_mark)
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Refused(problem=f"nested more than {MAX_DEPTH} levels deep",
                                           problem_mark=event.start_mark)
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            raise _Refused(
                problem=f"aliases such as '*{event.anchor}' are not allowed (write the value out)",
                problem_mark=event.start_mark)


def _mark_of(err: yaml.YAMLError) -> tuple[int, int]:
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    if mark is None:
        return 0, 0
    return mark.line + 1, mark.column + 1


def load_text(text: str, name: str, rule_file: bool = False, problems: list | None = None) -> Any:
    """Parse YAML text; on failure raise an InputError (RuleError for rule files) with the place.

    A duplicate key raises too, unless `problems` is given (rule files only): then every duplicate
    is appended there as a RuleError and the data (first value of each key) is returned.
    """
    try:
        _refuse_hostile_shapes(text)
        loader = _Loader(text)  # derives from (C)SafeLoader: plain values only
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.YAMLError as err:
        line, col = _mark_of(err)
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        context = getattr(err, "context", None) or ""
        if context.startswith("expected a single document"):
            problem = "more than one YAML document ('---'); expected one"
        if "could not determine a constructor" in str(err):
            tag = re.search(r"tag '([^']*)'", str(err))
            shown = f"'{tag[1].replace('tag:yaml.org,2002:', '!!')}'" if tag else "this"
            problem = f"the tag {shown} is not allowed (plain YAML values only, no tags)"
        if rule_file:
            raise RuleError(problem, name, line, col) from None
        where = f"{name}:{line}:{col}" if line else name
        verdict = "" if isinstance(err, _Refused) else "not valid YAML: "
        raise InputError(f"{where}: {verdict}{problem}") from None
    except RecursionError:
        raise InputError(f"{name}: YAML is nested too deeply") from None
    if loader.duplicates:
        if rule_file and problems is not None:
            problems.extend(RuleError(msg, name, line, col) for msg, line, col in loader.duplicates)
            return data
        msg, line, col = loader.duplicates[0]
        if rule_file:
            raise RuleError(msg, name, line, col)
        raise InputError(f"{name}:{line}:{col}: not valid YAML: {msg}")
    return data


def read_text(path: Path, what: str) -> str:
    """Read a UTF-8 text file with clear, one-line errors for the usual ways this goes wrong."""
    try:
        # read one byte past the limit rather than trusting stat: /dev/zero or a pipe has no size
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise InputError(f"{path}: {what} is larger than {MAX_BYTES:,} bytes (5 MB); expected a smaller file")
        return data.decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: {what} not found") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder; expected a {what} file") from None
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: {what} is not UTF-8 text (byte {err.start}); save it as UTF-8") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read {what}: {err.strerror}") from None


def load_file(path: Path, what: str, rule_file: bool = False, problems: list | None = None) -> Any:
    return load_text(read_text(path, what), str(path), rule_file=rule_file, problems=problems)
