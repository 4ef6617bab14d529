"""quick_init keeps a frozen dataclass exactly what it was: fields, defaults, factories, frozen, eq, hash."""

import dataclasses

import pytest

from ma_cli.frozen import quick_init


@quick_init
@dataclasses.dataclass(frozen=True)
class Sample:
    a: int
    b: str = "b"
    c: dict = dataclasses.field(default_factory=dict)
    d: tuple = dataclasses.field(default=(), compare=False)


@dataclasses.dataclass(frozen=True)
class Plain:
    a: int
    b: str = "b"
    c: dict = dataclasses.field(default_factory=dict)
    d: tuple = dataclasses.field(default=(), compare=False)


def test_same_construction_as_the_generated_init():
    for args, kwargs in [((1,), {}), ((1, "x"), {}), ((1,), {"c": {"k": 1}, "d": (2,)}), ((), {"a": 3, "b": "y"})]:
        assert dataclasses.asdict(Sample(*args, **kwargs)) == dataclasses.asdict(Plain(*args, **kwargs))
    assert Sample(1).c is not Sample(1).c  # a fresh object from the factory each time
    assert Sample(1, d=(1,)) == Sample(1, d=(2,))  # compare=False is still honoured
    assert repr(Sample(1)) == "Sample(a=1, b='b', c={}, d=())"
    assert dataclasses.replace(Sample(1), b="z").b == "z"


def test_still_frozen_and_checked():
    s = Sample(1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.a = 2
    with pytest.raises(TypeError):
        Sample()  # a is required
    with pytest.raises(TypeError):
        Sample(1, e=2)
    assert hash(Sample(1, "x", None)) == hash(Sample(1, "x", None))


def test_refuses_classes_it_cannot_handle():
    @dataclasses.dataclass(frozen=True)
    class WithPost:
        a: int

        def __post_init__(self):
            pass

    with pytest.raises(TypeError):
        quick_init(WithPost)
