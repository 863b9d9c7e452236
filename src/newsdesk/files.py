"""Atomic file writes for every writer: a temp file beside the target, then a rename.

A reader (Hugo, a web server, the next run) sees the old file or the new one, never half of one;
a writer killed between its write and its rename leaves a temp file named ``.<target>.<8 random
characters>.tmp`` (:data:`TEMP_NAME`), which the site's writers sweep at their next start
(:func:`newsdesk.site.scaffold.remove_stale_temp_files`).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

__all__ = ["TEMP_NAME", "atomic_file", "atomic_write"]

#: The name of a temp file of :func:`atomic_file`: ``.<target>.<8 random>.tmp``.
TEMP_NAME = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


@contextmanager
def atomic_file(path: Path, *, binary: bool = False, make_folder: bool = True) -> Iterator[IO[Any]]:
    """A file to write that replaces ``path`` when the block ends without an exception (and is
    removed when it raises). Text files are UTF-8 with ``\\n`` line ends."""
    if make_folder:
        path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="\n")) as handle:
            yield handle
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` through a temp file and rename."""
    with atomic_file(path, binary=isinstance(data, bytes)) as handle:
        handle.write(data)
