"""The pipeline as one call: fetch -> publish -> build, once or every N seconds.

`watch` stops cleanly between steps: the first Ctrl-C (SIGINT) or SIGTERM only sets a flag that
is checked after each step and wakes the sleep; every step is itself transactional.
"""

from __future__ import annotations

import dataclasses
import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType

from newsdesk.config import PLACEHOLDER_BASE_URL, Config
from newsdesk.fetch import FetchReport, fetch_all
from newsdesk.publish import PublishReport, publish
from newsdesk.site.hugo import HugoResult, run_hugo
from newsdesk.site.scaffold import sync_site
from newsdesk.site.search import run_pagefind, wants_search
from newsdesk.store import Store

log = logging.getLogger("newsdesk.run")


def build(config: Config, store: Store | None = None) -> HugoResult:
    """Build the site of ``config``: sync the newsdesk-owned parts (with the archive's ticker list),
    run Hugo, then index the story pages with Pagefind (bundled theme only). Hugo's warnings are
    logged and returned; ``seconds`` covers Hugo and Pagefind."""
    if store is not None:
        sync_site(config, store.db)
    elif config.store_path.exists():
        with Store(config.store_path) as own:
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


@dataclass
class RunReport:
    fetched: FetchReport
    published: PublishReport
    built: HugoResult | None

    @property
    def exit_code(self) -> int:
        code = self.fetched.exit_code
        return code if code else (1 if self.published.failed else 0)


def run_once(config: Config, store: Store, *, on_item: Callable[[], None] | None = None,
             stop: threading.Event | None = None) -> RunReport:
    fetched = fetch_all(config, store, on_item=on_item)
    if stop is not None and stop.is_set():
        return RunReport(fetched, PublishReport(), None)
    published = publish(config, store)
    for path in published.written:
        print(path, flush=True)
    built = None
    never_built = not (config.site_path / "public").is_dir()
    if (published.written or never_built) and not (stop is not None and stop.is_set()):
        built = build(config)
    return RunReport(fetched, published, built)


def watch(config: Config, store: Store, seconds: float, *, once: Callable[[], RunReport] | None = None) -> int:
    """Run every ``seconds`` until interrupted; return the last run's exit code."""
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
            report = once() if once else run_once(config, store, stop=stop)
            code = report.exit_code
            log.info("run done: %d new, %d changed, %d posts written; next in %gs",
                     report.fetched.new, report.fetched.changed, len(report.published.written), seconds)
            stop.wait(seconds)
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
    return code
