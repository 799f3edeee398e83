"""A small on-disk cache for results that are slow to compute and never change.

Used for the reach of country launch zones (seconds for Russia or Canada,
issue 13), so that a restart of the server, or a second visitor asking for
the same country and range, costs a file read. Entries are immutable and
keyed by a digest of everything the result depends on (the caller includes an
algorithm version), so there is nothing to invalidate: a changed input is a
new key.

- Location: ``$WRM_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/weapon-range-map``
  (``~/.cache/weapon-range-map``). ``WRM_CACHE_DIR=off`` turns it off.
- Size: at most :data:`MAX_BYTES`; past that the least recently used entries
  are deleted (atime is unreliable, so a read touches the file's mtime).
- Writes go to a temporary file renamed into place, so a reader never sees
  half a file and concurrent writers of one key do no harm.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Final

__all__ = ["MAX_BYTES", "cache_dir", "digest", "load", "store"]

#: Largest total size of the cache folder, in bytes.
MAX_BYTES: Final = 256 * 1024 * 1024
_SUFFIX: Final = ".bin"


def cache_dir() -> Path | None:
    """The cache folder, or None when caching on disk is turned off."""
    configured = os.environ.get("WRM_CACHE_DIR", "").strip()
    if configured.lower() in {"off", "0", "none", "false"}:
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base) / "weapon-range-map"


def digest(*parts: bytes | str) -> str:
    """A file-name-safe key for the given parts (SHA-256, hex).

    Examples
    --------
    >>> digest("a", b"b") == digest("a", b"b") != digest("ab", b"")
    True
    """
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))  # length-prefixed: ("ab", "") differs from ("a", "b")
        h.update(data)
    return h.hexdigest()


def load(key: str) -> bytes | None:
    """The bytes stored under ``key``, or None (also when the cache is off or unreadable)."""
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / f"{key}{_SUFFIX}"
    try:
        data = path.read_bytes()
        os.utime(path)  # mark as recently used for the size bound
    except OSError:
        return None
    return data


def store(key: str, data: bytes) -> bool:
    """Store ``data`` under ``key``; False if the cache is off or the folder cannot be written.

    A failure to write is not an error: the result is only not cached.
    """
    folder = cache_dir()
    if folder is None or len(data) > MAX_BYTES // 4:
        return False
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=_SUFFIX)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, folder / f"{key}{_SUFFIX}")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(folder)
    except OSError:
        return False
    return True


def _prune(folder: Path) -> None:
    """Delete the least recently used entries while the folder is over :data:`MAX_BYTES`."""
    entries = []
    total = 0
    for path in folder.glob(f"*{_SUFFIX}"):
        try:
            st = path.stat()
        except OSError:
            continue
        entries.append((st.st_mtime, st.st_size, path))
        total += st.st_size
    if total <= MAX_BYTES:
        return
    for _, size, path in sorted(entries):
        path.unlink(missing_ok=True)
        total -= size
        if total <= MAX_BYTES:
            break
