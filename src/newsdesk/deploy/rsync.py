"""``rsync:/path`` and ``ssh://user@host[:port]/path``: rsync with checksums and deletes.

Four rsync runs, each bounded by ``[deploy] timeout``:

1. a dry run of the deletes only (``--delete --existing --ignore-existing -n``: no file is read
   or sent, the two file lists are compared): more than ``[deploy] max_deletes`` fails the deploy
   here, before anything changed (rsync's own ``--max-delete`` would send every file first and
   then delete some, leaving a half-pruned site and exit 25);
2. everything but the pages: assets, images, the search index (``pagefind/``), with
   ``--checksum`` (a file is sent when its bytes differ, whatever its time stamp; Hugo writes
   every file on every build);
3. the pages (``*.html``, ``*.xml``, ``*.json`` outside ``pagefind/``), which refer to what
   step 2 sent;
4. the deletes (``--max-delete`` set to what step 1 counted, as a guard).

Sent and deleted files are read from ``--itemize-changes``. Files are made 0644 and folders 0755
(``--chmod``) for the web server. Over ssh: ``BatchMode`` (no password or host key prompt: a
missing key fails at once) and ``ConnectTimeout`` (an unreachable host fails within that time).
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

from newsdesk.deploy import DeployReport
from newsdesk.deploy.target import DeployError, Target, run_bounded

#: rsync filters: which files are pages (sent last).
PAGE_PATTERNS = ("*.html", "*.xml", "*.json")
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
    args = [rsync_binary(), "--recursive", "--links", "--itemize-changes", "--protect-args"]
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
    delete_only = ["--delete", "--existing", "--ignore-existing"]
    _, doomed = _items(_run([*base, "--dry-run", *delete_only, source, dest], target, left(), "counting deletes"))
    if len(_files(doomed)) > max_deletes:
        raise DeployError(f"the deploy would delete {len(_files(doomed))} files from {target.text}, more than "
                          f"[deploy] max_deletes = {max_deletes}: nothing was changed. If the new site is "
                          f"right, raise max_deletes in newsdesk.toml")
    copy = [*base, "--checksum", "--perms", "--chmod=D755,F644"]
    pages_last = ["--filter=+ /pagefind/**", *(f"--exclude={p}" for p in PAGE_PATTERNS)]
    sent, _ = _items(_run([*copy, *pages_last, source, dest], target, left(), "assets and search index"))
    pages_only = ["--include=*/", *(f"--include={p}" for p in PAGE_PATTERNS), "--exclude=*"]
    pages, _ = _items(_run([*copy, *pages_only, source, dest], target, left(), "pages"))
    sent += pages
    deleted: list[str] = []
    if doomed:
        guard = f"--max-delete={len(doomed)}"  # files and folders, as rsync counts them
        _, removed = _items(_run([*base, *delete_only, guard, source, dest], target, left(), "deletes"))
        deleted = _files(removed)
    total = _count_files(public)
    return DeployReport(target.text, "rsync", sent=sent, deleted=deleted,
                        unchanged=max(0, total - len(sent)), seconds=time.perf_counter() - start)


def _count_files(root: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(root))
