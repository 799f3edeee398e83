"""Zone reaches computed in a worker process, off the page's thread (issue 13).

The reach of a large country takes seconds (Canada at 300 km: about 2 s; see
:mod:`geo.analysis.budget`). Computed in the Streamlit script, it would hold up that
page, and — as much of the work is Python holding the GIL — every other
visitor's too. :class:`ReachWorker` computes such reaches in one separate
process, one at a time, so the server keeps answering and at most one core
is busy with them:

- the process has a memory limit (``RLIMIT_AS``) and each job a time limit;
  past either the job fails with a message and the process is replaced;
- jobs are queued at most :data:`MAX_QUEUED` in all and
  :data:`MAX_QUEUED_PER_OWNER` per owner (a browser session), so one visitor
  cannot fill the queue;
- a finished reach goes into :mod:`geo.scenario.zones`' caches (memory, and disk for
  countries), where the page finds it on its next run.

The worker is started on first use and lives as long as the server.
"""

from __future__ import annotations

import contextlib
import multiprocessing.connection
import os
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

from geo.analysis.zone_reach import compute_reach, store_reach
from geo.scenario.zones import Zone

__all__ = ["MAX_FINISHED", "MAX_QUEUED", "MAX_QUEUED_PER_OWNER", "JobState", "ReachWorker"]

#: Jobs waiting or running, in all and per owner.
MAX_QUEUED: Final = 24
MAX_QUEUED_PER_OWNER: Final = 8
#: Finished jobs remembered (the newest; a failure is then told again, not recomputed).
#: Their keys hold zones, so the server's memory must not grow with every visitor's.
MAX_FINISHED: Final = 32
#: The worker's address-space limit and one job's time limit.
MEMORY_LIMIT_BYTES: Final = 3 * 1024**3
JOB_TIMEOUT_S: Final = 120.0

Status = Literal["queued", "running", "done", "failed"]
Key = tuple[Zone, float]


@dataclass
class JobState:
    """Where one job stands; ``message`` says why it failed."""

    status: Status
    owner: str
    message: str = ""
    submitted: float = field(default_factory=time.monotonic)


def _serve(reader: multiprocessing.connection.Connection, writer: multiprocessing.connection.Connection) -> None:
    """The worker process: compute each (zone, range) received, send back the WKB or an error."""
    while True:
        try:
            zone, range_km = reader.recv()
        except (EOFError, OSError):
            return
        try:
            writer.send(("done", compute_reach(zone, range_km)))
        except MemoryError:
            writer.send(("failed", "ran out of memory"))
        except Exception as exc:  # any failure of one job is reported; it never kills the server
            writer.send(("failed", f"{type(exc).__name__}: {exc}"))


def _main(argv: list[str]) -> int:
    """``python -m geo.analysis.background READ_FD WRITE_FD MEMORY_BYTES``: the worker process.

    Started by :class:`ReachWorker` as a plain subprocess rather than with
    multiprocessing, whose "spawn" start re-imports the parent's main module
    (a script, under some runners) in the child.
    """
    read_fd, write_fd, memory_bytes = (int(a) for a in argv)
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    reader = multiprocessing.connection.Connection(read_fd, writable=False)
    writer = multiprocessing.connection.Connection(write_fd, readable=False)
    _serve(reader, writer)
    return 0


class ReachWorker:
    """A queue of zone reaches computed by one worker process.

    Parameters
    ----------
    memory_bytes, timeout_s : optional
        The worker's memory limit and one job's time limit.
    on_done : callable, optional
        Called with the key of every job that finished (for tests).
    """

    def __init__(
        self,
        *,
        memory_bytes: int = MEMORY_LIMIT_BYTES,
        timeout_s: float = JOB_TIMEOUT_S,
        on_done: Callable[[Key], Any] | None = None,
    ) -> None:
        self._memory = memory_bytes
        self._timeout = timeout_s
        self._on_done = on_done
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._queue: deque[Key] = deque()
        self._jobs: dict[Key, JobState] = {}
        self._thread: threading.Thread | None = None
        self._process: Any = None
        self._conn: tuple[multiprocessing.connection.Connection, multiprocessing.connection.Connection] | None = None

    # ------------------------------------------------------------------ API

    def submit(self, zone: Zone, range_km: float, owner: str) -> JobState:
        """Queue the reach unless it is queued already; returns its state.

        A job that failed stays failed (asking again gives the same failure);
        a full queue gives a failed state with the reason, not queued.
        """
        key = (zone, float(range_km))
        with self._lock:
            state = self._jobs.get(key)
            if state is not None and state.status != "done":
                return state
            waiting = [k for k in self._queue if self._jobs[k].status in ("queued", "running")]
            if len(waiting) >= MAX_QUEUED:
                return JobState("failed", owner, "the server is busy with other launch zones: try again in a minute")
            mine = sum(self._jobs[k].owner == owner for k in waiting)
            if mine >= MAX_QUEUED_PER_OWNER:
                return JobState("failed", owner, f"at most {MAX_QUEUED_PER_OWNER} launch-zone reaches at a time")
            state = JobState("queued", owner)
            self._jobs[key] = state
            self._queue.append(key)
            self._start()
            self._wake.notify()
            return state

    def state(self, zone: Zone, range_km: float) -> JobState | None:
        with self._lock:
            return self._jobs.get((zone, float(range_km)))

    def wait(self, zone: Zone, range_km: float, timeout_s: float) -> JobState | None:
        """Wait until the job is done or failed (for tests and the command line)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            state = self.state(zone, range_km)
            if state is None or state.status in ("done", "failed"):
                return state
            time.sleep(0.05)
        return self.state(zone, range_km)

    def forget_done(self) -> None:
        """Drop finished entries (their results are in the caches)."""
        with self._lock:
            for key in [k for k, s in self._jobs.items() if s.status == "done"]:
                del self._jobs[key]

    # ------------------------------------------------------------ internals

    def _start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="reach-worker", daemon=True)
            self._thread.start()

    def _ensure_process(self) -> tuple[multiprocessing.connection.Connection, multiprocessing.connection.Connection]:
        if self._process is None or self._process.poll() is not None or self._conn is None:
            self._kill()
            to_child_r, to_child_w = os.pipe()
            from_child_r, from_child_w = os.pipe()
            try:
                # The child finds this copy of geo wherever the server was started.
                package_root = str(Path(__file__).resolve().parent.parent)
                path = os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH", "")) if p)
                self._process = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "geo.analysis.background",
                        str(to_child_r),
                        str(from_child_w),
                        str(self._memory),
                    ],
                    pass_fds=(to_child_r, from_child_w),
                    env={**os.environ, "PYTHONPATH": path},
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    close_fds=True,
                )
            finally:
                os.close(to_child_r)
                os.close(from_child_w)
            self._conn = (
                multiprocessing.connection.Connection(to_child_w, readable=False),
                multiprocessing.connection.Connection(from_child_r, writable=False),
            )
        return self._conn

    def _kill(self) -> None:
        if self._conn is not None:
            for conn in self._conn:
                conn.close()
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait(timeout=5)
        self._process = None
        self._conn = None

    def _run(self) -> None:
        while True:
            with self._lock:
                while not self._queue:
                    self._wake.wait()
                key = self._queue[0]
                self._jobs[key].status = "running"
            status, payload = self._compute(key)
            if status == "done":
                wkb, ref = payload
                store_reach(key[0], key[1], wkb, ref)
            with self._lock:
                self._queue.popleft()
                state = self._jobs.pop(key)  # re-inserted: the dict's order is the finishing order
                state.status = status
                state.message = "" if status == "done" else str(payload)
                self._jobs[key] = state
                finished = [k for k, s in self._jobs.items() if s.status in ("done", "failed")]
                for old in finished[: max(0, len(finished) - MAX_FINISHED)]:
                    del self._jobs[old]
            if self._on_done is not None:
                self._on_done(key)

    def _compute(self, key: Key) -> tuple[Status, Any]:
        try:
            writer, reader = self._ensure_process()
            writer.send(key)
            if not reader.poll(self._timeout):
                self._kill()
                return "failed", f"took longer than {self._timeout:.0f} s"
            status, payload = reader.recv()
        except (EOFError, OSError, BrokenPipeError) as exc:
            self._kill()
            return "failed", f"the worker stopped ({type(exc).__name__})"
        if status != "done":
            self._kill()  # a failed job may leave the process short of memory: start afresh
        return status, payload


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
