"""Every route and condition of the rule files carries its citation explicitly.

Inheritance in the compiler would fill gaps silently; this checks the YAML as written, so a
reviewer can read each condition's source, quote, confidence and effective date in place.
"""

from pathlib import Path

import pytest

from ma_cli.inputs.yamlio import load_file

RULES = Path(__file__).resolve().parents[1] / "rules"
CITED = ("source", "quote", "confidence", "effective")
FILES = ["rma", "ccma", "ncma", "cmac", "cmas", "cpt", "rpt", "pbt", "ncpt", "cet", "ncet", "coa", "cmaa"]


def elements(cred: str):
    data = load_file(RULES / f"{cred}.yaml", "rule file", rule_file=True)
    elig = data["eligibility"]
    for cond in elig.get("requires") or []:
        yield f"requires {cond.get('id')}", cond
    for route in elig["routes"]:
        yield f"route {route['id']}", route
        for cond in route.get("when") or []:
            yield f"route {route['id']} condition {cond.get('id')}", cond


@pytest.mark.parametrize("cred", FILES)
def test_routes_and_conditions_are_cited(cred):
    missing = [f"{where}: {key}" for where, node in elements(cred) for key in CITED if key not in node]
    assert missing == []


@pytest.mark.parametrize("cred", FILES)
def test_every_low_confidence_element_says_why(cred):
    data = load_file(RULES / f"{cred}.yaml", "rule file", rule_file=True)
    silent = [where for where, node in elements(cred)
              if node.get("confidence") == "low" and not (node.get("note") or node.get("review"))
              and not any(c.get("note") for c in node.get("conditions") or [])]
    # a low-confidence file explains itself in its header notes
    if data.get("confidence") == "low":
        assert data.get("notes")
    assert silent == []
