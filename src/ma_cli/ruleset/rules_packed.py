"""The bundled rule files, compiled in advance: their Credential records, so a run reads no YAML and
compiles nothing.

Reading the fourteen bundled YAML files costs a run more than everything else ma-cli does before
it answers (importing PyYAML about 11 ms, parsing about 30 ms), and compiling what they hold into
records (rules.compile_credential, which checks every key and value) another 4 ms, against a start
of about 45 ms for Typer itself. `rules_packed_data.py`, next to this module, is a Python module
generated from `rules/*.yaml` that builds the very records the compiler builds from those files:

    .venv/bin/python -m ma_cli.ruleset.pack_rules           # after editing rules/: regenerate it
    .venv/bin/python -m ma_cli.ruleset.pack_rules --check   # exit 1 if it does not match rules/

It is only ever used when it matches the YAML files byte for byte: it records each file's name,
size and CRC-32, and `read` compares them with the files found in the bundled folder on every run
(reading fourteen small files and summing them takes a fraction of a millisecond). An edit to
`rules/` in an editable install, a file added or removed, a generated module of another layout, or
records whose fields are no longer the ones it was written for (it gives each record its fields in
order, without their names, which halves its cost; LAYOUT lists them and is checked on every run):
the rules are read from the YAML instead, as if the packed form did not exist. CRC-32 and not
SHA-256: the check is against a stale file, not an attacker (who could edit the generated module
as easily), and `hashlib` loads OpenSSL, about 3 ms of each start; zlib is loaded already.
`--rules DIR` and `rules validate` always read YAML (validation reports every problem with its
line and column, which only the YAML has).

The generated module is ordinary source in the package, made by the project's own generator from
its own rule files and reviewed as a diff like any other: literals and record constructors only.
Nothing is unpickled, and nothing is written at run time. What it builds is equal, record for
record, to what the compiler builds from the YAML (tests/test_rules_packed.py); a change to the
compiler or to the records' fields that is not followed by a new `pack_rules` fails that test.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ma_cli.language.rule_records import Credential

FORMAT = 3  # bumped when the layout of the generated module changes: an old one is then stale
PACKED = Path(__file__).with_name("rules_packed_data.py")
# A rule file's name ends in one of these, in any case (`cma.yaml`, `rma.yml`, `CCMA.YAML`). A file's
# credential id is its `credential:` key, lower-cased, never its name: `CCMA.YAML` beside `ccma.yaml`
# is the same credential twice, which loading refuses, not a second one.
RULE_SUFFIXES = (".yaml", ".yml")


def rule_file_names(directory: Path | str) -> list[str]:
    """The names of the rule files in a folder, sorted: the one definition, read by rules.rule_files (the
    rule files of --rules, MA_CLI_RULES, `rules validate` and the bundled folder), by `read` below, which
    must list the bundled folder exactly as rules.rule_files does, and by the credential completion.
    Entries that are not files are among them: the callers that read them check (a name is all this
    module's start-up check can afford to look at; a folder named `x.yaml` then fails its fingerprint).
    A `rules test` folder's case files are named the same way (commands.cmd_rules)."""
    return sorted(name for name in os.listdir(directory) if name.lower().endswith(RULE_SUFFIXES))

FileStamp = tuple[str, int, int]  # (name, size in bytes, CRC-32)


def fingerprint(paths: list[str]) -> tuple[FileStamp, ...] | None:
    """(name, size, CRC-32) of each file, in order (None: a file could not be read)."""
    out = []
    try:
        for path in paths:
            with open(path, "rb") as file:
                data = file.read()
            out.append((os.path.basename(path), len(data), zlib.crc32(data)))
    except OSError:
        return None
    return tuple(out)


def _same_layout(packed: ModuleType) -> bool:
    """Whether the generated module's records have the fields it was written for, in that order: it
    gives them positionally, so a record whose fields changed since would be built wrong, not refused."""
    layout = getattr(packed, "LAYOUT", None)
    return isinstance(layout, dict) and all(
        getattr(getattr(packed, name, None), "__record_fields__", None) == fields for name, fields in layout.items())


def read(directory: Path) -> list[Credential] | None:
    """The credentials of the bundled folder `directory`, built by the generated module; None when
    there is none or it does not match the folder's rule files exactly."""
    try:
        from ma_cli.ruleset import rules_packed_data as packed
    except (ImportError, SyntaxError):  # none, or not one the package can load: as if missing
        return None
    if getattr(packed, "FORMAT", None) != FORMAT or not _same_layout(packed):
        return None
    try:  # the names rules.rule_files lists (a name that is not a readable file fails the fingerprint)
        names = rule_file_names(directory)
    except OSError:
        return None
    if len(names) != len(packed.FILES) or any(name != stamp[0] for name, stamp in zip(names, packed.FILES)):
        return None
    paths = [str(directory / name) for name in names]
    if fingerprint(paths) != packed.FILES:
        return None
    return packed.credentials(tuple(paths))
