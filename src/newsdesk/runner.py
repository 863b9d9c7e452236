"""The pipeline as one call: fetch -> publish -> build, once or every N seconds.

Each step is recorded in the archive's ``steps`` table (:func:`newsdesk.status.record_step`) for
``newsdesk status``. ``watch`` takes the run lock (:mod:`newsdesk.lock`) for each cycle only, never
while it sleeps, so a manual ``newsdesk publish`` can slip in between two cycles. A cycle that fails
-- Hugo missing, a full disk, a source down, any unexpected exception -- is logged with its cause
and the next cycle runs as planned. ``watch`` stops cleanly between steps: the first Ctrl-C
(SIGINT) or SIGTERM only sets a flag that is checked after each step and wakes the sleep (and a
wait for the lock); every step is itself transactional. A second Ctrl-C stops at once.
"""

from __future__ import annotations

import dataclasses
import logging
import signal
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType
from typing import TYPE_CHECKING

from newsdesk.config import PLACEHOLDER_BASE_URL, Config
from newsdesk.errors import NewsdeskError
from newsdesk.lock import DEFAULT_WAIT, LockBusy, RunLock, lock_path
from newsdesk.publish import PublishReport, publish
from newsdesk.site.hugo import HugoResult, run_hugo
from newsdesk.site.scaffold import sync_site
from newsdesk.site.search import run_pagefind, wants_search
from newsdesk.status import record_step
from newsdesk.store import Store

if TYPE_CHECKING:  # pragma: no cover
    from newsdesk.alerts import AlertReport
    from newsdesk.deploy import DeployReport
    from newsdesk.fetch import FetchReport

log = logging.getLogger("newsdesk.run")

#: meta key: "1" while posts or images changed after the last completed build
BUILD_OWED = "build_owed"
#: The target the built site was last deployed to (meta key); a build, or another target, owes a deploy.
DEPLOYED_TO = "deployed_to"  # newsdesk.deploy.DEPLOYED_TO, without importing the deploy package


def run_lock(config: Config, *, wait: float = DEFAULT_WAIT, stop: threading.Event | None = None) -> RunLock:
    """The run lock of the archive of ``config`` (not yet taken)."""
    return RunLock(lock_path(config.store_path), wait=wait, stop=stop)


def build(config: Config, store: Store | None = None) -> HugoResult:
    """Build the site of ``config``: sync the newsdesk-owned parts (with the archive's ticker list),
    run Hugo, then index the story pages with Pagefind (bundled theme only). Hugo's warnings are
    logged and returned; ``seconds`` covers Hugo and Pagefind."""
    if store is not None:
        config = config.with_archive(store.archived_languages())
        sync_site(config, store.db)
    elif config.store_path.exists():
        with Store(config.store_path) as own:
            config = config.with_archive(own.archived_languages())
            sync_site(config, own.db)
    else:
        sync_site(config)
    if config.site.base_url == PLACEHOLDER_BASE_URL:
        log.warning("site.base_url is still the placeholder %s: set it in newsdesk.toml to the site's "
                    "public address", PLACEHOLDER_BASE_URL)
    site = config.site_path
    result = run_hugo(site)
    for line in result.warnings:
        log.warning("hugo: %s", line)
    log.info("hugo: built %s in %.1fs", site / "public", result.seconds)
    if not wants_search(site):
        return result
    if not any(config.content_dir.glob("*.md")):
        # Pagefind indexes every page of a site without a story body: nothing to search yet.
        log.info("pagefind: no stories yet, nothing to index")
        return result
    index = run_pagefind(site / "public", languages=config.languages)
    log.info("pagefind: %d story pages indexed in %.1fs", index.pages, index.seconds)
    return dataclasses.replace(result, seconds=result.seconds + index.seconds)


def fetch_summary(report: FetchReport) -> str:
    text = (f"{report.new} new, {report.changed} changed, {report.unchanged} unchanged, "
            f"{report.filtered} filtered out, "
            + (f"{report.carried} already archived from another source, " if report.carried else "")
            + f"{len(report.failed)} failed")
    if report.source_errors:
        text += f", {len(report.source_errors)} source(s) failed: " + "; ".join(str(e) for e in report.source_errors)
    return text


def publish_summary(report: PublishReport) -> str:
    return f"{len(report.written)} written, {report.unchanged} unchanged, {len(report.failed)} failed"


def fetch_step(config: Config, store: Store, *, on_item: Callable[[], None] | None = None,
               stop: Callable[[], bool] | None = None) -> FetchReport:
    """Fetch every source into ``store``, recorded as the step ``fetch``; then the facts of what it
    archived (a long pass ends early once ``stop()`` is true)."""
    with record_step(store, "fetch") as step:
        from newsdesk.fetch import (
            fetch_all,  # here: publish and build never load the HTTP stack
        )

        report = fetch_all(config, store, on_item=on_item)
        step.ok, step.summary = report.exit_code == 0, fetch_summary(report)
    keep_facts(config, store, stop=stop)
    return report


def keep_facts(config: Config, store: Store, *, stop: Callable[[], bool] | None = None) -> None:
    """The market facts of the stories just archived, extracted and kept for publish
    (:mod:`newsdesk.facts.archive`); what fails here publish extracts itself."""
    if not config.facts.enabled:
        return
    from newsdesk.facts.archive import fill
    from newsdesk.render.facts_front import facts_front_matter

    try:
        if done := fill(store, facts_front_matter, stop=stop):
            log.info("market facts extracted for %d stories", done)
    except sqlite3.Error as exc:
        log.warning("market facts not kept in the archive: %s", exc)


def publish_step(config: Config, store: Store, *, everything: bool = False,
                 progress: Callable[[int, int], None] | None = None) -> PublishReport:
    """Publish the archive's dirty stories, recorded as the step ``publish``."""
    owed_before = store.get_meta(BUILD_OWED) == "1"
    store.set_meta(BUILD_OWED, "1")  # from before the first post is written until a build completes
    with record_step(store, "publish") as step:
        report = publish(config, store, everything=everything, progress=progress)
        step.ok, step.summary = not report.failed, publish_summary(report)
    if not (owed_before or report.written or report.images):
        store.set_meta(BUILD_OWED, "0")  # nothing changed: no build needed
    return report


def build_step(config: Config, store: Store | None = None) -> HugoResult:
    """Build the site, recorded as the step ``build`` when there is an archive to record it in."""
    if store is None:
        return build(config)
    owed = store.get_meta(BUILD_OWED)
    with record_step(store, "build") as step:
        result = build(config, store)
        step.summary = f"built in {result.seconds:.1f}s, {len(result.warnings)} warning(s)"
    if owed == "1":
        store.set_meta(BUILD_OWED, "0")
    store.set_meta(DEPLOYED_TO, "")  # this build is not online yet
    return result


def deploy_owed(config: Config, store: Store) -> bool:
    """True when a deploy target is set and the site built last is not (or not there) online yet: a
    failed or killed deploy is done by the next run."""
    return bool(config.deploy.target) and store.get_meta(DEPLOYED_TO) != config.deploy.target


def deploy_site(config: Config, store: Store) -> DeployReport:
    """Deploy the built site (step ``deploy``); remember it is online at the target."""
    from newsdesk.deploy import deploy_step

    return deploy_step(config, store)


def alerts_step(config: Config, store: Store) -> AlertReport:
    """Send the alerts of newly published stories (step ``alerts``)."""
    from newsdesk.alerts import send_alerts

    with record_step(store, "alerts") as step:
        report = send_alerts(config, store)
        step.ok, step.summary = report.exit_code == 0, report.summary()
    for error in report.errors:
        log.warning("alert not delivered: %s", error)
    return report


def build_owed(config: Config, store: Store) -> bool:
    """True when posts or images changed since the last completed build (or it never ran): a run
    killed between publish and the end of its build leaves its build to the next run."""
    return store.get_meta(BUILD_OWED) == "1" or not (config.site_path / "public").is_dir()


@dataclass
class RunReport:
    fetched: FetchReport
    published: PublishReport
    built: HugoResult | None
    deployed: DeployReport | None = None
    alerted: AlertReport | None = None

    @property
    def exit_code(self) -> int:
        code = self.fetched.exit_code
        if code:
            return code
        failed = self.published.failed or (self.alerted is not None and self.alerted.exit_code)
        return 1 if failed else 0


def run_once(config: Config, store: Store, *, on_item: Callable[[], None] | None = None,
             stop: threading.Event | None = None) -> RunReport:
    """fetch -> publish -> build (when owed) -> deploy (when a target is set and owed) -> alerts.
    A step that raises ends the cycle; what it owes is done by the next one."""
    def stopped() -> bool:
        return stop is not None and stop.is_set()

    fetched = fetch_step(config, store, on_item=on_item, stop=stopped)
    if stopped():
        return RunReport(fetched, PublishReport(), None)
    published = publish_step(config, store)
    for path in published.written:
        print(path, flush=True)
    report = RunReport(fetched, published, None)
    if build_owed(config, store) and not stopped():
        report.built = build_step(config, store)
    if deploy_owed(config, store) and not stopped():
        report.deployed = deploy_site(config, store)
        log.info("%s", report.deployed.summary)
    if not stopped():  # after the stories are online, so the links in the messages work
        report.alerted = alerts_step(config, store)
    return report


def locked_run(config: Config, store: Store, *, wait: float = DEFAULT_WAIT, stop: threading.Event | None = None,
               once: Callable[[], RunReport] | None = None) -> RunReport | None:
    """One cycle under the run lock (``once``, default :func:`run_once`); None when ``stop`` was
    set while waiting for the lock. Raises :class:`LockBusy` when the wait ran out."""
    lock = run_lock(config, wait=wait, stop=stop)
    if not lock.acquire():
        return None
    try:
        return once() if once is not None else run_once(config, store, stop=stop)
    finally:
        lock.release()


def _cycle(config: Config, store: Store, seconds: float, stop: threading.Event, wait: float,
           once: Callable[[], RunReport] | None) -> int:
    """One cycle of :func:`watch`; a failure is logged with its cause and becomes exit code 1."""
    try:
        report = locked_run(config, store, wait=wait, stop=stop, once=once)
    except LockBusy as exc:
        log.warning("cycle skipped: %s", exc)
        return 1
    except NewsdeskError as exc:
        log.error("cycle failed: %s; next cycle in %gs", exc, seconds)
        return exc.exit_code
    except Exception as exc:  # a long run outlives any one failure; the cause is logged
        log.error("cycle failed: %s: %s; next cycle in %gs", type(exc).__name__, exc, seconds)
        log.debug("the failed cycle's traceback", exc_info=True)
        return 1
    if report is None:
        return 0
    log.info("run done: %d new, %d changed, %d posts written; next in %gs",
             report.fetched.new, report.fetched.changed, len(report.published.written), seconds)
    return report.exit_code


def watch(config: Config, store: Store, seconds: float, *, once: Callable[[], RunReport] | None = None,
          wait: float = DEFAULT_WAIT) -> int:
    """Run every ``seconds`` until interrupted; return the last cycle's exit code. Each cycle takes
    the run lock, waiting up to ``wait`` seconds (else it is skipped and logged)."""
    stop = threading.Event()

    def handler(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        log.info("stopping after the current step (press Ctrl-C again to stop at once)")
        stop.set()

    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    code = 0
    try:
        while not stop.is_set():
            code = _cycle(config, store, seconds, stop, wait, once)
            stop.wait(seconds)
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
    return code
