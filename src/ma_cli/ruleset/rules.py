"""The rule set: credential files in YAML, checked against the schema and compiled once.

Compiling turns the loaded YAML into frozen objects (Credential, Route, Condition) and
collects every schema problem with its file:line:column, so `rules validate` can report
them all at once and every other command can refuse a broken rule set with one line.
"""

from __future__ import annotations

import math
import os
import re
from datetime import date
from pathlib import Path
from typing import Any

from ma_cli.base.bounds import shown_number
from ma_cli.base.dates import FIRST_YEAR, LAST_YEAR, Offset, parse_date
from ma_cli.base.errors import InputError, RuleError
from ma_cli.base.frozen import record, replace
from ma_cli.inputs.profile import ROLES, STUDY_FIELDS, suggest
from ma_cli.language.rule_records import Condition, Credential, Meta, Route, Source

CONFIDENCES = ("high", "med", "low")
RULES_ENV = "MA_CLI_RULES"


@record
class RuleSet:
    credentials: dict[str, Credential]
    origin: str  # where the rules came from, for the output

    def pick(self, names: list[str] | None, what: str = "--cert", fields: bool = False) -> list[Credential]:
        """The named credentials; `what` names the input they came from, for the error line. With
        `fields`, a field name (FIELD_NAMES) stands for every credential of that field."""
        if not names:
            return list(self.credentials.values())
        picked = []
        for name in names:
            key = name.strip().lower()
            if fields and key not in self.credentials and FIELD_NAMES.get(key) in STUDY_FIELDS:
                # a field: every credential of that kind, in rule-set order
                picked.extend(c for c in self.credentials.values() if c.field == FIELD_NAMES[key] and c not in picked)
                continue
            if key not in self.credentials:
                also = f" (or a field: {', '.join(SHORT_FIELD_NAMES)})" if fields else ""
                raise InputError(f"{what}: '{name}' is not a known credential{suggest(key, self.credentials)}; "
                                 f"expected one of: {', '.join(self.credentials)}{also}")
            if self.credentials[key] not in picked:
                picked.append(self.credentials[key])
        return picked

    def unknown_credential(self, profile: Any) -> tuple[tuple, str] | None:
        """(the field's path in the profile, what is wrong) for the first credential the person's failed
        attempts or held credentials name that the rule set does not have; None when every one is known.
        Counted for no credential, attempts at a misspelt `cmx` would leave CMA's limit on attempts
        unapplied, and a CMA held as 'CMA (AAMA)' would miss the recertificant route: confident wrong
        answers."""
        for name in profile.failed_attempts:
            if name not in self.credentials:
                return ("failed_attempts",), self.unknown_text(name)
        # (every last_attempt key is a failed_attempts key: profile._last_attempts)
        for i, held in enumerate(profile.held):
            if held.credential not in self.credentials:
                return ("held", i, "credential"), self.unknown_text(held.credential)
        return None

    def unknown_text(self, name: str) -> str:
        """What is wrong with a credential name the rule set does not have, and the names it has."""
        return (f"'{name}' is not a known credential{suggest(name, self.credentials)}; "
                f"expected one of: {', '.join(self.credentials)}")


def split_names(names: list[str], what: str = "--cert") -> list[str]:
    """`cma,rma` as two names, `cma` and `rma`: a list is what people type (and what a spreadsheet
    column of credentials holds). An empty piece (`cma,`) is refused naming the list and `what`
    (the input it came from). The CLI's --cert and the Python API's `credentials` read the same way."""
    out = []
    for name in names:
        if "," not in name:
            out.append(name)
            continue
        pieces = [piece.strip() for piece in name.split(",")]
        if not all(pieces):
            raise InputError(f"{what} '{name}': an empty name in the list (expected credential ids or fields "
                             f"separated by commas, e.g. cma,rma)")
        out += pieces
    return out


# the names `--cert` takes for a field (the short ones the answer tables use, and the profile's own)
SHORT_FIELD_NAMES = {"ma": "medical-assisting", "administrative": "medical-administrative", "phlebotomy": "phlebotomy",
                     "ekg": "ekg", "ophthalmic": "ophthalmic"}
FIELD_NAMES = {**SHORT_FIELD_NAMES, **{f: f for f in STUDY_FIELDS}}


# --- compiling ---------------------------------------------------------------------------

# the longest span a rule may give in each unit: the years in which ma-cli reads dates (dates.FIRST_YEAR to
# LAST_YEAR); a date moved by three such spans still lies inside the calendar
_SPAN_YEARS = LAST_YEAR - FIRST_YEAR + 1
SPAN_LIMITS = {"years": _SPAN_YEARS, "months": 12 * _SPAN_YEARS, "days": 366 * _SPAN_YEARS}
_YEARS_PARAMS = ("years", "within", "max_instructor_years")  # condition parameters that are numbers of years

_FILE_KEYS = ("credential", "name", "title", "body", "version", "sources", "eligibility", "renewal", "notes",
              "confidence", "field")
_SOURCE_KEYS = ("url", "read", "title", "quality")
SOURCE_QUALITIES = ("official", "secondary", "low")


def quality_mark(quality: str | None) -> str:
    """How a source's quality is shown after it in text: nothing for an official source."""
    return {"secondary": " [secondary source]", "low": " [low-quality source]"}.get(quality or "", "")
_ELIG_KEYS = ("requires", "routes")
_META_KEYS = ("source", "quote", "confidence", "effective", "until", "note", "says")
_ROUTE_KEYS = ("id", "name", "over", "when", "review", "deadline_says") + _META_KEYS
_COND_BASE_KEYS = ("id", "test") + _META_KEYS


class Compiler:
    def __init__(self, file: str):
        self.file = file
        self.errors: list[RuleError] = []

    def error(self, node: Any, message: str, key: str | int | None = None) -> None:
        line, col = _mark(node, key)
        self.errors.append(RuleError(message, self.file, line, col))

    def keys(self, node: dict, allowed, what: str, own: tuple[str, ...] = ()) -> None:
        """Refuse keys outside `allowed`. `own` are the keys that belong to this element alone (a condition
        kind's parameters): they are named, since a near miss among the shared keys ('supervised' is close to
        'source') points the author the wrong way."""
        for key in node:
            if key not in allowed:
                hint = suggest(str(key), allowed) if not own else (
                    suggest(str(key), own) or suggest(str(key), allowed, cutoff=0.75)
                    or f"; it takes {', '.join(own)}")
                self.error(node, f"unknown key '{key}' in {what}{hint}", key)

    def need(self, node: dict, key: str, kind, what: str) -> Any:
        if key not in node or node[key] is None:
            self.error(node, f"{what} needs '{key}'")
            return None
        return self.typed(node, key, kind, what)

    def typed(self, node: dict, key: str, kind, what: str) -> Any:
        value = node.get(key)
        if value is None:
            return None
        ok = isinstance(value, kind) and not (isinstance(value, bool) and kind in ((int, float), int, float))
        why = getattr(value, "why", None)  # yamlio: a number in a form ma-cli does not read (bounds.Written)
        if not ok and why and kind in ((int, float), int, float):
            self.error(node, f"'{key}' in {what} should be {_kind_name(kind)}: '{shown_number(value)}' {why}", key)
            return None
        if not ok:
            self.error(node, f"'{key}' in {what} should be {_kind_name(kind)}, got {_value_kind(value)}"
                             f"{_digits_hint(value, kind)}", key)
            return None
        if isinstance(value, float) and not math.isfinite(value):  # YAML's .inf and .nan: no rule means them
            self.error(node, f"'{key}' in {what} should be a finite number, got {value}", key)
            return None
        return value

    def date_value(self, node: dict, key: str, what: str, required: bool) -> date | None:
        if key not in node:
            if required:
                self.error(node, f"{what} needs '{key}' (a date, or 'unknown' when the source does not say)")
            return None
        value = node[key]
        if value in (None, "unknown"):
            return None
        try:
            return parse_date(value, key)
        except InputError:
            self.error(node, f"'{key}' in {what} should be a date (YYYY-MM-DD) or 'unknown', got '{value}'", key)
            return None

    def meta(self, node: dict, what: str, inherit: Meta | None, sources: dict, confidence_default: str = "high"
             ) -> Meta:
        """The meta keys of `node`; what it leaves out is `inherit`'s (with no `inherit`: its confidence is
        `confidence_default`, the rule file's own, and `effective` is required)."""
        source = self.typed(node, "source", str, what)
        if source is not None and source not in sources:
            self.error(node, f"source '{source}' in {what} is not in this file's 'sources'"
                             f"{suggest(source, sources)}", "source")
        confidence = node.get("confidence")
        if confidence is not None and confidence not in CONFIDENCES:
            self.error(node, f"confidence in {what} should be one of {', '.join(CONFIDENCES)}, got '{confidence}'",
                       "confidence")
            confidence = None
        effective = self.date_value(node, "effective", what, required=inherit is None or "effective" in node)
        until = self.date_value(node, "until", what, required=False)
        if effective and until and until < effective:
            self.error(node, f"'until' ({until}) is before 'effective' ({effective}) in {what}", "until")
        return Meta(
            source=source or (inherit.source if inherit else None),
            quote=self.typed(node, "quote", str, what) or (inherit.quote if inherit else None),
            confidence=confidence or (inherit.confidence if inherit else confidence_default),
            effective=effective if "effective" in node or inherit is None else inherit.effective,
            until=until if "until" in node or inherit is None else inherit.until,
            note=self.typed(node, "note", str, what),
            says=self.typed(node, "says", str, what),
        )

    def condition(self, node: Any, what: str, inherit: Meta, sources: dict, at: tuple = (None, None)
                  ) -> Condition | None:
        # (imported here: a run from the packed form compiles nothing, and `renew` evaluates no condition)
        from ma_cli.language.conditions import PART_TIME, known_field
        from ma_cli.language.kinds import KINDS

        if not isinstance(node, dict):
            self.error(at[0], f"{what} should be a mapping with a 'test:', got {_value_kind(node)}", at[1])
            return None
        kind = node.get("test")
        if kind not in KINDS:
            self.error(node, f"{what} has unknown test '{kind}'{suggest(str(kind), KINDS)}; "
                             f"expected one of: {', '.join(KINDS)}", "test" if "test" in node else None)
            return None
        schema, required = KINDS[kind].params, KINDS[kind].required
        self.keys(node, _COND_BASE_KEYS + tuple(schema), f"{what} (test {kind})", tuple(schema))
        cid = self.typed(node, "id", str, what) or kind
        meta = self.meta(node, f"{what} '{cid}'", inherit, sources)
        params: dict[str, Any] = {}
        for key in required:
            if key not in node:
                self.error(node, f"{what} '{cid}' (test {kind}) needs '{key}'")
        for key, kind_of in schema.items():
            if key not in node:
                continue
            value = node[key]
            if kind_of is Offset:
                params[key] = self.offset(node, key, what)
            elif kind_of == "conditions":
                items = value if isinstance(value, list) else []
                if not isinstance(value, list) or not value:
                    self.error(node, f"'{key}' in {what} should be a non-empty list of conditions", key)
                subs = [self.condition(c, f"{what} '{cid}' {key}[{i}]", meta, sources, (value, i))
                        for i, c in enumerate(items)]
                self.versions(items, subs, "condition", f" in {what} '{cid}' {key}")
                params[key] = tuple(c for c in subs if c)
            else:
                params[key] = self.typed(node, key, kind_of, f"{what} '{cid}'")
                if kind_of is list and params[key] == []:  # no role, value or credential: the test could never pass
                    self.error(node, f"'{key}' in {what} '{cid}' is an empty list: name at least one"
                                     + ("" if key in required else f", or leave '{key}' out for its default"), key)
                if key in _YEARS_PARAMS and params[key] is not None and not 0 <= params[key] <= SPAN_LIMITS["years"]:
                    self.error(node, f"'{key}' in {what} '{cid}' is {params[key]:,}: expected a number of years from 0 "
                                     f"to {SPAN_LIMITS['years']} (a span longer than the years {FIRST_YEAR}-{LAST_YEAR} "
                                     f"means nothing)", key)
                    params[key] = 0
            if key in ("field", "other", "if_missing_unless") and isinstance(value, str) and not known_field(value):
                self.error(node, f"{what} '{cid}' looks at unknown profile field '{value}'"
                                 f"{suggest(value, _field_names())}", key)
        for role in params.get("roles") or ():
            if role not in ROLES:
                self.error(node, f"{what} '{cid}' names unknown work role '{role}'{suggest(str(role), ROLES)}; "
                                 f"expected one of: {', '.join(ROLES)}", "roles")
        self.choice(node, "part_time", PART_TIME, f"{what} '{cid}'")
        self.choice(node, "if_missing", ("pass", "fail", "unknown"), f"{what} '{cid}'")
        self.missing_unless(node, f"{what} '{cid}'", kind)
        return Condition(cid, kind, params, meta)

    def missing_unless(self, node: dict, what: str, kind: str) -> None:
        """`if_missing_unless` names the field whose being given makes a missing fact `unknown` instead of
        what `if_missing` says (rules/README.md): null names no field, the condition's own `field` is never
        given while that fact is missing, and where a missing fact is `unknown` already (`if_missing: unknown`,
        or the test's default) there is nothing to change. Each would be read without a word and do nothing,
        so each is refused. A value of another kind, or an `if_missing` out of its choices, is refused once
        already (typed, choice)."""
        from ma_cli.language.conditions import UNKNOWN
        from ma_cli.language.kinds import KINDS

        key = "if_missing_unless"
        if key not in node:
            return
        value = node[key]
        if value is None:
            self.error(node, f"'{key}' in {what} should name a profile field (as 'field' does), got null", key)
            return
        if not isinstance(value, str):
            return
        if value == node.get("field"):
            self.error(node, f"'{key}' in {what} names the condition's own field '{value}': expected another "
                             f"profile field, one given while '{value}' may be missing (as high_school_expected)", key)
        missing = node.get("if_missing", KINDS[kind].if_missing)
        if missing == UNKNOWN:
            said = "'if_missing: unknown'" if "if_missing" in node else f"test {kind} with no 'if_missing'"
            self.error(node, f"'{key}' in {what} does nothing: a missing fact is unknown already ({said}); "
                             f"expected 'if_missing: pass' (or fail) beside it, or no '{key}'", key)

    def choice(self, node: dict, key: str, choices: tuple[str, ...], what: str) -> None:
        """A parameter that takes one of `choices`: one problem for other text, or null. A value of
        another kind is refused by its kind already (typed), so it gets no second problem here."""
        if key not in node:
            return
        value = node[key]
        if (value is None or isinstance(value, str)) and value not in choices:
            self.error(node, f"'{key}' in {what} should be one of {', '.join(choices)}, got "
                             f"'{'null' if value is None else value}'{suggest(str(value), choices)}", key)

    def offset(self, node: dict, key: str, what: str) -> Offset:
        value = node[key]
        if not isinstance(value, dict) or not value:
            self.error(node, f"'{key}' in {what} should be a span such as {{months: 12}}", key)
            return Offset()
        for unit in value:
            if unit not in ("years", "months", "days"):
                self.error(value, f"unknown unit '{unit}' in '{key}'{suggest(str(unit), ('years', 'months', 'days'))}",
                           unit)
        nums = {u: value.get(u, 0) for u in ("years", "months", "days")}
        for unit, n in nums.items():
            if not isinstance(n, int) or isinstance(n, bool):
                self.error(value, f"'{unit}' in '{key}' should be a whole number", unit)
                nums[unit] = 0
            elif abs(n) > SPAN_LIMITS[unit]:
                # longer than every date ma-cli reads lies apart, such a span means nothing, and date
                # arithmetic would leave the calendar (years 1-9999) on every answer that used it
                self.error(value, f"'{unit}' in '{key}' is {n:,}: expected at most {SPAN_LIMITS[unit]:,} {unit} "
                                  f"either way (a span longer than the years {FIRST_YEAR}-{LAST_YEAR} means nothing)", unit)
                nums[unit] = 0
        return Offset(**nums)

    def versions(self, nodes: list, items: list, kind: str, where: str = "") -> None:
        """Elements sharing an explicit id are versions of one rule: their periods must not overlap."""
        seen: dict[str, list[tuple[Any, Any]]] = {}
        for node, item in zip(nodes, items):
            if item is None or not isinstance(node, dict) or not isinstance(node.get("id"), str):
                continue  # only an explicit id makes two elements versions of each other
            for other_node, other in seen.get(item.id, []):
                if overlaps(other.meta, item.meta):
                    self.error(node, f"{kind} '{item.id}'{where} has two versions in force at the same time: this one "
                                     f"({_period(item.meta)}) and the one at line {other_node.line} "
                                     f"({_period(other.meta)}); end the older one with 'until' before the newer "
                                     f"one's 'effective'", "id")
                    break
            seen.setdefault(item.id, []).append((node, item))

    def route(self, node: Any, i: int, inherit: Meta, sources: dict, at: tuple = (None, None)) -> Route | None:
        what = f"routes[{i}]"
        if not isinstance(node, dict):
            self.error(at[0], f"{what} should be a mapping, got {_value_kind(node)}", at[1])
            return None
        self.keys(node, _ROUTE_KEYS, f"route {what}")
        rid = self.need(node, "id", str, f"route {what}") or f"route{i}"
        what = f"route '{rid}'"
        meta = self.meta(node, what, inherit, sources)
        if meta.source is None:
            self.error(node, f"{what} needs 'source' (an id from 'sources')")
        over = node.get("over")
        if over not in (None, "program", "military"):
            self.error(node, f"'over' in {what} should be program or military, got '{over}'", "over")
        when = node.get("when") or []
        if not isinstance(when, list):
            self.error(node, f"'when' in {what} should be a list of conditions", "when")
            when = []
        conds = [self.condition(c, f"{what} when[{j}]", meta, sources, (when, j)) for j, c in enumerate(when)]
        self.versions(when, conds, "condition", f" in {what}")
        return Route(rid, self.need(node, "name", str, what) or rid, over, tuple(c for c in conds if c), meta,
                     self.typed(node, "review", str, what),
                     self.typed(node, "deadline_says", str, what) or "apply by")


def _field_names():
    from ma_cli.language.conditions import FIELDS
    return FIELDS


def _kind_name(kind) -> str:
    names = {str: "text", list: "a list", dict: "a mapping", bool: "true or false", (int, float): "a number",
             int: "a whole number"}
    return names.get(kind, str(kind))


def _digits_hint(value: Any, kind) -> str:
    """YAML 1.1 reads an exponent without its sign (1e9, 2.5E3) as text, though Python would read a number:
    say how to write it, not only that it is text."""
    if not isinstance(value, str) or not ({int, float} & set(kind if isinstance(kind, tuple) else (kind,))):
        return ""
    try:
        float(value.replace("_", ""))
    except ValueError:
        return ""
    return " (YAML reads this form as text: write the number in plain digits)"


def _value_kind(value: Any) -> str:
    if value is None:
        return "nothing"
    for kind in (bool, dict, list, str, int, float, date):
        if isinstance(value, kind):
            return {bool: "true/false", dict: "a mapping", list: "a list", str: f"text '{value}'",
                    int: f"the number {value}", float: f"the number {value}", date: f"the date {value}"}[kind]
    return type(value).__name__


def _kind_only(value: Any) -> str:
    """What kind of value this is, without quoting it (_value_kind quotes text, numbers and dates)."""
    for kind, name in ((bool, "true/false"), (str, "text"), (int, "a number"), (float, "a number"),
                       (date, "a date")):
        if isinstance(value, kind):
            return name
    return _value_kind(value)


def _period(meta: Meta) -> str:
    start = f"from {meta.effective}" if meta.effective else "from an unknown start"
    return start + (f" until {meta.until}" if meta.until else " with no end")


def _mark(node: Any, key: str | int | None = None) -> tuple[int, int]:
    if isinstance(key, int):
        marks = getattr(node, "item_marks", None)
        if marks and 0 <= key < len(marks):
            return marks[key]
    marks = getattr(node, "key_marks", None)
    if key is not None and marks and key in marks:
        return marks[key]
    return getattr(node, "line", 0), getattr(node, "column", 0)


# a credential id as rules/README.md gives it: the name typed after --cert, lower case. It also names
# the credential in batch CSV headers, the summary sheet and JSON keys, so it holds no space, comma,
# colon, semicolon, slash, dot or control character (a comma would split on the command line, a space
# or ESC would reach a CSV header as written). (A pattern, compiled by `re` when a rule file is first
# compiled: a run from the packed rules compiles none.)
_CREDENTIAL_ID = r"[a-z][a-z0-9-]*"


def id_problem(cid: str) -> str | None:
    """What is wrong with a rule file's `credential:` id, or None: an id that is not lower-case letters,
    digits and hyphens starting with a letter, or that is a field name --cert takes (FIELD_NAMES): `--cert
    ma` would name that field and never reach the credential."""
    if not re.fullmatch(_CREDENTIAL_ID, cid):
        return (f"'credential' of the rule file is '{cid}': expected an id of lower-case letters, digits and "
                f"hyphens that starts with a letter (the name typed after --cert, such as cma)")
    if cid in FIELD_NAMES:
        return (f"'credential' of the rule file is '{cid}', which --cert takes as the field {FIELD_NAMES[cid]}: "
                f"expected another id (not one of {', '.join(FIELD_NAMES)})")
    return None


def compile_credential(data: Any, file: str) -> tuple[Credential | None, list[RuleError]]:
    """The credential a rule file's data defines, and every problem in it. With problems, the
    credential (if the file names one) holds what compiled: fit for checking its other parts, not for
    answers."""
    c = Compiler(file)
    # Until the file has shown itself a rule file (a mapping with a `credential:` key), no message quotes
    # its content, as for a CE log a roster names (celog.parse_ce_text): `cma.yaml` may be a link to any
    # file (/etc/passwd), and an error line must not print it
    if not isinstance(data, dict) or "credential" not in data:
        line, col = _mark(data)
        got = "a mapping with no 'credential:'" if isinstance(data, dict) else _kind_only(data)
        c.errors.append(RuleError(f"a rule file should be a mapping with 'credential:', 'sources:' and "
                                  f"'eligibility:', got {got}", file, line or 1, col or 1))
        return None, c.errors
    c.keys(data, _FILE_KEYS, "the rule file")
    cid = c.need(data, "credential", str, "the rule file")
    if cid is not None and (problem := id_problem(cid)):
        c.error(data, problem, "credential")
    sources: dict[str, Source] = {}
    raw_sources = c.need(data, "sources", dict, "the rule file") or {}
    for sid, snode in raw_sources.items():
        if not isinstance(snode, dict):
            c.error(raw_sources, f"source '{sid}' should be a mapping with 'url' and 'read'", sid)
            continue
        c.keys(snode, _SOURCE_KEYS, f"source '{sid}'")
        url = c.need(snode, "url", str, f"source '{sid}'")
        if url and not url.startswith(("http://", "https://")):
            c.error(snode, f"url of source '{sid}' should start with https:// or http://", "url")
        quality = snode.get("quality") or ""
        if quality and quality not in SOURCE_QUALITIES:
            c.error(snode, f"quality of source '{sid}' should be one of {', '.join(SOURCE_QUALITIES)}, got '{quality}'",
                    "quality")
            quality = ""
        sources[str(sid)] = Source(str(sid), url or "", c.date_value(snode, "read", f"source '{sid}'", True),
                                   snode.get("title") or "", str(quality))
    file_conf = data.get("confidence", "high")
    if file_conf not in CONFIDENCES:
        c.error(data, f"confidence of the rule file should be one of {', '.join(CONFIDENCES)}, got '{file_conf}'",
                "confidence")
    base = Meta(None, None, file_conf if file_conf in CONFIDENCES else "high", None, None, None, None)
    elig = data.get("eligibility") or {}
    if not isinstance(elig, dict):
        c.error(data, f"'eligibility' should be a mapping with 'requires' and 'routes', got {_value_kind(elig)}",
                "eligibility")
        elig = {}
    c.keys(elig, _ELIG_KEYS, "eligibility")
    raw_requires = _list_of(c, elig, "requires", "eligibility")
    requires = [c.condition(node, f"requires[{i}]", base, sources, (raw_requires, i))
                for i, node in enumerate(raw_requires)]
    for i, (node, cond) in enumerate(zip(raw_requires, requires)):
        if cond and cond.meta.source is None:
            c.error(node, f"requires[{i}] '{cond.id}' needs 'source' (an id from 'sources')")
    c.versions(raw_requires, requires, "condition", " in requires")
    raw_routes = _list_of(c, elig, "routes", "eligibility")
    routes = [c.route(node, i, base, sources, (raw_routes, i)) for i, node in enumerate(raw_routes)]
    c.versions(raw_routes, routes, "route")
    requires = [x for x in requires if x]
    routes = [x for x in routes if x]
    notes = data.get("notes") or []
    if not isinstance(notes, list):
        c.error(data, "'notes' should be a list of text", "notes")
        notes = []
    name = c.need(data, "name", str, "the rule file")
    version = data.get("version")
    if version is not None and not isinstance(version, (str, date)):
        c.error(data, f"'version' of the rule file should be text such as \"2026-11-23\", got {_value_kind(version)}",
                "version")
    cred_field = data.get("field", STUDY_FIELDS[0])
    if cred_field not in STUDY_FIELDS:
        c.error(data, f"'field' of the rule file should be one of {', '.join(STUDY_FIELDS)}, got "
                      f"{_value_kind(cred_field)}{suggest(str(cred_field), STUDY_FIELDS)}", "field")
    if cid is None:
        return None, c.errors
    # built even with errors, from what compiled: `rules validate` still checks its `renewal:` section
    # (load_directory's `flawed`), so a problem in one part does not hide those in another
    cred = Credential(cid.lower(), name or cid, data.get("title") or "",
                      data.get("body") or "", str(data.get("version") or ""), sources, tuple(requires),
                      tuple(routes), file, tuple(str(n) for n in notes), data.get("renewal"), field=cred_field,
                      confidence=base.confidence)
    return cred, c.errors


def _list_of(c: Compiler, node: dict, key: str, what: str) -> list:
    value = node.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        c.error(node, f"'{key}' in {what} should be a list, got {_value_kind(value)}", key)
        return []
    return value


def overlaps(a: Meta, b: Meta) -> bool:
    """Whether two dated versions are in force on some common day."""
    a_start, b_start = a.effective or date.min, b.effective or date.min
    a_end, b_end = a.until or date.max, b.until or date.max
    return a_start <= b_end and b_start <= a_end


# --- finding and loading -----------------------------------------------------------------

def bundled_rules_dir() -> Path:
    """The rule set shipped with ma-cli: inside the wheel, or `rules/` in a source checkout."""
    package = Path(__file__).resolve().parents[1]  # ma_cli/
    packaged = package / "rules_data"
    if packaged.is_dir():
        return packaged
    return package.parents[1] / "rules"


def rule_files(directory: Path) -> list[Path]:
    if directory.is_file():
        raise InputError(f"{directory}: is a file; expected a folder of rule files (*.yaml or *.yml)")
    if not directory.is_dir():
        raise InputError(f"{directory}: rule directory not found (expected a folder of rule files (*.yaml or *.yml))")
    from ma_cli.inputs.yamlio import regular_file
    from ma_cli.ruleset.rules_packed import rule_file_names

    # every entry named as a rule file must be one: a folder, FIFO or broken link named `cma.yaml` left out
    # would let the bundled cma answer in its place, as if the folder had none
    paths = [directory / name for name in rule_file_names(directory)]
    for path in paths:
        regular_file(os.path.realpath(path), path, "rule file")
    return paths


def override_files(directory: Path) -> list[Path]:
    """The rule files of a local folder laid over the bundled rules (--rules, MA_CLI_RULES): a folder with
    none is refused, as it is surely not the folder meant."""
    files = rule_files(directory)
    if not files:
        raise InputError(f"{directory}: no rule files (*.yaml or *.yml) in this folder")
    return files


def load_directory(directory: Path, origin: str, collect: list | None = None,
                   flawed: list[Credential] | None = None) -> list[Credential]:
    """Compile every rule file in one folder; a credential may be defined by one file only.

    With `collect`, every problem (all duplicate keys too) is appended there instead of raised, and
    a credential whose file has problems is left out of the result but, with `flawed`, appended
    there: what of it compiled, for checks of its other parts (rules_validate), never for answers.
    """
    from ma_cli.inputs.yamlio import load_file

    creds: list[Credential] = []
    defined: dict[str, str] = {}
    paths = rule_files(directory) if directory.is_dir() or collect is None else [directory]
    for path in paths:
        problems: list | None = [] if collect is not None else None
        try:
            data = load_file(path, "rule file", rule_file=True, problems=problems)
        except RuleError as err:
            if collect is None:
                raise
            collect.append(err)
            continue
        cred, errors = compile_credential(data, str(path))
        errors = (problems or []) + errors
        if cred is not None and cred.id in defined:
            line, col = _mark(data, "credential")
            errors.append(RuleError(f"credential '{cred.id}' is also defined in {defined[cred.id]}; "
                                    f"one file per credential in a folder", str(path), line, col))
        if errors:
            if collect is None:
                raise errors[0]
            collect.extend(errors)
            if cred is not None and flawed is not None:
                flawed.append(cred)
            continue
        defined[cred.id] = path.name
        creds.append(replace(cred, origin=origin))
    return creds


def describe_origin(creds: list[Credential]) -> str:
    """Which rules answered, with each file's version: "bundled version 2026-11-23 (cma, rma)".

    Commands pass the credentials they answered for, so `--cert cma` names cma's rules only.
    """
    groups: dict[str, list[Credential]] = {}
    for cred in {c.id: c for c in creds}.values():
        groups.setdefault(cred.origin, []).append(cred)
    parts = []
    for origin, group in groups.items():
        versions = {c.version or "unversioned" for c in group}
        if len(versions) == 1:
            parts.append(f"{origin} version {versions.pop()} ({', '.join(c.id for c in group)})")
        else:
            each = ", ".join(f"{c.id} {c.version or 'unversioned'}" for c in group)
            parts.append(f"{origin} ({each})")
    return " + ".join(parts) or "no rules"


def load_bundled(directory: Path | None = None) -> list[Credential]:
    """The bundled rule set (or `directory` as if it were the bundled folder).

    From its packed form (rules_packed) when that matches the YAML files byte for byte, which
    spares each run importing PyYAML, parsing every file and compiling it; otherwise from the YAML files.
    """
    from ma_cli.ruleset.rules_packed import read as read_packed

    directory = bundled_rules_dir() if directory is None else directory
    packed = read_packed(directory)
    if packed is not None:
        return packed
    return load_directory(directory, "bundled")
