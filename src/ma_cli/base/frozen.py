"""Immutable records: what `@dataclass(frozen=True)` gives, made cheaply, for the classes on every run.

Two costs made `dataclasses` the wrong tool for the classes every `ma-cli` start defines (profile,
rules, engine, dates) and every roster row builds by the dozen:
- defining one generates and compiles six or seven methods (about 0.4 ms a class on CPython 3.11,
  some 7 ms of each start, which scripts pay once per call);
- its `__init__` sets each field through `object.__setattr__` (how it gets past frozen), about a
  microsecond per object.
A record makes only its `__init__` (writing the fields into the instance's `__dict__`; see _init);
equality, hash, repr and the refusal to change are shared functions that read the class's field
list. Declare one as a dataclass is declared:

    @record
    class Work:
        role: str
        end: date | None = None
        tags: dict = field(factory=dict)                   # a fresh dict for each record
        test: Callable = field(default=None, compare=False, repr=False)

`replace` and `asdict` work on records (and, for the other classes, on dataclasses).
"""

from __future__ import annotations

from types import CodeType, FunctionType
from typing import Any, Callable, TypeVar, dataclass_transform

T = TypeVar("T")

_MISSING = object()
_FACTORY = object()  # stands for "use the default factory" in the generated signature


class FrozenInstanceError(AttributeError):
    """A record's field was assigned or deleted."""


class _Field:
    __slots__ = ("default", "factory", "compare", "repr")

    def __init__(self, default: Any, factory: Callable[[], Any] | None, compare: bool, repr: bool) -> None:
        self.default, self.factory, self.compare, self.repr = default, factory, compare, repr


def field(*, default: Any = _MISSING, factory: Callable[[], Any] | None = None, compare: bool = True,
          repr: bool = True) -> Any:  # noqa: A002
    """A field's options, where a plain default is not enough."""
    if default is not _MISSING and factory is not None:
        raise TypeError("field: give a default or a factory, not both")
    return _Field(default, factory, compare, repr)


# type checkers read a record as the frozen dataclass it behaves as (PEP 681)
@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[T]) -> type[T]:
    """Make `cls` an immutable record of the fields its annotations name, in order."""
    names = tuple(cls.__dict__.get("__annotations__", {}))
    defaults: list[Any] = []
    factories: dict[int, Callable[[], Any]] = {}
    compared: list[str] = []
    shown: list[str] = []
    for i, name in enumerate(names):
        spec = cls.__dict__.get(name, _MISSING)
        if not isinstance(spec, _Field):
            spec = _Field(spec, None, True, True)
        if name in cls.__dict__:
            delattr(cls, name)  # the instance always holds the value; no class attribute to shadow
        if spec.factory is not None:
            factories[i] = spec.factory
            defaults.append(_FACTORY)
        elif spec.default is not _MISSING:
            defaults.append(spec.default)
        elif defaults:
            raise TypeError(f"record {cls.__name__}: field '{name}' without a default follows one with a default")
        if spec.compare:
            compared.append(name)
        if spec.repr:
            shown.append(name)
    init = _init(names, tuple(defaults), factories, f"{cls.__qualname__}.__init__")
    # set as on any class object (mypy checks assignments to methods and to __match_args__ otherwise)
    members: dict[str, Any] = {
        "__init__": init, "__record_fields__": names, "__record_compared__": tuple(compared),
        "__record_shown__": tuple(shown), "__match_args__": names, "__eq__": _eq, "__hash__": _hash,
        "__repr__": _repr, "__setattr__": _refuse_set, "__delattr__": _refuse_delete}
    for member, value in members.items():
        setattr(cls, member, value)
    return cls


# The __init__ of a record with fields a, b (b made by a factory when not given):
#
#     def __init__(self, a, b=_FACTORY):
#         _fields_ = self.__dict__
#         _fields_['a'] = a
#         if b is _FACTORY: b = _factory_b()
#         _fields_['b'] = b
#
# The code differs from one class to another only in its names: each class gets a copy of the code of
# its shape (how many fields, which made by a factory), made with stand-in names `_0`, `_1`, ..., with
# its own names put in (code.replace; the defaults are the function's own). The shapes without a
# factory are written out in record_inits.py, generated from `shape_source` (tests/test_frozen.py
# holds it to that), and imported as any module: compiling the source at run time costs about
# 0.15 ms a shape, some 2 ms of a start that defines records of a dozen shapes. A shape not in it
# (a factory, or more fields than it holds) is compiled from its source here, once per run.
_SHAPES: dict[tuple[int, tuple[int, ...]], CodeType] = {}
INITS_MAX = 24  # the most fields of a shape record_inits.py holds


def shape_source(count: int, factories: tuple[int, ...] = (), name: str = "__init__") -> str:
    """The source of the __init__ of a record with `count` fields (stand-in names), `factories` the
    positions of those made by a factory when not given."""
    lines = []
    for i in range(count):
        if i in factories:
            lines.append(f"    if _{i} is _FACTORY: _{i} = _factory__{i}()")
        lines.append(f"    _fields_['_{i}'] = _{i}")
    body = "    _fields_ = self.__dict__\n" + "".join(line + "\n" for line in lines) if count else "    pass\n"
    return f"def {name}({', '.join(['self'] + [f'_{i}' for i in range(count)])}):\n" + body


def inits_source() -> str:
    """record_inits.py, as generated."""
    shapes = "\n\n".join(shape_source(n, name=f"init{n}") for n in range(INITS_MAX + 1))
    return ('"""The __init__ of a record of each shape without a factory: generated by frozen.inits_source; do not edit.\n\n'
            "Regenerate with: python -c 'from ma_cli.base import frozen; frozen.write_inits()'\n"
            '"""\n\n\n' + shapes)


def write_inits() -> None:
    """Write record_inits.py (a developer's command; ma-cli never writes it)."""
    from pathlib import Path

    Path(__file__).with_name("record_inits.py").write_text(inits_source(), encoding="utf-8")


def _shape(count: int, factories: tuple[int, ...]) -> CodeType:
    code = _SHAPES.get((count, factories))
    if code is None:
        if not factories and count <= INITS_MAX:
            from ma_cli.base import record_inits

            code = getattr(record_inits, f"init{count}").__code__
        else:
            source = shape_source(count, factories)
            env: dict[str, Any] = {}
            exec(source, env)  # noqa: S102 - the source is built above from numbers alone
            code = env["__init__"].__code__
        _SHAPES[(count, factories)] = code
    return code


_STAND_INS = tuple(f"_{i}" for i in range(INITS_MAX + 1))


def _init(names: tuple[str, ...], defaults: tuple[Any, ...], factories: dict[int, Callable[[], Any]],
          qualname: str) -> Callable[..., None]:
    count = len(names)
    code = _shape(count, tuple(factories))
    stand_ins = _STAND_INS[:count] if count <= INITS_MAX else tuple(f"_{i}" for i in range(count))
    named = dict(zip(stand_ins, names))  # stand-in -> the field's name
    # (mapped by map and slices, not by a Python loop per name: a start defines a few dozen records)
    changes: dict[str, Any] = {
        # the parameters come first: self, then one per field
        "co_varnames": code.co_varnames[:1] + names + code.co_varnames[count + 1:],
        "co_consts": tuple(map(named.get, code.co_consts, code.co_consts)),  # the __dict__ keys (others kept)
    }
    if factories:
        changes["co_names"] = tuple(f"_factory_{named[n[9:]]}" if n.startswith("_factory__") else n
                                    for n in code.co_names)
    code = code.replace(co_name="__init__", co_qualname=qualname, **changes)
    env = {"_FACTORY": _FACTORY, **{f"_factory_{names[i]}": factory for i, factory in factories.items()}}
    return FunctionType(code, env, "__init__", defaults or None)


def _key(obj: Any) -> tuple[Any, ...]:
    values = obj.__dict__
    return tuple(values[name] for name in obj.__record_compared__)


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        return _key(self) == _key(other)
    return NotImplemented


def _hash(self: Any) -> int:
    return hash(_key(self))


def _repr(self: Any) -> str:
    values = self.__dict__
    return f"{type(self).__qualname__}({', '.join(f'{n}={values[n]!r}' for n in self.__record_shown__)})"


def _refuse_set(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field '{name}'")


def _refuse_delete(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field '{name}'")


def is_record(obj: Any) -> bool:
    return hasattr(type(obj), "__record_fields__")


def replace(obj: T, **changes: Any) -> T:
    """A copy of the record (or dataclass) `obj` with some fields changed."""
    if not is_record(obj):
        import dataclasses

        return dataclasses.replace(obj, **changes)  # type: ignore[type-var]
    names = obj.__record_fields__  # type: ignore[attr-defined]
    unknown = [name for name in changes if name not in names]
    if unknown:
        raise TypeError(f"{type(obj).__name__} has no field {', '.join(sorted(unknown))}")
    # the fields copied straight into a new record's __dict__, as its __init__ would put them (a record's
    # __init__ only stores its fields; with every field given it makes none): a third of the cost of
    # calling it by keyword, and the planner's walk forward copies a person at every step
    new = object.__new__(type(obj))
    fields, old = new.__dict__, obj.__dict__
    for name in names:
        fields[name] = old[name]
    fields.update(changes)
    return new


def asdict(obj: Any) -> Any:
    """The record (or dataclass) `obj` as a dict, records inside it and inside its lists, tuples and
    dicts turned into dicts as well."""
    if is_record(obj):
        return {name: asdict(obj.__dict__[name]) for name in obj.__record_fields__}
    if isinstance(obj, (list, tuple)):
        return type(obj)(asdict(v) for v in obj)
    if isinstance(obj, dict):
        return {asdict(k): asdict(v) for k, v in obj.items()}
    if hasattr(type(obj), "__dataclass_fields__"):
        import dataclasses

        return dataclasses.asdict(obj)
    return obj
