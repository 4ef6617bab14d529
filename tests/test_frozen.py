"""A record behaves as the frozen dataclass it stands in for: fields, defaults, factories, frozen, eq, hash, repr."""

import dataclasses

import pytest
from hypothesis import given, settings, strategies as st

from ma_cli.base.frozen import FrozenInstanceError, asdict, field, record, replace


@record
class Sample:
    a: int
    b: str = "b"
    c: dict = field(factory=dict)
    d: tuple = field(default=(), compare=False)
    e: object = field(default=None, repr=False)


@dataclasses.dataclass(frozen=True)
class Plain:
    a: int
    b: str = "b"
    c: dict = dataclasses.field(default_factory=dict)
    d: tuple = dataclasses.field(default=(), compare=False)
    e: object = dataclasses.field(default=None, repr=False)


CALLS = [((1,), {}), ((1, "x"), {}), ((1,), {"c": {"k": 1}, "d": (2,)}), ((), {"a": 3, "b": "y"}),
         ((1, "x", {}, (), "e"), {})]


@pytest.mark.parametrize("args, kwargs", CALLS)
def test_same_construction_as_the_dataclass(args, kwargs):
    mine, theirs = Sample(*args, **kwargs), Plain(*args, **kwargs)
    assert asdict(mine) == dataclasses.asdict(theirs)
    assert repr(mine).replace("Sample", "Plain") == repr(theirs)


def test_factory_equality_and_hash():
    assert Sample(1).c is not Sample(1).c  # a fresh object from the factory each time
    assert Sample(1, d=(1,)) == Sample(1, d=(2,))  # compare=False is honoured
    assert Sample(1) != Sample(2)
    assert Sample(1).__eq__(Plain(1)) is NotImplemented
    assert hash(Sample(1, "x", None)) == hash(Sample(1, "x", None))
    with pytest.raises(TypeError):
        hash(Sample(1))  # a dict field is not hashable, as with the dataclass


def test_replace_and_nested_asdict():
    s = Sample(1, c={"k": Sample(2)})
    assert replace(s, b="z") == Sample(1, "z", {"k": Sample(2)})
    assert asdict(s)["c"]["k"] == {"a": 2, "b": "b", "c": {}, "d": (), "e": None}
    with pytest.raises(TypeError):
        replace(s, nope=1)
    assert replace(Plain(1), b="z") == Plain(1, "z")  # dataclasses pass through


@settings(max_examples=200, deadline=None)
@given(a=st.integers(), b=st.text(max_size=3), d=st.tuples(st.integers()), e=st.none() | st.integers(),
       changes=st.dictionaries(st.sampled_from("abde"), st.integers() | st.text(max_size=2), max_size=4))
def test_replace_makes_what_the_constructor_makes(a, b, d, e, changes):
    # replace copies the fields into the new record itself: it must give what __init__ with them gives,
    # and leave the original and anything else kept in its __dict__ (a memo) behind
    s = Sample(a, b, {"k": a}, d, e)
    s.__dict__["memo"] = object()
    given = {"a": a, "b": b, "c": s.c, "d": d, "e": e}
    made = replace(s, **changes)
    expected = Sample(**{**given, **changes})
    assert made == expected and repr(made) == repr(expected)
    assert [made.__dict__[n] for n in "abcde"] == [expected.__dict__[n] for n in "abcde"]
    assert "memo" not in made.__dict__ and type(made) is Sample
    assert [s.__dict__[n] for n in "abcde"] == [given[n] for n in "abcde"]  # the original untouched
    with pytest.raises(FrozenInstanceError):
        made.a = 1


def test_frozen_and_checked():
    s = Sample(1)
    with pytest.raises(FrozenInstanceError):
        s.a = 2
    with pytest.raises(FrozenInstanceError):
        del s.a
    with pytest.raises(TypeError):
        Sample()  # a is required
    with pytest.raises(TypeError):
        Sample(1, f=2)


def test_refuses_a_required_field_after_a_default():
    with pytest.raises(TypeError, match="without a default follows"):
        @record
        class Bad:
            a: int = 1
            b: int


def test_records_of_one_shape_keep_their_own_names_defaults_and_factories():
    """Records with as many fields share their __init__'s code, each with its own names put in (frozen._init)."""
    @record
    class First:
        x: int
        y: list = field(factory=list)

    @record
    class Second:
        name: str
        tags: set = field(factory=set)

    @record
    class Third:
        p: int
        q: str = "q"

    assert (First(1).__dict__, Second("s").__dict__, Third(2).__dict__) == (
        {"x": 1, "y": []}, {"name": "s", "tags": set()}, {"p": 2, "q": "q"})
    assert Second(tags={1}, name="n") == Second("n", {1}) and Third(q="r", p=3).q == "r"
    with pytest.raises(TypeError, match=r"Second\.__init__\(\) missing 1 required positional argument: 'name'"):
        Second()
    with pytest.raises(TypeError, match="unexpected keyword argument 'x'"):
        Second("n", x=1)  # First's name is not Second's

    @record
    class Empty:
        pass

    assert Empty() == Empty() and Empty().__dict__ == {}


def test_the_written_out_inits_are_current_and_no_shape_without_a_factory_is_compiled_at_run_time(monkeypatch):
    """record_inits.py is what frozen.inits_source generates (regenerate: python -c 'from ma_cli.base import
    frozen; frozen.write_inits()'), and a record of a shape it holds takes its code from there: a start
    compiles no source for its records but those with a factory."""
    from pathlib import Path

    import ma_cli.base.frozen as frozen
    from ma_cli.base import record_inits

    assert Path(record_inits.__file__).read_text(encoding="utf-8") == frozen.inits_source()
    monkeypatch.setattr(frozen, "_SHAPES", {})

    def refuse(*args, **kwargs):
        raise AssertionError("compiled a shape at run time")

    monkeypatch.setattr(frozen, "exec", refuse, raising=False)  # (the module's own name shadows the builtin)

    @record
    class Wide:
        a: int
        b: str = "b"
        c: tuple = ()
        d: object = field(default=None, compare=False)

    w = Wide(1, c=(2,))
    assert w.__dict__ == {"a": 1, "b": "b", "c": (2,), "d": None} and w == Wide(1, "b", (2,), "other")
    assert type(w).__init__.__code__.co_filename == record_inits.__file__
    assert type(w).__init__.__qualname__.endswith("Wide.__init__") and type(w).__init__.__name__ == "__init__"
