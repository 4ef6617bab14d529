"""Worker processes for `ma-cli batch ... --jobs N`: a roster's rows answered in N processes, in order.

The main process reads the roster (line numbers, error rows, pass-through columns), writes every
output and counts the summary; the workers only answer rows. Rows go to each worker in chunks
over a pipe of its own and the answers come back over another; the main process takes them back
in the order it sent them, so every output is the one a single process writes, byte for byte.

Each worker is a copy of the main process (fork), made once the rules are compiled and before any
output is opened or any thread started: it starts with the compiled rule set in memory, once, and
imports, compiles and reads nothing; it runs `_serve` below and nothing else. No other program is
run (no exec): a worker is this same Python interpreter running ma-cli's own code.

Memory stays flat: a worker holds one chunk at a time, so at most N chunks of rows and their
answers are in flight, however long the roster.

How a run ends:
- Ctrl-C reaches the whole process group; the workers ignore SIGINT, so the main process alone
  answers it (removing its output file, exit 130), as without --jobs, and then stops them.
- A worker whose pipe from the main process closes (the main process ended, however) stops.
- The main process stops its workers whenever the run ends: at once (SIGKILL: they hold nothing
  but rows) when it ends early, by closing their pipes when every row is answered.
- An exception in a worker is raised again in the main process (a bug: exit 70, as without
  --jobs); a worker killed by signal N ends the run as that signal would (exit 128 + N).
"""

from __future__ import annotations

import os
import signal
import sys
from collections import deque
from typing import Any, Callable, Generic, Iterable, Iterator, TypeVar

from ma_cli.base.errors import Interrupted

Item = TypeVar("Item")
Answer = TypeVar("Answer")

# rows a worker answers at a time: enough that the pipes' cost per chunk (about 0.1 ms) is lost in
# the answering (0.03-0.5 ms a row), few enough that N chunks in flight stay small
CHUNK = 200


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity: a container's or taskset's limit), else all."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


class Workers(Generic[Item, Answer]):
    """`count` worker processes, each answering items with `answer`; a context manager around `map`."""

    def __init__(self, answer: Callable[[Item], Answer], count: int, chunk: int = CHUNK):
        self.answer, self.count, self.chunk = answer, count, chunk
        self._processes: list[Any] = []
        self._tasks: list[Any] = []    # the main process's end of each worker's pipe of chunks
        self._results: list[Any] = []  # ... and of its pipe of answers

    def __enter__(self) -> "Workers[Item, Answer]":
        import multiprocessing

        context = multiprocessing.get_context("fork")
        for stream in (sys.stdout, sys.stderr):  # a copy would write out what is buffered a second time
            try:
                if stream is not None:
                    stream.flush()
            except (OSError, ValueError):
                pass
        pipes = [(context.Pipe(duplex=False), context.Pipe(duplex=False)) for _ in range(self.count)]
        everything = [end for pair in pipes for pipe in pair for end in pipe]
        # a signal arriving while a copy is made would run the main process's handler in the copy
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
        try:
            for number, ((tasks_in, tasks_out), (answers_in, answers_out)) in enumerate(pipes, 1):
                others = [end for end in everything if end is not tasks_in and end is not answers_out]
                process = context.Process(target=_serve, name=f"ma-cli worker {number}", daemon=True,
                                          args=(self.answer, tasks_in, answers_out, others, mask))
                self._processes.append(process)  # (before start: a failed start still stops the others)
                process.start()
                self._tasks.append(tasks_out)
                self._results.append(answers_in)
        except BaseException:
            self._stop(early=True)
            raise
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            for (tasks_in, _), (_, answers_out) in pipes:  # the workers' ends: theirs alone from now on
                tasks_in.close()
                answers_out.close()
        return self

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        self._stop(early=kind is not None)

    def map(self, items: Iterable[Item]) -> Iterator[Answer]:
        """answer(item) for every item, in the order of `items`.

        Chunk k goes to worker k mod N, which then has no other: before sending it, the answers of
        chunk k - N (that worker's last) are taken back. The next chunk is read while the workers
        answer, and a worker gets its next chunk before its answers are handed on."""
        source = iter(items)
        in_flight: deque[int] = deque()  # the worker of each chunk sent and not yet taken back, oldest first
        sent = 0
        stopped: Exception | None = None
        while stopped is None:
            chunk: list[Item] = []
            try:
                for item in source:
                    chunk.append(item)
                    if len(chunk) == self.chunk:
                        break
            except Exception as err:  # raised below, once the items read before it are answered
                # the items stop there (bad bytes in a piped roster, say): as in one process, every item
                # read before is still answered and handed on before the error ends the run
                stopped = err
            if not chunk:
                break
            worker = sent % self.count
            if len(in_flight) == self.count:
                done = self._receive(in_flight.popleft())
                self._send(worker, chunk)
                yield from done
            else:
                self._send(worker, chunk)
            in_flight.append(worker)
            sent += 1
        while in_flight:
            yield from self._receive(in_flight.popleft())
        if stopped is not None:
            raise stopped

    def _send(self, worker: int, chunk: list[Item]) -> None:
        try:
            self._tasks[worker].send(chunk)
        except OSError:  # the worker is gone (its pipe closed)
            raise self._lost(worker) from None

    def _receive(self, worker: int) -> list[Answer]:
        try:
            kind, payload = self._results[worker].recv()
        except (EOFError, OSError):
            raise self._lost(worker) from None
        if kind == "failed":
            raise payload
        return payload  # type: ignore[no-any-return]

    def _lost(self, worker: int) -> BaseException:
        """What ends the run when a worker ended without sending its answers."""
        process = self._processes[worker]
        process.join(5)
        code = process.exitcode
        if code is not None and code < 0:  # killed by a signal: the run ends as that signal would end it
            return Interrupted(-code)
        return RuntimeError(f"worker process {worker + 1} of {self.count} ended (exit code {code}) "
                            f"before answering its rows")

    def _stop(self, early: bool) -> None:
        for tasks in self._tasks:
            tasks.close()  # a waiting worker reads the end of its pipe and returns
        for process in self._processes:
            if early and process.pid is not None and process.exitcode is None:
                process.kill()  # mid-chunk: nothing of it is wanted any more
        for process in self._processes:
            if process.pid is None:
                continue
            process.join(10)
            if process.exitcode is None:
                process.kill()
                process.join()
        for answers in self._results:
            answers.close()
        self._processes, self._tasks, self._results = [], [], []


def _serve(answer: Callable[[Any], Any], tasks: Any, answers: Any, others: list[Any], mask: Any) -> None:
    """A worker's whole life: answer each chunk that comes in, until the pipe closes.

    It never writes anything but its answers to its pipe, and never ends through an exception
    (which would print a traceback from the worker): an error goes back to the main process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to answer
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    for end in others:  # the other workers' pipes and the main process's ends
        end.close()
    try:
        while True:
            try:
                chunk = tasks.recv()
            except EOFError:
                return
            try:
                done = [answer(item) for item in chunk]
            except BaseException as err:  # a bug: the main process says so, as it would without --jobs
                _send_failure(answers, err)
                return
            answers.send(("done", done))
    except (OSError, EOFError):  # the main process is gone: nobody to answer
        return


def _send_failure(answers: Any, err: BaseException) -> None:
    import traceback

    err.add_note("in a worker process:\n" + "".join(traceback.format_exception(err)))
    for failure in (err, RuntimeError(f"{type(err).__name__}: {err}")):  # one that cannot be sent: its words can
        try:
            answers.send(("failed", failure))
            return
        except (OSError, EOFError):  # the main process is gone
            return
        except Exception:  # noqa: BLE001 - could not be pickled: try its words
            continue
