"""Checks of the configured paths before any work: one line naming the key, exit 2, nothing touched.

Every command that reads or writes the archive or the site calls :func:`check_paths` right after
loading the config and before it takes the run lock, opens the archive or sends a request. The
checks only look (``stat``, ``access``, ``statvfs``, the first bytes of the archive); they create,
change and delete nothing. A store folder that even root cannot write to (``/proc``, a read-only
mount) is also caught when the run lock file cannot be created there -- the first file a command
creates -- with the same kind of message (see :mod:`newsdesk.lock`).
"""

from __future__ import annotations

import os
from pathlib import Path

from newsdesk.config import Config
from newsdesk.errors import ConfigError
from newsdesk.lock import lock_path

SQLITE_MAGIC = b"SQLite format 3\x00"

#: What each command needs. store: the archive's folder must exist and be writable (the archive,
#: its WAL files and the lock file are created there). archive: the archive may be read (it may be
#: missing). site: the site folder, if it exists, is a writable folder. content: the posts folder
#: can be made. hugo: the site is a Hugo site Hugo can build into.
NEEDS: dict[str, frozenset[str]] = {
    "fetch": frozenset({"store", "site"}),
    "publish": frozenset({"store", "site", "content"}),
    "add": frozenset({"store", "site", "content"}),
    "build": frozenset({"store", "site", "content", "hugo"}),
    "run": frozenset({"store", "site", "content", "hugo"}),
    "serve": frozenset({"archive", "hugo"}),
    "serve-watch": frozenset({"store", "site", "content", "hugo"}),
    "status": frozenset({"archive"}),
    "stories": frozenset({"archive"}),
    "export": frozenset({"archive"}),
    "import": frozenset({"store"}),
    "deploy": frozenset({"store"}),
}


def check_paths(config: Config, command: str) -> None:
    """Raise :class:`ConfigError` (exit 2) naming the key when a configured path cannot work for
    ``command`` (one of :data:`NEEDS`)."""
    needs = NEEDS[command]
    if needs & {"store", "archive"}:
        _check_archive(config.store_path, write="store" in needs)
    if needs & {"site", "content", "hugo"}:
        _check_site(config, needs)
    if command in ("run", "serve-watch"):
        _check_outputs(config)


def _check_outputs(config: Config) -> None:
    """What a run sends out after the build: the deploy target parses, every alert URL is usable."""
    if config.deploy.target:
        from newsdesk.deploy import parse_target

        parse_target(config.deploy.target)
    if config.alerts:
        from newsdesk.alerts import check_rules

        check_rules(config)


def _writable(path: Path) -> bool:
    """Whether this process may create files in the folder ``path`` (or write the file ``path``)."""
    mode = os.W_OK | (os.X_OK if path.is_dir() else os.R_OK)
    if os.access in os.supports_effective_ids:
        allowed = os.access(path, mode, effective_ids=True)
    else:  # pragma: no cover - platforms without faccessat(AT_EACCESS)
        allowed = os.access(path, mode)
    try:
        read_only = bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:  # pragma: no cover - statvfs on an existing path does not fail on Linux
        read_only = False
    return allowed and not read_only


def _blocker(path: Path) -> Path | None:
    """The first of ``path`` and its ancestors that exists but is not a folder, if any."""
    for candidate in (path, *path.parents):
        if candidate.exists():
            return None if candidate.is_dir() else candidate
        if candidate.is_symlink():
            return candidate  # a dangling link where a folder should be
    return None


def _check_archive(store: Path, *, write: bool) -> None:
    key = "store.path"
    if store.is_dir():
        raise ConfigError(f"{key}: {store} is a folder, not an archive file: point {key} at a file, "
                          f"e.g. {store / 'newsdesk.db'}")
    if store.exists():
        if not store.is_file():
            raise ConfigError(f"{key}: {store} is not a regular file: point {key} at the archive file")
        try:
            with store.open("rb") as db:
                head = db.read(len(SQLITE_MAGIC))
        except OSError as exc:
            raise ConfigError(f"{key}: cannot read {store}: {exc.strerror}") from None
        if head and head != SQLITE_MAGIC:
            raise ConfigError(f"{key}: {store} is not a newsdesk archive (not an SQLite database): "
                              f"point {key} at the archive or at a new file")
        if write and not _writable(store):
            raise ConfigError(f"{key}: {store} is not writable: fix its permissions or point {key} elsewhere")
    folder = store.parent
    blocker = _blocker(folder)
    if blocker is not None:
        raise ConfigError(f"{key}: {blocker} is a file, not a folder, so the archive {store} cannot be "
                          f"there: fix {key}")
    if not write:
        return
    if not folder.exists():
        raise ConfigError(f"{key}: the folder {folder} does not exist: create it (mkdir -p {folder}) "
                          f"or fix {key}")
    if not _writable(folder):
        raise ConfigError(f"{key}: the folder {folder} is not writable (the archive, its WAL files and "
                          f"the lock file go there): fix its permissions or point {key} elsewhere")
    lock = lock_path(store)
    if lock.exists() and not lock.is_file():
        raise ConfigError(f"{key}: the lock file {lock} is not a regular file: remove it")


def _check_site(config: Config, needs: frozenset[str]) -> None:
    key = "site.path"
    site = config.site_path
    blocker = _blocker(site)
    if blocker == site:
        raise ConfigError(f"{key}: {site} is a file, not a folder: point {key} at the Hugo site's "
                          f"folder (`newsdesk init` makes one)")
    if blocker is not None:
        raise ConfigError(f"{key}: {blocker} is a file, not a folder, so the site {site} cannot be there: "
                          f"fix {key}")
    if "hugo" in needs and not ((site / "hugo.toml").is_file() or (site / "config").is_dir()):
        raise ConfigError(f"{key}: {site} is not a Hugo site (no hugo.toml): create one with "
                          f"`newsdesk init`, or fix {key}")
    if "content" in needs:
        for folder in (site / "content", config.content_dir):
            if folder.exists() and not folder.is_dir():
                raise ConfigError(f"{key}: {folder} is a file where the posts folder should be: move it away")
    if "hugo" in needs:
        for folder in (site / "public", site / "resources"):
            if folder.exists() and not folder.is_dir():
                raise ConfigError(f"{key}: {folder} is a file where Hugo writes the site: move it away")
    if "site" in needs:
        # the deepest existing folder on the way to the posts folder must take new files
        target = config.content_dir if "content" in needs else site
        existing = next((p for p in (target, *target.parents) if p.exists()), None)
        if existing is not None and not _writable(existing):
            raise ConfigError(f"{key}: {existing} is not writable: fix its permissions or point {key} elsewhere")
        if "hugo" in needs and site.exists() and not _writable(site):
            raise ConfigError(f"{key}: {site} is not writable (Hugo writes public/ there): fix its permissions")
