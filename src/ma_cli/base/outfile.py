"""Output files (`-o`, `--ics`): the one writer, and where an output really goes.

`open_output(path, what)` is a context manager that yields a text stream; `write_text` writes a
whole text at once; `together()` groups a run's outputs. Either way:

- A regular file (or a new one) is written to a temporary file beside it, flushed to disk
  (fsync), and renamed over it only when everything was written: a reader never sees half a file,
  and a failure or a signal leaves the previous file as it was. A new file gets mode 0666 less the
  umask, as any program's output does; a file that is replaced keeps its permission bits.
- A device, pipe or socket (`-o /dev/stdout`, a named pipe) is written directly: renaming over it
  would replace it with a plain file (as root, for every later user).
- A symbolic link is followed (the link stays, its target is replaced), except a link that
  another user owns in a sticky world-writable folder such as /tmp, which is refused as the
  kernel's protected_symlinks refuses it (renaming over the target would bypass that protection).
- A failed run replaces none of its files: every output of a run (`together`) is renamed over its
  file only once all of them were written.
- An output that is one of the inputs (the same device and inode, standard input included) is
  refused: the run would destroy what it reads. Standard output is an output too (`>> FILE`). Every
  input is named here as it is opened (note_input), so that one check covers every input and output.
- A named output that is the file standard output goes to (`--ics s.ics > s.ics`), in a run that
  prints there, is refused as it is opened, as two named outputs that are one file are: one of the
  two would be lost. Standard output closed when the run started fails there too, before any file
  is written (ClosedStdout). The named files of a run that prints replace theirs only once standard
  output was written and flushed (after_stdout): a failed standard output keeps every previous file.
- A bad path (no such folder, a name too long, a folder, no permission) is bad usage: InputError,
  exit 2. A failure while writing (disk full, I/O error) is WriteError, exit 74.
- While a temporary file exists, a terminating signal (SIGTERM, SIGHUP, SIGINT, ...) removes it and
  ends the run with Interrupted (exit 128 + the signal's number); a signal the run was started
  ignoring (nohup) stays ignored. The handlers are set up only here, only for that time.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import sys
from pathlib import Path
from typing import IO, Iterator, Optional

from ma_cli.base.errors import InputError, Interrupted, WriteError

# errors that mean the disk or the device failed, not that the path is wrong
IO_ERRNOS = frozenset(getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EFBIG", "EIO") if hasattr(errno, name))
_HINTS = {
    errno.ENAMETOOLONG: "expected a shorter name: at most 255 bytes for each part of the path",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EACCES: "expected a path you may write to",
    errno.EPERM: "expected a path you may write to",
    errno.EROFS: "expected a writable file system",
    errno.ELOOP: "expected at most 40 symbolic links in a row",
}
# signals whose default action ends the process (SIGKILL cannot be caught; SIGPIPE and SIGXFSZ are
# ignored by Python, which reports them as write errors instead)
TERMINATING = ("SIGHUP", "SIGINT", "SIGQUIT", "SIGTERM", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGVTALRM", "SIGPROF",
               "SIGXCPU", "SIGIO", "SIGPWR")


def _usage(err: OSError, what: str, shown: str, doing: str = "") -> Exception:
    if err.errno in IO_ERRNOS:
        return WriteError(f"{what} {shown}: cannot write: {err.strerror}")
    hint = _HINTS.get(err.errno)
    return InputError(f"{what} {shown}: {doing}{err.strerror}" + (f" ({hint})" if hint else ""))


def _stdout_key() -> Optional[tuple[int, int]]:
    """Standard output's (device, inode) when it is a regular file (`> FILE`, `>> FILE`); else None."""
    try:
        info = os.fstat(sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):  # captured, closed or not a file: nothing to compare
        return None
    return (info.st_dev, info.st_ino) if stat.S_ISREG(info.st_mode) else None


class ClosedStdout:
    """Standard output when the run was started with it closed (`>&-`): writing fails, as it should."""

    encoding = "utf-8"
    errors = "strict"

    @staticmethod
    def failure() -> OSError:
        return OSError(errno.EBADF, "it was closed when ma-cli started (expected an open output, e.g. > FILE)")

    def write(self, text):
        raise self.failure()

    def flush(self):
        pass

    def isatty(self):
        return False


def _refuse_stdout(info: Optional[os.stat_result], what: str) -> None:
    """A named output (`info`: None for a new file) that is where standard output goes, in a run that
    prints there; or standard output closed from the start (module text)."""
    if _STDOUT_UNUSED:
        return
    if isinstance(sys.stdout, ClosedStdout):  # the run would fail at its first line: before any file is written
        raise ClosedStdout.failure()
    if info is not None and stat.S_ISREG(info.st_mode) and (info.st_dev, info.st_ino) == _stdout_key():
        raise InputError(f"{what}: is standard output too (expected two different files)")


def _refused(what: str, name: str) -> InputError:
    said = name if name == STDIN_NAME else f"the input file {name}"
    return InputError(f"{what}: is {said}; expected a different file (writing there would destroy the input)")


def _refuse_inputs(info: os.stat_result, what: str) -> None:
    if stat.S_ISCHR(info.st_mode):  # a terminal or /dev/null can be read and written: nothing is destroyed
        return
    name = _READ.get((info.st_dev, info.st_ino))
    if name is not None:
        raise _refused(what, name)


STDIN_NAME = "standard input"  # how an input read from standard input is named here
# every input the run has opened (device, inode -> the name given); the outputs being written (-> the
# name given), and the first input found to be one of them while the run read it (a roster row's CE
# log): the rename at the end is then refused
_READ: dict[tuple[int, int], str] = {}
_WRITING: dict[tuple[int, int], str] = {}
_READ_BACK: dict[tuple[int, int], str] = {}


def note_input(info: os.stat_result, name: str) -> None:
    """Every input, as it is opened (a roster, a profile, a --ce-log, a roster row's CE log, a rule file,
    standard input): the one place inputs meet outputs. Standard output that is this file (`>> FILE`)
    is refused here, before anything is written there (unless the run holds its standard output back
    to the end, `held_stdout`); an output file opened later is refused when it is opened, one being
    written now when the run ends, before it would replace the input."""
    key = (info.st_dev, info.st_ino)
    _READ.setdefault(key, name)
    if key in _WRITING:
        _READ_BACK.setdefault(key, name)
    elif stat.S_ISREG(info.st_mode) and not _STDOUT_UNUSED and key == _stdout_key():
        raise _refused("standard output", name)


_STDOUT_UNUSED = False  # (stdout_unused)


def stdout_unused() -> None:
    """This run writes nothing on standard output (`batch ... -o FILE`): an input or a named output that
    is standard output's file is not refused for it, nor is standard output closed."""
    global _STDOUT_UNUSED
    _STDOUT_UNUSED = True


STDIN = "<stdin>"  # how standard input is named in messages


def stdin_input(what: str) -> IO[bytes]:
    """Standard input's byte stream, to read the `what` from (a profile, a CE log, a roster), noted as an
    input (note_input); refused in one line when there is none (started with it closed, `<&-`)."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # no standard input at all (a closed descriptor, a test harness)
        raise InputError(f"{STDIN}: no standard input to read the {what} from")
    try:
        info = os.fstat(stream.fileno())
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is both: a test harness's stream
        return stream
    note_input(info, STDIN_NAME)
    return stream


def forget_inputs() -> None:
    """A new run in the same process (tests, a caller of the CLI's main) starts with nothing read."""
    global _STDOUT_UNUSED
    _READ.clear()
    _STDOUT_UNUSED = False


def _check_link(link: str, folder: str, info: os.stat_result, what: str, shown: str) -> None:
    """protected_symlinks: a link in a sticky world-writable folder is followed only if it is ours (or the folder's owner's)."""
    where = os.stat(folder)
    shared = where.st_mode & stat.S_ISVTX and where.st_mode & stat.S_IWOTH
    if shared and info.st_uid != os.geteuid() and info.st_uid != where.st_uid:
        raise InputError(f"{what} {shown}: {link} is a symbolic link owned by another user (uid {info.st_uid}) in "
                         f"the shared folder {folder}; refused (expected a file of your own, or a link you made)")


def _follow(shown: str, what: str) -> str:
    """The path with every symbolic link resolved (as os.path.realpath), each link checked on the way."""
    pending = shown.split("/")[::-1]
    current = "/" if shown.startswith("/") else os.getcwd()
    hops = 0
    while pending:
        name = pending.pop()
        if name in ("", "."):
            continue
        if name == "..":
            current = os.path.dirname(current)
            continue
        candidate = os.path.join(current, name)
        try:
            info = os.lstat(candidate)
        except FileNotFoundError:  # the rest does not exist yet
            return os.path.normpath(os.path.join(candidate, *pending[::-1]))
        if not stat.S_ISLNK(info.st_mode):
            current = candidate
            continue
        hops += 1
        if hops > 40:
            raise OSError(errno.ELOOP, os.strerror(errno.ELOOP))
        _check_link(candidate, current, info, what, shown)
        target = os.readlink(candidate)
        if target.startswith("/"):
            current = "/"
        pending.extend(target.split("/")[::-1])
    return current


def _plan(path: Path, what: str) -> tuple[str, bool, Optional[int]]:
    """(where to write, whether directly rather than through a temporary file, the mode to keep); a bad
    path or an input is refused first (exit 2), then standard output's file (_refuse_stdout)."""
    target, direct, mode, info = _place(path, what)
    _refuse_stdout(info, f"{what} {path}")
    return target, direct, mode


def _place(path: Path, what: str) -> tuple[str, bool, Optional[int], Optional[os.stat_result]]:
    """_plan's answer, and what the path is now (None: a new file)."""
    shown = str(path)
    try:
        target = _follow(shown, what)
        try:
            info = os.stat(shown)  # the kernel's own reading: /dev/stdout may lead to a pipe
        except FileNotFoundError:
            info = None
    except OSError as err:
        raise _usage(err, what, shown) from None
    if info is not None:
        _refuse_inputs(info, f"{what} {shown}")
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{what} {shown}: is a folder (expected a file name)")
        if not stat.S_ISREG(info.st_mode):
            return shown, True, None, info
        try:
            same = os.path.samestat(info, os.stat(target))
        except OSError:
            same = False
        if not same:  # a file reached through /proc (/dev/stdout > file): write through
            return shown, True, None, info
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        given = os.path.dirname(shown) or "."
        raise InputError(f"{what} {shown}: folder '{given}' not found (expected an existing folder)")
    return target, False, None if info is None else stat.S_IMODE(info.st_mode) & 0o777, info


class _File(io.FileIO):
    """The temporary file's descriptor, remembering a failed write (so it is not taken for the caller's)."""

    failure: Optional[OSError] = None

    def write(self, data):
        try:
            return super().write(data)
        except OSError as err:
            self.failure = err
            raise


class _Signals:
    """While a temporary file exists: a terminating signal unwinds the run (the file is removed on the way)."""

    def __init__(self):
        self.committed = self.closing = False
        self.pending = 0
        self.previous: dict[int, object] = {}

    def __enter__(self):
        import signal
        import threading

        if threading.current_thread() is not threading.main_thread():
            return self
        for name in TERMINATING:
            signum = getattr(signal, name, None)
            if signum is None:
                continue
            try:
                previous = signal.getsignal(signum)
                if previous is signal.SIG_IGN:  # ignored on purpose (nohup, a background job): keep it so
                    continue
                signal.signal(signum, self._arrived)
            except (OSError, ValueError):
                continue
            self.previous[signum] = previous
        return self

    def _arrived(self, signum, frame):
        if self.closing or self.pending:  # cleaning up already: finish that first
            self.pending = self.pending or signum
            return
        self.pending = signum
        raise Interrupted(signum, output_removed=not self.committed)

    def release(self) -> None:
        """End a step that must not be cut in two (creating the file, renaming it); a signal held meanwhile acts now."""
        self.closing = False
        if self.pending:
            raise Interrupted(self.pending, output_removed=not self.committed)

    def __exit__(self, *exc):
        import signal

        for signum, previous in self.previous.items():
            signal.signal(signum, previous if previous is not None else signal.SIG_DFL)
        if exc[0] is None and self.pending and not self.committed:
            raise Interrupted(self.pending, output_removed=True)
        return False


def fitting_stem(name: str) -> str:
    """`name`, or its first 100 bytes when long: what a temporary file beside it is named after, so that
    the temporary name fits in 255 bytes too. Bytes as the system has them (os.fsencode): a name that
    is not UTF-8 (typed in another locale) arrives with its bytes kept as surrogates, which str.encode
    refuses."""
    raw = os.fsencode(name)
    if len(raw) <= 200:
        return name
    cut = 100
    while cut and raw[cut] & 0xC0 == 0x80:  # not inside a UTF-8 character
        cut -= 1
    return os.fsdecode(raw[:cut])


def _temporary(target: str, what: str, shown: str, mode: Optional[int]) -> tuple[_File, str]:
    folder, name = os.path.split(target)
    stem = fitting_stem(name)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = os.path.join(folder, f".{stem}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
        try:
            fd = os.open(tmp, flags, 0o666)  # the kernel takes the umask off, as for any new file
        except FileExistsError:
            continue
        except OSError as err:
            raise _usage(err, what, shown, f"cannot write in folder '{os.path.dirname(shown) or '.'}': ") from None
        handle = _File(fd, "w")
        if mode is not None:
            with contextlib.suppress(OSError):
                os.fchmod(fd, mode)  # replacing a file keeps its permissions
        return handle, tmp
    raise InputError(f"{what} {shown}: cannot make a temporary file in folder '{folder}'")


class Outputs:
    """The outputs of one run (`together`): their temporary files, renamed over their targets together."""

    def __init__(self, stack: contextlib.ExitStack):
        self._stack = stack
        self.signals: Optional[_Signals] = None  # set up with the first temporary file
        self.temporary: list[str] = []  # removed unless renamed
        self.ready: list[tuple[str, str, str, Optional[tuple[int, int]]]] = []  # (tmp, target, named, key)
        self.watched: list[tuple[int, int]] = []

    def guarded(self) -> _Signals:
        """The signal handlers that remove the temporary files, from the first one on (module text)."""
        if self.signals is None:
            self.signals = self._stack.enter_context(_Signals())
        return self.signals

    def watch(self, key: Optional[tuple[int, int]], named: str) -> None:
        """An input read from now on that is this output's file is refused at the end (note_input)."""
        if key is not None:
            _WRITING[key] = named
            self.watched.append(key)

    def refuse_read_back(self, key: Optional[tuple[int, int]], named: str) -> None:
        if key in _READ_BACK:
            raise InputError(f"{named}: is the input file {_READ_BACK[key]} (read during the run); expected "
                             f"a different file (writing there would destroy the input)")

    def _commit(self) -> None:
        for _, _, named, key in self.ready:  # every check before any file is replaced
            self.refuse_read_back(key, named)
        if self.signals is None:  # nothing written through a temporary file
            return
        self.signals.closing = True  # the renames and knowing they happened go together
        for tmp, target, _, _ in self.ready:
            os.replace(tmp, target)
            self.temporary.remove(tmp)
        self.signals.committed = True
        self.signals.release()

    def _forget(self) -> None:
        for key in self.watched:
            _WRITING.pop(key, None)
            _READ_BACK.pop(key, None)


@contextlib.contextmanager
def together() -> Iterator[Outputs]:
    """The outputs of one run, each opened with `open_output(..., outputs)`: none replaces its file
    until every one was written; a failure of any (a full disk, a device error, a signal) leaves every
    previous file as it was (a device or pipe written directly has what it was sent)."""
    with contextlib.ExitStack() as stack:
        outputs = Outputs(stack)
        try:
            yield outputs
            outputs._commit()
        except BaseException as exc:
            if outputs.signals is None:  # no temporary file was made: nothing to remove, nothing to say
                raise
            outputs.signals.closing = True
            for tmp in outputs.temporary:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            if isinstance(exc, KeyboardInterrupt):
                raise Interrupted(2, output_removed=True) from None
            if isinstance(exc, Interrupted) and exc.output_removed is None:  # a worker process killed (workers.py)
                raise Interrupted(exc.signum, output_removed=True) from None
            raise
        finally:
            outputs._forget()
    for folder in sorted({os.path.dirname(target) for _, target, _, _ in outputs.ready}):
        _sync_folder(folder)


@contextlib.contextmanager
def open_output(path: Path, what: str, outputs: Optional[Outputs] = None) -> Iterator[IO[str]]:
    """A UTF-8 text stream to `path` (see the module text): complete at the end, or nothing. Within
    `together()` (`outputs`), the file is replaced when all the run's outputs are written."""
    if outputs is None:
        with together() as alone, open_output(path, what, alone) as out:
            yield out
        return
    shown = str(path)
    target, direct, mode = _plan(path, what)
    if direct:
        try:
            handle = open(target, "w", encoding="utf-8", newline="")
        except OSError as err:
            raise _usage(err, what, shown, "cannot write: ") from None
        try:
            with handle:
                yield handle
        except BrokenPipeError:  # `-o /dev/stdout | head -1`: the reader went away, as on standard output
            raise
        except OSError as err:
            raise WriteError(f"{what} {shown}: cannot write: {err.strerror}") from None
        return
    try:
        key = os.stat(target)
        key = (key.st_dev, key.st_ino)
    except OSError:
        key = None  # a new file: no input can be it
    outputs.watch(key, f"{what} {shown}")
    signals = outputs.guarded()
    signals.closing = True  # a signal waits until the temporary file's name is known
    raw, tmp = _temporary(target, what, shown, mode)
    outputs.temporary.append(tmp)
    out = io.TextIOWrapper(io.BufferedWriter(raw), encoding="utf-8", newline="")
    finishing = False
    try:
        signals.release()
        yield out
        outputs.refuse_read_back(key, f"{what} {shown}")  # before a disk is filled with what will not be kept
        finishing = True
        out.flush()
        os.fsync(raw.fileno())
        out.close()
    except BaseException as exc:
        signals.closing = True  # a signal waits until together() has removed the temporary file
        with contextlib.suppress(Exception):
            out.close()  # what is still buffered goes to the file that together() removes, or nowhere
        failure = raw.failure or (exc if finishing and isinstance(exc, OSError) else None)
        if failure is not None and not isinstance(exc, (Interrupted, KeyboardInterrupt)):
            raise WriteError(f"{what} {shown}: cannot write: {failure.strerror}") from None
        raise
    outputs.ready.append((tmp, target, f"{what} {shown}", key))


@contextlib.contextmanager
def held_stdout(outputs: Outputs, hold: bool) -> Iterator[IO[str]]:
    """Standard output for a run; with `hold` (a run that opens inputs while it writes: a roster row's
    CE log), standard output that is a regular file gets the text only at the end, once no input the run
    read was that file (`batch renew r.csv >> ce/log.csv`, which would have appended rows to the log)."""
    key = _stdout_key() if hold else None
    if key is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    import shutil
    import tempfile

    outputs.watch(key, "standard output")
    try:
        spool = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")
    except OSError as err:
        raise WriteError(f"standard output: cannot hold the output back: {err.strerror}") from None
    with spool:
        try:
            yield spool
        except OSError as err:
            if err.filename is not None or err.errno not in IO_ERRNOS:
                raise
            raise WriteError(f"standard output: cannot hold the output back: {err.strerror}") from None
        outputs.refuse_read_back(key, "standard output")
        spool.seek(0)
        sys.stdout.flush()
        shutil.copyfileobj(spool, sys.stdout)
        sys.stdout.flush()


def _sync_folder(folder: str) -> None:
    """Make the rename itself durable (not every file system can, which is fine)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def after_stdout(files: list[tuple[Path, str, str]]) -> Iterator[None]:
    """The named outputs of a run that prints, (path, what, text) each: opened (and checked) and written
    first, then the block writes standard output; they replace their files only once standard output was
    written and flushed, so a failing standard output (`> /dev/full`, `| head -1`) keeps every previous file."""
    with together() as outputs:
        for path, what, text in files:
            write_text(path, text, what, outputs)
        yield
        sys.stdout.flush()


def write_text(path: Path, text: str, what: str, outputs: Optional[Outputs] = None) -> None:
    """Write `text` to `path` through open_output."""
    with open_output(path, what, outputs) as out:
        out.write(text)
