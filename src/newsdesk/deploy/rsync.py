"""``rsync:/path`` and ``ssh://user@host[:port]/path``: rsync with checksums and deletes.

Up to four rsync runs, each bounded by ``[deploy] timeout``:

1. a dry run of the whole deploy with ``--checksum --delete``: which files differ in their bytes
   (whatever their time stamps: Hugo writes every file on every build) and which would be deleted.
   Nothing to do ends the deploy here -- a no-change deploy costs one ``rsync -rc`` -- and more
   deletes than ``[deploy] max_deletes`` fail it, before anything changed (rsync's own
   ``--max-delete`` would send every new file first, then delete up to the limit and exit 25: a
   half-pruned site);
2. the files of step 1 that are not pages -- assets, images, the search index (``pagefind/``) --
   by name (``--files-from``, ``--ignore-times``: no second comparison);
3. the pages (``*.html``, ``*.xml``, ``*.json`` outside ``pagefind/``), which refer to what step 2
   sent;
4. the deletes (``--delete --existing --ignore-existing``: file lists only), with ``--max-delete``
   set to what step 1 counted as a guard.

rsync writes each file under a temporary name and renames it, so no reader sees half a file; a
failure in step 2 leaves every page as it was, and nothing is deleted before every page is there.
Sent and deleted files are read from ``--itemize-changes``. Files are made 0644 and folders 0755
(``--chmod``) for the web server. Over ssh: ``BatchMode`` (no password or host key prompt: a
missing key fails at once) and ``ConnectTimeout`` (an unreachable host fails within that time).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from newsdesk.deploy import DeployReport
from newsdesk.deploy.target import DeployError, Target, guard_deletes, run_bounded

#: Which files are pages (sent last), outside ``pagefind/``.
PAGE_SUFFIXES = (".html", ".xml", ".json")
#: The seconds ssh may take to connect (and for its handshake), at most.
CONNECT_TIMEOUT = 30
#: ``--itemize-changes``: ``>f`` / ``<f`` a file sent, ``*deleting`` a removal.
_ITEM = re.compile(r"^(?P<code>[<>ch.*][fdLDS][^ ]*|\*deleting)\s+(?P<path>.+)$")


def rsync_binary() -> str:
    found = shutil.which("rsync")
    if found is None:
        raise DeployError("rsync is not installed: install it (apt-get install rsync) to deploy to "
                          "rsync: and ssh:// targets")
    return found


def base_args(target: Target, timeout: float) -> list[str]:
    args = [rsync_binary(), "--recursive", "--links", "--itemize-changes", "--protect-args", "--8-bit-output"]
    if target.host:
        ssh = ["ssh", "-o", "BatchMode=yes", "-o", f"ConnectTimeout={max(1, int(min(timeout, CONNECT_TIMEOUT)))}"]
        if target.port:
            ssh += ["-p", str(target.port)]
        args += ["--rsh", " ".join(ssh)]
    return args


def _items(output: str) -> tuple[list[str], list[str]]:
    """(files sent, paths deleted) from ``--itemize-changes`` output; deleted folders end in /."""
    sent: list[str] = []
    deleted: list[str] = []
    for line in output.splitlines():
        match = _ITEM.match(line)
        if match is None:
            continue
        code, path = match.group("code"), match.group("path")
        if code == "*deleting":
            deleted.append(path)
        elif code[0] in "<>" and code[1] == "f":
            sent.append(path)
    return sent, deleted


def _files(paths: list[str]) -> list[str]:
    return [p for p in paths if not p.endswith("/")]


def _run(args: list[str], target: Target, timeout: float, what: str) -> str:
    done = run_bounded(args, timeout=timeout, what=f"rsync to {target.text} ({what})")
    if done.returncode != 0:
        lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
        cause = next((line for line in lines if not line.startswith("rsync error:")), lines[0] if lines else "")
        raise DeployError(f"rsync to {target.text} failed ({what}, exit {done.returncode}): {cause}")
    return done.stdout


def deploy_rsync(public: Path, target: Target, *, max_deletes: int, timeout: float) -> DeployReport:
    """Bring the target folder to the state of ``public`` (see the module's text)."""
    start = time.perf_counter()
    deadline = start + timeout

    def left() -> float:
        return max(0.1, deadline - time.perf_counter())

    source = str(public).rstrip("/") + "/"
    dest = target.rsync_destination
    base = base_args(target, timeout)
    plan, doomed = _items(_run([*base, "--checksum", "--delete", "--dry-run", source, dest], target, left(),
                               "comparing"))
    guard_deletes(doomed, max_deletes, target.text)
    sent: list[str] = []
    with tempfile.TemporaryDirectory(prefix="newsdesk-rsync-") as folder:
        for what, paths in (("assets and search index", [p for p in plan if not is_page(p)]),
                            ("pages", [p for p in plan if is_page(p)])):
            if not paths:
                continue
            listing = Path(folder) / "files"
            listing.write_text("".join(f"{p}\n" for p in paths), encoding="utf-8")
            copy = [*base, "--ignore-times", "--perms", "--chmod=D755,F644", f"--files-from={listing}"]
            sent += _items(_run([*copy, source, dest], target, left(), what))[0]
    deleted: list[str] = []
    if doomed:
        guard = f"--max-delete={len(doomed)}"  # files and folders, as rsync counts them
        delete_only = ["--delete", "--existing", "--ignore-existing", guard]
        deleted = _files(_items(_run([*base, *delete_only, source, dest], target, left(), "deletes"))[1])
    total = _count_files(public)
    return DeployReport(target.text, "rsync", sent=sent, deleted=deleted,
                        unchanged=max(0, total - len(sent)), seconds=time.perf_counter() - start)


def is_page(path: str) -> bool:
    """Whether ``path`` is a page (sent after the assets and the search index)."""
    return not path.startswith("pagefind/") and path.endswith(PAGE_SUFFIXES)


def _count_files(root: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(root))
