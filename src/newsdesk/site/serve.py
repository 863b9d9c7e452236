"""`newsdesk serve`: the built site on 127.0.0.1 (stdlib http.server), optionally kept fresh.

The site's pages link to each other with root-relative URLs, so the site works on any port; only
absolute URLs (feeds, canonical links) use ``site.base_url``, which the demo sets to
``http://127.0.0.1:8000/`` — the default port here. With ``watch`` seconds, a background thread
runs the pipeline (fetch -> publish -> build when something changed) every ``watch`` seconds while
the server answers; Hugo rewrites the files in place, so a page requested mid-build may be stale
for a moment, never half-written. Each refresh (and the first build) holds the run lock
(:mod:`newsdesk.lock`) while it works, never while it sleeps, so a `newsdesk run` from cron and a
`serve --watch` on the same config take turns.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from newsdesk.config import Config
from newsdesk.errors import BuildError, NewsdeskError

log = logging.getLogger("newsdesk.serve")

HOST = "127.0.0.1"
DEFAULT_PORT = 8000


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files of the built site; requests are logged at debug level, not on stderr."""

    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".json": "application/json",
        ".xml": "application/xml",
        ".svg": "image/svg+xml",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
        ".pagefind": "application/octet-stream",
        ".pf_meta": "application/octet-stream",
        ".pf_index": "application/octet-stream",
        ".pf_fragment": "application/octet-stream",
        ".pf_filter": "application/octet-stream",
    }

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        log.debug("%s %s", self.address_string(), format % args)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()


class SiteServer:
    """Serves ``public`` on 127.0.0.1:``port`` (0 picks a free port) in a background thread."""

    def __init__(self, public: Path, port: int = DEFAULT_PORT) -> None:
        self.public = public
        handler = functools.partial(SiteHandler, directory=str(public))
        try:
            self.httpd = ThreadingHTTPServer((HOST, port), handler)
        except OSError as exc:
            raise BuildError(f"cannot serve on {HOST}:{port}: {exc.strerror or exc} "
                             f"(choose another port with --port)") from None
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="newsdesk-serve", daemon=True)

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def start(self) -> SiteServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def refresh_loop(seconds: float, stop: threading.Event, once: Callable[[], object]) -> None:
    """Call ``once`` every ``seconds`` until ``stop`` is set; a failing run is logged, not fatal."""
    while not stop.wait(seconds):
        try:
            once()
        except NewsdeskError as exc:
            log.error("refresh failed: %s; serving the last good build", exc)
        except Exception:  # noqa: BLE001 - keep serving whatever went wrong in one run
            log.exception("refresh failed; serving the last good build")


def serve(config: Config, *, port: int = DEFAULT_PORT, watch: float | None = None,
          ready: Callable[[SiteServer], None] | None = None, stop: threading.Event | None = None) -> None:
    """Serve the site of ``config`` until ``stop`` is set or Ctrl-C; build it first when it never was.

    With ``watch``, run fetch -> publish -> build every ``watch`` seconds meanwhile."""
    from newsdesk.runner import build, locked_run, run_lock
    from newsdesk.store import Store

    public = config.site_path / "public"
    stop = stop or threading.Event()
    if not (public / "index.html").exists():
        log.info("the site was never built: building it first")
        with run_lock(config, stop=stop):
            build(config)
    with SiteServer(public, port) as server:
        worker: threading.Thread | None = None
        store: Store | None = None
        if watch is not None:
            store = Store(config.store_path)
            opened = store

            def once() -> object:
                return locked_run(config, opened, stop=stop)

            worker = threading.Thread(target=refresh_loop, args=(watch, stop, once), name="newsdesk-refresh",
                                      daemon=True)
            worker.start()
        if ready is not None:
            ready(server)
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            log.info("stopping")
        finally:
            stop.set()
            if worker is not None:
                worker.join(timeout=60)
            if store is not None:
                store.close()
