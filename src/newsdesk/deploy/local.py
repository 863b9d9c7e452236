"""``file:///srv/www/news``: a web root on this machine, switched atomically between releases.

The web root is a symlink into a releases folder beside it::

    /srv/www/news -> .news.releases/20261207T101500.123456Z-3f9a
    /srv/www/.news.releases/
        20261207T101500.123456Z-3f9a/   the live tree
        20261207T094500.654321Z-c01d/   the previous tree (kept for --rollback)
        previous -> 20261207T094500.654321Z-c01d
        .lock                            one deploy at a time (flock)

A deploy compares ``public/`` with the live tree file by file (size, then bytes); when nothing
differs it changes nothing. Otherwise it writes a complete new tree into ``.staging-<id>``
(unchanged files as hard links to the live tree's, so only changed files are copied), renames it
to ``<id>``, then points the web root at it by renaming a new symlink over the old one (one
``rename``: a reader resolves either the old tree or the new one, never a mix, never nothing).
Then ``previous`` names the tree that was live, and every other tree is removed.

A deploy killed at any point leaves the live tree untouched; the next one removes the
``.staging-*`` folders and stray link files and completes. Files are written 0644 and folders
0755 (a web server reads them as another user); a hard link shares the inode, and no file in a
release is ever written again, so releases cannot change each other.

The first deploy needs the web root to be missing, an empty folder (replaced by the link), or a
link newsdesk made: an existing folder with files is refused with what to do, never removed.
Hand-written: no library does release switching by symlink for a local folder; the whole
mechanism is ``os.link``, ``os.symlink`` and ``os.replace``.
"""

from __future__ import annotations

import errno
import fcntl
import os
import secrets
import shutil
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from newsdesk.deploy import DeployReport
from newsdesk.deploy.target import DeployError, Target, guard_deletes
from newsdesk.errors import ConfigError

FILE_MODE = 0o644
DIR_MODE = 0o755
PREVIOUS = "previous"
STAGING = ".staging-"
LINK_TEMP = ".link-"


@dataclass(frozen=True)
class Layout:
    webroot: Path
    releases: Path

    @classmethod
    def of(cls, target: Target) -> Layout:
        webroot = Path(target.path)
        return cls(webroot, webroot.parent / f".{webroot.name}.releases")

    def link_text(self, release: str) -> str:
        """What the web root's symlink holds: relative, so the whole folder can be moved."""
        return f"{self.releases.name}/{release}"

    def live(self) -> str | None:
        """The release the web root points at, or None when it is no link of ours (or missing)."""
        if not self.webroot.is_symlink():
            return None
        text = os.readlink(self.webroot)
        prefix = f"{self.releases.name}/"
        if not text.startswith(prefix) or "/" in text[len(prefix):]:
            return None
        return text[len(prefix):]

    def previous(self) -> str | None:
        link = self.releases / PREVIOUS
        if not link.is_symlink():
            return None
        name = os.readlink(link)
        return name if "/" not in name and (self.releases / name).is_dir() else None


def deploy_local(public: Path, target: Target, *, max_deletes: int) -> DeployReport:
    """Copy ``public`` into a new release and switch the web root to it (see the module's text)."""
    start = time.perf_counter()
    layout = Layout.of(target)
    _check_webroot(layout)
    with _locked(layout):
        _sweep(layout)
        live = layout.live()
        live_tree = layout.releases / live if live else None
        plan = _plan(public, live_tree)
        report = DeployReport(target.text, "file", sent=plan.copy, deleted=plan.deleted,
                              unchanged=len(plan.link), release=live or "")
        if live is not None and not plan.copy and not plan.deleted:
            report.seconds = time.perf_counter() - start
            return report  # nothing changed: nothing written
        guard_deletes(plan.deleted, max_deletes, str(layout.webroot))
        release = _new_release_name(layout)
        staging = layout.releases / f"{STAGING}{release}"
        try:
            _write_tree(public, live_tree, staging, plan)
            os.rename(staging, layout.releases / release)
            _fsync_dir(layout.releases)
        except OSError as exc:  # a full disk, a file that cannot be read: nothing is live yet
            shutil.rmtree(staging, ignore_errors=True)
            shutil.rmtree(layout.releases / release, ignore_errors=True)
            raise DeployError(f"cannot write the new release into {layout.releases}: {exc}; the live site was "
                              f"left as it was") from None
        _switch(layout, release)
        if live is not None:
            _set_previous(layout, live)
        _prune(layout, keep={release, live})
        report.release = release
    report.seconds = time.perf_counter() - start
    return report


def rollback(target: Target) -> DeployReport:
    """Point the web root back at the previous release; the release it leaves becomes the
    previous one (a second rollback undoes the first)."""
    start = time.perf_counter()
    layout = Layout.of(target)
    with _locked(layout):
        live = layout.live()
        previous = layout.previous()
        if live is None or previous is None or previous == live:
            raise DeployError(f"{layout.webroot}: no previous release to roll back to (there is one "
                              f"after two deploys that changed something)")
        _switch(layout, previous)
        _set_previous(layout, live)
    return DeployReport(target.text, "file", release=previous, rolled_back=True,
                        seconds=time.perf_counter() - start)


# -- checks and locking ---------------------------------------------------------------------------

def _check_webroot(layout: Layout) -> None:
    key = "deploy.target"
    parent = layout.webroot.parent
    if not parent.is_dir():
        raise ConfigError(f"{key}: the folder {parent} does not exist: create it (mkdir -p {parent}) or fix {key}")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ConfigError(f"{key}: {parent} is not writable: the web root's releases and link go there; "
                          f"fix its permissions or point {key} elsewhere")
    root = layout.webroot
    if root.is_symlink():
        if layout.live() is None:
            raise ConfigError(f"{key}: {root} is a link newsdesk did not make (to {os.readlink(root)}): "
                              f"remove it or point {key} elsewhere")
        return
    if root.is_dir():
        if any(root.iterdir()):
            raise ConfigError(f"{key}: {root} is an existing folder with files; newsdesk makes the web root a "
                              f"link to its releases and does not remove your files. Move it away (mv {root} "
                              f"{root}.old) and deploy again, or point {key} at a new path")
    elif root.exists():
        raise ConfigError(f"{key}: {root} is a file, not a web root folder: move it away")


@contextmanager
def _locked(layout: Layout) -> Iterator[None]:
    layout.releases.mkdir(mode=DIR_MODE, exist_ok=True)
    fd = os.open(layout.releases / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DeployError(f"another deploy to {layout.webroot} is running; try again when it ends") from None
        yield
    finally:
        os.close(fd)


def _sweep(layout: Layout) -> None:
    """Remove what a killed deploy left: staging trees and temporary links."""
    for entry in layout.releases.iterdir():
        if entry.name.startswith(STAGING):
            shutil.rmtree(entry, ignore_errors=True)
        elif entry.name.startswith(LINK_TEMP):
            entry.unlink(missing_ok=True)
    for entry in layout.webroot.parent.glob(f".{layout.webroot.name}{LINK_TEMP}*"):
        if entry.is_symlink():
            entry.unlink(missing_ok=True)


# -- the new tree ---------------------------------------------------------------------------------

@dataclass
class Plan:
    copy: list[str]  # relative paths whose bytes are new
    link: list[str]  # relative paths equal to the live tree's
    deleted: list[str]  # relative paths of the live tree that the new one lacks
    folders: list[str]  # relative folders of the new tree, parents first


def _walk(root: Path) -> tuple[list[str], list[str]]:
    """(folders, files) under ``root``, relative, sorted, parents before children."""
    folders: list[str] = []
    files: list[str] = []
    for top, dirs, names in os.walk(root):
        dirs.sort()
        rel = os.path.relpath(top, root)
        prefix = "" if rel == "." else rel + "/"
        folders.extend(prefix + d for d in dirs)
        files.extend(prefix + n for n in sorted(names))
    return folders, files


def _same(a: Path, b: Path) -> bool:
    try:
        sa, sb = a.stat(), b.stat()
    except FileNotFoundError:
        return False
    if not stat.S_ISREG(sb.st_mode) or sa.st_size != sb.st_size:
        return False
    if (sa.st_ino, sa.st_dev) == (sb.st_ino, sb.st_dev):
        return True
    with a.open("rb") as fa, b.open("rb") as fb:
        while True:
            chunk = fa.read(1 << 20)
            if chunk != fb.read(1 << 20):
                return False
            if not chunk:
                return True


def _plan(public: Path, live: Path | None) -> Plan:
    folders, files = _walk(public)
    if live is None:
        return Plan(copy=files, link=[], deleted=[], folders=folders)
    copy: list[str] = []
    link: list[str] = []
    for rel in files:
        (link if _same(public / rel, live / rel) else copy).append(rel)
    present = set(files)
    deleted = [rel for rel in _walk(live)[1] if rel not in present]
    return Plan(copy=copy, link=link, deleted=deleted, folders=folders)


def _write_tree(public: Path, live: Path | None, staging: Path, plan: Plan) -> None:
    staging.mkdir(mode=DIR_MODE)
    os.chmod(staging, DIR_MODE)  # whatever the umask
    for rel in plan.folders:
        (staging / rel).mkdir(mode=DIR_MODE)
        os.chmod(staging / rel, DIR_MODE)
    for rel in plan.link:
        assert live is not None
        try:
            os.link(live / rel, staging / rel)
        except OSError as exc:  # another file system, or a file system without hard links
            if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
                raise
            _copy(live / rel, staging / rel)
    for rel in plan.copy:
        _copy(public / rel, staging / rel)


def _copy(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
    os.chmod(target, FILE_MODE)
    fd = os.open(target, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _new_release_name(layout: Layout) -> str:
    while True:
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        name = f"{stamp}Z-{secrets.token_hex(3)}"
        if not (layout.releases / name).exists():
            return name


# -- switching ------------------------------------------------------------------------------------

def _replace_link(link: Path, text: str, temp_folder: Path, temp_prefix: str) -> None:
    """Point ``link`` at ``text`` in one rename (a new symlink renamed over the old)."""
    temp = temp_folder / f"{temp_prefix}{secrets.token_hex(4)}"
    os.symlink(text, temp)
    try:
        os.replace(temp, link)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_dir(link.parent)


def _switch(layout: Layout, release: str) -> None:
    root = layout.webroot
    if root.is_dir() and not root.is_symlink():
        root.rmdir()  # the empty folder of a first deploy (checked before): nothing was served from it
    _replace_link(root, layout.link_text(release), root.parent, f".{root.name}{LINK_TEMP}")


def _set_previous(layout: Layout, release: str) -> None:
    _replace_link(layout.releases / PREVIOUS, release, layout.releases, LINK_TEMP)


def _prune(layout: Layout, keep: set[str | None]) -> None:
    for entry in layout.releases.iterdir():
        if entry.name in keep or entry.name in (PREVIOUS, ".lock") or not entry.is_dir() or entry.is_symlink():
            continue
        shutil.rmtree(entry, ignore_errors=True)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
