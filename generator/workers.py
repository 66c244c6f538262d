"""Chart work in worker processes: chart functions and vl-convert drawings, away from the build.

Two things a build cannot survive in its own process: a chart function that never returns
(nothing can stop a Python loop from outside but another process), and a native crash in
vl-convert (a Rust panic that cannot unwind aborts the whole process, SIGABRT). In a
worker, the first is killed at its time limit and the second takes down only the worker;
both become a located error at the chart, and the build or the live preview carries on.

Workers are forked, one per core (`--jobs`), only when a task needs one (a warm build
forks none). Forked, they inherit the site's `Data` and modules without pickling; only
tasks (a function and plain arguments: specs, strings, paths) and results (specs, bytes,
`Problem`s) cross the pipes. Results come back in input order, so a build with any number
of workers writes the same bytes. vl-convert is imported and started in a worker, at most
once per worker, and never in the parent: forking a process whose vl-convert runtime has
threads running is unsafe, and the parent forks (these workers, and parallel.py's pool).
"""

from __future__ import annotations

import collections
import multiprocessing
import multiprocessing.connection
import os
import pickle
import signal
import sys
import tempfile
import threading
import time
import traceback
from contextlib import nullcontext
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType
from typing import Any, Callable, ContextManager, Optional, Sequence

from .errors import BuildFailed, Problem
from .parallel import worker_count
from .progress import NO_PROGRESS, Progress
from .typefaces import converter

DEFAULT_TIMEOUT = 60.0  # seconds one chart function may take (--chart-timeout); one drawing (one image) at least as long
SLOW = 2.0  # seconds after which progress names the task still running
TICK = 0.2  # seconds between looks at the clock and the cancel flag while tasks run
ORPHAN_CHECK = 0.5  # seconds between a worker's looks at whether its parent is still alive
STOP_GRACE = 1.0  # seconds an idle worker gets to exit on its own before it is killed
CRASH_DETAIL = 300  # characters of a crashed worker's last words kept in the message

# Fixed at import, so the context stays fork whatever a caller later does to multiprocessing.
_FORK = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None


@dataclass(frozen=True)
class Label:
    """What a task is doing, for progress lines and for the problem it may become."""

    doing: str  # "running chart 'loops'": progress shows "Running chart 'loops' · 30 s"
    subject: str  # "chart 'loops'": errors say "chart 'loops' did not finish within 60 s"
    shown: str  # where a problem points: the chart's file
    line: int = 0
    engine: str = "the worker running it"  # what a crash took down


@dataclass(frozen=True)
class Task:
    """A module-level function and its arguments; SHARED and ANNOUNCE are filled in by the worker."""

    function: Callable
    args: tuple
    label: Label
    limit: Optional[float] = None  # seconds; None: the pool's time limit, 0: none
    floor: float = 0.0  # with the pool's limit, at least this (drawings: a tight chart limit is for chart code)


class _Placeholder:
    def __init__(self, name: str):
        self.name = name

    def __reduce__(self):  # the same object on the other side of the pipe
        return self.name


SHARED = _Placeholder("SHARED")  # the object the workers inherited when forked (the site's Data)
ANNOUNCE = _Placeholder("ANNOUNCE")  # announce(label): the task moves on to a new step, with its own clock


class Cancelled(Exception):
    """The pool was closed while tasks ran (the preview is stopping)."""


class WorkerError(Exception):
    """An exception a task raised in a worker that could not travel back as itself."""


class _RemoteTraceback(Exception):
    """The worker's traceback, attached as the cause of a re-raised exception (as concurrent.futures does)."""

    def __str__(self) -> str:
        return self.args[0]


# Set in a worker process only: its end of the pipe. Process-wide by nature (one per worker
# process), it lets drawing_engine() refuse to run in the parent and restart the task's clock.
_worker_pipe: Optional[Any] = None


def drawing_engine() -> ModuleType:
    """vl-convert, imported and started once per worker process; never in the parent."""
    if _worker_pipe is None:
        raise RuntimeError("vl-convert runs only in worker processes (generator/workers.py), never in the build process")
    return _started_engine()


@lru_cache(maxsize=1)
def _started_engine() -> ModuleType:
    """The one place vl-convert is imported (and set up): once per worker process."""
    vl_convert = converter()  # imported here, with the fonts the package carries registered

    vl_convert.vegalite_to_svg({"mark": "point"})  # starts its JavaScript runtime now, not inside a timed drawing
    _send(("clock",))  # so the time that took is not counted against the drawing that needed it
    return vl_convert


def restart_clock() -> None:
    """In a worker: the task moves on to its next drawing, which gets the whole time limit
    (a chart's files are twenty-odd drawings; the limit is for one of them)."""
    _send(("clock",))


def _send(message: tuple) -> None:
    if _worker_pipe is not None:
        _worker_pipe.send(message)


@dataclass
class _Worker:
    """The parent's handle on one worker process."""

    process: Any
    pipe: Any
    capture: Any  # an unlinked temporary file the worker's stderr goes to during a task
    index: int = -1  # the task it runs, -1 when idle
    label: Optional[Label] = None
    started: float = 0.0
    limit: float = 0.0


class Workers:
    """A pool of forked worker processes; `map` runs tasks on them. Close it (or use `with`)."""

    def __init__(self, jobs: int = 0, timeout: float = DEFAULT_TIMEOUT, cancel: Optional[threading.Event] = None):
        self.jobs = jobs  # 0: one per core
        self.timeout = timeout  # seconds a task may take (a task's own `limit` or `floor` aside)
        self.cancel = cancel or threading.Event()  # set by another thread: running tasks stop at once
        self._idle: list[_Worker] = []
        self._live: list[_Worker] = []
        self._shared: Any = None
        self._shared_key: Optional[str] = None
        self._lock = threading.Lock()  # close() may come from another thread (a stopping preview)
        self._closed = False

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def map(self, tasks: Sequence[Task], progress: Progress = NO_PROGRESS, shared: Any = None, shared_key: Optional[str] = None) -> list:
        """Each task's result in input order: what its function returned, or a `BuildFailed` (its
        problems, or its time limit or crash as a located problem). Another exception a task
        raises is raised here. `shared` (identified by `shared_key`) is what workers inherit:
        workers forked for another key are replaced first."""
        if shared_key is not None and shared_key != self._shared_key:
            self._retire_idle()
            self._shared, self._shared_key = shared, shared_key
        results: list = [None] * len(tasks)
        pending = collections.deque(enumerate(tasks))
        running: list[_Worker] = []
        try:
            self._run(pending, running, results, progress)
        except BaseException:
            for worker in running:
                self._kill(worker)
            raise
        return results

    def close(self) -> None:
        """Stop every worker; from any thread. One still running a task is killed, and the
        thread waiting for it raises Cancelled."""
        with self._lock:
            self._closed = True
            idle = self._idle
            busy = [w for w in self._live if w not in idle]
            self._idle = []
        for worker in busy:
            worker.process.kill()  # its pipe is left to the thread waiting on it
        self._stop(idle)

    def _stop(self, workers: list) -> None:
        for worker in workers:
            worker.pipe.close()  # an idle worker reads end-of-file and exits
        for worker in workers:
            worker.process.join(STOP_GRACE)
            self._kill(worker)

    # The parent's side ------------------------------------------------------

    def _run(self, pending: collections.deque, running: list, results: list, progress: Progress) -> None:
        reported = time.monotonic()
        size = worker_count(self.jobs)
        while pending or running:
            while pending and len(running) < size:
                index, task = pending.popleft()
                running.append(self._start(index, task))
            ready = multiprocessing.connection.wait([w.pipe for w in running], self._wait_time(running))
            if self.cancel.is_set() or self._closed:
                raise Cancelled()
            for worker in [w for w in running if w.pipe in ready]:
                if self._receive(worker, results):
                    running.remove(worker)
                    progress.step()
            now = time.monotonic()
            for worker in [w for w in running if w.limit and now - w.started > w.limit]:
                results[worker.index] = BuildFailed([self._timed_out(worker)])
                running.remove(worker)
                self._kill(worker)
                progress.step()
            if running and now - reported >= 1.0:
                oldest = min(running, key=lambda w: w.started)
                if now - oldest.started >= SLOW:
                    progress.running(oldest.label.doing, now - oldest.started)
                reported = now

    def _wait_time(self, running: list) -> float:
        now = time.monotonic()
        deadlines = [w.started + w.limit - now for w in running if w.limit]
        return max(0.0, min([TICK, *deadlines]))

    def _start(self, index: int, task: Task) -> _Worker:
        worker = self._idle.pop() if self._idle else self._fork()
        worker.index, worker.label, worker.started = index, task.label, time.monotonic()
        worker.limit = max(self.timeout, task.floor) if task.limit is None else task.limit
        worker.pipe.send(task)
        return worker

    def _receive(self, worker: _Worker, results: list) -> bool:
        """Read one message from a worker; True when its task is over (done, failed or crashed)."""
        try:
            message = worker.pipe.recv()
        except (EOFError, OSError):
            results[worker.index] = BuildFailed([self._crashed(worker)])
            self._kill(worker)
            return True
        kind = message[0]
        if kind == "label":
            worker.label, worker.started = message[1], time.monotonic()
            return False
        if kind == "clock":
            worker.started = time.monotonic()
            return False
        index, worker.index = worker.index, -1
        with self._lock:
            if not self._closed:
                self._idle.append(worker)
        if kind == "ok":
            results[index] = message[1]
        elif kind == "failed":
            results[index] = BuildFailed(message[1])
        else:
            error, remote = message[1], message[2]
            error.__cause__ = _RemoteTraceback(remote)
            raise error
        return True

    def _fork(self) -> _Worker:
        if _FORK is None:
            raise RuntimeError("chart work needs worker processes started with fork (Linux or macOS)")
        with self._lock:
            if self._closed or self.cancel.is_set():
                raise Cancelled()
            ours, theirs = _FORK.Pipe(duplex=True)
            capture = tempfile.TemporaryFile()
            others = [w.pipe for w in self._live]  # the worker closes its copies of its siblings' pipes
            process = _FORK.Process(target=_serve, args=(theirs, ours, others, capture.fileno(), os.getpid(), self._shared),
                                    name="explainer-worker", daemon=True)
            process.start()
            theirs.close()
            worker = _Worker(process, ours, capture)
            self._live.append(worker)
        return worker

    def _retire_idle(self) -> None:
        """Stop idle workers: they inherited other shared data."""
        with self._lock:
            idle, self._idle = self._idle, []
        self._stop(idle)

    def _kill(self, worker: _Worker) -> None:
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        worker.pipe.close()
        worker.capture.close()
        with self._lock:
            if worker in self._live:
                self._live.remove(worker)
            if worker in self._idle:
                self._idle.remove(worker)

    def _timed_out(self, worker: _Worker) -> Problem:
        label = worker.label
        return Problem(label.shown, label.line, 0, f"{label.subject} did not finish within {worker.limit:g} s (--chart-timeout)")

    def _crashed(self, worker: _Worker) -> Problem:
        worker.process.join()
        code = worker.process.exitcode
        if code is not None and code < 0:
            how = f"crashed {worker.label.engine} ({_signal_name(-code)})"
        else:
            how = f"ended {worker.label.engine} (exit status {code})"
        detail = _last_words(worker.capture)
        label = worker.label
        return Problem(label.shown, label.line, 0, f"{label.subject} {how}" + (f": {detail}" if detail else ""))


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _last_words(capture: Any) -> str:
    """What a crashed worker wrote to stderr during its task, reduced to the line that says why:
    for a Rust panic, the line after 'panicked at …' (its message), else the last line."""
    try:
        capture.seek(0)
        lines = [line.strip() for line in capture.read().decode("utf-8", "replace").splitlines() if line.strip()]
    except (OSError, ValueError):
        return ""
    for at, line in enumerate(lines[:-1]):
        if " panicked at " in line:
            return lines[at + 1][:CRASH_DETAIL]
    return lines[-1][:CRASH_DETAIL] if lines else ""


# The worker's side ----------------------------------------------------------

def _serve(pipe: Any, parents_end: Any, siblings: list, capture_fd: int, parent: int, shared: Any) -> None:
    """A worker's life: run tasks from the pipe until it closes."""
    global _worker_pipe
    _worker_pipe = pipe
    parents_end.close()
    for sibling in siblings:
        sibling.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group; the parent decides
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the preview's handler, which raises KeyboardInterrupt
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()
    while True:
        try:
            task = pipe.recv()
        except (EOFError, OSError):
            return
        pipe.send(_outcome(task, shared, capture_fd))


def _announce(label: Label) -> None:
    _send(("label", label))


def _outcome(task: Task, shared: Any, capture_fd: int) -> tuple:
    args = [shared if a is SHARED else _announce if a is ANNOUNCE else a for a in task.args]
    with _stderr_to(capture_fd):
        try:
            outcome: tuple = ("ok", task.function(*args))
        except BuildFailed as failed:
            outcome = ("failed", failed.problems)
        except BaseException as err:  # noqa: BLE001 - SystemExit in a chart too: the parent decides
            outcome = ("error", _portable(err), "".join(traceback.format_exception(err)))
    try:
        pickle.dumps(outcome[1])
    except Exception as err:  # noqa: BLE001 - a result that cannot travel is the task's failure
        outcome = ("error", WorkerError(f"{task.label.subject}: its result cannot be sent back: {type(err).__name__}: {err}"), "")
    return outcome


def _portable(err: BaseException) -> BaseException:
    """The exception itself when it survives pickling, else a WorkerError saying what it was
    (always for SystemExit and the like: raised in the parent, they would end it)."""
    if not isinstance(err, Exception):
        return WorkerError(f"{type(err).__name__}: {err}")
    try:
        pickle.loads(pickle.dumps(err))
        return err
    except Exception:  # noqa: BLE001
        return WorkerError(f"{type(err).__name__}: {err}")


class _stderr_to:
    """During a task, file descriptor 2 goes to the capture file, so the parent can read a native
    crash's last words; after a task that ended normally, what it wrote is passed on to stderr."""

    def __init__(self, capture_fd: int):
        self.capture_fd = capture_fd

    def __enter__(self) -> None:
        sys.stderr.flush()
        os.ftruncate(self.capture_fd, 0)
        os.lseek(self.capture_fd, 0, os.SEEK_SET)
        self.saved = os.dup(2)
        os.dup2(self.capture_fd, 2)

    def __exit__(self, *exc: object) -> None:
        sys.stderr.flush()
        os.dup2(self.saved, 2)
        os.close(self.saved)
        os.lseek(self.capture_fd, 0, os.SEEK_SET)
        while chunk := os.read(self.capture_fd, 65536):
            os.write(2, chunk)


def _exit_when_orphaned(parent: int) -> None:
    """A killed parent (SIGKILL, or SIGTERM on `explainer build`) leaves no worker spinning."""
    while os.getppid() == parent:
        time.sleep(ORPHAN_CHECK)
    os._exit(1)


def borrowed(workers: Optional[Workers], jobs: int = 0, timeout: float = DEFAULT_TIMEOUT) -> ContextManager[Workers]:
    """`with borrowed(pool) as workers:` the given pool (left open), or a new one closed after."""
    return nullcontext(workers) if workers is not None else Workers(jobs, timeout)
