"""The one HTTP seam: an httpx client factory, :func:`get_json` and :func:`get_bytes` (documents:
feeds and article pages, conditional GET), with retries and a size cap.

Every request newsdesk makes goes through :func:`make_client` (polite headers, keep-alive,
HTTP/1.1, a connection-pool limit) and :func:`get_json` or :func:`get_bytes`:

* connection errors, timeouts, 429, 5xx and CDN challenge pages (403/503 answered with HTML)
  are transient: retried with exponential backoff and jitter, honouring ``Retry-After``
  (seconds or an HTTP date, capped at :data:`MAX_WAIT` seconds);
* 404/410 raise :class:`NotFound` at once; any other 4xx (400, 422, a JSON 403, ...) raises
  :class:`ApiError` at once, carrying the status and the service's JSON ``message``;
* the body is streamed and reading stops past ``max_bytes`` (:class:`ResponseTooLarge`);
* a 2xx answer that is not JSON (truncated, or a proxy's HTML page) is retried like a transient
  fault, then raises :class:`InvalidResponse` (:func:`get_json` only; :func:`get_bytes` returns
  any 2xx or 304 answer as a :class:`Page`).

Exceptions (all :class:`~newsdesk.errors.FetchError`, all naming the URL)::

    HttpError            transient faults that outlived the retries; base of the others
    ├── ApiError         the service refused the request (status, url, message); never retried
    │   └── NotFound     404 / 410
    ├── ResponseTooLarge the body exceeded max_bytes
    ├── InvalidResponse  a success answer that is not JSON
    └── Deferred         429/503 with Retry-After: longer than MAX_WAIT, or still refused after the
                         retries; ``until`` (epoch seconds) is when the service asked to be asked again

Connection failures (refused, DNS, connect timeout) are retried at most :data:`CONNECT_RETRIES`
times, so an unreachable host costs seconds, not the whole retry budget.
"""

from __future__ import annotations

import email.utils
import functools
import json
import random
import ssl
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, TypeAlias, TypeVar

import httpx

from newsdesk import safejson
from newsdesk.errors import FetchError

__all__ = [
    "CONNECT_RETRIES", "DEFAULT_HEADERS", "MAX_WAIT", "ApiError", "Deferred", "HttpError", "InvalidResponse",
    "NotFound",
    "Page", "Params", "ResponseTooLarge", "backoff_delay", "get_bytes", "get_json", "make_client",
    "retry_after_seconds",
]

#: Headers sent with every request (a source adds its own: see each module under ``sources/``).
DEFAULT_HEADERS: dict[str, str] = {
    "User-Agent": ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                   "Chrome/128.0.0.0 Safari/537.36"),
    "Accept": "application/json",
    "Accept-Language": "en-US,en;q=0.9",
}

#: The longest single wait between two attempts, whatever Retry-After asks for (seconds).
MAX_WAIT = 60.0

#: Retries of a request whose connection could not be made at all (refused, DNS, connect timeout).
CONNECT_RETRIES = 1

#: The connect timeout, whatever the configured per-request timeout (seconds).
CONNECT_TIMEOUT = 5.0

#: How much of an error answer is read to find the service's message.
_ERROR_BODY_BYTES = 64 * 1024

#: Query parameters: a mapping, or a list of pairs when a key repeats (``filter=``).
Params: TypeAlias = Mapping[str, str] | Sequence[tuple[str, str]] | None

_TRANSIENT_STATUS = frozenset({429, 500, 502, 503, 504, 507, 509, 520, 521, 522, 523, 524})
_RETRYABLE_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
_random = random.Random()


class HttpError(FetchError):
    """An HTTP request failed; ``status`` is None when no answer came (network, timeout)."""

    def __init__(self, url: str, message: str, status: HTTPStatus | int | None = None) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.status = _status(status) if status is not None else None
        self.detail = message


class ApiError(HttpError):
    """The service refused the request (4xx); ``message`` is the service's own when it sent one."""

    def __init__(self, status: HTTPStatus | int, url: str, message: str = "") -> None:
        code = _status(status)
        phrase = code.phrase if isinstance(code, HTTPStatus) else "error"
        text = f"HTTP {int(code)} {phrase}" + (f": {message}" if message else "")
        super().__init__(url, text, code)
        self.message = message


class NotFound(ApiError):
    """404 Not Found or 410 Gone."""


class ResponseTooLarge(HttpError):
    """The answer's body is larger than the configured cap."""


class InvalidResponse(HttpError):
    """A success answer whose body is not JSON."""


def _status(code: HTTPStatus | int) -> HTTPStatus | int:
    try:
        return HTTPStatus(int(code))
    except ValueError:
        return int(code)


def make_client(*, timeout: float, max_connections: int, transport: httpx.BaseTransport | None = None,
                headers: Mapping[str, str] | None = None) -> httpx.Client:
    """An HTTP/1.1 keep-alive client with the polite headers; ``headers`` add to (or override) them.

    The pool holds at most ``max_connections`` connections, all kept alive between requests.
    ``transport`` replaces the network (tests, the replay server); the pool limit then is the
    transport's business.
    """
    merged = dict(DEFAULT_HEADERS)
    if headers:
        merged.update(headers)
    limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections,
                          keepalive_expiry=30.0)
    return httpx.Client(timeout=httpx.Timeout(timeout, connect=min(timeout, CONNECT_TIMEOUT)), limits=limits,
                        http1=True, http2=False, headers=merged, transport=transport, follow_redirects=True,
                        verify=_ssl_context())


@functools.lru_cache(maxsize=1)
def _ssl_context() -> ssl.SSLContext:
    """One TLS context (the CA bundle loaded once) for every client: a poll of a hundred feeds makes
    a hundred clients, and loading the bundle costs tens of milliseconds each time."""
    return httpx.create_ssl_context()


def retry_after_seconds(value: str | None, *, now: float | None = None,
                        cap: float | None = MAX_WAIT) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or HTTP date), at most ``cap``;
    None if unusable."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:  # pragma: no cover - older Pythons returned None
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if seconds != seconds:  # NaN
        return None
    seconds = min(max(seconds, 0.0), 10.0 ** 9)
    return seconds if cap is None else min(seconds, cap)


def backoff_delay(attempt: int, base: float, rng: random.Random = _random) -> float:
    """The wait before retry number ``attempt`` (0-based): ``base * 2**attempt``, jittered to 50-100 %."""
    full = min(base * (2.0 ** attempt), MAX_WAIT)
    return full / 2 + rng.uniform(0.0, full / 2)


def get_json(client: httpx.Client, url: str, params: Params = None, *, retries: int, max_bytes: int,
             backoff_base: float = 0.5, sleep: Callable[[float], None] = time.sleep,
             headers: Mapping[str, str] | None = None) -> Any:
    """GET ``url`` and return its decoded JSON, retrying transient faults up to ``retries`` times.

    ``params`` may be a list of pairs so a key can repeat; ``headers`` add to the client's. Raises :class:`NotFound` (404/410) and
    :class:`ApiError` (other 4xx) at once, :class:`ResponseTooLarge` when the body passes
    ``max_bytes``, :class:`InvalidResponse` for a non-JSON success, and :class:`HttpError` when a
    transient fault persists after the last retry.
    """
    return _with_retries(lambda: _attempt(client, url, params, max_bytes, headers), retries, backoff_base, sleep)


@dataclass(frozen=True)
class Page:
    """A document answer of :func:`get_bytes`: ``not_modified`` for a 304 (``body`` is then empty)."""

    url: str  # where the answer came from (after redirects)
    status: int
    body: bytes
    content_type: str  # the Content-Type header as sent ("" when absent)
    etag: str
    last_modified: str

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def get_bytes(client: httpx.Client, url: str, *, retries: int, max_bytes: int, etag: str = "",
              last_modified: str = "", headers: Mapping[str, str] | None = None, backoff_base: float = 0.5,
              sleep: Callable[[float], None] = time.sleep) -> Page:
    """GET a document (a feed, an article page) with the same retries, caps and errors as
    :func:`get_json`, conditionally when ``etag``/``last_modified`` are given (a 304 answer is a
    :class:`Page` with ``not_modified``)."""
    sent = dict(headers or {})
    if etag:
        sent["If-None-Match"] = etag
    if last_modified:
        sent["If-Modified-Since"] = last_modified
    return _with_retries(lambda: _attempt_page(client, url, max_bytes, sent), retries, backoff_base, sleep)


T = TypeVar("T")


def _with_retries(attempt_once: Callable[[], T], retries: int, backoff_base: float,
                  sleep: Callable[[float], None]) -> T:
    attempt = 0
    while True:
        try:
            return attempt_once()
        except InvalidResponse:  # a truncated body or an HTML page from a proxy: often gone on the next try
            if attempt >= retries:
                raise
            sleep(backoff_delay(attempt, backoff_base))
            attempt += 1
        except _Transient as fault:
            if fault.asked_wait is not None and (fault.asked_wait > MAX_WAIT or attempt >= retries):
                raise Deferred(fault.url, f"{fault.reason}; the service asks to wait "
                                          f"{fault.asked_wait:.0f}s (Retry-After)", fault.status,
                               time.time() + fault.asked_wait) from None
            if attempt >= (min(retries, CONNECT_RETRIES) if fault.connect else retries):
                raise HttpError(fault.url, f"{fault.reason} (gave up after {attempt + 1} attempts)",
                                fault.status) from None
            wait = fault.retry_after if fault.retry_after is not None else backoff_delay(attempt, backoff_base)
            sleep(wait)
            attempt += 1


class Deferred(HttpError):
    """The service answered 429/503 with a ``Retry-After``: ask again at ``until`` (epoch seconds)."""

    def __init__(self, url: str, message: str, status: int | None, until: float) -> None:
        super().__init__(url, message, status)
        self.until = until


class _Transient(Exception):
    """Internal: one attempt met a fault worth retrying."""

    def __init__(self, url: str, reason: str, status: int | None = None, retry_after: float | None = None,
                 asked_wait: float | None = None, connect: bool = False) -> None:
        super().__init__(reason)
        self.url = url
        self.reason = reason
        self.status = status
        self.retry_after = retry_after
        self.asked_wait = asked_wait  # Retry-After as the service sent it, uncapped
        self.connect = connect  # no connection could be made


def _attempt(client: httpx.Client, url: str, params: Params, max_bytes: int,
             headers: Mapping[str, str] | None = None) -> Any:
    # httpx replaces a URL's own query with `params`: keep both, the URL's first.
    query: list[tuple[str, Any]] = list(httpx.URL(url).params.multi_items())
    query += list(params.items()) if isinstance(params, Mapping) else list(params or ())
    request = client.build_request("GET", url, params=query or None, headers=headers)

    def json_answer(response: httpx.Response, full_url: str) -> Any:
        if 200 <= response.status_code < 300:
            return _decode(_read_capped(response, max_bytes, full_url), response, full_url)
        return _NOT_TAKEN

    return _exchange(client, request, json_answer)


def _attempt_page(client: httpx.Client, url: str, max_bytes: int, headers: Mapping[str, str]) -> Page:
    try:
        request = client.build_request("GET", url, headers=headers)
    except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError) as exc:
        raise HttpError(url, f"not a usable URL: {exc}") from None

    def page_answer(response: httpx.Response, full_url: str) -> Any:
        status = response.status_code
        if status != 304 and not 200 <= status < 300:
            return _NOT_TAKEN
        body = b"" if status == 304 else _read_capped(response, max_bytes, full_url)
        h = response.headers
        return Page(str(response.url), status, body, h.get("Content-Type", ""), h.get("ETag", ""),
                    h.get("Last-Modified", ""))

    page: Page = _exchange(client, request, page_answer)
    return page


#: What an answer reader returns for an answer it does not take (the status then decides the error).
_NOT_TAKEN = object()


def _exchange(client: httpx.Client, request: httpx.Request, read: Callable[[httpx.Response, str], Any]) -> Any:
    """Send ``request`` and ``read`` its answer; an answer ``read`` does not take raises by its status;
    network faults become :class:`_Transient`."""
    full_url = str(request.url)
    try:
        response = client.send(request, stream=True)
        try:
            result = read(response, full_url)
            if result is _NOT_TAKEN:
                _raise_for_status(response, full_url)
            return result
        finally:
            response.close()
    except _RETRYABLE_ERRORS as exc:
        reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        connect = isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout))
        raise _Transient(full_url, reason, connect=connect) from None


def _read_capped(response: httpx.Response, max_bytes: int, url: str) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise ResponseTooLarge(url, f"answer of {int(declared)} bytes exceeds the {max_bytes}-byte limit")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise ResponseTooLarge(url, f"answer exceeds the {max_bytes}-byte limit; reading stopped")
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(body: bytes, response: httpx.Response, url: str) -> Any:
    kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if kind in ("text/html", "application/xhtml+xml") or body.lstrip()[:1] == b"<":
        raise InvalidResponse(url, f"expected JSON, got {kind or 'an untyped body'} "
                                   f"(HTTP {response.status_code}): {_snippet(body)}")
    try:
        return safejson.loads(body)  # any depth, no lone surrogates
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidResponse(url, f"expected JSON, got an unreadable body (HTTP {response.status_code}; "
                                   f"{str(exc)[:120]}): {_snippet(body)}") from None


def _raise_for_status(response: httpx.Response, url: str) -> None:
    status = response.status_code
    kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    html = kind in ("text/html", "application/xhtml+xml")
    if status in _TRANSIENT_STATUS or status >= 500 or (status == 403 and html):
        what = "a challenge page (HTML)" if html else "a transient error"
        asked = retry_after_seconds(response.headers.get("Retry-After"), cap=None)
        raise _Transient(url, f"HTTP {status} {_phrase(status)}: {what}", status,
                         None if asked is None else min(asked, MAX_WAIT),
                         asked if status in (429, 503) else None)
    body = _read_prefix(response)
    message = _service_message(body, html)
    if status in (404, 410):
        raise NotFound(status, url, message)
    raise ApiError(status, url, message)


def _read_prefix(response: httpx.Response) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= _ERROR_BODY_BYTES:
            break
    return b"".join(chunks)[:_ERROR_BODY_BYTES]


def _service_message(body: bytes, html: bool) -> str:
    """The ``message`` (or ``error``/``detail``) of a JSON error answer; a short snippet otherwise."""
    if html or not body.strip():
        return ""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        return _snippet(body)
    if isinstance(data, dict):
        for key in ("message", "error", "detail", "description"):
            value = data.get(key)
            if isinstance(value, str) and value:
                return value
    return _snippet(body)


def _snippet(body: bytes, limit: int = 120) -> str:
    text = " ".join(body[: limit * 4].decode("utf-8", "replace").split())
    return text[:limit] + ("…" if len(text) > limit else "")


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "error"
