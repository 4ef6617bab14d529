"""The one way ma-cli writes JSON: strict JSON (RFC 8259), which has no NaN or Infinity.

Python's json.dumps writes float("inf") as `Infinity` and a NaN as `NaN`, which strict JSON
readers (jq, JavaScript's JSON.parse, most databases) refuse. The bounds on every number a user
gives (bounds.py) keep every total finite; allow_nan=False here makes sure a non-finite number
that slipped through anyway is reported as a bug (exit 70), never printed as invalid JSON.
tests/test_strict_json.py holds every JSON output to this module.
"""

from __future__ import annotations

import json
from typing import Any


def dumps(value: Any, **options: Any) -> str:
    """json.dumps, strict: ValueError rather than NaN or Infinity in the output."""
    return json.dumps(value, allow_nan=False, **options)
