"""`newsdesk deploy`: put the built site (``<site>/public``) where readers get it.

``[deploy] target`` says where, and its scheme picks the module that does it:

* ``file:///srv/www/news`` -- :mod:`newsdesk.deploy.local`: a complete new tree beside the web
  root, switched in by renaming a symlink; the previous tree is kept for ``--rollback``;
* ``rsync:/path`` and ``ssh://user@host[:port]/path`` -- :mod:`newsdesk.deploy.rsync`: rsync with
  checksums, everything but the pages first, then the pages, then the deletes;
* ``s3://bucket?endpoint=...&region=...`` -- :mod:`newsdesk.deploy.s3`: ``hugo deploy`` with a
  deployment config newsdesk writes (order, Content-Type, Cache-Control, no gzip on pagefind/).

Every kind counts the deletes before it changes anything and fails (exit 1) when there are more
than ``[deploy] max_deletes``; every external command is bounded by ``[deploy] timeout``. A
failed deploy leaves the live site as it was. :func:`deploy` returns a :class:`DeployReport`
naming what was sent and deleted; :func:`deploy_step` does the same and records the step
``deploy`` in the archive (for ``newsdesk status``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk.config import Config
from newsdesk.deploy.target import DeployError, Target, parse_target
from newsdesk.errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from newsdesk.store import Store

#: Archive meta key: the target the site built last is online at ("" after a build, until a deploy
#: succeeds). ``newsdesk run`` deploys while it differs from ``[deploy] target``.
DEPLOYED_TO = "deployed_to"

__all__ = ["DEPLOYED_TO", "DeployError", "DeployReport", "Target", "check_deploy", "deploy", "deploy_step",
           "parse_target"]


@dataclass
class DeployReport:
    """What one deploy (or rollback) did."""

    target: str
    kind: str  # "file", "rsync", "s3"
    sent: list[str] = field(default_factory=list)  # site-relative paths uploaded/copied, in order
    deleted: list[str] = field(default_factory=list)  # site-relative paths removed from the target
    unchanged: int = 0  # files already there with the same bytes (when the kind knows it)
    seconds: float = 0.0
    release: str = ""  # file://: the release folder now live
    rolled_back: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.sent or self.deleted or self.rolled_back)

    @property
    def summary(self) -> str:
        if self.rolled_back:
            return f"rolled {self.target} back to release {self.release} in {self.seconds:.1f}s"
        return (f"deployed to {self.target}: {len(self.sent)} sent, {len(self.deleted)} deleted, "
                f"{self.unchanged} unchanged in {self.seconds:.1f}s")


def public_folder(config: Config) -> Path:
    """The built site newsdesk deploys."""
    return config.site_path / "public"


def check_deploy(config: Config, *, rollback: bool = False) -> Target:
    """The parsed target, after the checks that need no work: a target is set, it can be rolled
    back when asked, the built site exists. Raises :class:`ConfigError` (exit 2) or
    :class:`DeployError` (exit 1: nothing built yet)."""
    if not config.deploy.target:
        raise ConfigError("deploy.target is not set: add [deploy] target = \"file:///path/to/webroot\" "
                          "(or rsync:PATH, ssh://user@host/path, s3://bucket?region=...) to newsdesk.toml")
    target = parse_target(config.deploy.target)
    if rollback and target.kind != "file":
        raise ConfigError(f"--rollback works for file:// targets only; {target.kind} targets keep no earlier "
                          f"release: rebuild the earlier site and deploy it")
    if not rollback:
        public = public_folder(config)
        if not (public / "index.html").is_file():
            raise DeployError(f"nothing to deploy: {public} holds no built site (no index.html); "
                              f"run `newsdesk build` first")
    return target


def deploy(config: Config, *, rollback: bool = False, full: bool = False) -> DeployReport:
    """Deploy the built site of ``config`` to ``[deploy] target`` (or, with ``rollback``, switch a
    ``file://`` web root back to its previous release). Raises :class:`DeployError` (exit 1) when
    the deploy failed -- the live site is then as it was -- and :class:`ConfigError` (exit 2).
    ``full``: an S3 target is compared object by object even when the site is the one deployed last."""
    target = check_deploy(config, rollback=rollback)
    public = public_folder(config)
    settings = config.deploy
    if target.kind == "file":
        from newsdesk.deploy import local

        if rollback:
            return local.rollback(target)
        return local.deploy_local(public, target, max_deletes=settings.max_deletes)
    if target.kind == "rsync":
        from newsdesk.deploy import rsync

        return rsync.deploy_rsync(public, target, max_deletes=settings.max_deletes, timeout=settings.timeout)
    from newsdesk.deploy import s3, s3_state

    return s3.deploy_s3(config.site_path, public, target, max_deletes=settings.max_deletes, timeout=settings.timeout,
                        state=s3_state.state_path(config.store_path, target.text), full=full)


def deploy_step(config: Config, store: Store, *, rollback: bool = False, full: bool = False) -> DeployReport:
    """:func:`deploy`, recorded in the archive as the step ``deploy`` (failed with its message
    when it raises); a success records the target as :data:`DEPLOYED_TO`."""
    from newsdesk.status import record_step

    with record_step(store, "deploy") as step:
        report = deploy(config, rollback=rollback, full=full)
        step.summary = report.summary
    store.set_meta(DEPLOYED_TO, config.deploy.target)  # a rollback too: the next run does not undo it
    return report
