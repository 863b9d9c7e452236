"""Story images: newsdesk downloads them itself, during `publish`, into a cache inside the site.

Hugo never touches the network. The image render hook and the thumbnail partials read the files
this module writes, ``<site>/assets/newsdesk/images/<key>.<ext>`` (``key``: the first 32 hex
digits of the SHA-256 of the image URL as the post has it, which Hugo computes too; ``ext`` from
the sniffed type), and show an image that is not there as its alt text linking to the source.

* Which images: :func:`register_post_images` records the images of a rendered post (every
  ``![alt](url)`` and an http(s) ``thumbnail``) as ``pending`` in the archive's ``images`` table
  (url, file, status, attempts, last_error, next_try, fetched_at). Posts written before this
  table existed are registered once from the posts folder (:func:`download_pending`).
* :func:`download_pending` downloads every pending image, and every failed one whose retry is
  due, ``[images] concurrency`` at a time over one httpx client (:func:`newsdesk.http.make_client`):
  only from ``[images] hosts`` (after ``[images.mirrors]``: the mirror is asked, the file is keyed
  by the original URL); connect and read timeouts of ``[images] timeout`` seconds and at most
  :data:`DEADLINE_FACTOR` times that for a whole download; the body streamed to a temp file and
  reading stopped past ``[images] max_bytes``; the type taken from the first bytes (JPEG, PNG,
  GIF, WebP; anything else fails, whatever the Content-Type says); the file renamed into place.
* A failed image (``status = 'failed'``) is retried in later runs after :data:`BACKOFF_BASE`
  seconds, doubling up to :data:`BACKOFF_CAP`, at most :data:`MAX_ATTEMPTS` attempts in all (then
  ``next_try`` is NULL: given up). An image whose host is not allowed is ``blocked`` and checked
  again, without a request, on every run (it is fetched once its host is allowed).
* Circuit breaker, per host (and port): after :data:`BREAKER_THRESHOLD` consecutive host faults in a run
  (no connection, timeout, HTTP 5xx/429, a broken answer) the host's other images are skipped
  for the rest of the run (they keep their state and are tried in the next run). A 404 or a
  wrong type or size is the image's fault, not the host's: the host answered.

Hand-written parts, with reasons: the type sniffer (four fixed signatures; a library such as
filetype or python-magic would be a dependency for a few lines) and the breaker (a counter per
host within one run; breaker libraries such as pybreaker keep time-based half-open states inside
one long-lived process, while here "later" simply means the next run). The module runs past 400
lines because selection, transport, breaker and bookkeeping share one small state machine (the
``images`` table's statuses); split, each part would need the others' internals.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
import threading
import time
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

from typing import TYPE_CHECKING

from newsdesk.config import Config
from newsdesk.store import Store

if TYPE_CHECKING:  # pragma: no cover - httpx is imported where images are downloaded
    import httpx

log = logging.getLogger("newsdesk.images")

#: The image cache inside the site (Hugo's assets folder, so templates find the files).
CACHE_DIR = Path("assets") / "newsdesk" / "images"
KEY_LENGTH = 32
EXTENSIONS = ("jpg", "png", "webp", "gif")  # the order the templates look them up in
BREAKER_THRESHOLD = 3
MAX_ATTEMPTS = 8
BACKOFF_BASE = 600  # seconds before the first retry; doubles with every failed attempt
BACKOFF_CAP = 86_400
DEADLINE_FACTOR = 4  # a whole download may take at most this many times [images] timeout
WARNINGS_SHOWN = 20  # failures warned about one by one per run; the rest at debug level
SCAN_META = "images_posts_scanned"
ACCEPT = "image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.1"

_IMAGE = re.compile(r"!\[(?:\\.|[^\]\\\n])*\]\((https?://[^\s()<>]+)\)")  # matched at each "![" found
_THUMBNAIL = re.compile(r'^thumbnail: ("(?:[^"\\\n]|\\.)*")$', re.MULTILINE)


@dataclass
class ImagesReport:
    """What :func:`download_pending` did in one run."""

    downloaded: int = 0
    cached: int = 0  # pending images whose file was already in the cache
    failed: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)
    blocked: int = 0  # hosts not allowed by [images] hosts
    skipped: int = 0  # left for the next run: their host's breaker opened
    broken_hosts: list[str] = field(default_factory=list)


def image_key(url: str) -> str:
    """The cache file name (without extension) of an image URL; the templates compute the same."""
    return hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()[:KEY_LENGTH]


def cache_folder(config: Config) -> Path:
    return config.site_path / CACHE_DIR


def sniff(head: bytes) -> str | None:
    """The file extension of an image by its first bytes (JPEG, PNG, GIF, WebP), else None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def post_image_urls(markdown_text: str) -> list[str]:
    """The http(s) image URLs of a post: its ``![alt](url)`` images and its ``thumbnail``."""
    urls: dict[str, None] = {}
    head, sep, _ = markdown_text.partition("\n---\n") if markdown_text.startswith("---\n") else ("", "", "")
    if sep:
        match = _THUMBNAIL.search(head)
        if match:
            try:
                value = json.loads(match.group(1))
            except ValueError:
                value = ""
            if isinstance(value, str) and value.startswith(("http://", "https://")):
                urls[value] = None
    pos = markdown_text.find("![")
    while pos != -1:  # str.find, then one anchored match: far cheaper than a regex scan of the text
        match = _IMAGE.match(markdown_text, pos) if pos == 0 or markdown_text[pos - 1] != "\\" else None
        if match is not None:
            urls.setdefault(match.group(1), None)
            pos = match.end()
        else:
            pos += 2
        pos = markdown_text.find("![", pos)
    return list(urls)


def register_post_images(store: Store, markdown_text: str) -> int:
    """Record the post's images that the archive does not know yet as pending; return how many."""
    urls = post_image_urls(markdown_text)
    if not urls:
        return 0
    before = store.db.total_changes  # inside publish's batch transaction; each insert is idempotent
    store.db.executemany("INSERT OR IGNORE INTO images (url, status, attempts) VALUES (?, 'pending', 0)",
                         [(url,) for url in urls])
    return store.db.total_changes - before


def mirrored(config: Config, url: str) -> str:
    """Where to download ``url`` from: through the first matching ``[images.mirrors]`` entry."""
    for source, target in config.images.mirrors:
        if url.startswith(source):
            return target + url[len(source):]
    return url


def allowed(config: Config, fetch_url: str) -> bool:
    return any(fetch_url.startswith(prefix) for prefix in config.image_prefixes)


def backoff(attempts: int) -> int:
    """Seconds before the next try after ``attempts`` failed attempts."""
    return int(min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP))


class _Failed(Exception):
    def __init__(self, reason: str, host_fault: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.host_fault = host_fault


@dataclass(frozen=True)
class _Outcome:
    url: str
    file: str = ""
    error: str = ""
    host_fault: bool = False
    skipped: bool = False


class _Breaker:
    """Consecutive host faults per host in this run; open (skip the host) at the threshold.

    While a host's last answer was a fault, a new request to it waits until the ones in flight
    have ended (one probe at a time), so a dead host costs about one timeout per run, not one per
    worker and round of failures."""

    def __init__(self, threshold: int) -> None:
        self.threshold = threshold
        self._faults: dict[str, int] = {}
        self._inflight: dict[str, int] = {}
        self._cond = threading.Condition()

    def is_open(self, host: str) -> bool:
        with self._cond:
            return self._faults.get(host, 0) >= self.threshold

    def acquire(self, host: str) -> bool:
        """Before a request: False (skip it) when the host's breaker is open."""
        with self._cond:
            self._cond.wait_for(lambda: not self._faults.get(host) or not self._inflight.get(host))
            if self._faults.get(host, 0) >= self.threshold:
                return False
            self._inflight[host] = self._inflight.get(host, 0) + 1
            return True

    def release(self, host: str, host_fault: bool) -> bool:
        """After a request: count its answer (or its absence); True when this one opened the breaker."""
        with self._cond:
            self._inflight[host] -= 1
            self._cond.notify_all()
            before = self._faults.get(host, 0)
            if before >= self.threshold:
                return False
            self._faults[host] = before + 1 if host_fault else 0
            return self._faults[host] >= self.threshold


def _status_reason(code: int) -> str:
    try:
        phrase = HTTPStatus(code).phrase
    except ValueError:
        phrase = "error"
    return f"HTTP {code} {phrase}"


def _save(response: httpx.Response, key: str, folder: Path, max_bytes: int, deadline: float, timeout: float) -> str:
    """Stream the body into ``folder/<key>.<ext>`` through a temp file; return the file name."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{key}.", suffix=".tmp", dir=folder)
    try:
        size, head, ext = 0, b"", None
        with os.fdopen(fd, "wb") as out:
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise _Failed(f"larger than [images] max_bytes ({max_bytes} bytes); reading stopped")
                if ext is None and len(head) < 12:
                    head += chunk[:12]
                    if len(head) >= 12:
                        ext = _require_image(head, response)
                out.write(chunk)
                if time.monotonic() > deadline:
                    raise _Failed(f"too slow: not complete after {timeout * DEADLINE_FACTOR:g}s", host_fault=True)
        if ext is None:
            ext = _require_image(head, response)
        for other in EXTENSIONS:  # the same URL may have changed its type since the last download
            if other != ext:
                (folder / f"{key}.{other}").unlink(missing_ok=True)
        name = f"{key}.{ext}"
        os.replace(tmp, folder / name)
        return name
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _require_image(head: bytes, response: httpx.Response) -> str:
    ext = sniff(head)
    if ext is None:
        kind = response.headers.get("Content-Type", "").split(";")[0].strip() or "untyped"
        raise _Failed(f"not an image (JPEG, PNG, GIF or WebP) by its content; sent as {kind}"
                      if head else "an empty answer")
    return ext


def _fetch(client: httpx.Client, fetch_url: str, key: str, folder: Path, max_bytes: int, timeout: float) -> str:
    import httpx

    deadline = time.monotonic() + timeout * DEADLINE_FACTOR
    limits = httpx.Timeout(timeout, connect=min(timeout, 5.0))
    try:
        with client.stream("GET", fetch_url, timeout=limits) as response:
            code = response.status_code
            if code != 200:
                raise _Failed(_status_reason(code), host_fault=code >= 500 or code == 429)
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise _Failed(f"larger than [images] max_bytes ({int(declared)} > {max_bytes} bytes)")
            return _save(response, key, folder, max_bytes, deadline, timeout)
    except httpx.TimeoutException:
        raise _Failed(f"no answer within {timeout:g}s", host_fault=True) from None
    except httpx.ConnectError as exc:
        raise _Failed(f"cannot connect ({exc or type(exc).__name__})", host_fault=True) from None
    except (httpx.UnsupportedProtocol, httpx.InvalidURL, httpx.TooManyRedirects) as exc:
        raise _Failed(f"cannot download: {exc}") from None
    except httpx.HTTPError as exc:
        raise _Failed(f"download failed ({type(exc).__name__}: {exc})", host_fault=True) from None
    except OSError as exc:
        raise _Failed(f"cannot write the cache file: {exc}") from None


def _download(client: httpx.Client, config: Config, url: str, breaker: _Breaker) -> _Outcome:
    fetch_url = mirrored(config, url)
    host = _host(fetch_url)
    if not breaker.acquire(host):
        return _Outcome(url, skipped=True)
    try:
        name = _fetch(client, fetch_url, image_key(url), cache_folder(config), config.images.max_bytes,
                      config.images.timeout)
    except _Failed as failed:
        if breaker.release(host, failed.host_fault):
            log.warning("image host %s failed %d times in a row (%s): its other images wait for the next run",
                        host, breaker.threshold, failed.reason)
        return _Outcome(url, error=failed.reason, host_fault=failed.host_fault)
    except BaseException:
        breaker.release(host, False)
        raise
    breaker.release(host, False)
    return _Outcome(url, file=name)


def _host(url: str) -> str:
    """The breaker's key: host and port as the URL has them."""
    return urlsplit(url).netloc.lower()


def _cached_file(folder: Path, key: str) -> str:
    for ext in EXTENSIONS:
        if (folder / f"{key}.{ext}").is_file():
            return f"{key}.{ext}"
    return ""


def note_new_archive(store: Store) -> None:
    """Before a publish: an archive with no post yet has no older posts to scan for images."""
    if store.get_meta(SCAN_META) != "1" and store.db.execute("SELECT 1 FROM posts LIMIT 1").fetchone() is None:
        store.set_meta(SCAN_META, "1")


def _scan_posts(config: Config, store: Store) -> None:
    """Once per archive: register the images of posts written before newsdesk downloaded them
    (streamed: one directory entry and a batch of URLs at a time)."""
    if store.get_meta(SCAN_META) == "1":
        return
    content = config.content_dir
    urls: list[tuple[str]] = []

    def flush() -> None:
        with store.atomic():
            store.db.executemany("INSERT OR IGNORE INTO images (url, status, attempts) VALUES (?, 'pending', 0)", urls)
        urls.clear()

    if content.is_dir():
        with os.scandir(content) as entries:
            for entry in entries:
                if not entry.name.endswith(".md"):
                    continue
                try:
                    text = Path(entry.path).read_text(encoding="utf-8", errors="replace")
                except OSError as exc:
                    log.warning("%s: cannot read it for its images: %s", entry.path, exc)
                    continue
                urls.extend((url,) for url in post_image_urls(text))
                if len(urls) >= 1000:
                    flush()
    flush()
    store.set_meta(SCAN_META, "1")


def _due(store: Store, now: int) -> list[tuple[str, str, int]]:
    return [(str(u), str(s), int(a)) for u, s, a in store.db.execute(
        "SELECT url, status, attempts FROM images WHERE status IN ('pending', 'blocked') "
        "OR (status = 'failed' AND next_try IS NOT NULL AND next_try <= ?) "
        "ORDER BY status = 'failed', url", (now,))]


class _Recorder:
    """Writes outcomes to the archive in small transactions, and logs failures (a few by name)."""

    def __init__(self, store: Store, report: ImagesReport, attempts: dict[str, int], now: int) -> None:
        self.store, self.report, self.attempts, self.now = store, report, attempts, now
        self.pending: list[_Outcome] = []

    def add(self, outcome: _Outcome) -> None:
        if outcome.skipped:
            self.report.skipped += 1
            return
        self.pending.append(outcome)
        if len(self.pending) >= 100:
            self.flush()

    def flush(self) -> None:
        with self.store.atomic():
            for outcome in self.pending:
                self._write(outcome)
        self.pending = []

    def _write(self, outcome: _Outcome) -> None:
        db = self.store.db
        if outcome.file:
            self.report.downloaded += 1
            db.execute("UPDATE images SET status = 'ok', file = ?, last_error = NULL, next_try = NULL, "
                       "fetched_at = ? WHERE url = ?", (outcome.file, self.now, outcome.url))
            return
        attempts = self.attempts.get(outcome.url, 0) + 1
        next_try = self.now + backoff(attempts) if attempts < MAX_ATTEMPTS else None
        db.execute("UPDATE images SET status = 'failed', attempts = ?, last_error = ?, next_try = ? WHERE url = ?",
                   (attempts, outcome.error, next_try, outcome.url))
        self.report.failed.append((outcome.url, outcome.error))
        later = (f"next try in {backoff(attempts) // 60} min" if next_try is not None
                 else f"given up after {attempts} attempts")
        log.log(logging.WARNING if len(self.report.failed) <= WARNINGS_SHOWN else logging.DEBUG,
                "image %s not downloaded (%s); its pages link to it instead (%s)", outcome.url, outcome.error, later)


def _triage(config: Config, store: Store, due: Iterable[tuple[str, str, int]], report: ImagesReport) -> list[str]:
    """Settle what needs no request (already cached, host not allowed); return the URLs to download."""
    folder = cache_folder(config)
    jobs: list[str] = []
    with store.atomic():
        for url, status, _ in due:
            cached = _cached_file(folder, image_key(url))
            if cached:
                report.cached += 1
                store.db.execute("UPDATE images SET status = 'ok', file = ?, last_error = NULL, next_try = NULL "
                                 "WHERE url = ?", (cached, url))
            elif not allowed(config, mirrored(config, url)):
                report.blocked += 1
                if status != "blocked":
                    log.warning("image %s not downloaded: its host is not allowed (add it to [images] hosts in "
                                "newsdesk.toml); its pages link to it instead", url)
                    store.db.execute("UPDATE images SET status = 'blocked', last_error = ? WHERE url = ?",
                                     ("host not allowed by [images] hosts", url))
            else:
                jobs.append(url)
    return jobs


def download_pending(config: Config, store: Store, *, now: float | None = None) -> ImagesReport:
    """Download every pending image and every failed one whose retry is due (``now``: the clock,
    for tests). Nothing is downloaded with ``[images] process = false``."""
    report = ImagesReport()
    _scan_posts(config, store)
    if not config.images.process:
        return report
    clock = int(time.time() if now is None else now)
    if not cache_folder(config).is_dir():  # a new or emptied site: everything is to be fetched again
        store.db.execute("UPDATE images SET status = 'pending', file = NULL WHERE status = 'ok'")
    due = _due(store, clock)
    if not due:
        return report
    attempts = {url: count for url, _, count in due}
    jobs = _triage(config, store, due, report)
    recorder = _Recorder(store, report, attempts, clock)
    breaker = _Breaker(BREAKER_THRESHOLD)
    workers = max(1, min(config.images.concurrency, len(jobs)))
    started = time.monotonic()
    if jobs:
        from newsdesk.http import make_client  # here: a publish with nothing to download never loads httpx

        with make_client(timeout=config.images.timeout, max_connections=workers, headers={"Accept": ACCEPT}) as client:
            pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="newsdesk-image")
            try:
                futures: list[Future[_Outcome]] = [pool.submit(_download, client, config, url, breaker)
                                                   for url in jobs]
                for future in as_completed(futures):
                    recorder.add(future.result())
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
                recorder.flush()
    report.broken_hosts = sorted(h for h in {_host(mirrored(config, u)) for u in jobs} if breaker.is_open(h))
    if len(report.failed) > WARNINGS_SHOWN:
        log.warning("%d more images not downloaded (`newsdesk -v` names each)",
                    len(report.failed) - WARNINGS_SHOWN)
    log.info("images: %d downloaded, %d already cached, %d failed, %d skipped (host failing), %d blocked, in %.1fs",
             report.downloaded, report.cached, len(report.failed), report.skipped, report.blocked,
             time.monotonic() - started)
    return report
