"""The records a rule set is made of (Source, Meta, Condition, Route, Credential), frozen once compiled.

They sit below everything that reads rules: rules.py builds them from the YAML files, and the
condition kinds (kinds.py), the engine and the planner read them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ma_cli.base.frozen import record


@record
class Source:
    id: str
    url: str
    read: date | None
    title: str = ""
    quality: str = ""  # official | secondary | low ("" when the rule file does not say)


@record
class Meta:
    """What every rule element carries: its source, how sure we are, and when it applies."""

    source: str | None
    quote: str | None
    confidence: str
    effective: date | None  # None: the source does not say when this began
    until: date | None
    note: str | None
    says: str | None

    def in_force(self, day: date) -> bool:
        return (self.effective is None or self.effective <= day) and (self.until is None or day <= self.until)

    def span_words(self) -> str:
        """When it is in force, in words ("2004-01-01 to 2010-12-31", "from 2004-01-01", "until ..."); empty
        when the sources say neither."""
        if self.effective and self.until:
            return f"{self.effective} to {self.until}"
        if self.effective:
            return f"from {self.effective}"
        return f"until {self.until}" if self.until else ""


@record
class Condition:
    id: str
    kind: str
    params: dict[str, Any]
    meta: Meta

    def in_force(self, day: date) -> bool:
        return self.meta.in_force(day)


@record
class Route:
    id: str
    name: str
    over: str | None  # "program" | "military" | None
    conditions: tuple[Condition, ...]
    meta: Meta
    review: str | None = None  # why this route can at best be a "review" answer
    # what the route's deadline is the last day for: most bodies count the application, AMCA the exam pass
    deadline_says: str = "apply by"


@record
class Credential:
    id: str
    name: str
    title: str
    body: str
    version: str
    sources: dict[str, Source]
    requires: tuple[Condition, ...]
    routes: tuple[Route, ...]
    file: str
    notes: tuple[str, ...] = ()
    renewal: Any = None  # raw mapping; compiled by the renewal module
    origin: str = "bundled"  # which rule directory this credential came from
    field: str = "medical-assisting"  # the kind of work it certifies (groups answers; `--cert FIELD`)
    confidence: str = "high"  # the rule file's own: what a rule or renewal fact that gives none inherits

    def source_url(self, source_id: str | None) -> str | None:
        src = self.sources.get(source_id or "")
        return src.url if src else None
