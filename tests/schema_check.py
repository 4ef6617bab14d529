"""Validate documents against the JSON Schemas shipped in src/ma_cli/schemas (one registry, so a schema
can point at another by its file name)."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import ma_cli

FOLDER = Path(ma_cli.__file__).resolve().parent / "schemas"


@functools.lru_cache(maxsize=None)
def validator(name: str):
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    schemas = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in FOLDER.glob("*.json")}
    registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas.values())
    Draft202012Validator.check_schema(schemas[name])
    return Draft202012Validator(schemas[name], registry=registry,
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def validate(name: str, doc) -> None:
    errors = sorted(validator(name).iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, f"{name}: " + "; ".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
