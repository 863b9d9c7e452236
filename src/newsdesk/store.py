"""The archive: every fetched story in SQLite (WAL), one row per (story id, language).

A row keeps the raw JSON exactly as the source received it, the list item's hash (to tell an
already-archived item without requesting its story again), a content hash of the normalised
story (to tell a real change), and a ``dirty`` flag that publish clears once the post is written.
Alongside: ``seen`` (items dropped by include/exclude, so they are not fetched again), ``names``
(the post name of each story id, fixed on first publish), ``posts`` (the manifest of files
newsdesk wrote, with the hash of their text) and ``meta``.

Every write runs in a transaction (:meth:`Store.atomic`, nested through savepoints), so a
crash loses nothing that was committed and leaves nothing half-written. Schema changes are
numbered migrations recorded in ``PRAGMA user_version``.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from newsdesk import safejson
from newsdesk.errors import StoreError
from newsdesk.migrations import MIGRATIONS
from newsdesk.model import Story, ticker_of


def content_hash(story: Story) -> str:
    """A hash of everything a post is made from (so a re-fetched, unchanged story is not rewritten)."""
    data = {name: getattr(story, name) for name in Story.__slots__ if name != "extra"}  # no deep copy
    blob = safejson.dumps(data, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()[:32]


@dataclass(frozen=True)
class Row:
    """One archived (story, language) as publish and `newsdesk stories` need it.

    ``raw_text`` is the archived JSON; :attr:`raw` decodes it on first use, once (listing
    stories never decodes it)."""

    id: str
    lang: str
    source: str
    published: int
    title: str
    provider: str
    site_url: str
    raw_text: str = field(repr=False)
    fetched_at: int
    content_hash: str = ""

    @cached_property
    def raw(self) -> dict[str, Any]:
        value: dict[str, Any] = safejson.loads(self.raw_text)
        return value

    @property
    def key(self) -> tuple[int, str, str]:
        """The row's place in publish order (keyset paging)."""
        return self.published, self.id, self.lang


@dataclass(frozen=True)
class Upserted:
    """What :meth:`Store.upsert` did: ``"new"``, ``"changed"`` or ``"unchanged"``."""

    status: str


class Store:
    """The SQLite archive. Open with :func:`open_store` or as a context manager."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            if str(path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.db.execute("PRAGMA busy_timeout = 10000")
            self._depth = 0
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: cannot open the archive: {exc} (is it a newsdesk database?)") from None

    # -- plumbing -------------------------------------------------------------------------
    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """A transaction; nested calls become savepoints."""
        name = f"sp{self._depth}"
        self.db.execute("BEGIN IMMEDIATE" if self._depth == 0 else f"SAVEPOINT {name}")
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            self.db.execute("ROLLBACK" if self._depth == 0 else f"ROLLBACK TO {name}")
            if self._depth:
                self.db.execute(f"RELEASE {name}")
            raise
        self._depth -= 1
        self.db.execute("COMMIT" if self._depth == 0 else f"RELEASE {name}")

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise StoreError(f"{self.path}: archive schema {version} is newer than this newsdesk "
                             f"({len(MIGRATIONS)}); upgrade newsdesk")
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.atomic():
                for statement in script.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number}")

    # -- meta -----------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.atomic():
            self.db.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                            "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))

    def archived_languages(self) -> tuple[str, ...]:
        """Every language the archive holds stories in, sorted (kept in the meta table as stories
        are written; counted once from the stories of an archive older than that)."""
        text = self.get_meta("languages")
        if text is None:
            langs = sorted(lang for (lang,) in self.db.execute("SELECT DISTINCT lang FROM stories"))
            self.set_meta("languages", json.dumps(langs))
            return tuple(langs)
        try:
            value = json.loads(text)
        except ValueError:
            value = []
        return tuple(sorted(v for v in value if isinstance(v, str))) if isinstance(value, list) else ()

    def _note_language(self, lang: str) -> None:
        known = self.archived_languages()
        if lang not in known:
            self.db.execute("INSERT INTO meta (key, value) VALUES ('languages', ?) "
                            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                            (json.dumps(sorted({*known, lang})),))

    # -- fetching -------------------------------------------------------------------------
    def known(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], str]:
        """Item hashes of the given (id, lang) pairs that are archived or were dropped by a filter."""
        found: dict[tuple[str, str], str] = {}
        for start in range(0, len(keys), 400):
            chunk = keys[start:start + 400]
            marks = ",".join("(?, ?)" for _ in chunk)
            flat = [v for key in chunk for v in key]
            for table in ("stories", "seen"):
                sql = f"SELECT id, lang, item_hash FROM {table} WHERE (id, lang) IN (VALUES {marks})"
                for story_id, lang, item in self.db.execute(sql, flat):
                    found[(story_id, lang)] = item
        return found

    def upsert(self, story: Story, raw: Mapping[str, Any], item_hash: str, source: str) -> Upserted:
        """Archive one fetched story; mark what publish must (re)write."""
        now = int(time.time())
        digest = content_hash(story)
        raw_text = safejson.dumps(raw)  # always encodes: bounded depth, no lone surrogates
        with self.atomic():
            self.db.execute("DELETE FROM seen WHERE id = ? AND lang = ?", (story.id, story.lang))
            row = self.db.execute("SELECT content_hash FROM stories WHERE id = ? AND lang = ?",
                                  (story.id, story.lang)).fetchone()
            if row is not None and row[0] == digest:
                self.db.execute("UPDATE stories SET item_hash = ?, fetched_at = ? WHERE id = ? AND lang = ?",
                                (item_hash, now, story.id, story.lang))
                return Upserted("unchanged")
            return Upserted(self.write_story(story, source, raw_text, item_hash, digest, now, now, new=row is None))

    def write_story(self, story: Story, source: str, raw_text: str, item_hash: str, digest: str,
                    fetched_at: int, updated_at: int, *, new: bool) -> str:
        """Insert or replace one story's row (dirty) and its symbols, inside the caller's transaction;
        a new language marks the story's other languages dirty. Returns "new" or "changed"."""
        self.db.execute(
            "INSERT INTO stories (id, lang, source, published, title, provider, site_url, raw, item_hash,"
            " content_hash, fetched_at, updated_at, dirty) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,1)"
            " ON CONFLICT (id, lang) DO UPDATE SET source = excluded.source, published = excluded.published,"
            " title = excluded.title, provider = excluded.provider, site_url = excluded.site_url,"
            " raw = excluded.raw, item_hash = excluded.item_hash, content_hash = excluded.content_hash,"
            " fetched_at = excluded.fetched_at, updated_at = excluded.updated_at, dirty = 1",
            (story.id, story.lang, source, story.published, story.title, story.provider_name,
             story.site_url, raw_text, item_hash, digest, fetched_at, updated_at))
        self.db.executemany("INSERT OR IGNORE INTO story_symbols (id, symbol, ticker) VALUES (?, ?, ?)",
                            [(story.id, s, ticker_of(s)) for s in story.symbols])
        self._note_language(story.lang)
        if new:  # every other language's post lists the new one in `translations`
            self.db.execute("UPDATE stories SET dirty = 1 WHERE id = ? AND lang != ?", (story.id, story.lang))
        return "new" if new else "changed"

    def mark_seen(self, story_id: str, lang: str, item_hash: str, reason: str) -> None:
        """Remember an item dropped by a filter, so the next run does not fetch it again."""
        with self.atomic():
            self.db.execute("INSERT INTO seen (id, lang, item_hash, reason) VALUES (?, ?, ?, ?) "
                            "ON CONFLICT (id, lang) DO UPDATE SET item_hash = excluded.item_hash, "
                            "reason = excluded.reason", (story_id, lang, item_hash, reason))

    # -- publishing -----------------------------------------------------------------------
    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        return [Row(*r) for r in self.db.execute(sql, tuple(params))]

    _ROW_COLUMNS = "id, lang, source, published, title, provider, site_url, raw, fetched_at, content_hash"

    def dirty_rows(self) -> list[Row]:
        return self._rows(f"SELECT {self._ROW_COLUMNS} FROM stories WHERE dirty = 1 ORDER BY published, id, lang")

    def all_rows(self) -> list[Row]:
        return self._rows(f"SELECT {self._ROW_COLUMNS} FROM stories ORDER BY published, id, lang")

    def _page(self, columns: str, after: tuple[int, str, str] | None, limit: int, dirty_only: bool) -> sqlite3.Cursor:
        where = ["dirty = 1"] if dirty_only else []
        if after is not None:
            where.append("(published, id, lang) > (?, ?, ?)")
        sql = (f"SELECT {columns} FROM stories {'WHERE ' + ' AND '.join(where) if where else ''} "
               "ORDER BY published, id, lang LIMIT ?")
        return self.db.execute(sql, (*(after or ()), limit))

    def rows_after(self, after: tuple[int, str, str] | None, limit: int, *, dirty_only: bool = True) -> list[Row]:
        """The next ``limit`` rows in (published, id, lang) order after the key ``after`` (keyset
        paging: rows written between two calls are simply met or not, never skipped or repeated)."""
        return [Row(*r) for r in self._page(self._ROW_COLUMNS, after, limit, dirty_only)]

    def keys_after(self, after: tuple[int, str, str] | None, limit: int, *,
                   dirty_only: bool = True) -> list[tuple[int, str, str]]:
        """Like :meth:`rows_after`, only the keys (published, id, lang)."""
        return [(int(p), str(i), str(lang)) for p, i, lang in self._page("published, id, lang", after, limit,
                                                                          dirty_only)]

    def rows_for(self, keys: Iterable[tuple[str, str]]) -> list[Row]:
        rows: list[Row] = []
        for story_id, lang in keys:
            rows += self._rows(f"SELECT {self._ROW_COLUMNS} FROM stories WHERE id = ? AND lang = ?",
                               (story_id, lang))
        return rows

    def mark_clean(self, keys: Iterable[tuple[str, str]]) -> None:
        """Published: not dirty, and no publish error any more."""
        with self.atomic():
            self.db.executemany("UPDATE stories SET dirty = 0, publish_error = NULL WHERE id = ? AND lang = ?",
                                list(keys))

    def mark_dirty(self, keys: Iterable[tuple[str, str]]) -> None:
        with self.atomic():
            self.db.executemany("UPDATE stories SET dirty = 1 WHERE id = ? AND lang = ? AND dirty = 0", list(keys))

    def record_publish_errors(self, failures: Iterable[tuple[str, str, str]]) -> None:
        """Keep the last render/write error of each (id, lang, message); the story stays dirty."""
        with self.atomic():
            self.db.executemany("UPDATE stories SET publish_error = ? WHERE id = ? AND lang = ?",
                                [(message, story_id, lang) for story_id, lang, message in failures])

    def languages(self, story_ids: Iterable[str]) -> dict[str, list[str]]:
        """Every archived language of each story id, sorted."""
        result: dict[str, list[str]] = {}
        ids = list(dict.fromkeys(story_ids))
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            sql = f"SELECT id, lang FROM stories WHERE id IN ({','.join('?' * len(chunk))}) ORDER BY id, lang"
            for story_id, lang in self.db.execute(sql, chunk):
                result.setdefault(story_id, []).append(lang)
        return result

    def name_for(self, story_id: str, candidate: str) -> str:
        """The post name of a story: fixed the first time; ``candidate`` is extended if taken."""
        row = self.db.execute("SELECT name FROM names WHERE id = ?", (story_id,)).fetchone()
        if row:
            return str(row[0])
        name, n = candidate, 1
        with self.atomic():
            while self.db.execute("SELECT 1 FROM names WHERE name = ?", (name,)).fetchone():
                n += 1
                name = f"{candidate}-{n}"
            self.db.execute("INSERT INTO names (id, name) VALUES (?, ?)", (story_id, name))
        return name

    def assign_names(self, candidates: Mapping[str, str]) -> None:
        """Fix the post name of each story id without one: its candidate, extended if taken."""
        ids = list(candidates)
        for start in range(0, len(ids), 400):
            chunk = ids[start:start + 400]
            named = set(self.names_of(chunk))
            wanted = {i: candidates[i] for i in chunk if i not in named}
            if not wanted:
                continue
            with self.atomic():
                marks = ",".join("?" * len(wanted))
                taken = {str(n) for (n,) in self.db.execute(f"SELECT name FROM names WHERE name IN ({marks})",
                                                            list(wanted.values()))}
                rows: dict[str, str] = {}
                for story_id, candidate in wanted.items():
                    name, n = candidate, 1
                    while name in taken:  # rare: ask the archive for the next free suffix
                        n += 1
                        name = f"{candidate}-{n}"
                        if self.db.execute("SELECT 1 FROM names WHERE name = ?", (name,)).fetchone():
                            taken.add(name)
                    taken.add(name)
                    rows[story_id] = name
                self.db.executemany("INSERT INTO names (id, name) VALUES (?, ?)", rows.items())

    def names_of(self, story_ids: Iterable[str]) -> dict[str, str]:
        """The post names of those of ``story_ids`` that have one."""
        ids = list(dict.fromkeys(story_ids))
        result: dict[str, str] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            result.update(self.db.execute(f"SELECT id, name FROM names WHERE id IN ({','.join('?' * len(chunk))})",
                                          chunk))
        return result

    def titles_of(self, story_ids: Sequence[str]) -> list[tuple[str, str, str]]:
        """(id, language, title) of every archived language of ``story_ids``, in publish order."""
        rows: list[tuple[str, str, str]] = []
        for start in range(0, len(story_ids), 500):
            chunk = list(story_ids[start:start + 500])
            sql = (f"SELECT id, lang, title FROM stories WHERE id IN ({','.join('?' * len(chunk))}) "
                   "ORDER BY published, id, lang")
            rows += [(str(i), str(lang), str(t)) for i, lang, t in self.db.execute(sql, chunk)]
        return rows

    def names(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT id, name FROM names"))

    def manifest(self) -> dict[str, tuple[str, str, str]]:
        """Posts newsdesk wrote: path (relative to the content folder) -> (id, lang, text hash).
        Paths publish is about to write (hash ``''``, see :meth:`record_posts`) are left out."""
        return {p: (i, lang, h) for p, i, lang, h in
                self.db.execute("SELECT path, id, lang, hash FROM posts WHERE hash != ''")}

    def manifest_after(self, after: str | None, limit: int) -> list[tuple[str, str, str]]:
        """The next ``limit`` manifest entries (path, id, lang) in path order after ``after``."""
        sql = "SELECT path, id, lang FROM posts WHERE path > ? ORDER BY path LIMIT ?"
        return [(str(p), str(i), str(lang)) for p, i, lang in self.db.execute(sql, (after or "", limit))]

    def posts_at(self, paths: Sequence[str]) -> dict[str, tuple[str, str, str]]:
        """The manifest entries of ``paths`` (pending ones too: their hash is ``''``)."""
        result: dict[str, tuple[str, str, str]] = {}
        for start in range(0, len(paths), 500):
            chunk = list(paths[start:start + 500])
            sql = f"SELECT path, id, lang, hash FROM posts WHERE path IN ({','.join('?' * len(chunk))})"
            result.update((p, (i, lang, h)) for p, i, lang, h in self.db.execute(sql, chunk))
        return result

    def record_post(self, path: str, story_id: str, lang: str, text_hash: str) -> None:
        self.record_posts([(path, story_id, lang, text_hash)])

    def record_posts(self, posts: Iterable[tuple[str, str, str, str]]) -> None:
        """Manifest entries (path, id, lang, text hash); hash ``''`` marks a post about to be
        written (so a crash between the write and its record leaves the file owned)."""
        with self.atomic():
            self.db.executemany("INSERT INTO posts (path, id, lang, hash) VALUES (?, ?, ?, ?) ON CONFLICT (path) "
                                "DO UPDATE SET id = excluded.id, lang = excluded.lang, hash = excluded.hash",
                                list(posts))

    def forget_pending(self, paths: Iterable[str]) -> None:
        """Drop the ``''`` entries of posts that were not written after all."""
        with self.atomic():
            self.db.executemany("DELETE FROM posts WHERE path = ? AND hash = ''", [(p,) for p in paths])

    # -- listing --------------------------------------------------------------------------
    def list_stories(self, *, symbol: str | None = None, lang: str | None = None,
                     limit: int | None = None) -> list[Row]:
        """Archived stories, newest first; ``symbol`` matches ``NASDAQ:AMZN`` or the ticker ``AMZN``."""
        where, params = [], []  # type: list[str], list[Any]
        if symbol:
            column = "symbol" if ":" in symbol else "ticker"
            where.append(f"id IN (SELECT id FROM story_symbols WHERE {column} = ? COLLATE NOCASE)")
            params.append(symbol)
        if lang:
            where.append("lang = ?")
            params.append(lang)
        sql = f"SELECT {self._ROW_COLUMNS} FROM stories"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY published DESC, id, lang"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return self._rows(sql, params)

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM stories").fetchone()[0])

    def symbols_of(self, story_id: str) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT symbol FROM story_symbols WHERE id = ? ORDER BY symbol",
                                              (story_id,))]


def open_store(path: Path | str) -> Store:
    return Store(path)
