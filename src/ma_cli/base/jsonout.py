"""The one way ma-cli writes JSON: strict JSON (RFC 8259), which has no NaN or Infinity.

Python's json.dumps writes float("inf") as `Infinity` and a NaN as `NaN`, which strict JSON
readers (jq, JavaScript's JSON.parse, most databases) refuse. The bounds on every number a user
gives (bounds.py) keep every total finite; allow_nan=False here makes sure a non-finite number
that slipped through anyway is reported as a bug (exit 70), never printed as invalid JSON.
tests/test_strict_json.py holds every JSON output to this module.

The text is json.dumps's, byte for byte (tests/test_strict_json.py compares the two), written
without importing the `json` package: it imports its reader too (json.decoder and json.scanner),
about 1 ms of every `--json` start that only writes. The strings are written by the same C
functions json.dumps uses (CPython's `_json`); a line-per-item layout (`indent`) is laid out here,
a compact one by the same C encoder json.dumps uses. Without `_json` (another Python), json.dumps
itself writes.
"""

from __future__ import annotations

from typing import Any, Callable

from ma_cli.base.bounds import Exact

try:
    from _json import encode_basestring, encode_basestring_ascii, make_encoder
    WRITES_ITSELF = True
except ImportError:  # (not CPython: json.dumps writes)
    WRITES_ITSELF = False


def dumps(value: Any, indent: int | None = None, ensure_ascii: bool = True) -> str:
    """json.dumps(value, allow_nan=False, indent=indent, ensure_ascii=ensure_ascii): ValueError rather
    than NaN or Infinity in the output."""
    if not WRITES_ITSELF:
        import json

        return json.dumps(value, allow_nan=False, indent=indent, ensure_ascii=ensure_ascii)
    encode = encode_basestring_ascii if ensure_ascii else encode_basestring
    if isinstance(value, str):
        return encode(value)
    if indent is None and Exact.made:
        # a number with more digits than its float keeps (bounds.Exact) is written as its digits, which the
        # C encoder cannot do: the compact layout is written here then, as json.dumps lays it out
        out: list[str] = []
        _write(value, out, "", "", encode, ", ")
        return "".join(out)
    if indent is None:
        # json.dumps's own compact writer: (markers, default, strings, indent, key and item separators,
        # sort_keys, skipkeys, allow_nan)
        return "".join(make_encoder({}, _unknown, encode, None, ": ", ", ", False, False, False)(value, 0))
    lines: list[str] = []
    _write(value, lines, "\n", " " * indent, encode)
    return "".join(lines)


def _write(value: Any, out: list[str], newline: str, step: str, encode: Callable[[str], str],
           comma: str = ",") -> None:
    """`value` as json.dumps lays it out with an indent: each item on its own line, `newline` (a line
    break and the indent of the line `value` starts on) deepened by `step` inside a list or object.
    With no newline and `comma` ", ", json.dumps's compact layout (no indent)."""
    # containers first: the items they hold that are strings, null, true, false or whole numbers are written
    # in their loops below, so a value that reaches this function is most often a list or an object
    if isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = newline + step
        between, start = comma + inner, "[" + inner
        for item in value:
            out.append(start)
            start = between
            kind = type(item)  # a string, null, true, false or whole number (most items): written without a call
            if kind is str:
                out.append(encode(item))
            elif kind is bool or item is None:
                out.append(_WORDS[item])
            elif kind is int:
                out.append(int.__repr__(item))
            else:
                _write(item, out, inner, step, encode, comma)
        out.append(newline + "]")
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + step
        between, start = comma + inner, "{" + inner
        for key, item in value.items():
            out.append(start + encode(key if type(key) is str else _key(key)) + ": ")
            start = between
            kind = type(item)
            if kind is str:
                out.append(encode(item))
            elif kind is bool or item is None:
                out.append(_WORDS[item])
            elif kind is int:
                out.append(int.__repr__(item))
            else:
                _write(item, out, inner, step, encode, comma)
        out.append(newline + "}")
    elif isinstance(value, str):
        out.append(encode(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_number(value))
    else:
        _unknown(value)


def _number(value: float) -> str:
    if value != value or value in (_INFINITY, -_INFINITY):
        raise ValueError("Out of range float values are not JSON compliant: " + repr(value))
    if type(value) is Exact:  # its digits as written or summed (bounds.Exact), never in exponent form
        return repr(value)
    return float.__repr__(value)


_INFINITY = float("inf")
_WORDS = {None: "null", True: "true", False: "false"}  # (asked only for None or a bool: 1 == True)


def _key(key: Any) -> str:
    """An object's key as json.dumps writes it: a string, or a number, true, false or null in words."""
    if isinstance(key, str):
        return key
    if isinstance(key, float):
        return _number(key)
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")


def _unknown(value: Any) -> Any:
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")
