"""`newsdesk init`: a commented newsdesk.toml and a Hugo site with the bundled theme.

The site's own ``hugo.toml`` belongs to the user (theme, params, menus). newsdesk keeps the keys
it derives from ``newsdesk.toml`` (baseURL, title, timeZone, languages) in
``config/_default/hugo.toml``, which Hugo merges in (its keys win over hugo.toml's), and rewrites
that file only when it changes. It also owns ``themes/newsdesk`` (the bundled theme, kept equal to
the package's copy) and ``data/newsdesk/`` (facts from the archive the theme reads, such as which
tags are tickers).
"""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from importlib import resources
from pathlib import Path

from newsdesk.config import DEFAULT_CONFIG_NAME, PLACEHOLDER_BASE_URL, Config, load_config
from newsdesk.errors import PublishError
from newsdesk.files import TEMP_NAME, atomic_write

log = logging.getLogger("newsdesk.site")

THEME_NAME = "newsdesk"
MANAGED_CONFIG = Path("config") / "_default" / "hugo.toml"
TICKER_DATA = Path("data") / "newsdesk" / "tickers.json"
#: The story images newsdesk downloaded (``<key>.<ext>``) and their index for the templates:
#: one map lookup per image instead of a file lookup per possible extension.
IMAGE_FOLDER = Path("assets") / "newsdesk" / "images"
IMAGE_INDEX = Path("data") / "newsdesk" / "images.json"
_IMAGE_FILE = re.compile(r"([0-9a-f]{32})\.(jpg|png|webp|gif)")

LANGUAGE_NAMES = {
    "en": "English", "de": "Deutsch", "es": "Español", "fr": "Français", "it": "Italiano",
    "pt": "Português", "ru": "Русский", "tr": "Türkçe", "pl": "Polski", "ar": "العربية", "he": "עברית",
    "ja": "日本語", "ko": "한국어", "vi": "Tiếng Việt", "th": "ไทย", "ms": "Bahasa Melayu",
    "id": "Bahasa Indonesia", "zh-Hans": "简体中文", "zh-Hant": "繁體中文", "en_IN": "English (India)",
}
RTL = {"ar", "he"}

SITE_HUGO_TOML = """\
# Hugo configuration of this site: yours to edit.
# newsdesk writes baseURL, title, timeZone and the languages into config/_default/hugo.toml
# from newsdesk.toml; change them there (in newsdesk.toml), not here.
#
# Every setting below also works with the Mainroad theme: install it into themes/mainroad and set
# theme = "mainroad" (see docs/site.md). Settings only the bundled theme reads are marked "newsdesk".
theme = "newsdesk"

[pagination]
pagerSize = 10

[taxonomies]
category = "categories"
tag = "tags"

[services.rss]
limit = 50                 # stories in each RSS feed (and in the bundled theme's JSON feed)

[params]
# Site-wide theme settings, named as in the Mainroad theme.
description = "Market news"
dateformat = "2006-01-02 15:04 MST"   # Go layout; dates show in newsdesk.toml's site.timezone
readmore = false
pager = true                         # previous/next story under each story
mainSections = ["post"]
post_meta = ["date", "categories"]

[params.sidebar]
home = "right"             # "left", "right" or false, for the home page, lists and stories
list = "right"
single = "right"
# Widgets in order. Only widgets Mainroad also has: Mainroad's "languages" widget fails on
# current Hugo, and it has no "symbols" widget.
widgets = ["search", "recent", "categories", "taglist"]

[params.widgets]
recent_num = 10
categories_counter = true
tags_counter = false

[params.thumbnail]
visibility = ["list"]      # where a story's thumbnail shows: "list", "post" (its image is in the body)
fallback = "images/newsdesk-thumbnail.svg"   # newsdesk: for stories without an image ("" = none)

[params.newsdesk]
# newsdesk: the bundled theme's sidebar widgets (used instead of sidebar.widgets): it adds the
# most covered tickers ("symbols") and a language list ("languages").
widgets = ["search", "symbols", "recent", "categories", "taglist", "languages"]
"""


#: The folders of a site newsdesk writes files into (``layouts`` is searched recursively).
WRITTEN_FOLDERS = (Path("content") / "post", MANAGED_CONFIG.parent, TICKER_DATA.parent,
                   Path("assets") / "newsdesk" / "images", Path("."))


def remove_stale_temp_files(site: Path) -> list[Path]:
    """Delete the temp files a killed newsdesk left (between its write and its rename) in the
    folders it writes; return them. Called where publish and build start, under the run lock,
    so no other newsdesk is writing them; costs one directory listing per folder."""
    found = [path for folder in WRITTEN_FOLDERS for path in _listing(site / folder)]
    found += [path for path in (site / "layouts").rglob(".*.tmp") if TEMP_NAME.match(path.name)]
    removed: list[Path] = []
    for path in found:
        try:
            path.unlink()
            removed.append(path)
        except FileNotFoundError:
            pass
    if removed:
        log.info("removed %d temp file(s) left by an interrupted run, e.g. %s", len(removed), removed[0])
    return removed


def _listing(folder: Path) -> list[Path]:
    try:
        with os.scandir(folder) as entries:
            return [Path(e.path) for e in entries if e.name[:1] == "." and TEMP_NAME.match(e.name)]
    except (FileNotFoundError, NotADirectoryError):
        return []


def config_text(*, api: str = "news-flow", api_url: str = "", languages: tuple[str, ...] = ("en",),
                timezone: str = "UTC", base_url: str = PLACEHOLDER_BASE_URL,
                image_mirror: str = "") -> str:
    """The commented newsdesk.toml that `init` writes. ``image_mirror``: a server answering
    ``/news/image/<id>-resized.jpeg`` in place of TradingView's image host (the replay server)."""
    from newsdesk.sources.tradingview import IMAGE_PREFIX  # the config written is a TradingView source's

    mirrors = ""
    if image_mirror:
        mirrors = f"{_toml_str(IMAGE_PREFIX)} = {_toml_str(image_mirror.rstrip('/') + '/news/image/')}\n"
    template = resources.files("newsdesk").joinpath("data/newsdesk.toml.in").read_text(encoding="utf-8")
    return template.format(api=api, api_url=api_url, languages=json.dumps(list(languages)),
                           timezone=timezone, base_url=base_url, mirrors=mirrors)


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def managed_config_text(config: Config) -> str:
    """The Hugo keys newsdesk derives from newsdesk.toml."""
    langs = config.languages
    lines = [
        "# Written by newsdesk from newsdesk.toml on every publish and build: edit newsdesk.toml instead.",
        f"baseURL = {_toml_str(config.site.base_url)}",
        f"title = {_toml_str(config.site.title)}",
        f"timeZone = {_toml_str(config.site.timezone)}",
        f"defaultContentLanguage = {_toml_str(langs[0])}",
        "buildFuture = true",
        "",
        "enableRobotsTXT = true",
        "",
        "# Text shows as the story wrote it: no curly quotes or dashes substituted.",
        "[markup.goldmark.extensions.typographer]",
        "disable = true",
        "",
        "# A story image on a line of its own becomes a <figure> (the image render hook), not a <p>.",
        "[markup.goldmark.parser]",
        "wrapStandAloneImageWithinParagraph = false",
        "",
        *_image_lines(config),
        "# The news sitemap (news-sitemap.xml: stories of the last two days) beside the home page.",
        "[outputFormats.newssitemap]",
        'mediaType = "application/xml"',
        'baseName = "news-sitemap"',
        "isPlainText = false",
        "noUgly = true",
        'rel = "sitemap"',
        "",
        "[outputs]",
        'home = ["html", "rss", "newssitemap"]',
        "",
    ]
    for weight, lang in enumerate(langs, start=1):
        lines += [f"[languages.{_toml_str(lang)}]", f"weight = {weight}",
                  f"label = {_toml_str(LANGUAGE_NAMES.get(lang, lang))}"]
        if lang in RTL:
            lines.append('direction = "rtl"')
        lines.append("")
    return "\n".join(lines)


def _image_lines(config: Config) -> list[str]:
    """Story images: Hugo may fetch nothing remote (newsdesk downloads the images during publish,
    into ``assets/newsdesk/images/``, see newsdesk.images), and the settings the image render hook
    reads."""
    images = config.images
    return [
        "# Hugo fetches nothing from the network: newsdesk downloads story images during publish",
        "# (into assets/newsdesk/images/); the templates only read those files.",
        "[security.http]",
        "urls = ['none']",
        "",
        "[params.newsdesk_images]",
        f"process = {'true' if images.process else 'false'}",
        f"widths = [{', '.join(str(w) for w in images.widths)}]",
        f"quality = {images.quality}",
        f"format = {_toml_str(images.format)}",
        "",
    ]


def _toml_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(_toml_str(v) for v in values) + "]"


def _write_if_changed(path: Path, text: str) -> bool:
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except FileNotFoundError:
        pass
    atomic_write(path, text)
    return True


def _shipped(folder: str) -> Iterator[tuple[Path, bytes]]:
    """(path relative to ``folder``, bytes) of every file under the package's ``folder``."""
    stack: list[tuple[resources.abc.Traversable, Path]] = [(resources.files("newsdesk").joinpath(folder), Path())]
    while stack:
        node, rel = stack.pop()
        for child in node.iterdir():
            if child.name == "__pycache__":
                continue
            if child.is_dir():
                stack.append((child, rel / child.name))
            else:
                yield rel / child.name, child.read_bytes()


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def sync_theme(site: Path) -> None:
    """Make ``site/themes/newsdesk`` equal to the bundled theme: copy files that differ, remove
    files the bundle no longer has (the folder belongs to newsdesk)."""
    target = site / "themes" / THEME_NAME
    shipped: set[Path] = set()
    for rel, data in _shipped(f"data/theme/{THEME_NAME}"):
        shipped.add(rel)
        dest = target / rel
        if _read(dest) != data:
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
    for path in sorted(target.rglob("*"), reverse=True):  # files before their folders
        rel = path.relative_to(target)
        if path.is_file() and rel not in shipped:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


#: Every template newsdesk keeps in the site's own ``layouts/`` holds this word; a file there
#: without it is the user's and is never overwritten.
LAYOUT_MARKER = "newsdesk-managed"


def sync_layouts(site: Path) -> list[Path]:
    """Keep newsdesk's theme-independent templates in ``site/layouts`` (the image render hook,
    the image partials, the news sitemap, robots.txt) equal to the package's copies. They live
    in the site's own layouts so they work under any theme (Mainroad too). A file the user put
    at one of those paths (no marker) is left alone and returned, so the caller can warn."""
    target = site / "layouts"
    shipped: set[Path] = set()
    foreign: list[Path] = []
    for rel, data in _shipped("data/layouts"):
        shipped.add(rel)
        dest = target / rel
        current = _read(dest)
        if current == data:
            continue
        if current is not None and LAYOUT_MARKER.encode() not in current:
            foreign.append(dest)
        else:
            atomic_write(dest, data.decode("utf-8"))
    if target.is_dir():
        for path in target.rglob("*"):
            if path.is_file() and path.relative_to(target) not in shipped:
                with path.open("rb") as handle:
                    head = handle.read(400)
                if LAYOUT_MARKER.encode() in head:
                    path.unlink()  # a managed template the package no longer ships
    return foreign


def ticker_symbols(db: sqlite3.Connection) -> dict[str, list[str]]:
    """Every ticker in the archive with its symbols (``{"AMZN": ["NASDAQ:AMZN"]}``)."""
    result: dict[str, list[str]] = {}
    for ticker, symbol in db.execute("SELECT DISTINCT ticker, symbol FROM story_symbols ORDER BY ticker, symbol"):
        result.setdefault(str(ticker), []).append(str(symbol))
    return result


def ticker_data_text(tickers: Mapping[str, Iterable[str]]) -> str:
    """``data/newsdesk/tickers.json``: lower-cased ticker -> its symbols. Ticker tags are told
    from other tags by this file (the theme looks a tag up by its lower-cased name)."""
    data: dict[str, list[str]] = {}
    for ticker, symbols in tickers.items():
        data.setdefault(ticker.lower(), [])
        data[ticker.lower()] = sorted(set(data[ticker.lower()]) | set(symbols))
    return json.dumps(dict(sorted(data.items())), ensure_ascii=False, indent=1) + "\n"


def write_ticker_data(site: Path, tickers: Mapping[str, Iterable[str]]) -> bool:
    """Write the site's ticker data file when it changed; True when written."""
    return _write_if_changed(site / TICKER_DATA, ticker_data_text(tickers))


def write_image_index(site: Path) -> bool:
    """Write ``data/newsdesk/images.json`` ({key: extension} of every downloaded story image) when
    it changed; True when written."""
    found: dict[str, str] = {}
    try:
        with os.scandir(site / IMAGE_FOLDER) as entries:
            for entry in entries:
                if (match := _IMAGE_FILE.fullmatch(entry.name)) is not None:
                    found[match.group(1)] = match.group(2)
    except FileNotFoundError:
        pass
    return _write_if_changed(site / IMAGE_INDEX, json.dumps(found, sort_keys=True, separators=(",", ":")) + "\n")


def sync_config(config: Config) -> None:
    """The managed Hugo config (languages, time zone, base URL) from newsdesk.toml: what
    `publish` needs so that a plain `hugo` run sees every post's language."""
    site = config.site_path
    if not (site / "hugo.toml").exists():
        raise PublishError(f"{site}: no Hugo site here; create it with `newsdesk init`")
    remove_stale_temp_files(site)
    _write_if_changed(site / MANAGED_CONFIG, managed_config_text(config))
    if not (site / TICKER_DATA).exists():
        write_ticker_data(site, {})


def sync_site(config: Config, db: sqlite3.Connection | None = None) -> None:
    """Bring the site's newsdesk-owned parts up to date: managed Hugo config, bundled theme and,
    given the archive's connection, the ticker data file."""
    sync_config(config)
    sync_theme(config.site_path)
    for path in sync_layouts(config.site_path):
        log.warning("%s is not newsdesk's (no %s marker): left as it is, so newsdesk's own template "
                    "at that path is not used; delete it to get newsdesk's back", path, LAYOUT_MARKER)
    write_image_index(config.site_path)
    if db is not None:
        write_ticker_data(config.site_path, ticker_symbols(db))


def init_site(directory: Path, *, text: str | None = None) -> list[Path]:
    """Create newsdesk.toml and the Hugo site in ``directory``; keep files that already exist."""
    directory.mkdir(parents=True, exist_ok=True)
    created: list[Path] = []
    cfg_file = directory / DEFAULT_CONFIG_NAME
    if text is not None or not cfg_file.exists():
        atomic_write(cfg_file, text if text is not None else config_text())
        created.append(cfg_file)
    config = load_config(cfg_file, required=True)
    site = config.site_path
    if not (site / "hugo.toml").exists():
        atomic_write(site / "hugo.toml", SITE_HUGO_TOML)
        created.append(site / "hugo.toml")
    config.content_dir.mkdir(parents=True, exist_ok=True)
    sync_site(config)
    return created
