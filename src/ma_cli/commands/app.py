"""The Typer application object and the one place errors become exit codes.

Commands live in cmd_*.py modules and register themselves on `app`; `cli.main` imports them.
Every InputError raised anywhere below becomes one line on stderr and exit code 2. Usage
errors from the parser get the same treatment, so scripts see one greppable line, not a box.
An output that cannot be written (disk full, an I/O error, standard output closed) is one line
and exit 74; a signal while an output file is written, one line and 128 + its number; a reader
that went away (`| head -1`) ends the run quietly with 141, as if by SIGPIPE.
A bug becomes one line and exit 70; `--debug` before the command (`ma-cli --debug eligible ...`) or MA_CLI_DEBUG=1
shows the traceback instead.
"""

# No `from __future__ import annotations` here: Typer reads the signatures of the root callback and of
# the option callbacks below on every run, and string annotations cost it an eval and a compile each.

import errno
import inspect
import os
import re
import sys
import traceback
from typing import Optional

import typer
from typer.core import TyperCommand, TyperGroup

from ma_cli.base.errors import EXIT_IO, InputError, Interrupted, WriteError, given_twice, interrupted_line, one_line

DEBUG_ENV = "MA_CLI_DEBUG"
EXIT_PIPE = 128 + 13  # 141: the reader of standard output went away, as a shell reports SIGPIPE
# errors writing standard output that are the environment's, not a bug
_STREAM_ERRNOS = frozenset(getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EFBIG", "EIO", "EBADF", "EROFS")
                           if hasattr(errno, name))


def _error(message: str) -> None:
    sys.stderr.write(f"ma-cli: error: {one_line(message)}\n")


class _State:
    debug = False  # set by the --debug global option for the run in progress


def _debugging() -> bool:
    return _State.debug or os.environ.get(DEBUG_ENV, "").strip() not in ("", "0")


def _utf8_streams() -> None:
    """Write UTF-8 whatever the locale says.

    Under LC_ALL=C (common in cron jobs and minimal containers) Python's stdout is ASCII, and the
    first name with an accent, or a table bullet, would end the run with an encoding error. The
    data is UTF-8 everywhere else (files, JSON), so say it in UTF-8 here too.
    """
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if encoding not in ("utf-8", "utf8") and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(encoding="utf-8", errors="replace")
            except (ValueError, OSError):  # a stream that cannot change any more: leave it
                pass


def _usage_message(err, group) -> str:
    """A usage error in ma-cli's words, built from the error's fields.

    Click words the same error differently from one release to the next ("No such option: --x"
    against "No such option '--x'."), and which Click runs depends on the Typer installed (newer
    Typers carry their own copy). Scripts and the catalog see one wording whatever is installed.
    """
    kind = type(err).__name__
    if kind == "NoArgsIsHelpError":  # its message is the whole help text
        group = err.ctx.command if err.ctx is not None else group  # `ma-cli batch` lists batch's own
        return f"no command given; expected one of: {', '.join(group.list_commands(err.ctx))}"
    if kind == "NoSuchOption":
        message = f"No such option: {err.option_name}"
        if err.possibilities:
            message += f" (Possible options: {', '.join(sorted(err.possibilities))})"
        return message
    text = err.format_message()
    lead = "Got unexpected extra argument"
    if kind == "UsageError" and text.startswith(lead) and text.endswith(")"):
        # "argument(s) (b c)", "arguments (b c)" or "argument (b)", as the Click installed words it
        extra = text[len(lead):].removeprefix("(s)").removeprefix("s").strip()[1:-1]
        command = err.ctx.command if err.ctx is not None else group
        wanted = [p.metavar or p.name.upper() for p in command.params if p.param_type_name == "argument"]
        return f"more arguments than expected: {extra} (expected {' '.join(wanted) if wanted else 'options only'})"
    if kind == "BadParameter" and err.param is not None:  # exactly: MissingParameter words its own
        if err.param_hint is None and err.param.param_type_name == "argument":  # as --help shows it: ROSTER
            hint = f"'{err.param.metavar or err.param.name.upper()}'"
        else:
            hint = err.param_hint or " / ".join(f"'{opt}'" for opt in err.param.opts)
        if not isinstance(hint, str):
            hint = " / ".join(f"'{opt}'" for opt in hint)
        return f"Invalid value for {hint}: {err.message}"
    return " ".join(text.split())


def _typed_command(group, args) -> str:
    """The command the arguments name ('ma-cli batch eligible'), for an error Click raised before it knew
    (an option missing its value: `ma-cli eligible --age`)."""
    path, command = ["ma-cli"], group
    for word in args or ():
        sub = getattr(command, "commands", {}).get(word)
        if sub is None:
            break
        path.append(word)
        command = sub
    return " ".join(path)


def _summary(help_text: str | None) -> str:
    """A command's whole first paragraph, for the command list (Click would cut it at about 45 characters)."""
    return " ".join((help_text or "").strip().split("\n\n")[0].split())


# `\[required]` at the end of a help row: a pattern text, compiled (and cached by `re`) when help is shown
_ESCAPED_EXTRA = r"\\(\[[^\[\]]*\])$"


def _format_params(command, ctx, formatter) -> None:
    """The Arguments and Options sections of a command's help, as Typer lays them out, read the same
    whatever Typer and Click are installed.

    Two things differ otherwise. Typer before 0.2x sets an argument's help before Click's
    Parameter.__init__, which since Click 8.5 sets it again, to None: ROSTER lost its description.
    Its words are still in the command's signature (typer.Argument(help=...)), read back here. And that
    Typer escapes the `[required]` / `[env var: ...]` it appends for Rich markup even with markup off
    (rich_markup_mode=None), so help showed `\\[required]`: the backslash is dropped here.
    """
    declared = None
    rows: dict[str, list[tuple[str, str]]] = {"argument": [], "option": []}
    for param in command.get_params(ctx):
        if param.param_type_name == "argument" and not param.help and command.callback is not None:
            if declared is None:  # (follows __wrapped__ from Typer's wrapper to the command's function)
                declared = inspect.signature(command.callback).parameters
            info = declared.get(param.name)
            param.help = getattr(info.default, "help", None) if info is not None else None
        record = param.get_help_record(ctx)
        if record is not None and param.param_type_name in rows:
            rows[param.param_type_name].append((record[0], re.sub(_ESCAPED_EXTRA, r"\1", record[1])))
    for title, kind in (("Arguments", "argument"), ("Options", "option")):
        if rows[kind]:
            with formatter.section(title):
                formatter.write_dl(rows[kind])


class MaCommand(TyperCommand):
    """A command whose summary is never cut, whose usage line reads `ROSTER`, not `{ROSTER}`, and whose help
    reads the same at every Typer and Click version allowed (collect_usage_pieces, _format_params)."""

    def get_short_help_str(self, limit: int = 45) -> str:
        return self.short_help or _summary(self.help)

    def collect_usage_pieces(self, ctx) -> list[str]:
        """Click's pieces, a required argument bare and an optional one in brackets (`[CASES]`) whatever the
        Typer: a newer one braces a required metavar (`{ROSTER}`), an older one marks neither."""
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            for piece in param.get_usage_pieces(ctx):
                if piece.startswith("{") and piece.endswith("}"):
                    piece = piece[1:-1]
                elif param.param_type_name == "argument" and not param.required and not piece.startswith("["):
                    piece = f"[{piece}]"
                pieces.append(piece)
        return pieces

    def format_options(self, ctx, formatter) -> None:
        _format_params(self, ctx, formatter)

    def parse_args(self, ctx, args: list[str]) -> list[str]:
        if not ctx.resilient_parsing:
            _refuse_differing_repeats(self, ctx, args)
            _refuse_extra_arguments(self, ctx, args)
        return super().parse_args(ctx, args)


def _refuse_extra_arguments(command, ctx, args: list[str]) -> None:
    """More arguments than the command takes are refused before any argument is judged, as Click would
    after: `batch eligible my roster.csv` (a name with a space, unquoted) is about the second word, not
    about 'my', which is not found (options.path_flag judges a file argument while the words are read)."""
    if ctx.allow_extra_args or any(word in ("--help", "-h") for word in args):
        return
    _, extra, _ = command.make_parser(ctx).parse_args(args=list(args))
    if extra:
        UsageError = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")
        raise UsageError(f"Got unexpected extra argument{'s' if len(extra) > 1 else ''} ({' '.join(extra)})", ctx)


def _refuse_differing_repeats(command, ctx, args: list[str]) -> None:
    """An option that holds one value, given twice with different values, is refused.

    Click keeps the last silently: `--military 2022-03 --military 2023-01` would drop a training the person
    has, and `--as-of 2026-02-30 --as-of 2026-11-23` would pass over a bad date. The same value twice (a
    script's defaults repeated) is harmless and kept: for a numeric option, the same number however
    written (`--age 17 --age 17.0`: options.same_value). The options are walked as Click reads them: a value
    option's next word is its value, never an option of its own; `--` ends the options; `--help` wins."""
    takes_value, single = set(), {}
    for param in command.get_params(ctx):
        if param.param_type_name != "option":
            continue
        if not param.is_flag and not param.count:
            takes_value.update(param.opts)
        if not param.multiple and not param.count:
            for name in (*param.opts, *param.secondary_opts):
                single[name] = param
    if any(word in ("--help", "-h") for word in args):
        return
    given: dict[str, tuple[str, str]] = {}  # param name -> (the option as typed, its value)
    i = 0
    while i < len(args):
        word = args[i]
        if word == "--":
            break
        if word.startswith("--"):
            name, has_value, value = word.partition("=")
        elif word[:2] in takes_value and len(word) > 2:  # -oresults.csv: a short option and its value in one word
            name, has_value, value = word[:2], "=", word[2:]
        else:
            name, has_value, value = word, "", ""
        if name in takes_value and not has_value:
            value = args[i + 1] if i + 1 < len(args) else ""
            i += 1
        elif name in single and not has_value:
            value = name  # a flag: which of its names (--clinical / --non-clinical) was typed
        i += 1
        param = single.get(name)
        if param is None:
            continue
        if param.name in given and not _same(param, given[param.name][1], value):
            first, earlier = given[param.name]
            if earlier == first and value == name:  # two names of one flag
                message = f"{first} and {name} both given; expected one of them"
            else:
                message = given_twice(name, earlier, value)
            UsageError = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")
            raise UsageError(message, ctx)
        given[param.name] = (name, value)


def _same(param, earlier: str, value: str) -> bool:
    """The same value typed twice, or (a numeric option) two typings of one number: `--age 17 --age 17.0`."""
    if earlier == value:
        return True
    from ma_cli.commands.options import same_value

    return same_value(param, earlier, value)


class MaHelpGroup(TyperGroup):
    """A group (`batch`, `rules`) whose command list shows each summary whole."""

    def get_short_help_str(self, limit: int = 45) -> str:
        return self.short_help or _summary(self.help)

    def format_options(self, ctx, formatter) -> None:
        _format_params(self, ctx, formatter)
        self.format_commands(ctx, formatter)


COMPLETE_VAR = "_MA_CLI_COMPLETE"
# the shells ma-cli completes (README: bash, zsh and fish). Not PowerShell: Typer installs its script by
# starting `pwsh`, and ma-cli starts no other program
SHELLS = ("bash", "zsh", "fish")
_INSTRUCTIONS = ("source", "complete")


def _completion_request() -> bool:
    """Set up Typer's shell completion when the shell asks for it (never on an ordinary run).

    Typer reads `_MA_CLI_COMPLETE=source_bash` / `complete_bash`; Click's documentation (and many
    guides) spell it `bash_source`, so that spelling is accepted too.
    """
    instruction = os.environ.get(COMPLETE_VAR)
    if not instruction:
        return False
    first, _, second = instruction.partition("_")
    if first in SHELLS and second in _INSTRUCTIONS:
        os.environ[COMPLETE_VAR] = f"{second}_{first}"
    elif not (first in _INSTRUCTIONS and second in SHELLS):  # Click would say so and exit 1 ("not eligible")
        raise InputError(f"{COMPLETE_VAR}={instruction}: not a completion request ma-cli knows (expected "
                         f"source_SHELL or complete_SHELL, SHELL one of {', '.join(SHELLS)}; unset it for an "
                         f"ordinary run)")
    from typer._completion_classes import completion_init

    completion_init()
    return True


def _completion_variables() -> str:
    """What is wrong with the shell's completion variables, in ma-cli's words (not Python's KeyError)."""
    missing = [name for name in ("COMP_WORDS", "COMP_CWORD") if name not in os.environ]
    if missing:
        return f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set"
    cword = os.environ["COMP_CWORD"]
    if not cword.strip().isdecimal():
        return f"COMP_CWORD is '{cword}', not a whole number"
    return f"COMP_WORDS '{os.environ['COMP_WORDS']}' and COMP_CWORD {cword} are not as the shell sets them"


class _SafeStderr:
    """Standard error that cannot end the run: closed (`2>&-`) or full (`2>/dev/full`), its lines are lost
    but the exit code stays the one the run earned (a failing error line used to end a bad-input run
    with exit 1, which reads as "not eligible")."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text):
        if self._stream is not None:
            try:
                return self._stream.write(text)
            except (OSError, ValueError):
                self._lose()
        return len(text)

    def flush(self):
        if self._stream is not None:
            try:
                self._stream.flush()
            except (OSError, ValueError):
                self._lose()

    def _lose(self):
        stream, self._stream = self._stream, None
        try:  # what the stream still buffers goes to /dev/null: the interpreter's last flush is quiet
            fd = stream.fileno()
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, fd)
            os.close(null)
        except (AttributeError, OSError, ValueError):
            pass

    def isatty(self):
        try:
            return self._stream is not None and self._stream.isatty()
        except (OSError, ValueError):
            return False

    def __getattr__(self, name):
        if self._stream is None:
            if name == "encoding":
                return "utf-8"
            raise AttributeError(name)
        return getattr(self._stream, name)


class _BrokenPipe(Exception):
    """The reader of standard output went away (carried past the parser, which would make it exit 1)."""


def _stdout_failure(err: OSError) -> Exception | None:
    """The error to report if `err` is standard output failing (None: it is something else)."""
    if isinstance(err, BrokenPipeError) or err.errno == errno.EPIPE:
        return _BrokenPipe()
    if err.filename is None and err.errno in _STREAM_ERRNOS:
        return WriteError(f"standard output: cannot write: {err.strerror}")
    return None


def _silence_stdout() -> None:
    """After standard output failed: send what is still buffered to /dev/null, so the exit is quiet."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, fd)
        os.close(null)
    except OSError:
        pass


def _carried(step, *args, **kwargs):
    """Run a step of the parser, carrying Ctrl-C and a failed standard output past it to MaGroup.main.

    The parser turns Ctrl-C into a quiet exit 130 and a broken pipe into exit 1 ("not eligible").
    """
    try:
        return step(*args, **kwargs)
    except KeyboardInterrupt:
        raise Interrupted(2) from None
    except OSError as err:
        failure = _stdout_failure(err)
        if failure is None:
            raise
        raise failure from None


def _forget_inputs() -> None:
    """The inputs read before (outfile.note_input) are not this run's, when one process runs several (tests,
    a caller of main or of the api); the module is loaded only by a run that read or wrote a file."""
    outfile = sys.modules.get("ma_cli.base.outfile")
    if outfile is not None:
        outfile.forget_inputs()


class MaGroup(MaHelpGroup):
    def make_context(self, *args, **kwargs):  # `ma-cli --help`, `--version`: printed while parsing
        return _carried(super().make_context, *args, **kwargs)

    def invoke(self, ctx):  # the command itself, and its own --help
        return _carried(super().invoke, ctx)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if sys.stdout is None:  # started with standard output closed
            from ma_cli.base.outfile import ClosedStdout  # (told apart there: no output file is begun)

            sys.stdout = ClosedStdout()
        _utf8_streams()
        given_stderr = sys.stderr
        sys.stderr = _SafeStderr(given_stderr)
        _forget_inputs()
        try:
            return self._main(args, prog_name, complete_var, standalone_mode, **extra)
        finally:
            sys.stderr = given_stderr
            _forget_inputs()

    def _main(self, args, prog_name, complete_var, standalone_mode, **extra):
        completing = False
        # Typer has bundled its own copy of Click since 0.2x; find the base class through a public name.
        ClickException = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")
        Abort = typer.Abort
        _State.debug = False
        try:
            completing = _completion_request()
            rv = super().main(args=args, prog_name=prog_name or "ma-cli", complete_var=complete_var,
                              standalone_mode=False, **extra)
            try:
                sys.stdout.flush()  # a full disk shows here, not in the interpreter's last words
            except OSError as err:
                raise _stdout_failure(err) or err from None
        except InputError as err:
            if _debugging():
                traceback.print_exc()
            _error(str(err))
            rv = 2
        except ClickException as err:
            message = _usage_message(err, self)
            ctx = getattr(err, "ctx", None)  # point at the help of the command that was typed
            where = ctx.command_path if ctx is not None and ctx.command_path else _typed_command(self, args)
            _error(f"{message} (see '{where} --help')" if err.exit_code == 2 else message)
            rv = err.exit_code
        except WriteError as err:
            if _debugging():
                traceback.print_exc()
            _silence_stdout()
            _error(str(err))
            rv = EXIT_IO
        except Interrupted as stop:
            import signal

            sys.stderr.write(interrupted_line(signal.Signals(stop.signum).name, stop.output_removed))
            rv = 128 + stop.signum
        except (Abort, KeyboardInterrupt):
            sys.stderr.write(interrupted_line())
            rv = 130
        except _BrokenPipe:
            _silence_stdout()
            rv = EXIT_PIPE
        except Exception as err:  # a bug: say so in one line, never a traceback by default
            if _debugging():
                raise
            if completing and isinstance(err, (KeyError, ValueError)):  # the shell's variables, not a bug
                _error(f"{COMPLETE_VAR}={os.environ.get(COMPLETE_VAR)}: {_completion_variables()} (expected "
                       f"COMP_WORDS and a whole-number COMP_CWORD, as the completion script sets them)")
                return self._exit(2, standalone_mode)
            # --debug is the group's option, so the hint says where it goes: after the command
            # (`ma-cli eligible ... --debug`) it would be refused as an unknown option
            again = _typed_command(self, args).replace("ma-cli", "ma-cli --debug", 1)
            _error(f"internal error: {type(err).__name__}: {err} (to see the traceback, run it again as "
                   f"'{again} ...' or with {DEBUG_ENV}=1)")
            rv = 70
        return self._exit(rv if isinstance(rv, int) else 0, standalone_mode)

    @staticmethod
    def _exit(code: int, standalone_mode: bool) -> int:
        if standalone_mode:
            sys.exit(code)
        return code


def examples(*lines: str) -> str:
    """The end of a command's help: a few real commands, kept as written (Click's `\\b` stops rewrapping)."""
    return "Examples:\n\n\b\n" + "\n".join(f"  {line}" for line in lines)


EXAMPLES_ROOT = examples(
    "ma-cli eligible --program caahep --graduated 2026-05-15",
    "ma-cli plan --work 2024-10-01..present --high-school",
    "ma-cli renew --cert cma --since 2022-03-15",
)

app = typer.Typer(
    cls=MaGroup,
    name="ma-cli",
    help="Eligibility and renewal answers for US medical-assistant credentials, from a cited rule set.",
    add_completion=False,  # Typer's own pair takes no shell name and costs start-up time; see --show-completion
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=EXAMPLES_ROOT,
)


def _shell(value: str, option: str) -> str:
    """The shell named (an InputError, not Click's BadParameter: ma-cli's one shape, as every option's)."""
    shell = value.strip().lower()
    if shell not in SHELLS:
        raise InputError(f"'{value}' is not a shell ma-cli completes (expected one of: {', '.join(SHELLS)})",
                         at=option)
    return shell


def _show_completion(value: Optional[str]) -> None:
    if value is None:
        return
    from typer._completion_shared import get_completion_script

    shell = _shell(value, "--show-completion")
    print(get_completion_script(prog_name="ma-cli", complete_var=COMPLETE_VAR, shell=shell))
    raise typer.Exit(0)


def _install_completion(value: Optional[str]) -> None:
    if value is None:
        return
    from typer._completion_shared import install

    shell, path = install(shell=_shell(value, "--install-completion"), prog_name="ma-cli", complete_var=COMPLETE_VAR)
    print(f"{shell} completion for ma-cli installed in {path}; it takes effect in a new shell")
    raise typer.Exit(0)


def _complete_shell(incomplete: str) -> list[str]:
    return [s for s in SHELLS if s.startswith(incomplete)]


def _version(value: bool) -> None:
    if value:
        from ma_cli import __version__

        print(f"ma-cli {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
    debug: bool = typer.Option(False, "--debug", help=f"Show the Python traceback on errors, given before the "
                                                      f"command: ma-cli --debug eligible ... (for developers; "
                                                      f"same as {DEBUG_ENV}=1)."),
    show_completion: Optional[str] = typer.Option(
        None, "--show-completion", metavar="SHELL", callback=_show_completion, is_eager=True, expose_value=False,
        autocompletion=_complete_shell,
        help=f"Print the completion script for SHELL ({', '.join(SHELLS[:3])}) to standard output."),
    install_completion: Optional[str] = typer.Option(
        None, "--install-completion", metavar="SHELL", callback=_install_completion, is_eager=True,
        expose_value=False, autocompletion=_complete_shell,
        help="Install completion for SHELL: writes the script under your home folder and adds a line to "
             "~/.bashrc or ~/.zshrc (the one ma-cli option that writes outside a named output)."),
) -> None:
    """Eligibility and renewal answers for US medical-assistant credentials, from a cited rule set."""
    _State.debug = debug
