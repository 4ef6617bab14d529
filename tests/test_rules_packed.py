"""The bundled rules' packed form (src/ma_cli/ruleset/rules_packed_data.py, generated): current, the same
records as the YAML compiles to, and never used once it no longer matches the rule files."""

from __future__ import annotations

import shutil
import sys
from datetime import date
from pathlib import Path

import pytest

from ma_cli.base.errors import InputError, RuleError
from ma_cli.base.frozen import is_record
from ma_cli.inputs import yamlio
from ma_cli.ruleset import pack_rules, rules_packed
from ma_cli.ruleset.rules import bundled_rules_dir, load_bundled, load_directory, rule_files
from rule_copies import rule_folder


def test_the_packed_form_is_current():
    """Fails after an edit to rules/ until the packed form is regenerated with one command:
    .venv/bin/python -m ma_cli.ruleset.pack_rules"""
    fresh = pack_rules.generate(bundled_rules_dir())
    assert rules_packed.PACKED.read_text(encoding="utf-8") == fresh, (
        "src/ma_cli/ruleset/rules_packed_data.py does not match rules/: run .venv/bin/python -m ma_cli.ruleset.pack_rules")
    assert pack_rules.main(["--check"]) == 0


def _typed(value):
    """The value with every type spelt out: 1, 1.0 and True are equal in Python, not here; a record
    is its class and its fields (the YAML's mappings remember lines too: the data is what counts)."""
    if is_record(value):
        return (type(value).__name__, [(name, _typed(value.__dict__[name])) for name in value.__record_fields__])
    if isinstance(value, dict):
        return ("mapping", [(_typed(key), _typed(item)) for key, item in value.items()])
    if isinstance(value, list):  # (the YAML's lists remember lines too)
        return ("list", [_typed(item) for item in value])
    if isinstance(value, tuple):
        return ("tuple", [_typed(item) for item in value])
    return (type(value).__name__, value)


@pytest.fixture
def no_yaml(monkeypatch):
    """Reading any YAML file fails the test."""
    def refuse(path, *args, **kwargs):
        raise AssertionError(f"read {path} as YAML")

    monkeypatch.setattr(yamlio, "load_file", refuse)


def test_the_bundled_rules_are_read_without_yaml_and_equal_those_compiled_from_it(no_yaml, monkeypatch):
    packed = load_bundled()
    assert [c.id for c in packed] == [p.stem for p in rule_files(bundled_rules_dir())]
    monkeypatch.undo()
    compiled = load_directory(bundled_rules_dir(), "bundled")
    assert len(packed) == len(compiled) == 14
    for built, from_yaml in zip(packed, compiled):  # record for record, value for value and type for type
        assert _typed(built) == _typed(from_yaml), built.id
    # what the YAML alone has kinds of: dates, spans, nested conditions, a renewal mapping
    kinds = set(_kinds(_typed(packed)))
    assert {"date", "Offset", "Condition", "Route", "Source", "Meta", "bool", "int", "str", "NoneType", "mapping",
            "list", "tuple"} <= kinds


def _kinds(typed):
    kind, value = typed
    yield kind
    if kind in ("list", "tuple"):
        for item in value:
            yield from _kinds(item)
    elif kind == "mapping":
        for key, item in value:
            yield from _kinds(key)
            yield from _kinds(item)
    elif isinstance(value, list):  # a record's fields
        for _, item in value:
            yield from _kinds(item)


def test_the_packed_records_are_used_by_a_run(no_yaml):
    from ma_cli import api

    doc = api.eligible({"programs": [{"accreditation": "caahep", "completed": "2026-05-15"}]}, as_of="2026-11-23")
    assert len(doc["results"]) == 14 and doc["rules"].startswith("bundled version")


@pytest.fixture
def folder(tmp_path) -> Path:
    """A copy of the bundled rule folder, standing for `rules/` in an editable install."""
    copy = tmp_path / "rules"
    shutil.copytree(bundled_rules_dir(), copy)
    return copy


def test_an_unchanged_copy_is_read_from_the_packed_form(folder, no_yaml):
    assert [c.id for c in load_bundled(folder)][:3] == ["ccma", "cet", "cma"]


def test_an_edit_of_the_same_size_is_seen(folder):
    cma = folder / "cma.yaml"
    text = cma.read_text(encoding="utf-8")
    cma.write_text(text.replace("name: CMA (AAMA)", "name: CMA (AAMB)"), encoding="utf-8")
    assert len(cma.read_bytes()) == len(text.encode("utf-8"))  # only the content tells
    assert {c.id: c.name for c in load_bundled(folder)}["cma"] == "CMA (AAMB)"


def test_a_removed_file_is_seen(folder):
    (folder / "rpt.yaml").unlink()
    assert "rpt" not in [c.id for c in load_bundled(folder)]


def test_an_added_file_is_seen(folder):
    text = (folder / "cma.yaml").read_text(encoding="utf-8")
    (folder / "zz.yaml").write_text(text.replace("credential: cma", "credential: zz"), encoding="utf-8")
    assert [c.id for c in load_bundled(folder)][-1] == "zz"


@pytest.mark.parametrize("name", ["zz.yml", "ZZ.YAML", "zz.Yml"])
def test_an_added_file_by_any_rule_file_name_is_seen(folder, name):
    """The packed check lists the bundled folder as rules.rule_files does (rules_packed.rule_file_names):
    a rule file it did not count would be left out of the answers, the packed ones used unsaid."""
    text = (folder / "cma.yaml").read_text(encoding="utf-8")
    (folder / name).write_text(text.replace("credential: cma", "credential: zz"), encoding="utf-8")
    assert rules_packed.read(folder) is None
    ids = [c.id for c in load_bundled(folder)]
    assert "zz" in ids and len(ids) == len(set(ids)) == len(load_bundled()) + 1


def test_a_broken_edit_is_reported_with_its_line_from_the_yaml(folder):
    cma = folder / "cma.yaml"
    cma.write_text(cma.read_text(encoding="utf-8").replace("name: CMA (AAMA)", "name: [CMA"), encoding="utf-8")
    from ma_cli.base.errors import RuleError

    with pytest.raises(RuleError) as err:
        load_bundled(folder)
    assert err.value.file == str(cma) and err.value.line > 0


def test_a_folder_entry_that_is_not_a_readable_file_is_not_packed_and_is_refused(folder, monkeypatch):
    (folder / "zz.yaml").mkdir()  # named as a rule file but none: not the files packed, and refused, not left out
    assert rules_packed.read(folder) is None
    with pytest.raises(InputError, match=r"zz\.yaml: is a folder; expected a rule file$"):
        load_bundled(folder)


@pytest.mark.parametrize("damage", [
    lambda packed: ("FORMAT", packed.FORMAT + 1),                            # generated for another layout
    lambda packed: ("FILES", packed.FILES[:-1]),                             # made from fewer files
    lambda packed: ("FILES", packed.FILES[:-1] + (packed.FILES[-1][:2] + (0,),)),  # one file's content differs
    # written for records whose fields have since moved (it gives them in order, without names), or with no layout
    lambda packed: ("LAYOUT", {**packed.LAYOUT, "Meta": packed.LAYOUT["Meta"][1:] + packed.LAYOUT["Meta"][:1]}),
    lambda packed: ("LAYOUT", {**packed.LAYOUT, "Source": packed.LAYOUT["Source"][:-1]}),
    lambda packed: ("LAYOUT", None),
])
def test_a_packed_form_that_does_not_fit_is_not_used(monkeypatch, damage):
    from ma_cli.ruleset import rules_packed_data

    assert rules_packed.read(bundled_rules_dir()) is not None  # (undamaged, it is used)
    monkeypatch.setattr(rules_packed_data, *damage(rules_packed_data))
    assert rules_packed.read(bundled_rules_dir()) is None
    assert len(load_bundled()) == 14  # from the YAML


def test_a_record_whose_fields_moved_since_the_packing_is_not_built_from_it(monkeypatch):
    """A record's fields reordered in the code but the packed form not regenerated: it would build each record
    with its values in the wrong fields, so it is not used."""
    from ma_cli.language.rule_records import Meta

    assert rules_packed.read(bundled_rules_dir()) is not None
    moved = Meta.__record_fields__[1:] + Meta.__record_fields__[:1]
    monkeypatch.setattr(Meta, "__record_fields__", moved)
    assert rules_packed.read(bundled_rules_dir()) is None


def test_without_the_packed_form_the_yaml_is_read(monkeypatch):
    import ma_cli.ruleset

    monkeypatch.setitem(sys.modules, "ma_cli.ruleset.rules_packed_data", None)  # as if missing: ImportError
    monkeypatch.delattr(ma_cli.ruleset, "rules_packed_data", raising=False)
    assert rules_packed.read(bundled_rules_dir()) is None
    assert len(load_bundled()) == 14


def _one_file_folder(tmp_path: Path, old: str, new: str) -> Path:
    return rule_folder(tmp_path / "one", (old, new))


@pytest.mark.parametrize("old, new, what", [
    ("title: Certified Medical Assistant", "title: 0x1F", "Written"),  # YAML 1.1's hexadecimal, kept as the text written
])
def test_values_the_packed_form_cannot_carry_exactly_are_refused(tmp_path, old, new, what):
    with pytest.raises(pack_rules.Unpackable, match=what):
        pack_rules.generate(_one_file_folder(tmp_path, old, new))


def test_a_number_with_no_exact_literal_form_never_reaches_the_packer(tmp_path):
    """.inf and .nan are refused by the rule compiler itself (no rule means them), before any packing."""
    with pytest.raises(RuleError, match="should be a finite number"):
        pack_rules.generate(_one_file_folder(tmp_path, "value: 560", "value: .inf"))


def test_a_generated_form_builds_what_it_was_generated_from(tmp_path):
    """The generator's output, run as Python, gives the compiled records (the file paths its caller's)."""
    folder = _one_file_folder(tmp_path, "name: CMA (AAMA)", "name: CMA (AAMB)")
    namespace: dict = {}
    exec(compile(pack_rules.generate(folder), "generated", "exec"), namespace)  # noqa: S102 - our own output
    compiled = load_directory(folder, "bundled")
    assert namespace["FILES"] == rules_packed.fingerprint([str(folder / "cma.yaml")])
    built = namespace["credentials"]((str(folder / "cma.yaml"),))
    assert _typed(built) == _typed(compiled) and built[0].name == "CMA (AAMB)"
    assert isinstance(built[0].requires[0].meta.effective, (date, type(None)))
