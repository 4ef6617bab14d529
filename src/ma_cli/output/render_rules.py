"""Output of `ma-cli rules ...`: the rule set in plain words for people, YAML/JSON for machines.

Plain text (no Rich): these outputs are read in terminals, pasted into emails and diffed.
"""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path
from typing import Any

from ma_cli.base.dates import Offset
from ma_cli.base.jsonout import dumps
from ma_cli.language.kinds import KINDS, describe
from ma_cli.ruleset.rules import CONFIDENCES, Condition, Credential, Meta, Route, quality_mark

CONFIDENCE_WORDS = {
    "high": "",
    "med": "medium confidence",
    "low": "low confidence: answers that rest on this are 'review'",
}


# --- machine-readable ----------------------------------------------------------------------

def _plain(value: Any) -> Any:
    """Plain dicts, lists, strings and numbers only, so both json and yaml.safe_dump accept it."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Offset):
        return {k: n for k, n in (("years", value.years), ("months", value.months), ("days", value.days)) if n}
    if isinstance(value, Condition):
        return condition_dict(value, None)
    return value


def _meta_dict(meta: Meta, cred: Credential | None) -> dict:
    return {
        "says": meta.says,
        "source": meta.source,
        "source_url": cred.source_url(meta.source) if cred else None,
        "quote": meta.quote,
        "confidence": meta.confidence,
        "effective": _plain(meta.effective),
        "until": _plain(meta.until),
        "note": meta.note,
    }


def condition_dict(cond: Condition, cred: Credential | None) -> dict:
    params = {}
    for key, value in cond.params.items():
        if isinstance(value, tuple) and value and isinstance(value[0], Condition):
            params[key] = [condition_dict(c, cred) for c in value]
        else:
            params[key] = _plain(value)
    return {"id": cond.id, "test": cond.kind, **params, **_meta_dict(cond.meta, cred)}


def route_dict(route: Route, cred: Credential, as_of: date | None) -> dict:
    conds = [c for c in route.conditions if as_of is None or c.in_force(as_of)]
    return {"id": route.id, "name": route.name, "over": route.over, "review": route.review,
            **_meta_dict(route.meta, cred), "conditions": [condition_dict(c, cred) for c in conds]}


def renewal_summary(cred: Credential) -> dict | None:
    """The `renewal:` mapping is compiled elsewhere; here only whether it exists and what it holds."""
    raw = cred.renewal
    if raw is None:
        return None
    from ma_cli.ruleset.renewal_rules import check_renewal

    keys = list(raw) if isinstance(raw, dict) else []
    rules, _ = check_renewal(cred)
    # the source of the cycle (the newest version of `period`): `renewal:` has no source of its own, and
    # this was always null
    periods = rules.params.get("period", ()) if rules else ()
    return {"present": True, "keys": [str(k) for k in keys],
            "source": cred.source_url(periods[-1].meta.source) if periods else None,
            "confidence": _least_sure(cred, rules)}


def _least_sure(cred: Credential, rules) -> str:
    """How sure the renewal rules are: their least sure fact (any version), or the file's own confidence
    when they do not compile (`rules validate` names the problem)."""
    said = [p.meta.confidence for versions in rules.params.values() for p in versions] if rules else []
    return max(said, key=CONFIDENCES.index) if said else cred.confidence


def credential_dict(cred: Credential, as_of: date | None) -> dict:
    """One credential's rule objects in force on `as_of` (every version when as_of is None)."""
    return {
        "credential": cred.id,
        "name": cred.name,
        "title": cred.title,
        "body": cred.body,
        "version": cred.version,
        "rules": cred.origin,
        "file": cred.file,
        "as_of": _plain(as_of),
        "notes": list(cred.notes),
        "sources": {s.id: {"url": s.url, "read": _plain(s.read), "title": s.title, "quality": s.quality or None}
                    for s in cred.sources.values()},
        "requires": [condition_dict(c, cred) for c in cred.requires if as_of is None or c.in_force(as_of)],
        "routes": [route_dict(r, cred, as_of) for r in cred.routes if as_of is None or r.meta.in_force(as_of)],
        "renewal": _plain(cred.renewal),
    }


def dump(doc: Any, fmt: str) -> str:
    if fmt == "json":
        return dumps(_plain(doc), indent=2)
    import yaml

    return yaml.safe_dump(_plain(doc), sort_keys=False, allow_unicode=True, width=100).rstrip("\n")


# --- `rules list` ----------------------------------------------------------------------------

def list_dict(creds: list[Credential], origin: str) -> dict:
    return {
        "rules": origin,
        "credentials": [{
            "credential": c.id, "name": c.name, "version": c.version, "rules": c.origin, "file": c.file,
            "requires": [{"id": r.id, "says": r.meta.says, "confidence": r.meta.confidence,
                          "source": r.meta.source, "source_url": c.source_url(r.meta.source),
                          "effective": _plain(r.meta.effective), "until": _plain(r.meta.until)} for r in c.requires],
            "routes": [{"id": r.id, "name": r.name, "confidence": r.meta.confidence, "source": r.meta.source,
                        "source_url": c.source_url(r.meta.source), "effective": _plain(r.meta.effective),
                        "until": _plain(r.meta.until)} for r in c.routes],
            "renewal": renewal_summary(c),
        } for c in creds],
    }


def _file_shown(cred: Credential) -> str:
    """A rule file's name as shown beside its origin: the name alone when the origin is its folder
    (--rules DIR), so the folder is not said twice; the whole path beside "bundled"."""
    path = Path(cred.file)
    return path.name if path.parent == Path(cred.origin) else cred.file


def list_text(creds: list[Credential], origin: str) -> str:
    lines = []
    for c in creds:
        lines.append(f"{c.id}  {c.name}  version {c.version or 'unversioned'}  ({c.origin}: {_file_shown(c)})")
        for r in c.requires:
            lines.append(_list_line("requires", r.id, r.meta.says or r.kind, r.meta, c))
        for r in c.routes:
            lines.append(_list_line("route", r.id, r.name, r.meta, c))
        if not c.routes:
            lines.append("  route     (none yet)")
        renewal = renewal_summary(c)
        if renewal:
            extra = renewal["confidence"] + (f"  {renewal['source']}" if renewal["source"] else "")
            lines.append(f"  renewal   present ({', '.join(renewal['keys']) or 'empty'})  {extra}")
        else:
            lines.append("  renewal   (none yet)")
        lines.append("")
    lines.append(f"Rules: {origin}.")
    return "\n".join(lines)


def _list_line(kind: str, rid: str, name: str, meta: Meta, cred: Credential) -> str:
    period = meta.span_words()
    url = cred.source_url(meta.source) or ""
    return (f"  {kind:<9} {rid}: {name}  [{meta.confidence}]" + (f"  ({period})" if period else "")
            + f"  {meta.source or ''} {url}").rstrip()


# --- `rules show` in plain words --------------------------------------------------------------

def describe_condition(cond: Condition) -> str:
    """A condition in words: its own `says:` if it has one, else its kind's sentence (kinds.py)."""
    return describe(cond)


def _annotations(meta: Meta, cred: Credential, parent: Meta | None) -> list[str]:
    notes = []
    conf = CONFIDENCE_WORDS.get(meta.confidence, meta.confidence)
    if conf:
        notes.append(conf)
    period = meta.span_words()
    if period and (parent is None or (meta.effective, meta.until) != (parent.effective, parent.until)):
        notes.append(f"in force {period}")
    if meta.source and (parent is None or meta.source != parent.source):
        notes.append(f"source: {cred.source_url(meta.source)}")
    if meta.note:
        notes.append(f"note: {meta.note}")
    return notes


def _wrap(text: str, indent: str, hang: str = "  ") -> list[str]:
    return textwrap.wrap(text, width=96, initial_indent=indent, subsequent_indent=indent + hang,
                         break_long_words=False, break_on_hyphens=False) or [indent]


def _condition_lines(cond: Condition, cred: Credential, parent: Meta, indent: str, as_of: date,
                     bullet: str = "•") -> list[str]:
    lines = _wrap(f"{bullet} {describe_condition(cond)}", indent)
    for note in _annotations(cond.meta, cred, parent):
        lines += _wrap(note, indent + "  ")
    subs = [c for c in cond.params.get("conditions", ()) if c.in_force(as_of)]
    if subs:
        lines.append(f"{indent}  {KINDS[cond.kind].group_words}")
        for sub in subs:
            lines += _condition_lines(sub, cred, cond.meta, indent + "    ", as_of, "-")
    return lines


def show_text(cred: Credential, as_of: date) -> str:
    lines = [f"{cred.name}: {cred.title}" if cred.title else cred.name]
    if cred.body:
        lines.append(f"Certified by: {cred.body}")
    lines.append(f"Rules: {cred.origin} version {cred.version or 'unversioned'} ({_file_shown(cred)}); "
                 f"the rules in force on {as_of}.")
    requires = [c for c in cred.requires if c.in_force(as_of)]
    routes = [r for r in cred.routes if r.meta.in_force(as_of)]
    if requires:
        lines += ["", "Every applicant must meet:"]
        for cond in requires:
            lines += _condition_lines(cond, cred, Meta(None, None, "high", None, None, None, None), "  ", as_of)
    lines.append("")
    if not routes:
        lines.append("No route to this credential is recorded for this date.")
    else:
        lines.append("and every condition of at least one of these routes:" if requires
                     else "A person must meet every condition of at least one of these routes:")
    for n, route in enumerate(routes, 1):
        lines.append("")
        lines += _wrap(f"{n}. {route.name} ({route.id})", "  ", "   ")
        if route.meta.says:
            lines += _wrap(route.meta.says, "     ", "")
        over = {"program": "All of these for one program:", "military": "All of these for one military record:"}
        lines.append("     " + over.get(route.over or "", "All of these:"))
        for cond in (c for c in route.conditions if c.in_force(as_of)):
            lines += _condition_lines(cond, cred, route.meta, "       ", as_of)
        if route.review:
            lines += _wrap(f"Always 'review': {route.review}", "     ")
        for note in _annotations(route.meta, cred, None):
            lines += _wrap(note, "     ")
    renewal = renewal_summary(cred)
    if renewal:
        lines += ["", f"Renewal: rules recorded ({', '.join(renewal['keys']) or 'empty'}); "
                      f"--format yaml shows them."]
    if cred.notes:
        lines += ["", "Notes:"] + [w for note in cred.notes for w in _wrap(f"- {note}", "  ")]
    if cred.sources:
        lines += ["", "Sources:"]
        for src in cred.sources.values():
            lines.append(f"  {src.id}  {src.url}" + (f"  ({src.title}" + (f", read {src.read})" if src.read else ")")
                                                      if src.title else "") + quality_mark(src.quality))
    lines += ["", "Confidence: 'medium' means a secondary or dated source; 'low' means the sources do not settle it,",
              "so an answer resting on it is 'review' (check with the certifying body)."]
    return "\n".join(lines)


# --- `rules validate` and `rules test` ---------------------------------------------------------

def validate_text(files: list, problems: list) -> str:
    lines = [str(p) for p in problems]
    bad = len({p.file for p in problems})
    if problems:
        lines.append(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {bad} of {len(files)} "
                     f"rule file{'s' if len(files) != 1 else ''}.")
    else:
        lines.append(f"{len(files)} rule file{'s' if len(files) != 1 else ''}: valid.")
    return "\n".join(lines)


def case_results_text(results: list[tuple[str, str, list[str], str | None]], origin: str) -> str:
    """results: (file, case name, differences, error) per case."""
    lines = []
    for file, name, diffs, err in results:
        if err:
            lines.append(f"ERROR {file}: {name}")
            lines.append(f"      {err}")
        elif diffs:
            lines.append(f"FAIL  {file}: {name}")
            lines += [f"      - {d}" for d in diffs]
    passed = sum(1 for _, _, d, e in results if not d and not e)
    failed = sum(1 for _, _, d, e in results if d and not e)
    errors = sum(1 for _, _, _, e in results if e)
    summary = f"{len(results)} cases: {passed} passed, {failed} failed"
    if errors:
        summary += f", {errors} error{'s' if errors != 1 else ''}"
    lines.append(f"{summary}. Rules: {origin}.")
    return "\n".join(lines)
