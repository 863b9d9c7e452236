"""Archive <-> JSON Lines: `newsdesk export FILE` and `newsdesk import FILE`.

One line per archived (story, language), in publish order::

    {"id": ..., "lang": ..., "source": ..., "site_url": ..., "published": ..., "title": ...,
     "provider": ..., "item_hash": ..., "content_hash": ..., "fetched_at": ..., "updated_at": ...,
     "name": ..., "raw": {...}}

``raw`` is the story exactly as archived (the list item and the story answer, as fetched);
``name`` is the story's post name (null before its first publish), so an imported archive
publishes the very same files. ``published``, ``title``, ``provider`` and ``content_hash`` are
there for people and tools reading the file; import derives them from ``raw`` again, as a fetch
would. Failed fetches, filter memory and the posts manifest are not exported: they belong to a
site, not to the stories.

Both directions stream: export walks the archive with one cursor and writes each line as it
goes (to a temp file renamed into place at the end, or to stdout); import reads a line at a
time. Import runs in one transaction: a bad line (its number is named) leaves the archive as it
was. It is idempotent: a story already archived with the same content is left alone; a changed
one is replaced and marked for publishing, unless the archive's version is newer (``updated_at``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from newsdesk import safejson
from newsdesk.config import Config
from newsdesk.errors import NewsdeskError, StoryError
from newsdesk.files import atomic_file
from newsdesk.sources import story_from_raw
from newsdesk.store import Store, content_hash

#: Metadata columns written before ``raw``, in this order.
META = ("id", "lang", "source", "site_url", "published", "title", "provider", "item_hash", "content_hash",
        "fetched_at", "updated_at")
_TEXT = ("id", "lang", "source", "site_url", "item_hash")
_TIMES = ("fetched_at", "updated_at")


class TransferError(NewsdeskError):
    """An export or import file cannot be used; nothing was changed (exit 2)."""

    exit_code = 2


@dataclass
class ImportReport:
    new: int = 0
    changed: int = 0
    unchanged: int = 0  # the same content, or an older version than the archive's


# -- export -----------------------------------------------------------------------------------

def export_to(config: Config, target: str | Path) -> int:
    """Export the configured archive (which must exist) to ``target``; return the stories written."""
    if not config.store_path.is_file():
        raise TransferError(f"store.path: there is no archive at {config.store_path}: nothing to export")
    with Store(config.store_path) as store:
        return export_archive(store, target)


def export_archive(store: Store, target: str | Path) -> int:
    """Write every archived story to ``target`` (``-``: stdout) as JSON Lines; return how many."""
    if str(target) == "-":
        count = _write_lines(store, sys.stdout)
        sys.stdout.flush()
        return count
    path = Path(target)
    with _atomic_file(path) as handle:
        return _write_lines(store, handle)


def _write_lines(store: Store, out: IO[str]) -> int:
    sql = (f"SELECT {', '.join('s.' + c for c in META)}, n.name, s.raw FROM stories AS s "
           "LEFT JOIN names AS n ON n.id = s.id ORDER BY s.published, s.id, s.lang")
    count = 0
    for row in store.db.execute(sql):
        meta = dict(zip((*META, "name"), row[:-1], strict=True))
        raw = row[-1]
        if "\n" in raw:  # JSON from the archive has none; one edited by hand might
            raw = safejson.dumps(safejson.loads(raw))
        head = json.dumps(meta, ensure_ascii=False, separators=(",", ":"))
        out.write(f'{head[:-1]},"raw":{raw}}}\n')
        count += 1
    return count


@contextmanager
def _atomic_file(path: Path) -> Iterator[IO[str]]:
    """A text file written through a temp file beside ``path`` and renamed into place."""
    started = False
    try:
        with atomic_file(path, make_folder=False) as handle:
            started = True
            yield handle
    except OSError as exc:
        if not started:  # the temp file could not even be made
            raise TransferError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise NewsdeskError(f"cannot write {path}: {exc.strerror or exc}; nothing was exported") from None


# -- import -----------------------------------------------------------------------------------

def check_source(source: str | Path) -> None:
    """Raise :class:`TransferError` when ``source`` (unless ``-``) is not a readable file."""
    if str(source) != "-":
        with _open_lines(source):
            pass


def import_into(config: Config, source: str | Path) -> ImportReport:
    """Import ``source`` into the configured archive (created when missing)."""
    check_source(source)
    with Store(config.store_path) as store:
        return import_archive(store, source)


def import_archive(store: Store, source: str | Path) -> ImportReport:
    """Add the stories of the JSON Lines file ``source`` (``-``: stdin) to the archive, in one
    transaction. Raises :class:`TransferError` naming the first bad line (nothing imported)."""
    report = ImportReport()
    label = "stdin" if str(source) == "-" else str(source)
    with _open_lines(source) as lines, store.atomic():
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                status = _import_line(store, line)
            except (StoryError, ValueError, TypeError, KeyError) as exc:
                raise TransferError(f"{label} line {number}: {exc}; nothing was imported") from None
            setattr(report, status, getattr(report, status) + 1)
    return report


@contextmanager
def _open_lines(source: str | Path) -> Iterator[Iterator[str]]:
    if str(source) == "-":
        yield _decoded(sys.stdin.buffer, "stdin")
        return
    try:
        handle = open(source, "rb")  # noqa: SIM115 - closed below; lines decoded one by one
    except OSError as exc:
        raise TransferError(f"cannot read {source}: {exc.strerror or exc}") from None
    with handle:
        yield _decoded(handle, str(source))


def _decoded(handle: IO[bytes], label: str) -> Iterator[str]:
    for number, data in enumerate(handle, start=1):
        try:
            yield data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise TransferError(f"{label} line {number}: not UTF-8 ({exc.reason} at byte {exc.start}); "
                                f"nothing was imported") from None


def _record(line: str) -> dict[str, Any]:
    try:
        record = json.loads(line)  # raw stays as deep as archived (at most MAX_DEPTH below "raw")
    except RecursionError:
        record = safejson.loads(line)  # a deeper, hand-made line: clamped
    if not isinstance(record, dict):
        raise ValueError(f"not a JSON object but {type(record).__name__}")
    for key in _TEXT:
        if not isinstance(record.get(key), str) or not record[key]:
            raise ValueError(f"{key!r} is missing or not a non-empty string")
    for key in _TIMES:
        value = record.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{key!r} is missing or not an integer")
    if not isinstance(record.get("raw"), dict):
        raise ValueError("'raw' is missing or not a JSON object")
    name = record.get("name")
    if name is not None and (not isinstance(name, str) or not name or "/" in name or name.startswith(".")):
        raise ValueError("'name' is not a usable post name")
    return record


def _import_line(store: Store, line: str) -> str:
    """Archive one record; return "new", "changed" or "unchanged"."""
    record = _record(line)
    raw_text = safejson.dumps(record["raw"])  # as a fetch archives it: bounded depth, no lone surrogates
    story = story_from_raw(safejson.loads(raw_text), record["site_url"])  # as publish will read it
    if (story.id, story.lang) != (record["id"], record["lang"]):
        raise ValueError(f"'raw' holds story {story.id!r} ({story.lang}), not {record['id']!r} ({record['lang']})")
    digest = content_hash(story)
    db = store.db
    old = db.execute("SELECT content_hash, updated_at FROM stories WHERE id = ? AND lang = ?",
                     (story.id, story.lang)).fetchone()
    if old is not None and (old[0] == digest or old[1] > record["updated_at"]):
        status = "unchanged"
    else:
        status = store.write_story(story, record["source"], raw_text, record["item_hash"], digest,
                                   record["fetched_at"], record["updated_at"], new=old is None)
    db.execute("DELETE FROM seen WHERE id = ? AND lang = ?", (story.id, story.lang))
    if record.get("name"):
        store.assign_names({story.id: record["name"]})  # kept when the story has a name already
    return status
