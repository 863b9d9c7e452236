"""Archive -> posts: render what changed and write it atomically; never touch foreign files.

Work set: stories marked dirty by the store (new, changed, or a sibling language arrived), plus
posts whose file has gone missing (marked dirty again); everything when the post settings changed
since the last publish (a fingerprint in the store's meta table) or when asked. A post is written
only when its text differs from the file on disk, through a temp file and rename. A file in the way
that newsdesk did not write (not in the manifest) is reported and left alone.

The archive is streamed: the work set is read in batches of :data:`BATCH` rows in (published, id,
lang) order after the last key seen (keyset paging, so writes between batches are safe), never
held whole. A first pass over the work set's keys names every story, so story-refs between stories
of the work set resolve whatever batch they land in. Each batch is rendered, its new paths are
recorded as pending in the manifest (one transaction), its files written, then its manifest
entries, clean marks and errors committed together (one transaction).

Failures: a story that cannot be rendered or written keeps its reason in ``stories.publish_error``
and stays dirty, so the next publish retries it. A content folder that cannot be written at all
(disk full, no permission, a file in its place) stops the publish with one error naming the folder
and the cause: the posts written so far are recorded, nothing half-written is left, and the next
run completes the work.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import os
import sqlite3
import tempfile
import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, overload

from newsdesk import __version__, safejson
from newsdesk.carriers import carriers_of
from newsdesk.config import Config
from newsdesk.errors import NewsdeskError, PublishError, StoreError
from newsdesk.facts.archive import Cached
from newsdesk.images import download_pending, note_new_archive, register_post_images
from newsdesk.render import post_name, render_post
from newsdesk.render.facts_front import facts_front_matter
from newsdesk.site.scaffold import (
    sync_config,
    ticker_symbols,
    write_image_index,
    write_ticker_data,
)
from newsdesk.sources import story_from_raw
from newsdesk.store import Row, Store

log = logging.getLogger("newsdesk.publish")

#: Bump when the renderer's output changes, so every post is re-rendered once.
RENDER_VERSION = "3"

#: Stories rendered, written and recorded together (memory is bounded by this, not the archive).
BATCH = 250
#: Keys read at a time by the naming pass and manifest entries by the missing-file scan.
KEY_BATCH = 2000

#: Write errors that belong to one post (its name or a folder in its place), not the folder.
_POST_ERRNOS = frozenset({errno.ENAMETOOLONG, errno.EINVAL, errno.EILSEQ, errno.EISDIR})


class PathLog(Sequence[Path]):
    """The paths of the posts written, in order, as a read-only list: past :attr:`SPILL` of them
    they go to a temporary file (kept in memory if that cannot be written), so re-rendering a
    million posts does not hold a million paths. Iterating streams them back."""

    SPILL = 4096

    def __init__(self) -> None:
        self._recent: list[str] = []
        self._file: IO[bytes] | None = None
        self._count = 0

    def append(self, path: Path) -> None:
        self._recent.append(str(path))
        self._count += 1
        if len(self._recent) >= self.SPILL:
            try:
                if self._file is None:
                    self._file = tempfile.TemporaryFile()
                    weakref.finalize(self, self._file.close)
                self._file.write(b"".join(os.fsencode(p) + b"\0" for p in self._recent))
                self._recent = []
            except OSError:  # e.g. the disk is full: keep them in memory
                pass

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Path]:
        if self._file is not None:
            self._file.flush()
            offset, rest = 0, b""
            while chunk := os.pread(self._file.fileno(), 1 << 16, offset):
                offset += len(chunk)
                *done, rest = (rest + chunk).split(b"\0")
                yield from (Path(os.fsdecode(p)) for p in done)
        yield from (Path(p) for p in self._recent)

    @overload
    def __getitem__(self, index: int) -> Path: ...
    @overload
    def __getitem__(self, index: slice) -> list[Path]: ...
    def __getitem__(self, index: int | slice) -> Path | list[Path]:
        return list(self)[index]  # a full walk: for tests and small reports

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, Sequence) else NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PathLog({list(self)!r})"


@dataclass
class PublishReport:
    written: PathLog = field(default_factory=PathLog)  # new or changed posts
    unchanged: int = 0
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # (id, lang, message)
    images: int = 0  # story images downloaded (their pages change at the next build)


def fingerprint(config: Config) -> str:
    data = {"post": asdict(config.post), "tz": config.site.timezone, "words": config.site.summary_words,
            "render": RENDER_VERSION, "version": __version__, "facts": config.facts.enabled}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _read(path: Path) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def _write_post(folder: Path, name: str, data: bytes) -> None:
    """Write a post through a temp file and rename: never a half-written post.

    Not :func:`~newsdesk.files.atomic_write`, which makes the folder and draws a random
    temp name on every call: twice the CPU time of this (112 against 47 µs a post, measured).
    Here the folder exists and the run lock keeps other writers out, so the temp name is fixed
    for the process, ``.<name>.<pid, 8 hex digits>.tmp``: the pattern that
    :func:`~newsdesk.site.scaffold.remove_stale_temp_files` sweeps after a crash."""
    tmp = os.path.join(folder, f".{name}.{os.getpid() & 0xFFFFFFFF:08x}.tmp")
    for attempt in (1, 2):
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
            break
        except FileExistsError:  # left by a killed process that had the same pid
            if attempt == 2:
                raise
            os.unlink(tmp)
    try:
        with open(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, os.path.join(folder, name))
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _folder_stamp(content: Path) -> str:
    """Changes whenever a file is added to, removed from or renamed in the posts folder."""
    return str(content.stat().st_mtime_ns)


def folder_error(folder: Path, exc: OSError) -> PublishError:
    """The one error of a posts folder that cannot be written: the folder, the cause, the fix."""
    cause = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        fix = "free space and run again"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        fix = "make it writable and run again"
    elif exc.errno in (errno.ENOTDIR, errno.EEXIST):
        fix = "a file stands where a folder should be; move it away and run again"
    else:
        fix = "fix it and run again"
    return PublishError(f"cannot write posts to {folder}: {cause}; {fix}")


@dataclass
class _Post:
    """One rendered story of a batch, and what to do with it."""

    row: Row
    rel: str
    text: str
    data: bytes  # the text as UTF-8
    digest: str
    action: str = "write"  # "write", "adopt" (identical file on disk) or "unchanged"
    pending: bool = False  # entered the manifest as pending by this batch


@dataclass
class _Run:
    """One publish: settings, the report, and the counters the batches share."""

    config: Config
    store: Store
    content: Path
    total: int
    progress: Callable[[int, int], None] | None
    report: PublishReport = field(default_factory=PublishReport)
    index: int = 0
    refs: dict[str, tuple[str | None, frozenset[str]]] = field(default_factory=dict)
    carriers: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)  # of the batch
    facts: Cached | None = None  # the stories' market facts, kept in the archive ([facts] enabled)

    def fail(self, row: Row, message: str, failures: list[tuple[str, str, str]]) -> None:
        log.error("story %r (%s): %s", row.id, row.lang, message)
        failures.append((row.id, row.lang, message))
        self.report.failed.append((row.id, row.lang, message))

    def resolve_ref(self, lang: str) -> Callable[[str], str | None]:
        """Story-refs: ``../<name>/`` when the other story is named and archived in ``lang``."""
        def resolve(other_id: str) -> str | None:
            target = self.refs.get(other_id)
            if target is None:
                name = self.store.names_of([other_id]).get(other_id)
                target = self.refs[other_id] = (name, frozenset(self.store.languages([other_id]).get(other_id, [])))
            name, langs = target
            return f"../{name}/" if name and lang in langs else None
        return resolve


def publish(config: Config, store: Store, *, everything: bool = False,
            progress: Callable[[int, int], None] | None = None) -> PublishReport:
    """Write or refresh the posts of archived stories; return what was written.

    Raises :class:`PublishError` when the posts folder cannot be written at all (after recording
    what was written), :class:`StoreError` when the archive cannot be written."""
    content = config.content_dir
    config = config.with_archive(store.archived_languages())
    try:
        sync_config(config)  # the theme is synced by `build`, which needs it
        content.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise folder_error(content, exc) from None
    fp = fingerprint(config)
    note_new_archive(store)  # a new archive's posts register their images as they are written
    dirty_only = not (everything or store.get_meta("publish_fingerprint") != fp)
    try:
        if dirty_only and store.get_meta("posts_folder_stamp") != _folder_stamp(content):
            _mark_missing_dirty(store, content)  # a post file went missing since the last publish
        run = _Run(config, store, content, _name_work_set(config, store, dirty_only), progress,
                   facts=Cached(store, facts_front_matter) if config.facts.enabled else None)
        after: tuple[int, str, str] | None = None
        while rows := store.rows_after(after, BATCH, dirty_only=dirty_only):
            after = rows[-1].key
            _publish_batch(run, rows)
        _finish(run, fp)
    except sqlite3.Error as exc:
        raise StoreError(f"{store.path}: cannot write the archive: {exc}; nothing half-done was kept, "
                         f"fix it and run again") from None
    return run.report


def _mark_missing_dirty(store: Store, content: Path) -> None:
    """Mark dirty the stories whose post file is gone (so the batches write them again)."""
    after: str | None = None
    while entries := store.manifest_after(after, KEY_BATCH):
        after = entries[-1][0]
        store.mark_dirty([(story_id, lang) for rel, story_id, lang in entries if not (content / rel).exists()])


def _name_work_set(config: Config, store: Store, dirty_only: bool) -> int:
    """Name every story of the work set (from its title in the site's first language when it has
    one) before any post is rendered, so story-refs between them resolve; return its size."""
    preferred = {lang: rank for rank, lang in enumerate(config.languages)}
    total, after = 0, None
    while keys := store.keys_after(after, KEY_BATCH, dirty_only=dirty_only):
        total, after = total + len(keys), keys[-1]
        ids = list(dict.fromkeys(story_id for _, story_id, _ in keys))
        named = store.names_of(ids)
        unnamed = [story_id for story_id in ids if story_id not in named]
        if not unnamed:
            continue
        best: dict[str, tuple[str, str]] = {}
        for story_id, lang, title in store.titles_of(unnamed):
            current = best.get(story_id)
            if current is None or preferred.get(lang, 99) < preferred.get(current[0], 99):
                best[story_id] = (lang, title)
        store.assign_names({story_id: post_name(story_id, title) for story_id, (_, title) in best.items()})
    return total


def _render(run: _Run, row: Row, name: str, langs: list[str],
            failures: list[tuple[str, str, str]]) -> _Post | None:
    """One story's post text, or None (recorded as failed) when it cannot be rendered."""
    config = run.config
    try:
        story = story_from_raw(safejson.loads(row.raw_text), row.site_url)
        text = render_post(story, settings=config.post, translations=langs or [row.lang],
                           timezone=config.site.timezone, summary_words=config.site.summary_words,
                           resolve_ref=run.resolve_ref(row.lang), carriers=run.carriers.get((row.id, row.lang), ()),
                           extract_facts=None,
                           facts_front=None if run.facts is None else partial(run.facts, content_hash=row.content_hash))
        data = text.encode("utf-8")
    except NewsdeskError as exc:
        run.fail(row, str(exc), failures)
        return None
    except (KeyError, TypeError, ValueError, ArithmeticError, RecursionError) as exc:  # a bug, not the run
        run.fail(row, f"cannot render: {exc}", failures)
        return None
    return _Post(row, f"{name}.{row.lang}.md", text, data, hashlib.sha256(data).hexdigest()[:32])


def _plan(run: _Run, posts: list[_Post], failures: list[tuple[str, str, str]]) -> list[_Post]:
    """Decide each post's action against the manifest and the disk; drop foreign files' posts."""
    owned = run.store.posts_at([p.rel for p in posts])
    kept: list[_Post] = []
    for post in posts:
        path = run.content / post.rel
        entry = owned.get(post.rel)
        if entry is not None and entry[2] == post.digest and path.exists():
            post.action = "unchanged"
        else:
            try:
                on_disk = _read(path)
            except IsADirectoryError:
                run.fail(post.row, f"{path} is a folder; move it away to publish this story", failures)
                continue
            except OSError as exc:
                raise folder_error(run.content, exc) from None
            if on_disk == post.data:  # e.g. written just before a crash, not yet in the manifest
                post.action = "adopt"
            elif entry is None and on_disk is not None:
                run.fail(post.row, f"{path} exists but newsdesk did not write it; move it away to publish "
                                   f"this story", failures)
                continue
        kept.append(post)
    # New paths enter the manifest as pending first: a crash after the write leaves the file ours.
    for post in kept:
        post.pending = post.action == "write" and post.rel not in owned
    run.store.record_posts([(p.rel, p.row.id, p.row.lang, "") for p in kept if p.pending])
    return kept


def _publish_batch(run: _Run, rows: list[Row]) -> None:
    """Render, write and record one batch: two transactions whatever its size."""
    store, failures = run.store, []  # type: Store, list[tuple[str, str, str]]
    ids = list(dict.fromkeys(row.id for row in rows))
    names, languages = store.names_of(ids), store.languages(ids)
    if len(names) < len(ids):  # archived after the naming pass (another process): name them now
        store.assign_names({r.id: post_name(r.id, r.title) for r in rows if r.id not in names})
        names = store.names_of(ids)
    run.refs.clear()  # story-ref targets, looked up once per batch
    run.carriers = carriers_of(store, [(row.id, row.lang) for row in rows])
    rendered = [_render(run, row, names[row.id], languages.get(row.id, []), failures) for row in rows]
    posts = _plan(run, [p for p in rendered if p is not None], failures)
    done: list[_Post] = []
    stop: PublishError | None = None
    for post in posts:
        if post.action == "write":
            path = run.content / post.rel
            try:
                _write_post(run.content, post.rel, post.data)
            except OSError as exc:
                if exc.errno not in _POST_ERRNOS:
                    stop = folder_error(run.content, exc)
                    break
                run.fail(post.row, f"cannot write {path}: {exc.strerror or exc}", failures)
                continue
            run.report.written.append(path)
        else:
            run.report.unchanged += 1
        done.append(post)
    with store.atomic():
        for post in done:
            register_post_images(store, post.text)  # its images, downloaded by download_pending below
        store.record_posts([(p.rel, p.row.id, p.row.lang, p.digest) for p in done if p.action != "unchanged"])
        store.mark_clean([(p.row.id, p.row.lang) for p in done])
        store.record_publish_errors(failures)  # they stay dirty and are retried next time
        written = {id(p) for p in done}
        store.forget_pending([p.rel for p in posts if p.pending and id(p) not in written])
    for _ in rows:
        run.index += 1
        if run.progress:
            run.progress(run.index, max(run.index, run.total))
    if stop is not None:
        raise stop


def _finish(run: _Run, fp: str) -> None:
    config, store = run.config, run.store
    if run.report.written:  # keep the theme's ticker list fresh for a plain `hugo` run too
        try:
            write_ticker_data(config.site_path, ticker_symbols(store.db))
        except OSError as exc:
            raise folder_error(config.site_path, exc) from None
    store.set_meta("publish_fingerprint", fp)
    store.set_meta("posts_folder_stamp", _folder_stamp(run.content))
    run.report.images = download_pending(config, store).downloaded  # of the posts above, and due retries
    write_image_index(config.site_path)  # so a plain `hugo` run finds them too
