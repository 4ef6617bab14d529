"""yamlio builds data from the parser's events itself; it must read every plain document exactly
as PyYAML's safe loader does (same types, same values), and remember where each key and item stood."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from ma_cli.base.errors import InputError
from ma_cli.inputs import yamlio

RULES = Path(__file__).resolve().parent.parent / "rules"

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12),
    st.floats(allow_nan=False, allow_infinity=True), st.dates(date(1900, 1, 1), date(2199, 12, 31)),
    st.text(max_size=12),
    st.sampled_from(["yes", "no", "on", "off", "~", "null", "1_000", "0x1F", "0o17", "1e3", "2024-02-29",
                     "12:30", ".inf", "-.inf", "", " ", "=", "True", "2021-13-01"]),
)
keys = st.one_of(st.text(max_size=8), st.integers(-5, 5), st.booleans())
documents = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                          st.dictionaries(keys, inner, max_size=4)),
                         max_leaves=20)


def _plain(value):
    # Marked/MarkedList are dict/list subclasses; compare as plain data
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _same(mine, theirs, key=None) -> bool:
    """yamlio reads what the safe loader reads, except on purpose: a number in a YAML 1.1 form other than
    plain decimal is kept as the text written (yamlio.Written), and an `id` is always the text written."""
    if isinstance(mine, yamlio.Written):
        return isinstance(theirs, (int, float)) and not isinstance(theirs, bool) or theirs == str(mine)
    if key == "id" and isinstance(mine, str) and not isinstance(theirs, (str, dict, list)) and theirs is not None:
        return True  # the text as written (`id: 00042` is "00042"; the safe loader says 34)
    if isinstance(theirs, dict):  # (in order: yamlio refuses duplicate keys, so both keep every key once)
        return isinstance(mine, dict) and len(mine) == len(theirs) and all(
            _same(mk, tk) and _same(mv, tv, mk) for (mk, mv), (tk, tv) in zip(mine.items(), theirs.items()))
    if isinstance(theirs, list):
        return isinstance(mine, list) and len(mine) == len(theirs) and all(map(_same, mine, theirs))
    return mine == theirs


@settings(max_examples=300, deadline=None)
@given(documents, st.sampled_from([None, True, False]))
def test_reads_what_the_safe_loader_reads(data, flow):
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)
    expected = yaml.safe_load(text)
    mine = yamlio.load_text(text, "doc.yaml")
    assert _same(mine, expected), (mine, expected)


@pytest.mark.parametrize("path", sorted(RULES.glob("*.yaml")), ids=lambda p: p.name)
def test_bundled_rule_files_read_as_the_safe_loader_reads_them(path):
    text = path.read_text()
    assert _plain(yamlio.load_text(text, path.name, rule_file=True)) == yaml.safe_load(text)


def test_marks_of_keys_and_items():
    data = yamlio.load_text("a: 1\nb:\n  - x\n  - {c: 2}\n", "m.yaml")
    assert (data.line, data.column) == (1, 1)
    assert data.key_marks == {"a": (1, 1), "b": (2, 1)}
    assert data["b"].item_marks == [(3, 5), (4, 5)]
    assert data["b"][1].key_marks == {"c": (4, 6)}


def test_every_duplicate_is_reported_and_the_first_value_kept():
    problems: list = []
    data = yamlio.load_text("a: 1\nb: 2\na: 3\nb: [4]\n", "d.yaml", rule_file=True, problems=problems)
    assert data == {"a": 1, "b": 2}
    assert [(p.line, str(p)) for p in problems] == [
        (3, "d.yaml:3:1: duplicate key 'a' (first at line 1)"),
        (4, "d.yaml:4:1: duplicate key 'b' (first at line 2)")]


@pytest.mark.parametrize("text, message", [
    ("? [a, b]\n: 1\n", "d.yaml:1:3: not valid YAML: a key must be a plain value, not a list or mapping"),
    ("a: 1\n---\nb: 2\n", "d.yaml:2:1: not valid YAML: more than one YAML document ('---'); expected one"),
    ("a: !!set {x: null}\n", "d.yaml:1:4: not valid YAML: the tag '!!set' is not allowed (plain YAML values only, no tags)"),
    ("a: " + "[" * 70 + "]" * 70 + "\n", "d.yaml:1:67: nested more than 64 levels deep"),
])
def test_refusals_name_the_place(text, message):
    with pytest.raises(InputError) as err:
        yamlio.load_text(text, "d.yaml")
    assert str(err.value) == message


def test_empty_document_is_none():
    assert yamlio.load_text("", "e.yaml") is None
    assert yamlio.load_text("# only a comment\n", "e.yaml") is None


_PIECES = list("ab:- \n\t[]{},'\"#&*!<>=?|~.019yY") + ["\n  ", "- ", ": ", "!!str ", "2024-02-29", "<<: "]
yamlish = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)


@settings(max_examples=500, deadline=None)
@given(yamlish)
def test_any_text_is_read_as_the_safe_loader_reads_it_or_refused_in_one_line(text):
    try:
        mine = yamlio.load_text(text, "t.yaml")
    except InputError as err:
        assert "\n" not in str(err) and str(err).startswith("t.yaml")
        return
    # what ma-cli accepts, PyYAML's (libyaml) safe loader reads the same way, where it reads it at all
    # (it refuses a bare '=', which ma-cli takes as the text '=')
    try:
        theirs = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return
    assert _same(mine, theirs), (mine, theirs)


# --- the YAML 1.1 surprises ma-cli does not pass on --------------------------------------------

refused_numbers = st.one_of(
    st.integers(0, 7).flatmap(lambda d: st.integers(0, 10**6).map(lambda n: f"0{d}{n:o}")),  # 0755, 00042: octal
    st.tuples(st.integers(1, 99), st.integers(0, 59)).map(lambda t: f"{t[0]}:{t[1]:02d}"),  # 1:30: base 60
    st.tuples(st.integers(1, 999), st.integers(0, 999)).map(lambda t: f"{t[0]}_{t[1]}"),  # 4_0, 1_000
    st.integers(0, 10**6).map(lambda n: f"0x{n:X}"), st.integers(0, 255).map(lambda n: f"0b{n:b}"),
    st.integers(31, 6000).map(lambda n: "9" * n),  # more digits than any number ma-cli reads
    st.sampled_from(["1_0.5", "1:30.5", "-0755", "+1_000"]),
)


@settings(max_examples=200, deadline=None)
@given(refused_numbers, st.sampled_from(["age", "failed_attempts", "programs[0].academic_hours",
                                         "work[0].hours_per_week", "programs[0].injections"]))
def test_a_number_in_a_yaml_1_1_form_is_refused_naming_the_field_and_an_id_keeps_the_text(text, field):
    from ma_cli.inputs.profile import parse_profile

    data = yamlio.load_text(f"id: {text}\nv: {text}\n", "p.yaml")
    assert data["id"] == text and isinstance(data["v"], yamlio.Written) and data["v"] == text
    head, _, leaf = field.partition(".")
    value = {"cma": data["v"]} if field == "failed_attempts" else data["v"]
    if leaf:
        name = head.partition("[")[0]
        entry = {"from": "2021-01-01"} if name == "work" else {"accreditation": "caahep", "completed": "2024-05-15"}
        profile = {"id": data["id"], name: [{**entry, leaf: value}]}
    else:
        profile = {"id": data["id"], field: value}
    with pytest.raises(InputError) as err:
        parse_profile(profile, "p.yaml")
    assert str(err.value).startswith(f"p.yaml.{field}") and "\n" not in str(err.value)


@pytest.mark.parametrize("tag", ["!!binary aGk=", "!!str 42", "!!int 42", "!!float 1.5", "!!bool yes", "!!null ~",
                                 "!!timestamp 2024-01-01", "!foo bar", "! 42", "!!python/object:os.system x",
                                 "!!map {a: 1}", "!!seq [1]", "!!set {a}", "!!omap [a: 1]", "!<tag:yaml.org,2002:str> x"])
def test_every_tag_is_refused(tag):
    with pytest.raises(InputError) as err:
        yamlio.load_text(f"a: {tag}\n", "t.yaml")
    assert "is not allowed (plain YAML values only, no tags)" in str(err.value)


@pytest.mark.parametrize("text, value", [("id: 00042", "00042"), ("id: 1:30", "1:30"), ("id: 12.50", "12.50"),
                                         ("id: +42", "+42"), ("id: 2024-1-5", "2024-1-5"), ("id: '007'", "007"),
                                         ("id: s-0042", "s-0042"), ("id:", None)])
def test_an_id_is_the_text_as_written(text, value):
    assert yamlio.load_text(text + "\n", "p.yaml")["id"] == value


@pytest.mark.parametrize("text, value", [("1", 1), ("-3", -3), ("+5", 5), ("0", 0), ("1.5", 1.5), ("1.0e+3", 1000.0),
                                         ("09", "09"), (".5", 0.5)])
def test_plain_decimal_numbers_read_as_before(text, value):
    got = yamlio.load_text(f"v: {text}\n", "p.yaml")["v"]
    assert got == value and type(got) is type(value)


# the one rule for a date with a time of day, as a roster's date cell and a CE log's date follow it:
# an export's midnight after the date is that date; any other time is refused, quoting it as written
_TIMED = [("2024-05-15 0:00:00", True), ("2024-05-15T00:00:00", True), ("2024-05-15T00:00:00Z", True),
          ("2024-05-15 00:00:00+00:00", True), ("2024-05-15T14:30:00", False), ("2024-05-15 10:30:00", False),
          ("2024-05-15T00:00:00+05:00", False), ("2024-05-15 00:00:00.5", False)]


@pytest.mark.parametrize("quoted", [False, True], ids=["timestamp", "quoted"])
@pytest.mark.parametrize("field", ["programs[0].completed", "work[0].from", "held[0].since", "birth_date"])
@pytest.mark.parametrize("day, read", _TIMED)
def test_a_profile_date_with_a_time_follows_the_rule_of_a_roster_and_a_ce_log(day, read, field, quoted):
    # a YAML timestamp's time was dropped (14:30 read as the day) while the same text quoted was refused
    from ma_cli.inputs.profile import parse_profile

    value = f"'{day}'" if quoted else day
    shapes = {"programs[0].completed": "programs:\n  - {{accreditation: caahep, completed: {}}}\n",
              "work[0].from": "work:\n  - {{role: medical-assistant, from: {}, to: present}}\n",
              "held[0].since": "held:\n  - {{credential: cma, since: {}}}\n", "birth_date": "birth_date: {}\n"}
    text = shapes[field].format(value)
    if read:
        assert parse_profile(yamlio.load_text(text, "p.yaml"), "p.yaml") == parse_profile(
            yamlio.load_text(shapes[field].format("2024-05-15"), "p.yaml"), "p.yaml")
    else:
        with pytest.raises(InputError) as err:
            parse_profile(yamlio.load_text(text, "p.yaml"), "p.yaml")
        assert str(err.value).startswith(f"p.yaml.{field}: '{day}' is not a date (expected YYYY-MM-DD or YYYY-MM")
        assert "\n" not in str(err.value)


YES_NO_FIELDS = [  # (a profile's true/false field, where it sits)
    ("high_school", lambda v: {"high_school": v}),
    ("postsecondary", lambda v: {"programs": [{"accreditation": "caahep", "completed": "2026-05-15",
                                               "postsecondary": v}]}),
    ("clinical", lambda v: {"programs": [{"accreditation": "caahep", "completed": "2026-05-15", "clinical": v}]}),
]


@pytest.mark.parametrize("field, build", YES_NO_FIELDS, ids=[f for f, _ in YES_NO_FIELDS])
@pytest.mark.parametrize("word, meaning", [("yes", True), ("'yes'", True), ("'Y'", True), ("y", True), ("'on'", True),
                                           ("' no '", False), ("N", False), ("'off'", False), ("'false'", False),
                                           ("1", True), ("0", False)])
def test_a_yes_no_word_in_a_profile_reads_as_the_same_word_in_a_roster_cell(field, build, word, meaning):
    # YAML 1.1 reads an unquoted y/yes/on as true and YAML 1.2 reads y as text: either way the person said
    # yes, which a roster cell `y` and a CE log's `approved: y` already read; quoted, the word was refused
    from ma_cli.inputs.profile import parse_profile

    text = yaml.safe_dump(build("@")).replace("'@'", word)
    read = parse_profile(yamlio.load_text(text, "p.yaml"), "p.yaml")
    typed = parse_profile(build(meaning), "p.yaml")
    assert read == typed
    assert (read.high_school if field == "high_school" else getattr(read.programs[0], field)) is meaning


@pytest.mark.parametrize("word", ["'maybe'", "'yes.'", "'oui'", "''", "2", "1.0", "-1"])
def test_any_other_text_in_a_true_false_field_is_still_refused(word):
    from ma_cli.inputs.profile import parse_profile

    with pytest.raises(InputError, match="expected true or false"):
        parse_profile(yamlio.load_text(f"programs:\n- accreditation: caahep\n  completed: 2026-05-15\n"
                                        f"  postsecondary: {word}\n", "p.yaml"),
                      "p.yaml")
