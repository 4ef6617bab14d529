"""Generate the bundled rules' packed form (rules_packed.json) from rules/*.yaml: a developer's command.

    .venv/bin/python -m ma_cli.ruleset.pack_rules           # after editing rules/: regenerate it
    .venv/bin/python -m ma_cli.ruleset.pack_rules --check   # exit 1 if it does not match rules/

It validates the rule files first (a broken rule set is not packed), then writes what the YAML
loader gives for each file, with the files' fingerprint (rules_packed.py says how it is used).
ma-cli never runs this: nothing is written at run time.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

from ma_cli.base.jsonout import dumps
from ma_cli.ruleset.rules_packed import DATE_KEY, FORMAT, PACKED, fingerprint


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
        return {DATE_KEY: value.isoformat()}
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if type(key) is not str:
                raise Unpackable(f"{where}: key {key!r} is not text")
            if key == DATE_KEY:
                raise Unpackable(f"{where}: the key '{DATE_KEY}' is reserved by the packed form")
            out[key] = _encode(item, f"{where}.{key}")
        return out
    if isinstance(value, list):
        return [_encode(item, f"{where}[{i}]") for i, item in enumerate(value)]
    raise Unpackable(f"{where}: a {type(value).__name__} ({value!r}) cannot be packed; write it as plain text "
                     f"or a plain number")


def generate(paths: list[Path]) -> str:
    """The packed form of the rule files `paths`, as text; raises RuleError for a broken file."""
    from ma_cli.inputs.yamlio import load_file

    files = fingerprint(paths)
    if files is None:
        raise OSError("a rule file could not be read")
    parts = [f'{{"format": {FORMAT},\n"files": {dumps(files)},\n"data": {{']
    for i, path in enumerate(paths):
        data = _encode(load_file(path, "rule file", rule_file=True), path.name)
        body = dumps(data, ensure_ascii=False, separators=(",", ":"))
        parts.append(f"{',' if i else ''}\n{dumps(path.name)}: {body}")
    parts.append("\n}}\n")
    return "".join(parts)


def main(argv: list[str] | None = None) -> int:
    import argparse

    from ma_cli.base.errors import InputError
    from ma_cli.ruleset.rules import bundled_rules_dir, rule_files
    from ma_cli.ruleset.rules_validate import validate_path

    parser = argparse.ArgumentParser(prog="python -m ma_cli.ruleset.pack_rules",
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
            print(f"{PACKED} does not match {directory}; run: python -m ma_cli.ruleset.pack_rules", file=sys.stderr)
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
