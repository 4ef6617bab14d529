"""The bundled rule files, read once in advance: their data as JSON, so a run needs no YAML.

Reading the fourteen bundled YAML files costs a run more than everything else ma-cli does before
it answers (importing PyYAML about 11 ms, parsing about 30 ms, against a start of about 70 ms for
Typer itself). `rules_packed.json`, next to this module, holds what the YAML loader gives for each
file (mappings, lists, text, numbers, true/false, dates), generated from `rules/*.yaml`:

    .venv/bin/python -m ma_cli.rules_packed           # after editing rules/: regenerate it
    .venv/bin/python -m ma_cli.rules_packed --check   # exit 1 if it does not match rules/

It is only ever used when it matches the YAML files byte for byte: it records each file's name,
size and CRC-32, and `read` compares them with the files found in the bundled folder on every run
(reading fourteen small files takes a fraction of a millisecond). An edit to `rules/` in an
editable install, a file added or removed, or a packed file from another version: the rules are
read from the YAML instead, as if the packed form did not exist. CRC-32 and not SHA-256: the check
is against a stale file, not an attacker (who could edit the packed file as easily), and
`hashlib` loads OpenSSL, about 3 ms of each start; zlib is loaded already. `--rules DIR` and
`rules validate` always read YAML (validation reports every problem with its line and column,
which only the YAML has).

The packed form is JSON read by the standard library's JSON reader: nothing in it is code, nothing
is unpickled, and nothing is written at run time. A date is the only value JSON has no form for;
it is written `{"!date": "YYYY-MM-DD"}` (a rule file cannot have such a key: `!` starts a YAML tag,
which ma-cli refuses, and the generator refuses a quoted one).
"""

from __future__ import annotations

import json
import sys
import zlib
from datetime import date
from pathlib import Path
from typing import Any

FORMAT = 1  # bumped when the layout of the packed file changes: an old file is then stale
PACKED = Path(__file__).with_name("rules_packed.json")
_DATE = "!date"


def fingerprint(paths: list[Path]) -> list[list] | None:
    """[name, size, CRC-32] of each file, in order (None: a file could not be read)."""
    out = []
    try:
        for path in paths:
            data = path.read_bytes()
            out.append([path.name, len(data), zlib.crc32(data)])
    except OSError:
        return None
    return out


def _hook(obj: dict) -> Any:
    if len(obj) == 1 and _DATE in obj:
        return date.fromisoformat(obj[_DATE])
    return obj


_DECODER = json.JSONDecoder(object_hook=_hook)  # (json.loads would build this decoder on each call)


def read(paths: list[Path], packed: Path = PACKED) -> dict[Path, Any] | None:
    """The loaded data of each rule file in `paths` (the bundled folder's *.yaml, in order), from the
    packed form; None when there is none or it does not match the files exactly."""
    try:
        text = packed.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    try:
        doc = _DECODER.decode(text)
        if doc["format"] != FORMAT or doc["files"] != fingerprint(paths):
            return None
        data = doc["data"]
        return {path: data[path.name] for path in paths}
    except (ValueError, KeyError, TypeError):  # not one of ours: as if missing
        return None


# --- generating (a developer's command, never run by ma-cli itself) --------------------------------

class Unpackable(ValueError):
    """A value in a rule file that the packed form cannot carry exactly."""


def _encode(value: Any, where: str) -> Any:
    # exact types only: the YAML loader's own kinds (its mappings and lists are dict and list
    # subclasses that also remember lines; those are for error messages, which come from the YAML)
    if value is None or type(value) in (bool, int, str):
        return value
    if type(value) is float:
        if value != value or value in (float("inf"), float("-inf")):
            raise Unpackable(f"{where}: {value} has no JSON form")
        return value
    if type(value) is date:
        return {_DATE: value.isoformat()}
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if type(key) is not str:
                raise Unpackable(f"{where}: key {key!r} is not text")
            if key == _DATE:
                raise Unpackable(f"{where}: the key '{_DATE}' is reserved by the packed form")
            out[key] = _encode(item, f"{where}.{key}")
        return out
    if isinstance(value, list):
        return [_encode(item, f"{where}[{i}]") for i, item in enumerate(value)]
    raise Unpackable(f"{where}: a {type(value).__name__} ({value!r}) cannot be packed; write it as plain text "
                     f"or a plain number")


def generate(paths: list[Path]) -> str:
    """The packed form of the rule files `paths`, as text; raises RuleError for a broken file."""
    from ma_cli.yamlio import load_file

    files = fingerprint(paths)
    if files is None:
        raise OSError("a rule file could not be read")
    parts = [f'{{"format": {FORMAT},\n"files": {json.dumps(files)},\n"data": {{']
    for i, path in enumerate(paths):
        data = _encode(load_file(path, "rule file", rule_file=True), path.name)
        body = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        parts.append(f"{',' if i else ''}\n{json.dumps(path.name)}: {body}")
    parts.append("\n}}\n")
    return "".join(parts)


def main(argv: list[str] | None = None) -> int:
    import argparse

    from ma_cli.errors import InputError
    from ma_cli.rules import bundled_rules_dir, rule_files
    from ma_cli.rules_validate import validate_path

    parser = argparse.ArgumentParser(prog="python -m ma_cli.rules_packed",
                                     description=f"Regenerate {PACKED.name} from the bundled rule files.")
    parser.add_argument("--check", action="store_true", help=f"only check that {PACKED.name} is current (exit 1 if not)")
    args = parser.parse_args(argv)
    directory = bundled_rules_dir()
    try:
        _, problems = validate_path(directory)
        if problems:  # only a valid rule set is packed: ma-cli reports problems from the YAML, with lines
            print("\n".join(str(p) for p in problems), file=sys.stderr)
            print(f"{parser.prog}: the rule files have problems (above); nothing written", file=sys.stderr)
            return 1
        text = generate(rule_files(directory))
    except (InputError, Unpackable, OSError) as err:
        print(f"{parser.prog}: {err}", file=sys.stderr)
        return 2
    current = PACKED.read_text(encoding="utf-8") if PACKED.exists() else None
    if args.check:
        if current != text:
            print(f"{PACKED} does not match {directory}; run: python -m ma_cli.rules_packed", file=sys.stderr)
            return 1
        return 0
    if current != text:
        PACKED.write_text(text, encoding="utf-8")
        print(f"wrote {PACKED} from {directory}")
    else:
        print(f"{PACKED} is current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
