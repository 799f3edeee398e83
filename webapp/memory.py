"""Give freed memory back to the system after heavy work (glibc only; elsewhere a no-op).

A heavy link (country zones, long ranges) allocates a few hundred megabytes on
a script thread; once its results are in the bounded caches the rest is
freed, but glibc keeps freed pages in its per-thread arenas, and a closed
session's state is only dropped :data:`SESSION_TTL_S` later (Streamlit's
``server.disconnectedSessionTTL``). So the server's RSS stayed about 200 MB
higher after six heavy links (bench/bench_load.py). ``malloc_trim(0)``
returns the freed pages: a daemon thread calls it every :data:`INTERVAL_S`
while heavy work happened in the last :data:`WATCH_S`, never on a script's path.

The same thread runs the functions given to :func:`on_tick` (the caches' purges
of idle entries), and trims after any of them freed something.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
import time
from collections.abc import Callable
from typing import Final

__all__ = ["INTERVAL_S", "SESSION_TTL_S", "WATCH_S", "note_heavy_work", "on_tick"]

#: Streamlit's default ``server.disconnectedSessionTTL``: a closed tab's state lives this long.
SESSION_TTL_S: Final = 120.0
#: Seconds between two trims (a trim walks the heap: a few milliseconds).
INTERVAL_S: Final = 15.0
#: How long after heavy work the trims go on: past the closed sessions' cleanup.
WATCH_S: Final = SESSION_TTL_S + 4 * INTERVAL_S

_lock = threading.Lock()
_last_heavy = -float("inf")
_thread: threading.Thread | None = None
_ticks: list[Callable[[], int]] = []


def _load_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        return getattr(ctypes.CDLL(name), "malloc_trim", None)
    except OSError:
        return None


def _run(trim: Callable[[int], int] | None) -> None:
    while True:
        time.sleep(INTERVAL_S)
        with _lock:
            active = time.monotonic() - _last_heavy < WATCH_S
            ticks = list(_ticks)
        freed = 0
        for tick in ticks:
            try:
                freed += tick()
            except Exception:  # a failing purge must not stop the others
                continue
        if trim is not None and (active or freed):
            trim(0)


def _ensure_thread() -> None:
    """Start the daemon thread once (called with ``_lock`` held)."""
    global _thread
    if _thread is None:
        _thread = threading.Thread(target=_run, args=(_load_trim(),), name="wrm-memory", daemon=True)
        _thread.start()


def on_tick(purge: Callable[[], int]) -> None:
    """Call ``purge`` every :data:`INTERVAL_S` (it returns how many entries it dropped)."""
    with _lock:
        _ticks.append(purge)
        _ensure_thread()


def note_heavy_work() -> None:
    """A run did heavy work: trim freed memory for the next :data:`WATCH_S` seconds."""
    global _last_heavy
    with _lock:
        _last_heavy = time.monotonic()
        _ensure_thread()
