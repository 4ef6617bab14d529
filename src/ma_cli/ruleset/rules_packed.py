"""The bundled rule files, read once in advance: their data as JSON, so a run needs no YAML.

Reading the fourteen bundled YAML files costs a run more than everything else ma-cli does before
it answers (importing PyYAML about 11 ms, parsing about 30 ms, against a start of about 70 ms for
Typer itself). `rules_packed.json`, next to this module, holds what the YAML loader gives for each
file (mappings, lists, text, numbers, true/false, dates), generated from `rules/*.yaml`:

    .venv/bin/python -m ma_cli.ruleset.pack_rules           # after editing rules/: regenerate it
    .venv/bin/python -m ma_cli.ruleset.pack_rules --check   # exit 1 if it does not match rules/

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
import zlib
from datetime import date
from pathlib import Path
from typing import Any

FORMAT = 1  # bumped when the layout of the packed file changes: an old file is then stale
PACKED = Path(__file__).with_name("rules_packed.json")
DATE_KEY = "!date"  # a date, {"!date": "YYYY-MM-DD"}: JSON has no form for one


def fingerprint(paths: list[Path]) -> list[list[Any]] | None:
    """[name, size, CRC-32] of each file, in order (None: a file could not be read)."""
    out: list[list[Any]] = []
    try:
        for path in paths:
            data = path.read_bytes()
            out.append([path.name, len(data), zlib.crc32(data)])
    except OSError:
        return None
    return out


def _hook(obj: dict[str, Any]) -> Any:
    if len(obj) == 1 and DATE_KEY in obj:
        return date.fromisoformat(obj[DATE_KEY])
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
