"""The TradingView news source: both API generations behind one class.

* **news-flow** (current, host news-mediator): ``GET {base}/public/news-flow/v2/news`` with one
  ``filter=<key>:<v1>,<v2>`` per key (keys in alphabetical order, each key's values sorted, else
  the service answers 400), ``client``, ``user_prostatus=non_pro``, ``streaming=false`` and
  ``cursor`` when following; stories from ``{base}/public/news/v1/story``.
* **headlines** (legacy, host news-headlines): ``GET {base}/v2/headlines?client=..&lang=..
  &streaming=false`` with optional ``symbol``, ``category`` and ``provider``; stories from
  ``{base}/v2/story``. The legacy API takes one value per parameter, so each configured market
  (``category``) and provider gets a list request sequence of its own; ``countries`` has no legacy
  equivalent and is ignored there (with one warning).

One list request sequence runs per (language, symbol) -- per (language, symbol, category,
provider) on the legacy API -- following ``pagination.cursor`` down to what the last completed
sweep of that sequence covered (:mod:`newsdesk.sources.sweep`; at most ``max_pages`` pages a
run, a cut-short sweep resumes next run). Items archived with the same item hash, or recorded as
failed with the same hash (left to the retry schedule), cost no request. Each page's stories are
requested concurrently (a thread pool of ``concurrency`` workers sharing the one httpx client) and
yielded in page order, then a :class:`~newsdesk.sources.sweep.Checkpoint` with the sequence's new
state. :meth:`TradingViewSource.retry` requests failed stories again by id.

A 429/503 with ``Retry-After`` (see :class:`newsdesk.http.Deferred`) ends the source's run with
:class:`~newsdesk.errors.SourceDeferred`; the page it interrupted is read again next time.

When the configured list endpoint answers 404/410 the other generation is tried on the same base
URL (and on its own default host when no ``api_url`` was configured); the switch is logged once
and kept for the rest of the run, stories included. 400/422 on a list request is a
:class:`~newsdesk.errors.ConfigError` naming the service's message and the filter it blames.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import httpx

from newsdesk.config import SourceConfig, check_http_url
from newsdesk.errors import ConfigError, FetchError, SourceDeferred, StoryError
from newsdesk.http import ApiError, Deferred, HttpError, NotFound, Params, get_json, make_client
from newsdesk.model import DEFAULT_SITE_URL, Story
from newsdesk.sources.base import Failed, Fetched, KnownLookup, Result, Retry, StateLookup
from newsdesk.sources.sweep import BadCursor, Checkpoint, CursorLoop, SweepState, sweep
from newsdesk.sources.tv_api import (
    EXTRA_STORY_PATHS, LIST_PATHS, Endpoint, Query, blame, list_items, mark_of,
)
from newsdesk.sources.tv_parse import (
    API_HEADLINES, API_NEWS_FLOW, is_gated, item_hash, item_id, parse_raw,
)
from newsdesk.sources.tv_parse import story_from_json as _story_from_json

__all__ = [
    "API_HEADLINES", "API_HOSTS", "API_NEWS_FLOW", "CONFIG", "DEFAULT_SITE_URL", "Checkpoint", "Failed", "Fetched",
    "KnownLookup", "TradingViewConfig", "TradingViewSource", "item_hash", "make", "parse_raw", "story_from_json",
    "story_from_raw",
]

log = logging.getLogger("newsdesk.sources")

#: The API's hosts per generation (the default ``api_url``).
API_HOSTS = {
    API_NEWS_FLOW: "https://news-mediator.tradingview.com",
    API_HEADLINES: "https://news-headlines.tradingview.com",
}
#: Where TradingView's story images live (the image prefix newsdesk may download from).
IMAGE_PREFIX = "https://s3.tradingview.com/news/image/"
#: Sent with every request: without Origin/Referer the service's nginx answers 403.
HEADERS = {"Origin": "https://www.tradingview.com", "Referer": "https://www.tradingview.com/",
           "Accept": "application/json"}


@dataclass(frozen=True)
class TradingViewConfig(SourceConfig):
    """``[[sources]] type = "tradingview"``: the news API of either generation."""

    type: str = "tradingview"
    api: str = API_NEWS_FLOW  # "news-flow" (current) or "headlines" (legacy)
    api_url: str = ""  # "" = the default host of `api`
    story_url: str = ""  # optional other base for story requests
    site_url: str = DEFAULT_SITE_URL
    client: str = "web"
    symbols: tuple[str, ...] = ()
    markets: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()  # the core issue's name for `markets`; both are honoured
    countries: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()
    fetch_gated: bool = False

    def check(self, key: str) -> None:
        super().check(key)
        if self.api not in LIST_PATHS:
            raise ConfigError(f'{key}.api: {self.api!r} is not one of "news-flow", "headlines"')
        for name in ("api_url", "story_url", "site_url"):
            url = getattr(self, name)
            if url:
                check_http_url(f"{key}.{name}", url)
        for symbol in self.symbols:
            if ":" not in symbol:
                raise ConfigError(f'{key}.symbols: {symbol!r} needs its exchange, e.g. "NASDAQ:{symbol}"')

    @property
    def base_url(self) -> str:
        return (self.api_url or API_HOSTS.get(self.api, API_HOSTS[API_NEWS_FLOW])).rstrip("/")

    @property
    def where(self) -> str:
        return self.base_url

    @property
    def image_prefixes(self) -> tuple[str, ...]:
        return (IMAGE_PREFIX,)

    @property
    def market_filter(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.markets + self.categories))


CONFIG = TradingViewConfig


def make(config: SourceConfig, client: httpx.Client | None = None) -> TradingViewSource:
    """The source of a TradingView config (see :mod:`newsdesk.sources`)."""
    if not isinstance(config, TradingViewConfig):
        raise ConfigError(f"{config.label}: not a TradingView source config")
    return TradingViewSource(config, client)


def story_from_raw(raw: Mapping[str, Any], site_url: str) -> Story:
    """An archived ``{"api", "lang", "item", "story"}`` record read back (see :func:`parse_raw`)."""
    return parse_raw(raw, site_url or DEFAULT_SITE_URL)


def story_from_json(data: Any, *, lang: str | None, config: SourceConfig) -> Story:
    """A story file of any of the API's shapes (``newsdesk render``)."""
    site_url = config.site_url if isinstance(config, TradingViewConfig) else DEFAULT_SITE_URL
    if isinstance(data, Mapping) and isinstance(data.get("item"), Mapping):
        return parse_raw(data, site_url, lang=lang)
    return _story_from_json(data, lang=lang, site_url=site_url)


def _no_answer(exc: FetchError) -> bool:
    """True when no answer came at all (refused, DNS, timeouts): the host is down, not one list."""
    return type(exc) is HttpError and exc.status is None


class _Switched(Exception):
    """Internal: the list generation changed; the current scope restarts with the new one."""


class TradingViewSource:
    """Fetch stories from TradingView's news API (either generation); see the module docstring."""

    def __init__(self, config: TradingViewConfig, client: httpx.Client | None = None) -> None:
        if config.api not in LIST_PATHS:
            raise ConfigError(f"{config.label}: unknown api {config.api!r} (use \"news-flow\" or \"headlines\")")
        self.config = config
        self._own_client = client is None
        self.client = client if client is not None else make_client(
            timeout=config.timeout, max_connections=config.concurrency, headers=HEADERS)
        self._endpoint = Endpoint(config.api, config.base_url)
        self._switched = False
        self._pending: tuple[tuple[str, tuple[tuple[str, str], ...]], Any] | None = None
        self._lock = threading.Lock()
        self._warned_countries = False
        self._failing = 0  # list sequences failed in a row in this run
        self.requests_made = 0  # logical requests (each URL asked, retries not counted)

    # -- public -------------------------------------------------------------------------------

    @property
    def api(self) -> str:
        """The generation in use (after a fallback, the other one)."""
        return self._endpoint.api

    def fetch(self, known: KnownLookup, on_item: Callable[[], None] | None = None,
              state: StateLookup | None = None) -> Iterator[Result | Checkpoint]:
        """Yield a :class:`Fetched` or :class:`Failed` for every new or changed list item, and a
        :class:`Checkpoint` after each page.

        ``known`` is called once per page with the page's (id, lang) pairs; ``state`` gives each
        sequence's saved sweep state (default: none, a full sweep). ``on_item`` is called, from the
        iterating thread, once for every list item dealt with (skipped ones included). Raises
        :class:`ConfigError` when the service rejects the filters (400/422),
        :class:`SourceDeferred` when it asks to wait, and :class:`FetchError` when the host cannot
        be reached, when two sequences in a row fail, or (after the other sequences ran) when a
        sequence's list could not be read or its cursor loops.
        """
        seen: set[tuple[str, str, str]] = set()
        tick = on_item or (lambda: None)
        loops: list[str] = []
        self._failing = 0
        with ThreadPoolExecutor(max_workers=self.config.concurrency, thread_name_prefix="newsdesk-story") as pool:
            try:
                for lang in self.config.languages:
                    for symbol in self.config.symbols or (None,):
                        yield from self._scope(lang, symbol, known, tick, seen, pool, state, loops)
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
        if loops:
            raise FetchError(f"{self.config.label}: " + "; ".join(loops))

    def retry(self, failed: Sequence[Retry]) -> Iterator[Result]:
        """Request failed stories again by id (concurrently); yield a result for each, in order."""
        endpoint = self._endpoint
        with ThreadPoolExecutor(max_workers=self.config.concurrency, thread_name_prefix="newsdesk-retry") as pool:
            try:
                jobs = [pool.submit(self._fetch_story, endpoint, item, sid, lang) for sid, lang, item in failed]
                yield from self._in_order(jobs)
            finally:
                pool.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        """Close the HTTP client when this source made it."""
        if self._own_client:
            self.client.close()

    def __enter__(self) -> TradingViewSource:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- listing ------------------------------------------------------------------------------

    def _queries(self, api: str, lang: str, symbol: str | None) -> list[Query]:
        if api == API_NEWS_FLOW:
            return [Query(lang, symbol)]
        if self.config.countries and not self._warned_countries:
            self._warned_countries = True
            log.warning("%s: the legacy headlines API has no country filter; countries %s ignored",
                        self.config.label, ", ".join(self.config.countries))
        return [Query(lang, symbol, category, provider)
                for category in (self.config.market_filter or (None,))
                for provider in (self.config.providers or (None,))]

    def _scope(self, lang: str, symbol: str | None, known: KnownLookup, tick: Callable[[], None],
               seen: set[tuple[str, str, str]], pool: ThreadPoolExecutor, state: StateLookup | None,
               loops: list[str]) -> Iterator[Result | Checkpoint]:
        """Every list request sequence of one (language, symbol)."""
        queries = self._queries(self._endpoint.api, lang, symbol)
        index = 0
        while index < len(queries):
            query = queries[index]
            sequence = self.sequence_key(query)
            saved = SweepState.from_json(state(sequence)) if state is not None else SweepState()

            def page(items: list[Any]) -> Generator[Result, None, None]:
                return self._page(self._endpoint, items, lang, known, tick, seen, pool)

            try:
                yield from sweep(sequence, saved, self.config.max_pages,
                                 lambda cursor: self._list_page(query, cursor), page, mark_of)
            except _Switched:
                queries = self._queries(self._endpoint.api, lang, symbol)
                index = 0
                continue
            except CursorLoop as exc:
                log.error("%s: %s: %s", self.config.label, sequence, exc)
                loops.append(f"{sequence}: {exc}")
            except SourceDeferred:
                raise
            except FetchError as exc:
                # One sequence's bad answer (an HTML page, a body over the cap, a persistent 5xx) leaves
                # the others to run; an unreachable host, or a second failure in a row, ends the source.
                if _no_answer(exc) or self._failing:
                    raise
                self._failing += 1
                log.error("%s: %s: %s (the other lists go on; this one resumes next run)",
                          self.config.label, sequence, exc)
                loops.append(f"{sequence}: {exc}")
            else:
                self._failing = 0
            index += 1

    def sequence_key(self, query: Query) -> str:
        """The list request sequence's identity: API generation and filters (no cursor or client)."""
        _url, params = self._list_request(self._endpoint, query, None)
        kept = [f"{k}={v}" for k, v in params if k not in ("client", "streaming", "user_prostatus")]
        return "|".join([self._endpoint.api, *kept])

    def _list_request(self, endpoint: Endpoint, query: Query, cursor: str | None) -> tuple[str, list[tuple[str, str]]]:
        config = self.config
        params: list[tuple[str, str]]
        if endpoint.api == API_NEWS_FLOW:
            params = [("filter", f"{key}:{','.join(values)}") for key, values in self._filters(query)]
            params += [("client", config.client), ("user_prostatus", "non_pro"), ("streaming", "false")]
        else:
            params = [("client", config.client), ("lang", query.lang), ("streaming", "false")]
            for key, value in (("symbol", query.symbol), ("category", query.category),
                               ("provider", query.provider)):
                if value:
                    params.append((key, value))
        if cursor:
            params.append(("cursor", cursor))
        return endpoint.list_url, params

    def _filters(self, query: Query) -> list[tuple[str, list[str]]]:
        """news-flow filters: keys in alphabetical order, each key's values sorted and unique."""
        config = self.config
        raw = {
            "lang": [query.lang],
            "market": list(config.market_filter),
            "market_country": list(config.countries),
            "provider": list(config.providers),
            "symbol": [query.symbol] if query.symbol else [],
        }
        return [(key, sorted(set(raw[key]))) for key in sorted(raw) if raw[key]]

    def _list_page(self, query: Query, cursor: str | None) -> tuple[list[Any], str | None]:
        endpoint = self._endpoint
        url, params = self._list_request(endpoint, query, cursor)
        key = (url, tuple(params))
        if self._pending is not None and self._pending[0] == key:
            data = self._pending[1]
            self._pending = None
        else:
            try:
                data = self._get(url, params)
            except Deferred as exc:
                raise SourceDeferred(f"{self.config.label}: {exc}", exc.until) from None
            except NotFound as exc:
                if self._switched or cursor:
                    raise
                self._fall_back(query, exc)
                raise _Switched from None
            except ApiError as exc:
                if cursor and exc.status in (400, 422):
                    raise BadCursor(str(exc)) from None
                raise self._rejected(exc, endpoint, query) from None
        return list_items(data, url)

    def _fall_back(self, query: Query, failure: NotFound) -> None:
        """Find the other generation's list (same base URL, then its default host); switch to it."""
        current = self._endpoint
        other = API_HEADLINES if current.api == API_NEWS_FLOW else API_NEWS_FLOW
        bases = [current.base]
        if not self.config.api_url:
            bases.append(API_HOSTS[other].rstrip("/"))
        tried = [failure.url]
        for base in dict.fromkeys(bases):
            candidate = Endpoint(other, base)
            probe = self._queries(other, query.lang, query.symbol)[0]
            url, params = self._list_request(candidate, probe, None)
            try:
                data = self._get(url, params)
            except NotFound as exc:
                tried.append(exc.url)
                continue
            except ApiError as exc:
                raise self._rejected(exc, candidate, probe) from None
            log.warning("%s: %s answered %s; using the %s API at %s for the rest of this run",
                        self.config.label, current.list_url, failure.status, other, base)
            self._endpoint = candidate
            self._switched = True
            self._pending = ((url, tuple(params)), data)
            return
        raise FetchError(f"{self.config.label}: no news list found in either API generation; tried: "
                         + ", ".join(tried))

    def _rejected(self, exc: ApiError, endpoint: Endpoint, query: Query) -> FetchError | ConfigError:
        """400/422 on a list request: the configuration is at fault (ConfigError naming the filter)."""
        if exc.status not in (400, 422):
            return exc
        if endpoint.api == API_NEWS_FLOW:
            filters = [f"{key}:{','.join(values)}" for key, values in self._filters(query)]
        else:
            filters = [f"{key}:{value}" for key, value in (("lang", query.lang), ("symbol", query.symbol),
                       ("category", query.category), ("provider", query.provider)) if value]
        blamed = blame(filters, exc.message, int(exc.status or 0))
        said = f": {exc.message}" if exc.message else ""
        return ConfigError(f"{self.config.label}: the news service rejected the filter {' '.join(blamed)} "
                           f"(HTTP {int(exc.status or 0)}{said}); check the source's languages, symbols "
                           f"(EXCHANGE:TICKER), markets, countries and providers. Request: {exc.url}")

    # -- stories ------------------------------------------------------------------------------

    def _page(self, endpoint: Endpoint, items: list[Any], lang: str, known: KnownLookup,
              tick: Callable[[], None], seen: set[tuple[str, str, str]],
              pool: ThreadPoolExecutor) -> Generator[Result, None, None]:
        """Yield the page's new and changed items in page order."""
        entries: list[tuple[Any, str | None, str | None]] = []
        for item in items:
            sid = item_id(item) if isinstance(item, Mapping) else None
            entries.append((item, sid, item_hash(item) if isinstance(item, Mapping) else ""))
        keys = list(dict.fromkeys((sid, lang) for _item, sid, _h in entries if sid))
        archived = known(keys) if keys else {}
        work: list[Future[Result] | Result] = []
        for item, sid, digest in entries:
            if sid is None or not digest:
                shown = str(item)[:80]
                work.append(Failed(f"no-id:{(digest or item_hash({'item': shown}))[:16]}", lang,
                                   f"list item without a story id: {shown}",
                                   item if isinstance(item, Mapping) else None, digest or "", retry=False))
                continue
            if archived.get((sid, lang)) == digest or (sid, lang, digest) in seen:
                tick()
                continue
            seen.add((sid, lang, digest))
            if is_gated(item) and not self.config.fetch_gated:
                work.append(self._result(endpoint, item, sid, lang, None))
            else:
                work.append(pool.submit(self._fetch_story, endpoint, item, sid, lang))
        for result in self._in_order(work):
            tick()
            yield result

    def _in_order(self, jobs: Sequence[Future[Result] | Result]) -> Iterator[Result]:
        """Results in order; when the service asked to wait, the ones done so far, then SourceDeferred."""
        results = [job.result() if isinstance(job, Future) else job for job in jobs]
        deferral = next((r for r in results if isinstance(r, Failed) and r.deferred_until is not None), None)
        for result in results:
            if not (isinstance(result, Failed) and result.deferred_until is not None):
                yield result
        if deferral is not None and deferral.deferred_until is not None:
            raise SourceDeferred(f"{self.config.label}: {deferral.message}", deferral.deferred_until)

    def _fetch_story(self, endpoint: Endpoint, item: Mapping[str, Any], sid: str, lang: str) -> Result:
        """Request one story (worker thread); every failure becomes :class:`Failed`."""
        tried: list[str] = []
        for url, params in self._story_requests(endpoint, sid, lang):
            try:
                data = self._get(url, params)
            except NotFound as exc:
                tried.append(exc.url)
                continue
            except Deferred as exc:
                return Failed(sid, lang, str(exc), item, item_hash(item), deferred_until=exc.until)
            except FetchError as exc:
                return Failed(sid, lang, str(exc), item, item_hash(item))
            except Exception as exc:  # noqa: BLE001 - whatever one story does, it stays with that story
                log.debug("story %r (%s): unexpected error", sid, lang, exc_info=True)
                return Failed(sid, lang, f"unexpected error: {type(exc).__name__}: {exc}"[:500], item,
                              item_hash(item))
            return self._result(endpoint, item, sid, lang, data)
        return Failed(sid, lang, "story not found (404) at " + ", ".join(tried), item, item_hash(item))

    def _story_requests(self, endpoint: Endpoint, sid: str, lang: str) -> list[tuple[str, list[tuple[str, str]]]]:
        own: list[tuple[str, str]] = [("id", sid), ("lang", lang)]
        if endpoint.api == API_NEWS_FLOW:
            own.append(("user_prostatus", "non_pro"))
        requests = [(endpoint.story_url, own)]
        story_base = self.config.story_url.rstrip("/")
        if story_base:
            for path in EXTRA_STORY_PATHS:
                url = story_base + path
                if all(url != known for known, _ in requests):
                    requests.append((url, [("id", sid), ("lang", lang)]))
        return requests

    def _result(self, endpoint: Endpoint, item: Mapping[str, Any], sid: str, lang: str, story: Any) -> Result:
        raw: dict[str, Any] = {"api": endpoint.api, "lang": lang, "item": item, "story": story}
        try:
            parsed = parse_raw(raw, self.config.site_url)
        except StoryError as exc:
            return Failed(sid, lang, str(exc), item, item_hash(item))
        except (RecursionError, ValueError, TypeError, UnicodeError) as exc:
            return Failed(sid, lang, f"cannot read the story: {type(exc).__name__}: {exc}"[:500], item,
                          item_hash(item))
        return Fetched(parsed, raw, item_hash(item))

    def _get(self, url: str, params: Params) -> Any:
        with self._lock:
            self.requests_made += 1
        return get_json(self.client, url, params, retries=self.config.retries,
                        max_bytes=self.config.max_response_bytes, headers=HEADERS)
