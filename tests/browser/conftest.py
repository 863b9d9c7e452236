"""Fixtures of the browser tests: the sample site built once, served on 127.0.0.1, and chromium.

The sample site is the demo's (``newsdesk.demo.run_demo``), rebuilt with ``site.base_url`` set to
the address of a stdlib HTTP server on a free loopback port, so every absolute URL of the pages
points at that server and nothing is rewritten.

The browser is Debian's chromium (``/usr/bin/chromium``, installed by ``make test`` when missing;
``NEWSDESK_CHROMIUM`` names another) driven by Playwright; ``playwright install`` is never used.
When the browser is missing every browser test is skipped with that reason.

Every request of every page goes through one recorder: requests to 127.0.0.1 continue, any other
is aborted and remembered, so a test can assert that the theme loads nothing from other hosts.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from browserkit import (ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, DESKTOP, LOOPBACK, PHONE, TIMEOUT_MS, QuietHandler,
                        Recorder, SampleSite, read_posts)

from newsdesk.config import load_config
from newsdesk.demo import DEMO_BASE_URL, run_demo
from newsdesk.runner import build
from newsdesk.sample import load_archive

@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SampleSite]:
    """The demo site rebuilt for, and served by, a loopback HTTP server on a free port."""
    root = tmp_path_factory.mktemp("browser-site")
    public = root / "site" / "public"
    handler = functools.partial(QuietHandler, directory=str(public))
    server = ThreadingHTTPServer((LOOPBACK, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="sample-site", daemon=True)
    thread.start()
    try:
        base_url = f"http://{LOOPBACK}:{server.server_address[1]}/"
        run_demo(root)
        config_file = root / "newsdesk.toml"
        text = config_file.read_text(encoding="utf-8")
        assert f'"{DEMO_BASE_URL}"' in text, "the demo's base URL is not where the test expects it"
        config_file.write_text(text.replace(f'"{DEMO_BASE_URL}"', f'"{base_url}"'), encoding="utf-8")
        config = load_config(config_file, required=True)
        assert config.site.base_url == base_url
        result = build(config)
        assert not result.warnings, result.warnings
        yield SampleSite(root, public, base_url, load_archive(), read_posts(root, public, base_url))
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless chromium, or a skip when Debian's chromium is not installed."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (needs root and apt-get)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def recorder() -> Recorder:
    return Recorder()


def _open_context(browser: Any, recorder: Recorder, viewport: dict[str, int]) -> Any:
    context = browser.new_context(viewport=viewport, service_workers="block")
    context.set_default_timeout(TIMEOUT_MS)

    def route(route: Any) -> None:
        url = route.request.url
        if urlsplit(url).hostname == LOOPBACK:
            route.continue_()
        else:
            recorder.aborted.append(url)
            route.abort()

    context.route("**/*", route)
    context.on("request", lambda request: recorder.requested.append(request.url))
    return context


@pytest.fixture
def page(browser: Any, recorder: Recorder) -> Iterator[Any]:
    """A desktop-sized page; uncaught JavaScript errors fail the test."""
    context = _open_context(browser, recorder, DESKTOP)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture
def phone(browser: Any, recorder: Recorder) -> Iterator[Any]:
    """A phone-sized page (375x740)."""
    context = _open_context(browser, recorder, PHONE)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
