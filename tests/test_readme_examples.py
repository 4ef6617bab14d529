"""The README's one-example-per-credential block says what each command answers; check it."""

import json
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ma_cli.cli import app

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
