"""Immutable records: what `@dataclass(frozen=True)` gives, made cheaply, for the classes on every run.

Two costs made `dataclasses` the wrong tool for the classes every `ma-cli` start defines (profile,
rules, engine, dates) and every roster row builds by the dozen:
- defining one generates and compiles six or seven methods (about 0.4 ms a class on CPython 3.11,
  some 7 ms of each start, which scripts pay once per call);
- its `__init__` sets each field through `object.__setattr__` (how it gets past frozen), about a
  microsecond per object.
A record compiles only its `__init__` (one `exec`, writing the fields into the instance's `__dict__`);
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

_MISSING = object()
_FACTORY = object()  # stands for "use the default factory" in the generated signature


class FrozenInstanceError(AttributeError):
    """A record's field was assigned or deleted."""


class _Field:
    __slots__ = ("default", "factory", "compare", "repr")

    def __init__(self, default, factory, compare, repr):
        self.default, self.factory, self.compare, self.repr = default, factory, compare, repr


def field(*, default=_MISSING, factory=None, compare: bool = True, repr: bool = True) -> _Field:  # noqa: A002
    """A field's options, where a plain default is not enough."""
    if default is not _MISSING and factory is not None:
        raise TypeError("field: give a default or a factory, not both")
    return _Field(default, factory, compare, repr)


def record(cls):
    """Make `cls` an immutable record of the fields its annotations name, in order."""
    names = tuple(cls.__dict__.get("__annotations__", {}))
    params, lines, env = [], [], {"_FACTORY": _FACTORY}
    compared, shown = [], []
    for name in names:
        spec = cls.__dict__.get(name, _MISSING)
        if not isinstance(spec, _Field):
            spec = _Field(spec, None, True, True)
        if name in cls.__dict__:
            delattr(cls, name)  # the instance always holds the value; no class attribute to shadow
        if spec.factory is not None:
            env[f"_factory_{name}"] = spec.factory
            params.append(f"{name}=_FACTORY")
            lines.append(f"    if {name} is _FACTORY: {name} = _factory_{name}()")
        elif spec.default is not _MISSING:
            env[f"_default_{name}"] = spec.default
            params.append(f"{name}=_default_{name}")
        elif params and "=" in params[-1]:
            raise TypeError(f"record {cls.__name__}: field '{name}' without a default follows one with a default")
        else:
            params.append(name)
        lines.append(f"    _fields_['{name}'] = {name}")
        if spec.compare:
            compared.append(name)
        if spec.repr:
            shown.append(name)
    body = "\n".join(lines) or "    pass"
    source = f"def __init__(self, {', '.join(params)}):\n    _fields_ = self.__dict__\n{body}\n"
    exec(source, env)  # noqa: S102 - the source is built above from the class's own field names
    init = env["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init
    cls.__record_fields__ = names
    cls.__record_compared__ = tuple(compared)
    cls.__record_shown__ = tuple(shown)
    cls.__match_args__ = names
    cls.__eq__ = _eq
    cls.__hash__ = _hash
    cls.__repr__ = _repr
    cls.__setattr__ = _refuse_set
    cls.__delattr__ = _refuse_delete
    return cls


def _key(obj) -> tuple:
    values = obj.__dict__
    return tuple(values[name] for name in obj.__record_compared__)


def _eq(self, other):
    if other.__class__ is self.__class__:
        return _key(self) == _key(other)
    return NotImplemented


def _hash(self):
    return hash(_key(self))


def _repr(self):
    values = self.__dict__
    return f"{type(self).__qualname__}({', '.join(f'{n}={values[n]!r}' for n in self.__record_shown__)})"


def _refuse_set(self, name, value):
    raise FrozenInstanceError(f"cannot assign to field '{name}'")


def _refuse_delete(self, name):
    raise FrozenInstanceError(f"cannot delete field '{name}'")


def is_record(obj) -> bool:
    return hasattr(type(obj), "__record_fields__")


def replace(obj, **changes):
    """A copy of the record (or dataclass) `obj` with some fields changed."""
    if not is_record(obj):
        import dataclasses

        return dataclasses.replace(obj, **changes)
    values = {name: obj.__dict__[name] for name in obj.__record_fields__}
    unknown = set(changes) - set(values)
    if unknown:
        raise TypeError(f"{type(obj).__name__} has no field {', '.join(sorted(unknown))}")
    values.update(changes)
    return type(obj)(**values)


def asdict(obj):
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
