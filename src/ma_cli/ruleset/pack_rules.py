"""Generate the bundled rules' packed form (rules_packed_data.py) from rules/*.yaml: a developer's command.

    .venv/bin/python -m ma_cli.ruleset.pack_rules           # after editing rules/: regenerate it
    .venv/bin/python -m ma_cli.ruleset.pack_rules --check   # exit 1 if it does not match rules/

It validates the rule files first (a broken rule set is not packed), compiles them as a run would
(rules.load_directory), and writes a Python module that builds the same records from literals, with
the files' fingerprint (rules_packed.py says how it is used). ma-cli never runs this: nothing is
written at run time.
"""

from __future__ import annotations

import sys
from datetime import date
from importlib import import_module
from pathlib import Path
from typing import Any

from ma_cli.base.frozen import is_record
from ma_cli.language.rule_records import Credential, Meta
from ma_cli.ruleset.rules_packed import FORMAT, PACKED, fingerprint

# the records a compiled credential is made of, by the name the generated module imports them under
_RECORDS = {"Condition": "ma_cli.language.rule_records", "Credential": "ma_cli.language.rule_records",
            "Meta": "ma_cli.language.rule_records", "Route": "ma_cli.language.rule_records",
            "Source": "ma_cli.language.rule_records", "Offset": "ma_cli.base.dates"}
_WIDTH = 110  # a record that fits on a line of this width is written on one
_TABLE_INDENT = "        "  # of the entries of credentials()'s tables


class Unpackable(ValueError):
    """A value in a compiled rule file that the packed form cannot carry exactly."""


class _Writer:
    """Python source for compiled records: each value as a literal or a record constructor.

    Equal Meta records (a condition's meta is often its route's) are written once, in a table `m`,
    and shared: records are immutable and compare by value, so sharing changes no answer.
    """

    def __init__(self) -> None:
        self.metas: dict[str, int] = {}  # a Meta's source -> its place in the table
        self.file = ""  # the expression for the path of the credential being written

    def value(self, value: Any, where: str, indent: str) -> str:
        # exact types only: a subclass (the YAML loader's `Written` text, say) would not come back as itself
        if value is None or type(value) in (bool, int, str):
            return repr(value)
        if type(value) is float:
            if value != value or value in (float("inf"), float("-inf")):
                raise Unpackable(f"{where}: {value} has no exact literal form")
            return repr(value)
        if type(value) is date:
            return f"date({value.year}, {value.month}, {value.day})"
        if is_record(value):
            return self.record(value, where, indent)
        inner = indent + "    "
        if isinstance(value, dict):  # (the YAML loader's mappings and lists remember lines: plain ones here)
            items = [f"{self.value(k, where, inner)}: {self.value(v, f'{where}.{k}', inner)}" for k, v in value.items()]
            return self.wrap("{", items, "}", indent)
        if type(value) is tuple or isinstance(value, list):
            items = [self.value(item, f"{where}[{i}]", inner) for i, item in enumerate(value)]
            if type(value) is tuple:
                return self.wrap("(", items + [""] if len(items) == 1 else items, ")", indent)
            return self.wrap("[", items, "]", indent)
        raise Unpackable(f"{where}: a {type(value).__name__} ({value!r}) cannot be packed; write it as plain text "
                         f"or a plain number")

    def record(self, value: Any, where: str, indent: str) -> str:
        name = type(value).__name__
        if name not in _RECORDS:
            raise Unpackable(f"{where}: a {name} record is not one the packed form builds")
        if isinstance(value, Meta):  # written once, in the table at the top of credentials()
            text = self.fields(value, where, _TABLE_INDENT)
            return f"m[{self.metas.setdefault(text, len(self.metas))}]"
        return self.fields(value, where, indent)

    def fields(self, value: Any, where: str, indent: str) -> str:
        # every field, positionally, in the record's order (the table at the top of the module names them):
        # a call by keyword matches each name against the parameters, about half the cost of building
        # the rules on every run
        args = []
        for name in value.__record_fields__:
            if isinstance(value, Credential) and name == "file":
                args.append(self.file)  # the file's path is the folder's at run time (the wheel's, or rules/)
            else:
                args.append(self.value(value.__dict__[name], f'{where}.{name}', indent + '    '))
        return self.wrap(f"{type(value).__name__}(", args, ")", indent)

    @staticmethod
    def wrap(start: str, items: list[str], end: str, indent: str) -> str:
        line = start + ", ".join(items) + end
        if len(indent) + len(line) <= _WIDTH and "\n" not in line:
            return line
        inner = indent + "    "
        return start + "\n" + "".join(f"{inner}{item},\n" for item in items if item) + indent + end


def generate(directory: Path) -> str:
    """The packed form of the rule folder `directory`, as Python source; raises RuleError for a broken file."""
    from ma_cli.ruleset.rules import load_directory, rule_files

    paths = [str(p) for p in rule_files(directory)]
    files = fingerprint(paths)
    if files is None:
        raise OSError("a rule file could not be read")
    creds = load_directory(directory, "bundled")
    if [c.file for c in creds] != paths:
        raise Unpackable("each rule file should compile to one credential")
    writer = _Writer()
    built = []
    for i, cred in enumerate(creds):
        writer.file = f"files[{i}]"
        built.append(writer.value(cred, Path(cred.file).name, _TABLE_INDENT))
    imports: dict[str, list[str]] = {}
    classes: dict[str, Any] = {}
    for record, module in _RECORDS.items():
        imports.setdefault(module, []).append(record)
        classes[record] = getattr(import_module(module), record)
    return "".join([
        _HEADER,
        *(f"from {module} import {', '.join(names)}\n" for module, names in sorted(imports.items())),
        f"\nFORMAT = {FORMAT}\n",
        "# the fields of each record, in the order its constructor below is given them (rules_packed checks\n",
        "# them against the records' own: a field added, dropped or moved makes this module stale)\n",
        "LAYOUT = {\n", *(f"    {name!r}: {cls.__record_fields__!r},\n" for name, cls in sorted(classes.items())), "}\n",
        "# (name, size in bytes, CRC-32) of each rule file this was generated from, in order\n",
        "FILES = (\n", *(f"    {stamp!r},\n" for stamp in files), ")\n\n\n",
        "def credentials(files: tuple[str, ...]) -> list[Credential]:\n",
        '    """The credentials of FILES, in order; `files` are those files\' paths."""\n',
        "    m = (\n", *(f"{_TABLE_INDENT}{text},\n" for text in writer.metas), "    )\n",
        "    return [\n", *(f"{_TABLE_INDENT}{text},\n" for text in built), "    ]\n",
    ])


_HEADER = '''"""The bundled rules, compiled: generated by `python -m ma_cli.ruleset.pack_rules` from rules/*.yaml.

Do not edit: edit the rule files and run that command. rules_packed.py says how this is used.
"""

from __future__ import annotations

from datetime import date

'''


def main(argv: list[str] | None = None) -> int:
    import argparse

    from ma_cli.base.errors import InputError
    from ma_cli.ruleset.rules import bundled_rules_dir
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
        text = generate(directory)
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
