"""One run at a time: an exclusive ``flock`` on a lock file beside the archive (``<store>.lock``).

``fetch``, ``publish``, ``build`` and ``run`` (and each cycle of ``run --watch`` and ``serve
--watch``) hold it while they work. The operating system drops a ``flock`` when its holder's
file descriptor closes, so a holder that dies (``kill -9``, power loss) leaves no stale lock
behind: there is never a lock file to delete by hand. The file itself stays; only the lock on it
matters.

The holder writes one JSON line into the file -- its pid, command line and the time it took the
lock -- so a waiting run (and ``newsdesk status``) can name it. The line is written with a single
``pwrite`` at offset 0 and the file then cut to its length; a reader takes the first complete
line and retries briefly when it cannot parse it, so it never reports garbage. A clean release
empties the file.

Hand-written on purpose: the whole mechanism is ``fcntl.flock`` plus a few lines; the lock
libraries on PyPI (filelock, portalocker) add stale-lock handling and Windows support this needs
neither of, and do not record who holds the lock. Whether the lock is held is read from
``/proc/locks`` on Linux (so ``status`` never touches the lock, not even for a moment); elsewhere a
non-blocking shared ``flock`` probe is used.
"""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import shlex
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self

from newsdesk.errors import ConfigError, NewsdeskError

log = logging.getLogger("newsdesk.lock")

#: Seconds a second run waits for the lock unless told otherwise (`--wait`).
DEFAULT_WAIT = 300.0
#: How often a waiting run tries the lock again.
POLL_SECONDS = 0.1


class LockBusy(NewsdeskError):
    """Another run holds the lock and did not let go within the wait (exit 1: nothing is wrong with
    the configuration; the work was not done this time and the next run will do it)."""


@dataclass(frozen=True)
class Holder:
    """Who holds (or last held) the lock."""

    pid: int
    command: str
    since: int  # epoch seconds

    def describe(self) -> str:
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.since))
        return f"pid {self.pid} ({self.command}) since {when}"


def lock_path(store_path: Path) -> Path:
    """The lock file of the archive at ``store_path``."""
    return store_path.with_name(store_path.name + ".lock")


def command_line(argv: list[str] | None = None) -> str:
    """This process's command line as a user would type it (``newsdesk -c site.toml run``)."""
    args = list(sys.argv if argv is None else argv)
    if not args:
        return "newsdesk"
    first = Path(args[0])
    if first.name == "__main__.py" and first.parent.name == "newsdesk":
        head = "python -m newsdesk"
    else:
        head = first.name or args[0]
    return " ".join([head, *(shlex.quote(a) for a in args[1:])])


def _parse(text: bytes) -> Holder | None:
    line, newline, _ = text.partition(b"\n")
    if not newline:
        return None
    try:
        data = json.loads(line)
        return Holder(int(data["pid"]), str(data["command"]), int(data["since"]))
    except (ValueError, KeyError, TypeError):
        return None


def read_holder(path: Path, *, tries: int = 10) -> Holder | None:
    """The holder written in the lock file (the last one, if the lock is free now); None when the
    file is empty or missing. Retries a few times over ~0.1 s when the line is still being written."""
    for attempt in range(tries):
        try:
            text = path.read_bytes()
        except OSError:
            return None
        if not text:
            return None
        holder = _parse(text)
        if holder is not None:
            return holder
        if attempt + 1 < tries:
            time.sleep(0.01)
    return None


def _held_per_proc_locks(inode: int) -> bool | None:
    """Whether /proc/locks lists a flock on this inode; None when /proc/locks cannot be read."""
    try:
        with open("/proc/locks", encoding="ascii", errors="replace") as locks:
            for line in locks:
                fields = line.split()
                # "1: FLOCK  ADVISORY  WRITE 5786 fe:00:2146898 0 EOF" (blocked waiters show "->")
                if len(fields) >= 6 and fields[1] == "FLOCK" and fields[2] != "->":
                    where = fields[5].rsplit(":", 1)
                    if len(where) == 2 and where[1] == str(inode):
                        return True
        return False
    except OSError:
        return None


def is_held(path: Path) -> bool:
    """Whether some process holds the lock at ``path`` now, without taking it."""
    try:
        inode = path.stat().st_ino
    except OSError:
        return False
    held = _held_per_proc_locks(inode)
    if held is not None:
        return held
    try:  # no /proc/locks: probe with a shared lock, released at once
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


def current_holder(path: Path) -> Holder | None:
    """Who holds the lock now (None when it is free)."""
    if not is_held(path):
        return None
    return read_holder(path) or Holder(0, "unknown (the holder has not written its name yet)", 0)


class RunLock:
    """The run lock of one archive; a context manager that waits up to ``wait`` seconds.

    ``stop``: an event that ends the wait early (then :meth:`acquire` returns False)."""

    def __init__(self, path: Path, *, wait: float = DEFAULT_WAIT, stop: threading.Event | None = None) -> None:
        self.path = path
        self.wait = wait
        self.stop = stop
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def _open(self) -> int:
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except IsADirectoryError:
            raise ConfigError(f"store.path: the lock file {self.path} is a folder: remove it") from None
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOENT, errno.ENOTDIR):
                raise ConfigError(f"store.path: cannot create the lock file {self.path} "
                                  f"({exc.strerror}): make the folder writable or choose another "
                                  f"store.path") from None
            raise

    def acquire(self) -> bool:
        """Take the lock, waiting up to ``self.wait`` seconds. Returns False only when ``stop`` was
        set meanwhile; raises :class:`LockBusy` naming the holder when the wait ran out."""
        if self._fd is not None:
            raise RuntimeError("the run lock is already held by this object")
        fd = self._open()
        deadline = time.monotonic() + self.wait
        told = False
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    pass
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise LockBusy(self._busy_message())
                if not told:
                    holder = read_holder(self.path)
                    log.info("waiting up to %gs for the run lock, held by %s", self.wait,
                             holder.describe() if holder else "another newsdesk")
                    told = True
                pause = min(POLL_SECONDS, remaining)
                if self.stop is not None:
                    if self.stop.wait(pause):
                        os.close(fd)
                        return False
                else:
                    time.sleep(pause)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        self._write_holder(fd)
        if told:
            log.info("got the run lock")
        return True

    def _busy_message(self) -> str:
        holder = read_holder(self.path, tries=50)
        who = holder.describe() if holder else "another process (it has not written its name yet)"
        waited = f"after waiting {self.wait:g}s" if self.wait else "(--wait 0)"
        return (f"another newsdesk run holds the lock {self.path}: {who}; gave up {waited}. "
                f"Try again later or pass a longer --wait")

    def _write_holder(self, fd: int) -> None:
        line = json.dumps({"pid": os.getpid(), "command": command_line(), "since": int(time.time())},
                          ensure_ascii=False).encode("utf-8", "replace") + b"\n"
        try:
            os.pwrite(fd, line, 0)
            os.ftruncate(fd, len(line))
        except OSError as exc:  # a full disk: the lock still works, only the name is missing
            log.warning("could not write this run's name into %s: %s", self.path, exc.strerror)

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            os.ftruncate(fd, 0)
        except OSError:
            pass
        finally:
            os.close(fd)  # closing the descriptor drops the flock

    def __enter__(self) -> Self:
        if not self.acquire():
            raise LockBusy(f"stopped while waiting for the run lock {self.path}")
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()
