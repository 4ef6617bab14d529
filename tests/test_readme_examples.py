"""The README's one-example-per-credential block says what each command answers; check it."""

import json
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ma_cli.commands.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
BLOCK = README.split("One per credential", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
CLAIM = re.compile(r"\b(CMA|RMA|CCMA|NCMA|CMAC) \(\w+\)[^>\n]*-> (eligible|review|not eligible)")


def examples():
    claims = []
    for line in BLOCK.strip().splitlines():
        if line.startswith("#"):
            claims += [(cred.lower(), status.replace(" ", "_")) for cred, status in CLAIM.findall(line)]
        elif line.startswith("ma-cli "):
            yield line, dict(claims)
            claims = []


EXAMPLES = list(examples())


def test_the_block_has_an_example_per_credential():
    claimed = {cred for _, claims in EXAMPLES for cred in claims}
    assert claimed == {"cma", "rma", "ccma", "ncma", "cmac"}


@pytest.mark.parametrize("line, claims", EXAMPLES, ids=[line for line, _ in EXAMPLES])
def test_example_answers_what_the_readme_says(line, claims):
    result = CliRunner().invoke(app, shlex.split(line)[1:] + ["--json"])
    got = {r["credential"]: r["status"] for r in json.loads(result.stdout)["results"]}
    assert claims and got == claims


# --- every README command with a fixed --as-of, against what the README shows ------------------
#
# A ```sh block that starts `$ ma-cli ... --as-of ...` shows the command's JSON below it, with "..."
# where the README leaves things out: a "..." value (or list item) stands for anything (any run of
# items), a text ending in "..." for any text that starts so; a mapping shows the keys it names
# (others may be there too), and one with a "..." key is an item picked out of a list whose other
# items are left out (before it, and after the last such). The plan command with its answer in
# comments is checked line for line against the plan's table row.

ROOT = Path(__file__).resolve().parents[1]
SHOWN = re.compile(r"```sh\n\$ (ma-cli [^\n]*--as-of [^\n]*)\n(.*?)```", re.S)


def _shown():
    out = []
    for command, body in SHOWN.findall(README):
        # `[...]` (an elided list) is not JSON: read it as a list of anything
        out.append((command, json.loads(body.replace("[...]", '["..."]'))))
    return out


SHOWN_EXAMPLES = _shown()


def matches(shown, got) -> bool:
    if shown == "...":
        return True
    if isinstance(shown, str) and shown.endswith("...") and isinstance(got, str):
        return got.startswith(shown[:-3])
    if isinstance(shown, dict):
        return isinstance(got, dict) and all(k in got and matches(v, got[k]) for k, v in shown.items() if k != "...")
    if isinstance(shown, list):
        return isinstance(got, list) and _sequence(shown, got)
    return shown == got


def _sequence(shown: list, got: list) -> bool:
    """The shown items in order, each "..." standing for any run of items (the elided ones)."""
    if not shown:
        return not got
    head, rest = shown[0], shown[1:]
    if head == "...":
        return any(_sequence(rest, got[i:]) for i in range(len(got) + 1))
    if isinstance(head, dict) and "..." in head:  # one item shown in part, among others left out
        return any(matches(head, g) and (not rest or _sequence(rest, got[i + 1:])) for i, g in enumerate(got))
    return bool(got) and matches(head, got[0]) and _sequence(rest, got[1:])


def test_the_readme_shows_json_answers():
    commands = [c for c, _ in SHOWN_EXAMPLES]
    assert any(c.startswith("ma-cli eligible") for c in commands)
    assert any(c.startswith("ma-cli plan") for c in commands)
    assert any(c.startswith("ma-cli renew") for c in commands)


@pytest.mark.parametrize("command, shown", SHOWN_EXAMPLES, ids=[c for c, _ in SHOWN_EXAMPLES])
def test_shown_json_is_what_the_command_prints(command, shown, monkeypatch):
    monkeypatch.chdir(ROOT)  # the example files (examples/...) are named from the repository's root
    result = CliRunner().invoke(app, shlex.split(command)[1:])
    assert result.exit_code in (0, 1, 3), result.output
    got = json.loads(result.stdout)
    assert matches(shown, got), json.dumps(got, indent=1)[:3000]


def _commented():
    """`ma-cli ... --as-of ...` lines followed by `#  NAME  STATUS  summary` comment lines (the plan)."""
    out = []
    for block in README.split("```sh")[1:]:
        lines = block.split("```", 1)[0].strip().splitlines()
        for i, line in enumerate(lines):
            if line.startswith("ma-cli plan") and "--as-of" in line and "#" not in line:
                said = []
                for more in lines[i + 1:]:
                    if not more.startswith("#"):
                        break
                    said.append(more.lstrip("#").strip())
                if said:
                    out.append((line, " ".join(said)))
    return out


COMMENTED = _commented()


@pytest.mark.parametrize("command, said", COMMENTED, ids=[c for c, _ in COMMENTED])
def test_plan_comment_is_what_the_plan_says(command, said):
    assert COMMENTED
    result = CliRunner().invoke(app, shlex.split(command)[1:] + ["--json"])
    plans = json.loads(result.stdout)["plans"]
    row = " ".join(f"{p['name']} {p['now']['status'].replace('_', ' ')} {p['summary']}" for p in plans)
    assert " ".join(said.split()) == " ".join(row.split())


UNTIL = re.compile(r"eligible until (\d{4}-\d{2}-\d{2})")


def _with_comments():
    comments = []
    for line in BLOCK.strip().splitlines():
        if line.startswith("#"):
            comments.append(line)
        elif line.startswith("ma-cli "):
            yield line, UNTIL.findall(" ".join(comments))
            comments = []


@pytest.mark.parametrize("line, said", [e for e in _with_comments() if e[1]])
def test_example_last_days_are_what_the_readme_says(line, said):
    # "eligible until DATE" in an example's comment is that answer's eligible_until
    result = CliRunner().invoke(app, shlex.split(line)[1:] + ["--json"])
    got = [r["eligible_until"] for r in json.loads(result.stdout)["results"]]
    assert got == said
