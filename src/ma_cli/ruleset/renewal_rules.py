"""The renewal part of a rule file: schema checking and compiling of `renewal:`.

Every renewal fact is a *parameter* (period, ce_total, grace, ...). A parameter is one mapping
or a list of dated versions; each version carries its source, quote, confidence and
`effective` (a date or `unknown`), optionally `until` and `note`. The engine (renewal.py)
picks the version in force on the day that matters. Errors reuse `rules.Compiler`, so they
read `file:line:column: message` like every other rule error.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ma_cli.base.dates import Offset
from ma_cli.base.errors import RuleError
from ma_cli.base.frozen import record
from ma_cli.inputs.celog import CATEGORIES, kind_key
from ma_cli.inputs.profile import suggest
from ma_cli.ruleset.rules import Compiler, Credential, Meta, Source, overlaps

# the days a renewal cycle may end on, with their words (for a note on which one the sources leave open)
ANCHOR_WORDS = {"end_of_month": "the last day of its month", "anniversary": "the anniversary",
                "before_anniversary": "the day before the anniversary"}
ANCHORS = tuple(ANCHOR_WORDS)
FEE_DUE = ("anniversary_month",)
GRACE_WORDS = ("none", "unknown")  # none: the sources give no grace; unknown: they do not settle it

_NUMBER = (int, float)
# name -> (keys with their kinds, required keys, key that tells versions of a keyed parameter apart)
PARAMS: dict[str, tuple[dict[str, Any], tuple[str, ...], str | None]] = {
    # other_anchor: the other day the cycle may end on, where the sources do not say which (the days
    # between the two due dates answer review)
    "period": ({"length": Offset, "anchor": ANCHORS, "other_anchor": ANCHORS}, ("length", "anchor"), None),
    "ce_total": ({"credits": _NUMBER, "unit": str}, ("credits",), None),
    "ce_minimums": ({"credits": "categories"}, ("credits",), None),
    "ce_approved": ({"minimum": _NUMBER, "label": str}, ("minimum",), None),
    "ce_unapproved": ({"maximum": _NUMBER}, ("maximum",), None),
    "ce_kinds": ({"kind": str, "counts": bool, "credits_each": _NUMBER, "category": CATEGORIES,
                  "approved": bool, "max_items": int}, ("kind",), "kind"),
    # other_reading: a second source that gives the window another length (see _other_reading);
    # month_end_reading: months counted from a due date on a month's last day may also end on a month's last
    # day (the days between the same day of the month and the month's end answer review);
    # late_ce: what the sources say of CE earned after the due date (see _late_ce)
    "grace": ({"length": "grace", "allows": str, "then": str, "month_end_reading": bool, "other_reading": "reading",
               "late_ce": "late_ce"}, ("length",), None),
    "exam": ({"allowed": bool, "pass_before": Offset, "apply_before": Offset}, ("allowed",), None),
    "fees": ({"every": Offset, "due": FEE_DUE}, ("every", "due"), None),
    "also": ({"id": str}, ("id", "says"), "id"),
}
_META_KEYS = ("source", "quote", "confidence", "effective", "until", "note", "says")


@record
class Param:
    """One version of one renewal parameter."""

    name: str
    key: str | None  # the kind or id of a keyed parameter (ce_kinds, also)
    values: dict
    meta: Meta

    def __getitem__(self, item: str) -> Any:
        return self.values.get(item)

    def in_force(self, day: date) -> bool:
        return self.meta.in_force(day)


@record
class RenewalRules:
    credential: str
    name: str
    file: str
    sources: dict[str, Source]
    params: dict[str, tuple[Param, ...]]

    def version(self, name: str, day: date) -> Param | None:
        """The version of an unkeyed parameter in force on `day` (None: none is)."""
        return next((p for p in self.params.get(name, ()) if p.in_force(day)), None)

    def keyed(self, name: str, day: date) -> dict[str, Param]:
        """Versions of a keyed parameter in force on `day`, by key."""
        return {p.key: p for p in self.params.get(name, ()) if p.in_force(day)}

    def has(self, name: str) -> bool:
        return bool(self.params.get(name))

    def source_url(self, source_id: str | None) -> str | None:
        src = self.sources.get(source_id or "")
        return src.url if src else None


def compile_renewal(cred: Credential) -> RenewalRules:
    """Compile `cred.renewal`; raise the first RuleError (file:line:column) if it is malformed."""
    rules, errors = check_renewal(cred)
    if errors:
        raise errors[0]
    return rules


def check_renewal(cred: Credential) -> tuple[RenewalRules | None, list[RuleError]]:
    """Compile and collect every problem (for a validator that reports them all)."""
    c = Compiler(cred.file)
    raw = cred.renewal
    if raw is None:
        c.error(None, f"credential '{cred.id}' has no 'renewal:' section")
        return None, c.errors
    if not isinstance(raw, dict):
        c.error(raw, "'renewal' should be a mapping of parameters such as period, ce_total, grace")
        return None, c.errors
    c.keys(raw, tuple(PARAMS), "renewal")
    params: dict[str, tuple[Param, ...]] = {}
    for name, node in raw.items():
        if name not in PARAMS:
            continue
        versions = node if isinstance(node, list) else [node]
        pairs = [(_version(c, name, v, i, cred), v) for i, v in enumerate(versions)]
        pairs = [(p, v) for p, v in pairs if p is not None]
        _check_overlaps(c, name, pairs)
        params[name] = tuple(p for p, _ in pairs)
    if "period" not in params:
        c.error(raw, "'renewal' needs 'period' (length and anchor of the renewal cycle)")
    if c.errors:
        return None, c.errors
    return RenewalRules(cred.id, cred.name, cred.file, cred.sources, params), []


def _version(c: Compiler, name: str, node: Any, i: int, cred: Credential) -> Param | None:
    what = f"renewal {name}" + (f"[{i}]" if i else "")
    if not isinstance(node, dict):
        c.error(node, f"{what} should be a mapping (or a list of dated mappings)")
        return None
    schema, required, key_field = PARAMS[name]
    c.keys(node, tuple(schema) + _META_KEYS, what)
    # a fact that gives no confidence is as sure as the file says its rules are (a `confidence: low`
    # file's renewal facts are not shown as high)
    meta = c.meta(node, what, None, cred.sources, cred.confidence)
    if meta.source is None:
        c.error(node, f"{what} needs 'source' (an id from 'sources')")
    for key in required:
        if node.get(key) is None:
            c.error(node, f"{what} needs '{key}'")
    values: dict[str, Any] = {}
    for key, kind in schema.items():
        if key not in node:
            continue
        value = node[key]
        if kind is Offset:
            values[key] = _forward(c, node, key, what)
        elif kind == "categories":
            values[key] = _categories(c, node, key, what)
        elif kind == "grace":
            values[key] = _grace_length(c, node, key, what)
        elif kind == "reading":
            values[key] = _other_reading(c, node, key, what, meta, cred)
        elif kind == "late_ce":
            values[key] = _late_ce(c, node, key, what, meta, cred)
        elif isinstance(kind, tuple) and all(isinstance(k, str) for k in kind):
            if value not in kind:
                c.error(node, f"'{key}' in {what} should be one of {', '.join(kind)}, got '{value}'"
                              f"{suggest(str(value), kind)}", key)
            values[key] = value
        else:
            values[key] = c.typed(node, key, kind, what)
            if isinstance(values[key], _NUMBER) and values[key] < 0:
                c.error(node, f"'{key}' in {what} should not be negative", key)
    if "other_anchor" in values and values["other_anchor"] == values.get("anchor"):
        c.error(node, f"'other_anchor' in {what} should differ from 'anchor' (it is the other reading)", "other_anchor")
    key = str(node.get(key_field)).lower() if key_field and node.get(key_field) is not None else None
    if name == "ce_kinds" and key is not None:  # matched as a log's kinds are read (kind_key)
        key = kind_key(key)
        if key is None:
            c.error(node, f"'kind' in {what} should name a kind (words, e.g. cpr-card)", "kind")
    return Param(name, key, values, meta)


def _categories(c: Compiler, node: dict, key: str, what: str) -> dict[str, float]:
    value = node[key]
    if not isinstance(value, dict) or not value:
        c.error(node, f"'{key}' in {what} should map categories to credits, e.g. {{clinical: 10}}", key)
        return {}
    out = {}
    for cat, n in value.items():
        if cat not in CATEGORIES:
            c.error(value, f"unknown category '{cat}' in {what}{suggest(str(cat), CATEGORIES)}; "
                           f"expected one of: {', '.join(CATEGORIES)}", cat)
        elif isinstance(n, bool) or not isinstance(n, _NUMBER) or n < 0:
            c.error(value, f"'{cat}' in {what} should be a number of credits", cat)
        else:
            out[cat] = n
    return out


def _forward(c: Compiler, node: dict, key: str, what: str) -> Offset:
    """A renewal span (a cycle, a grace window, a fee's interval, how long before a due date): it runs
    forward, and is longer than nothing. `{months: -24}` made a period end before it started ('period:
    2025-03-10 to 2023-03-10') and `rules validate` said valid; eligibility's spans may have any sign."""
    before = len(c.errors)
    span = c.offset(node, key, what)
    if len(c.errors) > before:  # (a unit misspelt or not a number: that is the problem to name)
        return span
    parts = (span.years, span.months, span.days)
    if key in ("pass_before", "apply_before"):  # (how long before the due date: none is the due date itself)
        if any(n < 0 for n in parts):
            c.error(node, f"'{key}' in {what} should be a span counted back from the due date, such as "
                          f"{{days: 30}} ({{days: 0}}: the due date itself)", key)
    elif any(n < 0 for n in parts) or not any(parts):
        c.error(node, f"'{key}' in {what} should be a span longer than nothing, counted forward, such as "
                      f"{{months: 3}}", key)
    return span


def _grace_length(c: Compiler, node: dict, key: str, what: str) -> Offset | str | None:
    value = node[key]
    if value in GRACE_WORDS:
        return value
    if isinstance(value, dict):
        return _forward(c, node, key, what)
    c.error(node, f"'{key}' in {what} should be a span such as {{days: 90}}, 'none' (no grace) or "
                  f"'unknown' (the sources do not settle it)", key)
    return None


def _other_reading(c: Compiler, node: dict, key: str, what: str, meta: Meta, cred: Credential) -> Param | None:
    """A second source's length of the same grace window, in force when its version is (it inherits
    `effective` and `until`). Where the two lengths end on different days, the days between them are
    allowed by one source and not by the other: the engine answers `review` there."""
    value = node[key]
    where = f"'{key}' in {what}"
    if not isinstance(value, dict):
        c.error(node, f"{where} should be a mapping: length (a span), source, quote, says, note, confidence", key)
        return None
    c.keys(value, ("length", "month_end_reading", "source", "quote", "confidence", "says", "note"), where)
    if "source" not in value:
        c.error(value, f"{where} needs 'source' (an id from 'sources'): the other reading is another source's")
    if not isinstance(value.get("length"), dict):
        c.error(value, f"{where} needs 'length', a span such as {{months: 3}}")
        return None
    values = {"length": _forward(c, value, "length", where)}
    if "month_end_reading" in value:
        values["month_end_reading"] = c.typed(value, "month_end_reading", bool, where)
    return Param("grace", None, values, c.meta(value, where, meta, cred.sources))


def _late_ce(c: Compiler, node: dict, key: str, what: str, meta: Meta, cred: Credential) -> Param | None:
    """What the sources say of CE earned after the due date, inside the grace window: the engine never
    counts it (the period ends on the due date), and a person short of credits in the window answers
    `review` with this as the reason. Only its words and source: it inherits `effective` and `until`."""
    value = node[key]
    where = f"'{key}' in {what}"
    if not isinstance(value, dict):
        c.error(node, f"{where} should be a mapping: says, source, quote, note, confidence", key)
        return None
    c.keys(value, ("source", "quote", "confidence", "says", "note"), where)
    if "says" not in value:
        c.error(value, f"{where} needs 'says' (what the sources leave open about late CE)")
    return Param("late_ce", None, {}, c.meta(value, where, meta, cred.sources))


def _check_overlaps(c: Compiler, name: str, pairs: list[tuple[Param, Any]]) -> None:
    for j, (later, node) in enumerate(pairs):
        for earlier, _ in pairs[:j]:
            if earlier.key == later.key and overlaps(earlier.meta, later.meta):
                label = f" '{later.key}'" if later.key else ""
                c.error(node, f"renewal {name}{label} has two versions in force at the same time "
                              f"(give the older one 'until')")
