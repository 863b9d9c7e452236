"""Archive -> posts: render what changed and write it atomically; never touch foreign files.

Work set: stories marked dirty by the store (new, changed, or a sibling language arrived), plus
posts whose file has gone missing; everything when the post settings changed since the last
publish (a fingerprint in the store's meta table) or when asked. A post is written only when its
text differs from the file on disk, through a temp file and rename. A file in the way that
newsdesk did not write (not in the manifest) is reported and left alone.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from newsdesk import __version__
from newsdesk.config import Config
from newsdesk.errors import NewsdeskError
from newsdesk.images import download_pending, register_post_images
from newsdesk.render import post_name, render_post
from newsdesk.site.scaffold import atomic_write, sync_config, ticker_symbols, write_ticker_data
from newsdesk.sources.tradingview import parse_raw
from newsdesk.store import Row, Store

log = logging.getLogger("newsdesk.publish")

#: Bump when the renderer's output changes, so every post is re-rendered once.
RENDER_VERSION = "2"


@dataclass
class PublishReport:
    written: list[Path] = field(default_factory=list)  # new or changed posts
    unchanged: int = 0
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # (id, lang, message)


def fingerprint(config: Config) -> str:
    data = {"post": asdict(config.post), "tz": config.site.timezone, "words": config.site.summary_words,
            "render": RENDER_VERSION, "version": __version__}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="surrogateescape")
    except FileNotFoundError:
        return None


def _folder_stamp(content: Path) -> str:
    """Changes whenever a file is added to, removed from or renamed in the posts folder."""
    return str(content.stat().st_mtime_ns)


def _work_set(store: Store, content: Path, everything: bool) -> list[Row]:
    if everything:
        return store.all_rows()
    rows = store.dirty_rows()
    if store.get_meta("posts_folder_stamp") == _folder_stamp(content):
        return rows  # no file went missing since the last publish: skip the scan of every post
    have = {(r.id, r.lang) for r in rows}
    missing = [(story_id, lang) for rel, (story_id, lang, _) in store.manifest().items()
               if (story_id, lang) not in have and not (content / rel).exists()]
    return rows + store.rows_for(missing)


def publish(config: Config, store: Store, *, everything: bool = False,
            progress: Callable[[int, int], None] | None = None) -> PublishReport:
    """Write or refresh the posts of archived stories; return what was written."""
    sync_config(config)  # the theme is synced by `build`, which needs it
    content = config.content_dir
    content.mkdir(parents=True, exist_ok=True)
    fp = fingerprint(config)
    if store.get_meta("publish_fingerprint") != fp:
        everything = True
    rows = _work_set(store, content, everything)
    report = PublishReport()
    if not rows:
        store.set_meta("publish_fingerprint", fp)
        store.set_meta("posts_folder_stamp", _folder_stamp(content))
        download_pending(config, store)  # story images: failed ones are retried in later runs
        return report
    manifest = store.manifest()
    languages = store.languages(r.id for r in rows)
    names = store.names()
    archived_langs: dict[str, set[str]] | None = None

    def resolve_ref(lang: str) -> Callable[[str], str | None]:
        def resolve(other_id: str) -> str | None:
            nonlocal archived_langs
            if archived_langs is None:
                archived_langs = {k: set(v) for k, v in store.languages(names).items()}
            name = names.get(other_id)
            if name and lang in archived_langs.get(other_id, set()):
                return f"../{name}/"
            return None
        return resolve

    # Name every story of the work set first (so story-refs between them resolve), from its
    # title in the site's first language when it has one.
    preferred = {lang: rank for rank, lang in enumerate(config.languages)}
    name_source: dict[str, Row] = {}
    for row in rows:
        if row.id not in names:
            best = name_source.get(row.id)
            if best is None or preferred.get(row.lang, 99) < preferred.get(best.lang, 99):
                name_source[row.id] = row
    with store.atomic():
        for story_id, row in name_source.items():
            names[story_id] = store.name_for(story_id, post_name(story_id, row.title))

    done: list[tuple[str, str]] = []
    for index, row in enumerate(rows, start=1):
        try:
            story = parse_raw(row.raw, row.site_url)
            rel = f"{names[row.id]}.{row.lang}.md"
            path = content / rel
            text = render_post(story, settings=config.post, translations=languages.get(row.id, [row.lang]),
                               timezone=config.site.timezone, summary_words=config.site.summary_words,
                               resolve_ref=resolve_ref(row.lang))
            register_post_images(store, text)  # its images, downloaded by download_pending below
            digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]
            owned = manifest.get(rel)
            on_disk = _read(path) if owned is None or owned[2] != digest else None
            if owned is not None and owned[2] == digest and path.exists():
                report.unchanged += 1
            elif on_disk == text:  # e.g. written just before a crash, not yet in the manifest
                store.record_post(rel, row.id, row.lang, digest)
                report.unchanged += 1
            elif owned is None and on_disk is not None:
                raise NewsdeskError(f"{path} exists but newsdesk did not write it; move it away to publish "
                                    f"this story")
            else:
                atomic_write(path, text)
                store.record_post(rel, row.id, row.lang, digest)
                report.written.append(path)
            done.append((row.id, row.lang))
        except NewsdeskError as exc:
            log.error("story %r (%s): %s", row.id, row.lang, exc)
            report.failed.append((row.id, row.lang, str(exc)))
        except (KeyError, TypeError, ValueError) as exc:
            log.error("story %r (%s): cannot render: %s", row.id, row.lang, exc)
            report.failed.append((row.id, row.lang, f"cannot render: {exc}"))
        if progress:
            progress(index, len(rows))
        if len(done) >= 500:
            store.mark_clean(done)
            done = []
    store.mark_clean(done)
    if report.written:  # keep the theme's ticker list fresh for a plain `hugo` run too
        write_ticker_data(config.site_path, ticker_symbols(store.db))
    # Failed stories stay dirty and are retried next time; the rest is up to date.
    store.set_meta("publish_fingerprint", fp)
    store.set_meta("posts_folder_stamp", _folder_stamp(content))
    download_pending(config, store)  # story images of the posts above (and retries that are due)
    return report
