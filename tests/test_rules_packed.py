"""The bundled rules' packed form (src/ma_cli/ruleset/rules_packed.json): current, the same data as the YAML,
and never used once it no longer matches the rule files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ma_cli.inputs import yamlio
from ma_cli.ruleset import pack_rules, rules_packed
from ma_cli.ruleset.rules import bundled_rules_dir, load_bundled, load_directory, rule_files


def test_the_packed_form_is_current():
    """Fails after an edit to rules/ until the packed form is regenerated with one command:
    .venv/bin/python -m ma_cli.ruleset.pack_rules"""
    fresh = pack_rules.generate(rule_files(bundled_rules_dir()))
    assert rules_packed.PACKED.read_text(encoding="utf-8") == fresh, (
        "src/ma_cli/ruleset/rules_packed.json does not match rules/: run .venv/bin/python -m ma_cli.ruleset.pack_rules")
    assert pack_rules.main(["--check"]) == 0


def _typed(value):
    """The value with every type spelt out: 1, 1.0 and True are equal in Python, not here."""
    if isinstance(value, dict):  # the YAML's mappings remember lines too; the data is what counts
        return ("mapping", [(key, _typed(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(item) for item in value])
    return (type(value).__name__, value)


def test_the_packed_data_is_the_yaml_data_value_for_value_and_type_for_type():
    paths = rule_files(bundled_rules_dir())
    packed = rules_packed.read(paths)
    assert packed is not None and list(packed) == paths
    for path in paths:
        assert _typed(packed[path]) == _typed(yamlio.load_file(path, "rule file", rule_file=True)), path.name
    # dates come back as dates (the one value JSON has no form for)
    assert any(kind == "date" for kind, _ in _leaves(_typed(packed[paths[0]])))


def _leaves(typed):
    kind, value = typed
    if kind == "mapping":
        for _, item in value:
            yield from _leaves(item)
    elif kind == "list":
        for item in value:
            yield from _leaves(item)
    else:
        yield typed


@pytest.fixture
def no_yaml(monkeypatch):
    """Reading any YAML file fails the test."""
    def refuse(path, *args, **kwargs):
        raise AssertionError(f"read {path} as YAML")

    monkeypatch.setattr(yamlio, "load_file", refuse)


def test_the_bundled_rules_are_read_without_yaml_and_equal_those_read_from_it(no_yaml, monkeypatch):
    packed = load_bundled()
    assert [c.id for c in packed] == [p.stem for p in rule_files(bundled_rules_dir())]
    monkeypatch.undo()
    assert packed == load_directory(bundled_rules_dir(), "bundled")  # records compare field by field


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


def test_a_broken_edit_is_reported_with_its_line_from_the_yaml(folder):
    cma = folder / "cma.yaml"
    cma.write_text(cma.read_text(encoding="utf-8").replace("name: CMA (AAMA)", "name: [CMA"), encoding="utf-8")
    from ma_cli.base.errors import RuleError

    with pytest.raises(RuleError) as err:
        load_bundled(folder)
    assert err.value.file == str(cma) and err.value.line > 0


@pytest.mark.parametrize("damage", [
    lambda doc: {**doc, "format": rules_packed.FORMAT + 1},   # a packed file of another layout
    lambda doc: {**doc, "files": doc["files"][:-1]},          # made from fewer files
    lambda doc: {k: v for k, v in doc.items() if k != "data"},  # not one of ours
])
def test_a_packed_file_that_does_not_fit_is_not_used(tmp_path, damage):
    paths = rule_files(bundled_rules_dir())
    doc = json.loads(rules_packed.PACKED.read_text(encoding="utf-8"))
    other = tmp_path / "rules_packed.json"
    other.write_text(json.dumps(damage(doc)), encoding="utf-8")
    assert rules_packed.read(paths, other) is None
    other.write_text("{not json", encoding="utf-8")
    assert rules_packed.read(paths, other) is None
    assert rules_packed.read(paths, tmp_path / "missing.json") is None
    other.write_text(json.dumps(doc), encoding="utf-8")
    assert rules_packed.read(paths, other) is not None  # (the same file undamaged is used)


@pytest.mark.parametrize("text, what", [
    ("quote: 0x1F\n", "Written"),                   # YAML 1.1's hexadecimal, kept as the text written
    ("'!date': 2026-01-01\n", "reserved"),          # the packed form's own mark for a date
    ("at: .inf\n", "no JSON form"),
])
def test_values_the_packed_form_cannot_carry_exactly_are_refused(tmp_path, text, what):
    path = tmp_path / "x.yaml"
    path.write_text("credential: x\n" + text, encoding="utf-8")
    with pytest.raises(pack_rules.Unpackable, match=what):
        pack_rules.generate([path])
