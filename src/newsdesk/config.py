"""newsdesk.toml -> frozen, validated settings.

Defaults live here and only here. Unknown keys and values of the wrong type or outside their
allowed set raise :class:`~newsdesk.errors.ConfigError` naming the key (``post.sidebar``,
``sources[1].api``). Relative paths are resolved against the config file's folder.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newsdesk.errors import ConfigError

DEFAULT_CONFIG_NAME = "newsdesk.toml"
PLACEHOLDER_BASE_URL = "https://example.org/"

@dataclass(frozen=True)
class SiteConfig:
    path: Path = Path("site")
    timezone: str = "UTC"
    summary_words: int = 50
    title: str = "Market News"
    base_url: str = PLACEHOLDER_BASE_URL


@dataclass(frozen=True)
class StoreConfig:
    path: Path = Path("newsdesk.db")


@dataclass(frozen=True)
class PostSettings:
    """The Mainroad switches written into every post, plus how tags and thumbnails are made."""

    menu: str | bool = ""  # false: no `menu` key (Hugo files every post with a `menu` into that menu)
    lead: str = ""
    comments: bool = False
    authorbox: bool = False
    pager: bool = True
    toc: bool = False
    mathjax: bool = False
    sidebar: str | bool = "right"
    widgets: tuple[str, ...] = ("search", "recent", "taglist")
    thumbnail: str = "first-image"  # "first-image", "" (none) or a fixed image URL/path
    ticker_tags: bool = True


@dataclass(frozen=True)
class SourceConfig:
    """The keys every ``[[sources]]`` table has; each source type's module subclasses it with its own
    keys (``newsdesk.sources.TYPES``) and validates them in :meth:`check`."""

    type: str = ""
    name: str = ""
    languages: tuple[str, ...] = ("en",)
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    concurrency: int = 4
    max_pages: int = 20  # pages (or feed documents) read per list request sequence in one run
    timeout: float = 20.0
    retries: int = 4
    max_response_bytes: int = 8_000_000

    def check(self, key: str) -> None:
        """Raise ConfigError naming ``key.<field>`` when a value is not usable (subclasses add theirs)."""
        if not self.languages:
            raise ConfigError(f"{key}.languages: list at least one language, e.g. [\"en\"]")

    @property
    def where(self) -> str:
        """What the source reads (a URL), for its default label."""
        return ""

    @property
    def label(self) -> str:
        return self.name or f"{self.type}:{self.where}"

    @property
    def image_prefixes(self) -> tuple[str, ...]:
        """URL prefixes this source's story images live under (what newsdesk may download)."""
        return ()


def check_http_url(key: str, url: str) -> None:
    """ConfigError naming ``key`` unless ``url`` is an absolute http(s) URL."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        ok = False
    if not ok:
        raise ConfigError(f"{key}: {url!r} is not an http(s) URL")


def default_sources() -> tuple[SourceConfig, ...]:
    """One source of the default type with its defaults."""
    from newsdesk.sources import DEFAULT_TYPE, config_class

    return (config_class(DEFAULT_TYPE)(),)


@dataclass(frozen=True)
class FetchConfig:
    """What happens to stories whose request failed and to sources that asked to wait."""

    retry_base: float = 300.0  # seconds before the first retry of a failed story; doubles per attempt
    retry_max: float = 21600.0  # the longest wait between two retries of one story
    retry_limit: int = 10  # attempts after which a story is given up (listed by `stories --failed`)
    max_defer: float = 86400.0  # the longest a source is deferred, whatever its Retry-After says


@dataclass(frozen=True)
class DeployConfig:
    """Where `newsdesk deploy` (and `run` after each build) puts the built site."""

    target: str = ""  # file:///path, rsync:/path, ssh://user@host/path, s3://bucket?endpoint=..&region=..; "" = none
    max_deletes: int = 256  # a deploy that would delete more files than this fails before changing anything
    timeout: float = 1800.0  # seconds one deploy may take (rsync, hugo deploy)


@dataclass(frozen=True)
class AlertRule:
    """One ``[[alerts]]`` rule: which stories, and where the messages go."""

    name: str = ""
    tickers: tuple[str, ...] = ()  # "NVDA" or "NASDAQ:NVDA"
    keywords: tuple[str, ...] = ()  # whole words, any case, in title and body
    languages: tuple[str, ...] = ()  # () = every language
    sources: tuple[str, ...] = ()  # source names (labels); () = every source
    facts: tuple[str, ...] = ()  # "eps:miss", "guidance_revenue:below", "dividend": a story needs such a fact
    notify: tuple[str, ...] = ()  # Apprise URLs
    digest_after: int = 5  # more matching stories than this in one run: one digest message


@dataclass(frozen=True)
class StatusConfig:
    """What `newsdesk status` calls unhealthy (exit status 1)."""

    max_age: int = 7200  # seconds a source may go without a successful fetch


@dataclass(frozen=True)
class ImagesConfig:
    """How the site serves story images: downloaded by newsdesk during publish (newsdesk.images)
    into a cache inside the site, resized by Hugo, served locally."""

    process: bool = True  # false: nothing downloaded; the site links the source's image files (hot-linking)
    hosts: tuple[str, ...] = ()  # hosts or URL prefixes newsdesk may download from; () = the sources' image hosts
    max_bytes: int = 10_000_000  # larger images are not used (the page links them instead); reading stops there
    timeout: float = 5.0  # seconds without progress (connect or read) before a download fails
    concurrency: int = 4  # downloads at a time
    widths: tuple[int, ...] = (320, 640, 960, 1280)  # srcset widths (never wider than the source)
    quality: int = 75
    format: str = "webp"  # "webp" or "original" (keep each image's own format)
    #: URL prefix -> prefix to download from instead (a mirror, or the replay server in the demo);
    #: the post keeps the original URL and the image cache is keyed by it.
    mirrors: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class FactsConfig:
    """Market facts (newsdesk.facts) in posts: front matter, the key-figures box, ticker pages, JSON feed."""

    enabled: bool = True  # false: posts carry no facts (publish does no extraction)


@dataclass(frozen=True)
class Config:
    site: SiteConfig = field(default_factory=SiteConfig)
    store: StoreConfig = field(default_factory=StoreConfig)
    post: PostSettings = field(default_factory=PostSettings)
    sources: tuple[SourceConfig, ...] = field(default_factory=default_sources)
    images: ImagesConfig = field(default_factory=ImagesConfig)
    fetch: FetchConfig = field(default_factory=FetchConfig)
    status: StatusConfig = field(default_factory=StatusConfig)
    deploy: DeployConfig = field(default_factory=DeployConfig)
    alerts: tuple[AlertRule, ...] = ()
    facts: FactsConfig = field(default_factory=FactsConfig)
    root: Path = Path(".")  # folder of the config file; relative paths resolve against it
    file: Path | None = None
    archived_languages: tuple[str, ...] = ()  # languages found in the archive (feeds may detect them)

    @property
    def site_path(self) -> Path:
        return (self.root / self.site.path).resolve()

    @property
    def store_path(self) -> Path:
        return (self.root / self.store.path).resolve()

    @property
    def content_dir(self) -> Path:
        return self.site_path / "content" / "post"

    @property
    def languages(self) -> tuple[str, ...]:
        """The site's languages: every language a source is configured with, first-configured first,
        then those only the archive holds (a feed's detected languages)."""
        langs: dict[str, None] = {}
        for source in self.sources:
            for lang in source.languages:
                langs.setdefault(lang, None)
        for lang in self.archived_languages:
            langs.setdefault(lang, None)
        return tuple(langs) or ("en",)

    def with_archive(self, languages: tuple[str, ...]) -> Config:
        """This config knowing the archive's languages."""
        return dataclasses.replace(self, archived_languages=tuple(languages))

    @property
    def image_prefixes(self) -> tuple[str, ...]:
        """URL prefixes newsdesk may download images from: ``images.hosts`` (a bare host allows both
        schemes), else the sources' image hosts; plus every mirror's target."""
        prefixes: dict[str, None] = {}
        for host in self.images.hosts or tuple(p for source in self.sources for p in source.image_prefixes):
            if "://" in host:
                prefixes.setdefault(host if host.endswith("/") else host + "/", None)
            else:
                prefixes.setdefault(f"https://{host}/", None)
                prefixes.setdefault(f"http://{host}/", None)
        for _, target in self.images.mirrors:
            prefixes.setdefault(target, None)
        return tuple(prefixes)


_CHOICES: dict[str, tuple[Any, ...]] = {
    "post.sidebar": ("left", "right", False),
    "images.format": ("webp", "original"),
}
_POSITIVE = {"deploy.timeout", "status.max_age", "fetch.retry_limit", "fetch.max_defer", "site.summary_words", "sources.concurrency", "sources.max_pages", "sources.timeout",
             "sources.max_response_bytes", "images.max_bytes", "images.quality",
             "images.timeout", "images.concurrency"}


def _coerce(key: str, hint: Any, value: Any) -> Any:
    """Check one TOML value against the field's type hint; return it in the field's type."""
    origin = get_origin(hint)
    if hint is Path:
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{key}: expected a non-empty path string, got {value!r}")
        return Path(value)
    if origin is tuple and get_args(hint)[0] is int:
        if (not isinstance(value, list) or not value
                or not all(isinstance(v, int) and not isinstance(v, bool) and 16 <= v <= 8192 for v in value)):
            raise ConfigError(f"{key}: expected a non-empty list of widths in pixels (16 to 8192), got {value!r}")
        return tuple(sorted(set(value)))
    if origin is tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{key}: expected a list of strings, got {value!r}")
        return tuple(value)
    if hint == (str | bool):
        if isinstance(value, (str, bool)):
            return value
        raise ConfigError(f"{key}: expected a string or false, got {value!r}")
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{key}: expected true or false, got {value!r}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{key}: expected a whole number, got {value!r}")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{key}: expected a number, got {value!r}")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError(f"{key}: expected a string, got {value!r}")
        return value
    raise AssertionError(f"unhandled type {hint!r} for {key}")  # pragma: no cover


def _build(cls: type, table: Any, key: str, rule_prefix: str) -> Any:
    if not isinstance(table, dict):
        raise ConfigError(f"{key}: expected a table, got {table!r}")
    hints = get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    values: dict[str, Any] = {}
    for name, raw in table.items():
        full = f"{key}.{name}"
        if name not in names:
            known = ", ".join(sorted(names))
            raise ConfigError(f"{full}: unknown key (known keys of [{key}]: {known})")
        value = _coerce(full, hints[name], raw)
        rule = f"{rule_prefix}.{name}"
        if rule in _CHOICES and value not in _CHOICES[rule]:
            allowed = ", ".join(repr(c).lower() if isinstance(c, bool) else f'"{c}"' for c in _CHOICES[rule])
            raise ConfigError(f"{full}: {value!r} is not one of {allowed}")
        if rule in _POSITIVE and value <= 0:
            raise ConfigError(f"{full}: must be greater than 0, got {value!r}")
        values[name] = value
    return cls(**values)


def parse_config(data: dict[str, Any], root: Path = Path("."), file: Path | None = None) -> Config:
    """Validate a parsed TOML document into a :class:`Config`."""
    allowed = {"site", "store", "post", "sources", "images", "fetch", "status", "deploy", "alerts", "facts"}
    for name in data:
        if name not in allowed:
            raise ConfigError(f"{name}: unknown section (known: {', '.join(sorted(allowed))})")
    site = _build(SiteConfig, data.get("site", {}), "site", "site")
    try:
        ZoneInfo(site.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"site.timezone: unknown time zone {site.timezone!r} (use an IANA name such as "
                          f"\"UTC\" or \"Europe/Berlin\")") from None
    store = _build(StoreConfig, data.get("store", {}), "store", "store")
    post = _build(PostSettings, data.get("post", {}), "post", "post")
    if post.menu is True:
        raise ConfigError('post.menu: expected a menu name ("" like the seed) or false (no menu key)')
    raw_sources = data.get("sources", [{}])
    if not isinstance(raw_sources, list):
        raise ConfigError("sources: expected [[sources]] tables")
    sources = tuple(_source(table, f"sources[{i}]") for i, table in enumerate(raw_sources))
    images = _images(data.get("images", {}))
    fetch = _build(FetchConfig, data.get("fetch", {}), "fetch", "fetch")
    if fetch.retry_base < 0 or fetch.retry_max < fetch.retry_base:
        raise ConfigError(f"fetch.retry_base / fetch.retry_max: need 0 <= retry_base <= retry_max, got "
                          f"{fetch.retry_base:g} and {fetch.retry_max:g}")
    status = _build(StatusConfig, data.get("status", {}), "status", "status")
    deploy = _deploy(data.get("deploy", {}))
    alerts = _alerts(data.get("alerts", []))
    facts = _build(FactsConfig, data.get("facts", {}), "facts", "facts")
    return Config(site=site, store=store, post=post, sources=sources, images=images, fetch=fetch, root=root,
                  file=file, status=status, deploy=deploy, alerts=alerts, facts=facts)


#: The deploy targets newsdesk knows, by how the target string starts.
DEPLOY_SCHEMES = ("file://", "rsync:", "ssh://", "s3://")


def _deploy(table: Any) -> DeployConfig:
    deploy: DeployConfig = _build(DeployConfig, table, "deploy", "deploy")
    if deploy.target and not deploy.target.startswith(DEPLOY_SCHEMES):
        raise ConfigError(f"deploy.target: {deploy.target!r} is not a deploy target; use file:///path/to/webroot, "
                          f"rsync:/path, ssh://user@host/path or s3://bucket?region=...")
    if deploy.max_deletes < 0:
        raise ConfigError(f"deploy.max_deletes: must be 0 or more, got {deploy.max_deletes}")
    return deploy


def _alerts(tables: Any) -> tuple[AlertRule, ...]:
    if not isinstance(tables, list):
        raise ConfigError("alerts: expected [[alerts]] tables")
    rules: list[AlertRule] = []
    for i, table in enumerate(tables):
        key = f"alerts[{i}]"
        rule: AlertRule = _build(AlertRule, table, key, "alerts")
        if not rule.name.strip():
            raise ConfigError(f'{key}.name: every alert rule needs a name, e.g. name = "my tickers"')
        if any(other.name == rule.name for other in rules):
            raise ConfigError(f"{key}.name: {rule.name!r} names two rules; give each its own name")
        if not rule.tickers and not rule.keywords and not rule.facts:
            raise ConfigError(f"{key}: list tickers (e.g. [\"NVDA\"]), keywords or facts the rule matches")
        if rule.facts:
            from newsdesk.facts.filters import parse_filter

            for entry in rule.facts:
                try:
                    parse_filter(entry)
                except ValueError as exc:
                    raise ConfigError(f"{key}.facts: {exc}") from None
        if not rule.notify:
            raise ConfigError(f'{key}.notify: list where messages go, e.g. ["ntfy://ntfy.sh/my-topic"]')
        for url in rule.notify:
            if "://" not in url:
                raise ConfigError(f"{key}.notify: {url!r} is not a notification URL (scheme://...; see Apprise)")
        if rule.digest_after < 0:
            raise ConfigError(f"{key}.digest_after: must be 0 or more, got {rule.digest_after}")
        rules.append(rule)
    return tuple(rules)


def _source(table: Any, key: str) -> SourceConfig:
    """One [[sources]] table, validated by its type's config class."""
    from newsdesk.sources import DEFAULT_TYPE, config_class

    if not isinstance(table, dict):
        raise ConfigError(f"{key}: expected a table, got {table!r}")
    type_name = table.get("type", DEFAULT_TYPE)
    if not isinstance(type_name, str):
        raise ConfigError(f"{key}.type: expected a string, got {type_name!r}")
    cls = config_class(type_name, f"{key}.type")
    source: SourceConfig = _build(cls, {**table, "type": type_name}, key, "sources")
    source.check(key)
    return source


def _url_prefix(key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.startswith(("http://", "https://")) or value.count("/") < 3:
        raise ConfigError(f"{key}: {value!r} is not an http(s) URL prefix such as \"https://images.example.com/\"")
    return value if value.endswith("/") else value + "/"


def _images(table: Any) -> ImagesConfig:
    if not isinstance(table, dict):
        raise ConfigError(f"images: expected a table, got {table!r}")
    table = dict(table)
    mirrors = table.pop("mirrors", {})
    if not isinstance(mirrors, dict):
        raise ConfigError("images.mirrors: expected a table of URL prefix = mirror prefix")
    pairs = tuple((_url_prefix(f"images.mirrors key {k!r}", k), _url_prefix(f"images.mirrors.{k}", v))
                  for k, v in mirrors.items())
    images = _build(ImagesConfig, table, "images", "images")
    if images.quality > 100:
        raise ConfigError(f"images.quality: must be 1 to 100, got {images.quality}")
    for host in images.hosts:
        if "://" in host:
            _url_prefix("images.hosts", host)
        elif not host or "/" in host or " " in host:
            raise ConfigError(f"images.hosts: {host!r} is neither a host name (\"images.example.com\") "
                              f"nor a URL prefix (\"https://images.example.com/news/\")")
    return dataclasses.replace(images, mirrors=pairs)


def load_config(path: Path | None, *, required: bool = False) -> Config:
    """Read ``path`` (default ``./newsdesk.toml``). Without a file, defaults apply unless ``required``."""
    file = Path(path) if path is not None else Path(DEFAULT_CONFIG_NAME)
    if not file.exists():
        if required or path is not None:
            raise ConfigError(f"{file}: config file not found (create one with `newsdesk init`)")
        return Config(root=Path.cwd())
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file}: cannot read: {exc}") from None
    return parse_config(data, root=file.resolve().parent, file=file.resolve())
