"""The deploy target (``[deploy] target``) parsed, the deploy error, and bounded external commands.

:func:`run_bounded` is hand-written rather than ``subprocess.run(timeout=...)``: on a timeout that
kills only its direct child, and rsync's ``ssh`` (a grandchild) keeps the output pipes open, so
the wait for the output would hang. Here the command gets a session of its own and the whole
process group is killed.
"""

from __future__ import annotations

import os
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from newsdesk.errors import ConfigError, NewsdeskError

__all__ = ["DeployError", "Finished", "Target", "parse_target", "run_bounded"]


class DeployError(NewsdeskError):
    """A deploy failed (exit 1); the live site is as it was, and the next run tries again."""


@dataclass(frozen=True)
class Target:
    """Where the site goes. ``kind``: ``file`` (a local web root), ``rsync`` (a folder, local or
    over ssh) or ``s3`` (a bucket through ``hugo deploy``)."""

    text: str  # as configured
    kind: str
    path: str = ""  # file, rsync: the folder (absolute); s3: ""
    host: str = ""  # rsync over ssh: "user@host" or "host"; "" for a local folder
    port: int | None = None  # rsync over ssh
    bucket: str = ""  # s3
    query: tuple[tuple[str, str], ...] = ()  # s3: the URL's parameters, in order

    @property
    def rsync_destination(self) -> str:
        """The destination argument of rsync (with the trailing slash: the folder's contents)."""
        folder = self.path.rstrip("/") + "/"
        return f"{self.host}:{folder}" if self.host else folder


def parse_target(text: str) -> Target:
    """Parse ``[deploy] target``; :class:`ConfigError` (exit 2) saying the accepted forms."""
    key = "deploy.target"
    if text.startswith("file://"):
        parts = urlsplit(text)
        if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
            raise ConfigError(f"{key}: {text!r} is not a local web root: write file:///absolute/path "
                              f"(three slashes)")
        path = unquote(parts.path).rstrip("/") or "/"
        if path == "/":
            raise ConfigError(f"{key}: {text!r}: the web root cannot be / itself; name a folder")
        return Target(text, "file", path=path)
    if text.startswith("rsync:"):
        path = text[len("rsync:"):]
        if not path.startswith("/"):
            raise ConfigError(f"{key}: {text!r}: write rsync:/absolute/path (a folder on this machine; "
                              f"for another machine use ssh://user@host/path)")
        return Target(text, "rsync", path=path)
    if text.startswith("ssh://"):
        parts = urlsplit(text)
        try:
            port = parts.port
        except ValueError:
            raise ConfigError(f"{key}: {text!r}: the port is not a number") from None
        if not parts.hostname or not parts.path.startswith("/") or parts.path == "/" or parts.query:
            raise ConfigError(f"{key}: {text!r}: write ssh://user@host/absolute/path (or ssh://user@host:port/path)")
        host = f"{unquote(parts.username)}@{parts.hostname}" if parts.username else parts.hostname
        return Target(text, "rsync", path=unquote(parts.path), host=host, port=port)
    if text.startswith("s3://"):
        parts = urlsplit(text)
        if not parts.netloc or parts.path not in ("", "/"):
            raise ConfigError(f"{key}: {text!r}: write s3://bucket?region=REGION (and &endpoint=URL for an "
                              f"S3-compatible store); hugo deploy writes to the bucket's root")
        query = tuple((k, v[-1]) for k, v in parse_qs(parts.query, keep_blank_values=True).items())
        endpoint = dict(query).get("endpoint", "")
        if endpoint and not endpoint.startswith(("http://", "https://")):
            raise ConfigError(f"{key}: endpoint={endpoint!r} must be an http:// or https:// URL")
        return Target(text, "s3", bucket=parts.netloc, query=query)
    raise ConfigError(f"{key}: {text!r} is not a deploy target; use file:///path/to/webroot, rsync:/path, "
                      f"ssh://user@host/path or s3://bucket?endpoint=...&region=...")


#: The search index's folder: Pagefind names its chunk files by their contents, so every build
#: that adds a story replaces hundreds of them; those deletes are not what max_deletes guards.
SEARCH_INDEX = "pagefind/"


def guard_deletes(deleted: list[str], max_deletes: int, where: str, *, action: str = "changed") -> None:
    """Raise :class:`DeployError` when ``deleted`` (site-relative paths) holds more than
    ``max_deletes`` files outside the search index: a site losing its pages, not the index's churn."""
    counted = [p for p in deleted if not p.endswith("/") and not p.startswith(SEARCH_INDEX)]
    if len(counted) > max_deletes:
        raise DeployError(f"the deploy would delete {len(counted)} files from {where} (not counting the search "
                          f"index), more than [deploy] max_deletes = {max_deletes}: nothing was {action}. If the "
                          f"new site is right, raise max_deletes in newsdesk.toml")


@dataclass(frozen=True)
class Finished:
    """A finished external command."""

    returncode: int
    stdout: str
    stderr: str


def run_bounded(args: list[str], *, timeout: float, what: str, env: dict[str, str] | None = None,
                cwd: Path | None = None) -> Finished:
    """Run ``args`` to its end, or kill it (and its children) after ``timeout`` seconds and raise
    :class:`DeployError` naming ``what`` and ``[deploy] timeout``."""
    try:
        proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, errors="replace", env=env, cwd=cwd, start_new_session=True)
    except OSError as exc:
        raise DeployError(f"cannot run {args[0]}: {exc.strerror or exc}: install it (e.g. apt-get install "
                          f"{Path(args[0]).name})") from None
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        raise DeployError(f"{what} did not finish within {timeout:g} s ([deploy] timeout): the target is "
                          f"unreachable or too slow; the live site was left as it was") from None
    except BaseException:
        _kill_group(proc)
        raise
    return Finished(proc.returncode, out, err)


def _kill_group(proc: subprocess.Popen[str]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:  # pragma: no cover - already gone
        pass
    proc.communicate()
