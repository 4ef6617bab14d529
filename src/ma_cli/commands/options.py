"""Options shared by several commands: the as-of date, the rule set, and the person."""

# No `from __future__ import annotations` here: Typer reads the signatures of the completion functions
# and parsers below on every run, and string annotations cost it an eval and a compile each.

import contextlib
import os
from datetime import date
from pathlib import Path
from typing import Any, Callable, ContextManager, Optional

import typer

from ma_cli.base.dates import DATE_FORMS, parse_date, parse_partial, without_midnight
from ma_cli.base.errors import Arguments, Fields, InputError, Source, broken_link
from ma_cli.inputs.profile import (
    ACCREDITATIONS,
    ROLES,
    STUDY_FIELDS,
    Profile,
    check_dates,
    hours_per_week,
    parse_profile,
)
from ma_cli.ruleset.rules import FIELD_NAMES, split_names

# --- shell completion (run only when the shell asks: `ma-cli --show-completion bash`) --------------

def complete_credentials(incomplete: str) -> list[str]:
    """Credential ids: the rule files of the bundled set and of MA_CLI_RULES. After a comma (`--cert
    cma,r`, a list as _cert_names reads it) the last name is completed, the ones before it kept, and a
    name already in the list is not offered again."""
    import os

    from ma_cli.ruleset.rules import bundled_rules_dir
    from ma_cli.ruleset.rules_packed import rule_file_names

    folders = [bundled_rules_dir()] + ([Path(os.environ["MA_CLI_RULES"])] if os.environ.get("MA_CLI_RULES") else [])
    # (a name's stem, lower-cased as a credential id is: CCMA.YAML and ccma.yml offer `ccma` once)
    names = sorted({os.path.splitext(name)[0].lower() for folder in folders if folder.is_dir()
                    for name in rule_file_names(folder)})
    before, comma, last = incomplete.rpartition(",")
    given = {name.strip().lower() for name in before.split(",")} if comma else set()
    return [before + comma + n for n in names if n.startswith(last.strip().lower()) and n not in given]


def complete_programs(incomplete: str) -> list[str]:
    return [a for a in ACCREDITATIONS if a.startswith(incomplete.lower())]


def complete_files(incomplete: str) -> list[str]:
    """No words of our own: the shell then completes file and folder names (bash, zsh and fish alike)."""
    return []


def path_flag(expected: str, kind: str = "file", written: bool = False, dash: bool = False,
              convert: Callable[[str], Any] = Path) -> dict:
    """The parser and callback of a file or folder option or argument: the one place such a name is judged.

    `kind`: "file", "folder" or "either", what must be there to read; `written`: the name of a file to
    write (-o, --ics, --html), so it must not be a folder and its folder must exist and be writable;
    `dash`: `-` (standard input or output) is taken as given. A bad name is refused in ma-cli's one
    shape, as a number is (number_flag): `--profile: '/tmp' is a folder (expected a profile file)`,
    the option or the argument as --help shows it (ROSTER), the name as typed (errors.one_line escapes
    what does not print; nothing here goes through Rich, so `[red]` is shown as typed), and what is
    expected. Click's own checks (click.Path(exists=...)) word theirs `Invalid value for ...`, and
    differently from one Click release to the next. The readers behind (profile, roster, rule folder,
    outfile.py) keep their checks: a file may go between this check and the reading, and the Python
    API calls them directly. The callback runs before the command, so nothing is printed first.
    """
    also = ", or - for standard output" if dash and written else ", or - for standard input" if dash else ""
    wanted = f"{expected}{also}"
    seps = "".join(sep for sep in (os.sep, os.altsep) if sep)

    def problem(text: str) -> Optional[str]:
        """What is wrong with one name (None: nothing seen before it is read or written)."""
        if text == "":  # Path('') is '.': it would be read as the current folder
            return "is an empty name"
        if dash and text == "-":
            return None
        if written:
            if os.path.isdir(text):
                return "is a folder"
            if os.path.exists(text) and not os.path.isfile(text):  # a device or pipe: written directly (outfile.py)
                return None
            if text.endswith(tuple(seps)):  # pathlib would drop the slash and write a file of that name
                return f"ends with '{text[-1]}', so it names a folder"
            folder = os.path.dirname(text) or "."
            if not os.path.exists(folder):
                return f"is in folder '{folder}', which is not found"
            if not os.path.isdir(folder):
                return f"is in '{folder}', which is not a folder"
            # the new file is made beside the name (outfile.py), unless the name is a link: then beside its target
            if not os.path.islink(text) and not os.access(folder, os.W_OK | os.X_OK):
                return f"is in folder '{folder}', which cannot be written"
            return None
        if not os.path.exists(text):
            return broken_link(text) or "is not found"
        if kind == "file" and os.path.isdir(text):
            return "is a folder"
        if kind == "folder" and not os.path.isdir(text):
            return "is a file" if os.path.isfile(text) else "is not a folder"
        return None

    def judge(ctx: typer.Context, param: typer.CallbackParam, value: Any):
        if value is None and (param.nargs == -1 or getattr(param, "multiple", False)):
            return ()  # (an argument of many names given none: Click 8.5 passes None, which Typer 0.19 takes the length of)
        if value is None or ctx.resilient_parsing:
            return value
        many = isinstance(value, (list, tuple))
        for text in (_typed(v) for v in (value if many else (value,))):
            wrong = problem(text)
            if wrong is not None:
                raise InputError(f"'{text}' {wrong} (expected {wanted})", at=_named(ctx, param))
        return [convert(_typed(v)) for v in value] if many else convert(_typed(value))

    return {"parser": _Typed, "callback": judge}


class _Typed(type(Path())):  # type: ignore[misc]  # (a concrete PosixPath or WindowsPath: Python 3.11 has no Path subclassing)
    """A name as typed, carried through Typer's conversion of a Path parameter's value to the callback (every
    Typer ma-cli allows keeps a Path subclass a parser made): Path('') is '.' and Path('out/') is 'out', so
    the callback would otherwise judge, and show, another name than the one typed."""

    def __new__(cls, text: str):
        made = super().__new__(cls, text)
        made.typed = text
        return made


def _typed(value: Any) -> str:
    typed = getattr(value, "typed", None)
    return typed if isinstance(typed, str) else str(value)


def _named(ctx: typer.Context, param: typer.CallbackParam) -> str:
    """A parameter as the user gave it: an argument by its name in --help (ROSTER), an option by its first
    name, or by the environment variable its value came from (a MA_CLI_RULES set in a shell profile long
    ago names itself, not --rules, which was never typed)."""
    if param.param_type_name == "argument":
        return param.metavar or (param.name or "").upper()
    source = ctx.get_parameter_source(param.name) if param.name else None
    envvar = getattr(param, "envvar", None)
    if source is not None and source.name == "ENVIRONMENT" and isinstance(envvar, str):
        return envvar
    return param.opts[0]


# the rule folder: a folder that exists (then, for MA_CLI_RULES, one that holds rule files)
_rules_folder = path_flag("a folder of rule files (*.yaml or *.yml)", kind="folder")


def rules_folder(ctx: typer.Context, param: typer.CallbackParam, value: Any):
    """--rules DIR, or MA_CLI_RULES: a folder that exists and holds rule files, read at once so the error
    names where the folder came from: the option, or the variable (a user who set it in a shell
    profile long ago would not know where '/old/rules' came from)."""
    value = _rules_folder["callback"](ctx, param, value)
    if value is None or ctx.resilient_parsing or param.name is None:
        return value
    source = ctx.get_parameter_source(param.name)
    from ma_cli.ruleset.rules import override_files

    try:
        override_files(Path(value))
    except InputError as err:
        named = "MA_CLI_RULES=" if source is not None and source.name == "ENVIRONMENT" else f"{param.opts[0]}: "
        raise InputError(f"{named}{err}") from None
    return value


def output_flag(convert: Callable[[str], Any] = Path) -> dict:
    """The name of a file an output option (-o, --ics, --html) or `batch template` writes; - is standard output."""
    return path_flag("a file name in an existing folder", written=True, dash=True, convert=convert)


OutputFile = output_flag()


AsOf = typer.Option(None, "--as-of", metavar="DATE", help=f"Evaluate on this date ({DATE_FORMS}); default today.")
RulesDir = typer.Option(None, "--rules", metavar="DIR", envvar="MA_CLI_RULES", autocompletion=complete_files,
                        parser=_rules_folder["parser"], callback=rules_folder,
                        help="A local rule directory that overrides or extends the bundled rules.")
JsonOut = typer.Option(False, "--json", help="Print JSON for scripts instead of a table.")
def _cert_names(ctx: typer.Context, param: typer.CallbackParam, value):
    """`--cert cma,rma` as `--cert cma --cert rma` (rules.split_names). None given (the oldest Click
    passes None) is an empty list, which Typer's own conversion can measure."""
    if not value or ctx.resilient_parsing:
        return value or []
    return split_names(value)


Certs = typer.Option(None, "--cert", metavar="CRED", autocompletion=complete_credentials, callback=_cert_names,
                     help="Only this credential (repeatable, or several with commas: cma,rma), e.g. cma.")
# read by roster.check_encoding (batch) and api.renewals (renew --ce-log); a BOM is errors.text_encoding's
Encoding = typer.Option(None, "--encoding", metavar="CODEC",
                        help="The text encoding of a CSV roster and of CE logs, a Python codec name such as cp1252 "
                             "(default UTF-8); a file that starts with a byte-order mark is read as its mark says.")


def output_to_stdout(path: Optional[Path], flag: str, json_out: bool = False) -> bool:
    """Whether an output option was given `-` (standard output); refused beside --json, which prints there too."""
    if path is None or str(path) != "-":
        return False
    if json_out:
        raise InputError(f"{flag} - and --json: both would print to standard output; give {flag} a file name")
    return True


def files_after_stdout(files: list) -> ContextManager[None]:
    """outfile.after_stdout for a command's named outputs (path, flag, text); without any, nothing to hold
    (the writer is not loaded)."""
    if not files:
        return contextlib.nullcontext()
    from ma_cli.base.outfile import after_stdout

    return after_stdout(files)


def write_stdout(text: str) -> None:
    """Text to standard output byte for byte (an iCalendar file's CRLF line ends stay CRLF)."""
    import sys

    sys.stdout.flush()
    raw = getattr(sys.stdout, "buffer", None)
    if raw is None:
        sys.stdout.write(text)
    else:
        raw.write(text.encode("utf-8"))
    sys.stdout.flush()


def grouping(field_of: dict, person: Profile, cert) -> tuple:
    """What the answer tables group by (fields.py): each credential's field (id -> field), the fields
    the person gives facts for, and whether quiet fields fold (only when no --cert chose the credentials)."""
    from ma_cli.inputs.fields import person_fields

    return field_of, person_fields(person, field_of), not cert


# the flag of each argument the commands pass on to api.py, which names it in its messages (the Python
# API's own names are the parameters')
FLAGS = Arguments({"credentials": "--cert", "credential": "--cert", "since": "--since", "profile": "--profile",
                   "ce_log": "--ce-log", "warn_days": "--warn-days", "assume": "--assume", "as_of": "--as-of",
                   "columns": "--column", "encoding": "--encoding"})


def as_of_date(value: Optional[str]) -> date:
    # a flag's date reads as a cell's and a file's: an export's midnight after it is that date
    # (dates.without_midnight; a script passing a spreadsheet's datetime through), another time is refused
    return date.today() if value is None else parse_date(without_midnight(value), FLAGS("as_of"))


def person_from_flags(program: Optional[str], graduated: Optional[str], expected: Optional[str],
                      military: Optional[str], work: Optional[list[str]], high_school: Optional[bool],
                      age: Optional[int], field: Optional[str] = None, clinical: Optional[bool] = None,
                      skills: Optional[dict] = None, held: Optional[list[str]] = None,
                      high_school_expected: Optional[str] = None) -> dict:
    """Turn the common-case flags into the same mapping a profile file holds."""
    data: dict = {}
    if high_school_expected is not None and high_school is not None:
        raise InputError("--high-school-expected with --high-school/--no-high-school: give one (the expected "
                         "date says there is no diploma yet)")
    if (field is not None or clinical is not None) and not program:
        raise InputError("--field/--clinical describe the program: give --program too")
    # parse here so an error names the flag the user typed, not the profile field behind it
    for flag, value in (("--graduated", graduated), ("--expected", expected), ("--military", military),
                        ("--high-school-expected", high_school_expected)):
        if value is not None:
            parse_date(without_midnight(value), flag)  # (the profile reader drops the midnight too)
    if graduated and expected:
        raise InputError("--graduated and --expected: give one or the other (a program is either finished or not)")
    if (graduated or expected) and not program:
        from ma_cli.inputs.profile import ACCREDITATIONS

        raise InputError(f"--graduated/--expected need --program (expected one of: {', '.join(ACCREDITATIONS)})")
    if program:
        entry = {"accreditation": program}
        if field is not None:
            entry["field"] = FIELD_NAMES.get(field.strip().lower(), field)
        if clinical is not None:
            entry["clinical"] = clinical
        if graduated:
            entry["completed"] = graduated
        elif expected:
            entry["expected"] = expected
        else:
            raise InputError("--program needs --graduated DATE or --expected DATE")
        data["programs"] = [entry]
    if military:
        data["military"] = [{"completed": military}]
    if work:
        data["work"] = [work_flag(spec) for spec in work]
    if high_school is not None:
        data["high_school"] = high_school
    elif high_school_expected is not None:  # a profile's `high_school: DATE`, read the same way
        data["high_school"] = without_midnight(high_school_expected)
    if skills and any(v is not None for v in skills.values()):
        data["skills"] = {k: v for k, v in skills.items() if v is not None}
    if held:
        entries = []
        for spec in held:
            cred, colon, since = spec.partition(":")
            if colon and cred.strip() and not since.strip():
                from ma_cli.inputs.roster_columns import no_since

                raise InputError(f"--held '{spec}': {no_since(cred.strip())}")
            entries.append({"credential": cred, **({"since": since} if since.strip() else {})})
        data["held"] = entries
    if age is not None:
        data["age"] = age
    return data


WORK_FORM = "FROM..TO[@HOURS]"


def work_flag(spec: str) -> dict:
    """One `--work` value as a profile's work entry.

    The form is a roster cell's: `FROM..TO[@HOURS]`, `TO` a date or `present` (or left out), and
    optionally `instructor:` before it. `FROM:TO`, the flag's first form, is read too.
    """
    from ma_cli.inputs.profile import ROLES, suggest
    from ma_cli.inputs.roster_columns import NO_HOURS, period_parts

    named, start, sep, end, at, hours = period_parts(spec.strip())
    role = named.lower() if named is not None else None
    if role is not None and role not in ROLES:
        raise InputError(f"--work '{spec}': '{named}' is not a known role{suggest(role, ROLES)} (expected ROLE: "
                         f"one of {', '.join(ROLES)}, or none for medical-assistant)")
    if at and not hours:
        raise InputError(f"--work '{spec}': {NO_HOURS}")
    if not sep:  # the flag's first form, FROM:TO
        start, sep, end = start.partition(":")
        start, end = start.strip(), end.strip()
    if not sep or not start:
        raise InputError(f"--work '{spec}': expected {WORK_FORM} such as 2021-01-01..present "
                         f"(@HOURS per week, e.g. 2021-01..2023-06@20; FROM:TO is read too)")
    first = parse_date(without_midnight(start), f"--work '{spec}' FROM")
    if end and end.lower() != "present":
        # (TO given to the month may end on any of its days: 2024-01-15..2024-01 is in order)
        if parse_partial(without_midnight(end), f"--work '{spec}' TO").last < first:
            raise InputError(f"--work '{spec}': TO is before FROM (expected {WORK_FORM} in date order)")
    period = {"from": start, "to": end or "present"}
    if role:
        period["role"] = role
    if hours:  # read by the bounds table's reader: ASCII digits, more than 0, at most 168
        period["hours_per_week"] = hours_per_week(hours, f"--work '{spec}' @HOURS")
    return period


def load_person(profile_path: Optional[Path], flags: dict, as_of: Optional[date] = None) -> Profile:
    """The person from --profile FILE, or from flags; both at once would be ambiguous.

    With `as_of`, facts that cannot be true on that day (profile.check_dates) are refused too.
    """
    if profile_path is not None:
        if flags:
            raise InputError(f"--profile {profile_path}: cannot be combined with person flags "
                             f"({', '.join(sorted(flags))}); put them in the file")
        from ma_cli.api import profile_file

        return profile_file(profile_path, as_of)
    source = Flags(flags)
    person = parse_profile(flags, source)
    if as_of is not None:
        check_dates(person, as_of, source)
    return person


class Flags(Source):
    """The person flags as a profile's front end: a field is named by the flag the user typed
    (`--graduated`, not the profile field `programs[0].completed` the flag became)."""

    # the profile field each flag fills; a field no flag fills keeps its path (`flags.work[0]`)
    FLAG_OF_FIELD = {("age",): "--age", ("high_school",): "--high-school(-expected)", ("programs", 0, "accreditation"): "--program",
                     ("programs", 0, "field"): "--field", ("programs", 0, "clinical"): "--clinical",
                     ("programs", 0, "completed"): "--graduated", ("programs", 0, "expected"): "--expected",
                     ("military", 0, "completed"): "--military", ("skills", "venipunctures"): "--venipunctures",
                     ("skills", "capillary_sticks"): "--capillary-sticks", ("skills", "ekgs"): "--ekgs"}

    def __init__(self, flags: dict):
        self.flags = flags

    def place(self, path: tuple) -> str:
        flag = self.FLAG_OF_FIELD.get(path)
        if flag is not None:
            return flag
        if len(path) == 3 and path[0] == "held" and path[2] in ("credential", "since"):
            # one --held value: name it as typed, and the part of CRED[:SINCE] that is wrong
            entry = self.flags["held"][path[1]]
            typed = entry["credential"] + (f":{entry['since']}" if "since" in entry else "")
            return f"--held '{typed}' {'CRED' if path[2] == 'credential' else 'SINCE'}"
        if len(path) == 3 and path[0] == "work" and path[2] in ("from", "to"):
            # one --work value: named by its period, and which end of it
            entry = self.flags["work"][path[1]]
            return f"--work {entry['from']}..{entry['to']} {'FROM' if path[2] == 'from' else 'TO'}"
        return Fields("flags").place(path)


# --- the person flags, shared by `eligible` and `plan` ----------------------------------------

ProfileFile = typer.Option(None, "--profile", metavar="FILE", autocompletion=complete_files,
                           **path_flag("a profile file", dash=True),
                           help="A person's YAML profile; - reads it from standard input.")
Program = typer.Option(None, "--program", metavar="ACCREDITATION", autocompletion=complete_programs,
                       help=f"Program accreditation: {' | '.join(ACCREDITATIONS)}.")
Graduated = typer.Option(None, "--graduated", metavar="DATE", help="Program completion date.")
Expected = typer.Option(None, "--expected", metavar="DATE", help="Expected completion date (current student).")
MilitaryDone = typer.Option(None, "--military", metavar="DATE",
                            help="US Armed Forces medical training completed on DATE.")
WorkPeriods = typer.Option(None, "--work", metavar="[ROLE:]FROM..TO[@H]",
                           help="Work period as in a roster's work cell: TO may be 'present', @H hours a week "
                                "(default 40), ROLE: before it (default medical-assistant; "
                                f"{', '.join(ROLES[1:])}) (repeatable; FROM:TO is read too).")
Field = typer.Option(None, "--field", metavar="FIELD",
                     help=f"What the --program trains for: {' | '.join(STUDY_FIELDS)} (default medical-assisting).")
Clinical = typer.Option(None, "--clinical/--non-clinical", help="The --program includes clinical training (COA A1/A2).")
HeldCreds = typer.Option(None, "--held", metavar="CRED[:SINCE]", help="A credential held, e.g. rma:2023-04 (repeatable).")
HighSchool = typer.Option(None, "--high-school/--no-high-school",
                          help="Has a high-school diploma or GED (--no-high-school: none, and none expected).")
HighSchoolExpected = typer.Option(None, "--high-school-expected", metavar="DATE",
                                  help="No diploma yet: the expected high-school graduation date (a student "
                                       "working toward one, which some routes accept).")


def number_flag(field: str) -> dict:
    """The parser and callback of a numeric option: the text typed, read by bounds.read as `field`.

    One reader and one table for a flag, a profile and a roster cell, so `--age abc`, `--age -1` and
    `--age 1e9` are all refused in ma-cli's words: `--age: 'abc' is not a number (expected ...)`. The
    parser keeps the text (Click's integer type accepts any Unicode digit, '١٧' is 17, and words its
    refusal as `Invalid value for ...`, differently from one Click release to the next); the callback
    judges it, where an InputError reaches app.MaGroup as it is (a parser's ValueError would be
    reworded by Click as the value alone).
    """

    def judge(ctx: typer.Context, param: typer.CallbackParam, value: Optional[str]):
        if value is None or ctx.resilient_parsing:
            return value
        from ma_cli.base.bounds import read as read_number

        return read_number(value, field, param.opts[0])

    judge.field = field  # type: ignore[attr-defined]  # (same_value: what two typings of the option mean)
    return {"parser": str, "callback": judge}


def same_value(param, first: str, second: str) -> bool:
    """Whether two values typed for one option mean the same: for a numeric option, the same number read
    (`--age 17 --age 17.0`, `--jobs 2 --jobs +2`); for any other, the same text. A value that is not read
    (not a number) is compared as typed, and refused by the option's reader."""
    if first == second:
        return True
    field = "jobs" if param.name == "jobs" else getattr(param.callback, "field", None)
    if field is None:
        return False
    from ma_cli.base.bounds import number_text, read as read_number

    def meaning(text: str):
        word = text.strip().lower()
        if not number_text(word):
            return word
        try:
            return read_number(word, field, "")
        except InputError:
            return word

    return meaning(first) == meaning(second)


# their bounds are the profile's (bounds.BOUNDS), read here as a profile's fields are
Age = typer.Option(None, "--age", metavar="N", **number_flag("age"), help="Age in years.")
Venipunctures = typer.Option(None, "--venipunctures", metavar="N", **number_flag("venipunctures"),
                             help="Documented successful venipunctures.")
CapillarySticks = typer.Option(None, "--capillary-sticks", metavar="N", **number_flag("capillary_sticks"),
                               help="Documented successful capillary sticks.")
Ekgs = typer.Option(None, "--ekgs", metavar="N", **number_flag("ekgs"), help="Documented EKGs on live people.")
# --jobs: the roster's rows answered by N worker processes (base/workers.py); off unless asked
Jobs = typer.Option(None, "--jobs", metavar="N|auto",
                    help="Answer the rows in N worker processes (auto: one per usable CPU); the output is the "
                         "same. Pays on a large roster with free CPUs; default 1, one process.")


def jobs_count(text: Optional[str]) -> int:
    """--jobs N|auto -> the number of worker processes (1: none, the run stays in one process)."""
    if text is None:
        return 1
    from ma_cli.base.bounds import BOUNDS, number_text, read as read_number
    from ma_cli.base.workers import can_fork, usable_cpus

    word = text.strip().lower()
    if word == "auto":
        count = min(usable_cpus(), int(BOUNDS["jobs"].high))
    elif number_text(word):  # read as every numeric option is: `+2` and `2.0` are 2, `2.5` is not whole
        count = read_number(word, "jobs", "--jobs")
    else:
        raise InputError(f"--jobs: '{text}' is not a number of worker processes (expected {BOUNDS['jobs'].expected})")
    if count > 1 and not can_fork():
        raise InputError(f"--jobs {text}: worker processes are copies of this one (fork), which this system does "
                         f"not make (expected --jobs 1)")
    return int(count)


# the bound of bounds.BOUNDS["warn_days"], which api.warn_days_checked holds a Python caller to
WarnDays = typer.Option(90, "--warn-days", metavar="N", **number_flag("warn_days"),
                        help="Due within N days counts as due soon (0 to 3650).")
