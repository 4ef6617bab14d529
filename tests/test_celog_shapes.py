"""A CE log is read as a roster is: the same cell separators (told from the header line), the same
rule for header cells left empty, and the same yes/no words; in `renew --ce-log` and in a renewal
roster's `ce_log` cells alike."""

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from ma_cli.commands.cli import app
from ma_cli.inputs.roster_columns import NO, YES, yes_no
from ma_cli.inputs.yamlio import load_text

runner = CliRunner()
AS_OF = ("--as-of", "2026-11-23")
RENEW = ("renew", "--cert", "cma", "--since", "2022-03-15", *AS_OF)
ROWS = [("date", "credits", "category", "approved", "description"),
        ("2023-02-01", "12", "administrative", "yes", "Coding update"),
        ("2024-05-20", "10", "general", "no", "Psychology 101")]


def text_of(rows, sep):
    return "\r\n".join(sep.join(row) for row in rows) + "\r\n"


def answer(path):
    r = runner.invoke(app, [*RENEW, "--ce-log", str(path), "--json"])
    assert r.exit_code != 2, r.output
    (result,) = json.loads(r.stdout)["results"]
    return result["ce"]


def refusal(path):
    r = runner.invoke(app, [*RENEW, "--ce-log", str(path)])
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output
    (line,) = r.output.strip().splitlines()
    return line


def without_names(ce):
    """The CE answer with the log's name taken out of its entries' places (`a.csv row 2`)."""
    return json.loads(json.dumps(ce).replace("semi.csv", "LOG").replace("comma.csv", "LOG")
                      .replace("unicode.txt", "LOG").replace("tab.tsv", "LOG").replace("trail.csv", "LOG"))


SHAPES = {
    # a `;` CSV, as Excel writes "CSV" where the decimal mark is a comma
    "semi.csv": lambda: text_of(ROWS, ";").encode("utf-8"),
    # Excel's "Unicode Text": UTF-16 with its byte-order mark, cells separated by tabs
    "unicode.txt": lambda: ("\ufeff" + text_of(ROWS, "\t")).encode("utf-16-le"),
    "tab.tsv": lambda: text_of(ROWS, "\t").encode("utf-8"),
    # cells right of the table once formatted: empty header cells, and empty cells under them
    "trail.csv": lambda: text_of([(*row, "", "") for row in ROWS], ",").encode("utf-8"),
}


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_a_ce_log_in_any_shape_a_roster_takes_is_read_as_the_comma_log(tmp_path, name):
    (tmp_path / "comma.csv").write_text(text_of(ROWS, ","))
    (tmp_path / name).write_bytes(SHAPES[name]())
    comma, other = answer(tmp_path / "comma.csv"), answer(tmp_path / name)
    assert comma["counted"] > 0
    assert without_names(other) == without_names(comma)


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_a_renewal_rosters_ce_log_in_any_shape_a_roster_takes_is_read(tmp_path, name):
    (tmp_path / name).write_bytes(SHAPES[name]())
    (tmp_path / "comma.csv").write_text(text_of(ROWS, ","))
    counted = answer(tmp_path / "comma.csv")["counted"]
    (tmp_path / "r.csv").write_text(f"id,credential,since,ce_log\na,cma,2022-03-15,{name}\n")
    r = runner.invoke(app, ["batch", "renew", str(tmp_path / "r.csv"), *AS_OF, "--cert", "cma"])
    assert r.exit_code != 2, r.output
    (row,) = csv.DictReader(io.StringIO(r.stdout))
    assert (row["status"], row["error"], row["cma_ce_counted"]) == ("ok", "", f"{counted:g}")


def test_an_empty_header_cell_between_named_ones_is_no_column(tmp_path):
    log = tmp_path / "mid.csv"
    log.write_text("date,,credits\n2023-02-01,,12\n")
    assert answer(log)["counted"] == 12


def test_a_value_under_an_empty_header_cell_is_refused_naming_the_row_and_the_column(tmp_path):
    log = tmp_path / "val.csv"
    log.write_text("date,credits,,\n2023-02-01,12,,\n2023-03-01,2,,stray\n")
    assert refusal(log) == ("ma-cli: error: " + str(log) + ": row 3: a value in column 4, which has no name in the "
                            "header line (expected a name for every column that holds data, or the cell left empty)")


def test_a_header_split_by_a_separator_that_is_not_told_names_the_ones_that_are(tmp_path):
    log = tmp_path / "pipe.csv"
    log.write_text("date|credits\n2023-02-01|12\n")
    line = refusal(log)
    assert "row 1: the header line is one column, 'date|credits', with '|' inside" in line
    assert "expected cells separated by , ; or tab" in line
    assert "--delimiter" not in line  # renew has no such option, and a roster's ce_log cell cannot take one


def test_a_row_with_more_cells_than_the_header_names_the_logs_own_separator(tmp_path):
    log = tmp_path / "semi.csv"
    log.write_text("date;credits;description\n2023-02-01;12;Vitals; adult\n")
    assert refusal(log).endswith("row 2: 4 cells but the header has 3 columns (quote a description that "
                                 "contains ';')")


def test_a_renewal_rosters_log_in_another_shape_is_still_not_quoted_until_it_shows_itself_a_log(tmp_path):
    # a ce_log cell may name any file: a `;` file whose first line is no CE header is not shown
    (tmp_path / "secret.csv").write_text("user;password\nroot;hunter2\n")
    (tmp_path / "r.csv").write_text("id,credential,since,ce_log\na,cma,2022-03-15,secret.csv\n")
    r = runner.invoke(app, ["batch", "renew", str(tmp_path / "r.csv"), *AS_OF, "--cert", "cma"])
    (row,) = csv.DictReader(io.StringIO(r.stdout))
    assert row["status"] == "error" and "not a CE log" in row["error"]
    assert "password" not in r.output and "hunter2" not in r.output


# --- yes/no words -----------------------------------------------------------------------------------

YAML_BOOLS = [w for base in ("yes", "no", "true", "false", "on", "off") for w in (base, base.title(), base.upper())]


@pytest.mark.parametrize("word", YAML_BOOLS)
def test_every_word_yaml_reads_as_a_boolean_is_a_yes_no_word_with_the_same_meaning(word):
    # unquoted, YAML 1.1 reads the word as true or false; quoted, or in a CSV cell, it is the word: both
    # must mean the same, or `approved: on` counts while `approved: 'on'` is refused
    read = load_text(f"v: {word}\n", "t.yaml")["v"]
    assert isinstance(read, bool)
    assert yes_no(word) is read


@pytest.mark.parametrize("word, meaning", [("on", True), ("off", False), ("ON", True), ("Off", False)])
def test_on_and_off_read_alike_quoted_unquoted_and_in_a_csv_cell(tmp_path, word, meaning):
    (tmp_path / "plain.yaml").write_text(f"- {{date: 2023-02-01, credits: 12, approved: {word}}}\n")
    (tmp_path / "quoted.yaml").write_text(f"- {{date: 2023-02-01, credits: 12, approved: '{word}'}}\n")
    (tmp_path / "cell.csv").write_text(f"date,credits,approved\n2023-02-01,12,{word}\n")
    (tmp_path / "said.csv").write_text(f"date,credits,approved\n2023-02-01,12,{'yes' if meaning else 'no'}\n")
    said = answer(tmp_path / "said.csv")
    for name in ("plain.yaml", "quoted.yaml", "cell.csv"):
        got = answer(tmp_path / name)
        assert json.dumps(got).replace(name, "LOG").replace("entry 1", "row 2") == \
            json.dumps(said).replace("said.csv", "LOG"), name


@pytest.mark.parametrize("cells", [("on", "yes"), ("off", "no"), ("On", "YES"), ("OFF", "n")])
def test_a_roster_reads_on_and_off_as_its_yes_no_words(tmp_path, cells):
    word, same = cells
    header = "id,age,high_school,program,completed,clinical,postsecondary\n"
    (tmp_path / "a.csv").write_text(header + f"s1,24,{word},caahep,2026-05-15,{word},{word}\n")
    (tmp_path / "b.csv").write_text(header + f"s1,24,{same},caahep,2026-05-15,{same},{same}\n")
    outs = [runner.invoke(app, ["batch", "eligible", str(tmp_path / f), *AS_OF]) for f in ("a.csv", "b.csv")]
    assert outs[0].exit_code == outs[1].exit_code != 2, outs[0].output
    assert "error" not in list(csv.DictReader(io.StringIO(outs[0].stdout)))[0]["status"]
    assert outs[0].stdout == outs[1].stdout


def test_the_yes_no_words_are_the_readmes():
    from pathlib import Path

    readme = Path(__file__).resolve().parent.parent.joinpath("README.md").read_text()
    listed = readme.split("`approved` is yes/no (")[1].split(" in\nany case")[0]
    assert {w.strip() for w in listed.split(":", 1)[1].replace(" or ", ", ").split(",")} == YES | NO
