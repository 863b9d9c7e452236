"""Market facts kept in the archive: extracted once per story version and extractor, read by publish.

Extracting a story's facts costs several times what rendering its post costs, and ``publish``
renders a post again whenever anything about it changes (a translation arrives, a neighbour's
title, the settings). So the facts of each archived (story, language) are kept in the table
``story_facts``, with their front-matter entries ready (``facts`` and the ``key_figures`` phrases
in the story's language), the story's content hash and :func:`version` (a digest of the
extractor's and the phrases' own files). The ``fetch`` step fills it for the stories it archived
(:func:`fill`, called by the runner) and publish reads it (:class:`Cached`), extracting only what
is missing or out of date: an archive imported without facts, a story changed since, a new
extractor (its rules changed: every story is extracted again, once). A kill at any moment loses
at most facts that the next publish extracts again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk import safejson
from newsdesk.facts import extract
from newsdesk.facts.model import Fact
from newsdesk.model import Story, plain_text

if TYPE_CHECKING:  # pragma: no cover
    from newsdesk.store import Store

log = logging.getLogger("newsdesk.facts")

#: A fact extractor: (title, plain text, language, symbols) -> facts (``newsdesk.facts.extract``).
FactsFn = Callable[[str, str, str, Sequence[str]], Sequence[Fact]]

#: A story's facts -> their front-matter entries (``newsdesk.render.facts_front.facts_front_matter``).
RenderFn = Callable[[Sequence[Fact], str], str]

#: Files of the package that change neither what is extracted nor how it is shown.
_NOT_ENGINE = ("score", "filters", "archive", "__init__")
FILL_BATCH = 200
#: seconds between two progress lines of a long :func:`fill`
PROGRESS_EVERY = 10.0


@lru_cache(maxsize=1)
def engine_version() -> str:
    """A digest of the extractor's code and tables and of the phrases and front matter made from
    its facts: any change to them changes it."""
    package = Path(__file__).parent
    data = package.parent / "data"
    files = [p for p in sorted(package.glob("*.py")) if not p.stem.startswith(_NOT_ENGINE)]
    files += sorted((data / "facts").glob("*")) + [data / "symbols" / "symbols.tsv"]
    files += [package.parent / "render" / "frontmatter.py", package.parent / "render" / "facts_front.py"]
    digest = hashlib.sha256()
    for path in files:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def facts_of_story(story: Story, extract_facts: FactsFn | None = None) -> list[Fact]:
    """The market facts of a story (its title and plain body text, or its digest without a body),
    by ``extract_facts`` (default :func:`newsdesk.facts.extract`). An extractor that fails on a
    story costs that story its facts, not its post (logged)."""
    extract_facts = extract_facts or extract
    text = plain_text(story.tree) if story.tree is not None else story.digest
    try:
        return list(extract_facts(story.title, text, story.lang, story.symbols))
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, ArithmeticError, RecursionError) as exc:
        log.warning("story %r (%s): no market facts: the extractor failed: %s", story.id, story.lang, exc)
        return []


def _dump(facts: Sequence[Fact]) -> str:
    return json.dumps([fact.to_json() for fact in facts], ensure_ascii=False, separators=(",", ":"))


def _load(text: str) -> list[Fact] | None:
    try:
        return [Fact.from_json(item) for item in json.loads(text)]
    except (ValueError, TypeError, KeyError, AttributeError):
        return None  # a damaged row: extracted again


class Cached:
    """``front(story)``: the front-matter entries of a story's facts, from the archive when they
    are current, else extracted, rendered and kept."""

    def __init__(self, store: Store, render: RenderFn, extract_facts: FactsFn | None = None) -> None:
        self.store = store
        self.render = render
        self.extract_facts = extract_facts
        self.engine = engine_version()
        self.hits = 0
        self.misses = 0

    def __call__(self, story: Story, content_hash: str | None = None) -> str:
        """``content_hash``: the archived story's (publish has it from the row it read; reading
        it again would walk the row's raw JSON); None: looked up."""
        if content_hash is None:
            found = self.store.db.execute("SELECT content_hash FROM stories WHERE id = ? AND lang = ?",
                                          (story.id, story.lang)).fetchone()
            content_hash = found[0] if found is not None else ""
        row = self.store.db.execute("SELECT content_hash, engine, front FROM story_facts WHERE id = ? AND lang = ?",
                                    (story.id, story.lang)).fetchone()
        if content_hash and row is not None and (row[0], row[1]) == (content_hash, self.engine):
            self.hits += 1
            return str(row[2])
        self.misses += 1
        facts = facts_of_story(story, self.extract_facts)
        front = self.render(facts, story.lang)
        if content_hash:  # an archived story: keep them (a story rendered from a file is not)
            self.store.db.execute(
                "INSERT OR REPLACE INTO story_facts (id, lang, content_hash, engine, facts, front)"
                " VALUES (?, ?, ?, ?, ?, ?)", (story.id, story.lang, content_hash, self.engine, _dump(facts), front))
        return front


def kept_facts(store: Store, story_id: str, lang: str) -> list[Fact] | None:
    """The facts kept for (story, language) when they are current, else None."""
    row = store.db.execute(
        "SELECT f.facts FROM story_facts f JOIN stories s ON s.id = f.id AND s.lang = f.lang"
        " WHERE f.id = ? AND f.lang = ? AND f.content_hash = s.content_hash AND f.engine = ?",
        (story_id, lang, engine_version())).fetchone()
    return None if row is None else _load(row[0])


_OWED = (" FROM stories s LEFT JOIN story_facts f ON f.id = s.id AND f.lang = s.lang"
         " WHERE f.id IS NULL OR f.content_hash != s.content_hash OR f.engine != ?")


def fill(store: Store, render: RenderFn, *, limit: int | None = None, stop: Callable[[], bool] | None = None,
         clock: Callable[[], float] = time.monotonic) -> int:
    """Extract (and render with ``render``) the facts of the archived stories that have none for
    their current version and extractor (the stories ``fetch`` just archived; all of them after
    an extractor change), in transactions of :data:`FILL_BATCH`. Returns how many were extracted.

    A long pass (the first after an upgrade of a large archive) logs its progress every
    :data:`PROGRESS_EVERY` seconds and ends early, between two batches, once ``stop()`` is true
    (``run --watch`` asked to stop): the rest is extracted by the next run."""
    from newsdesk.sources import story_from_raw

    engine = engine_version()
    done = 0
    total: int | None = None
    last_log = clock()
    while limit is None or done < limit:
        if stop is not None and stop():
            log.info("market facts: stopped after %d stories; the next run extracts the rest", done)
            break
        size = FILL_BATCH if limit is None else min(FILL_BATCH, limit - done)
        rows = store.db.execute("SELECT s.id, s.lang, s.content_hash, s.raw, s.site_url" + _OWED + " LIMIT ?",
                                (engine, size)).fetchall()
        if not rows:
            break
        if total is None and len(rows) == size and limit is None:
            total = store.db.execute("SELECT count(*)" + _OWED, (engine,)).fetchone()[0]
        entries = []
        for story_id, lang, digest, raw, site_url in rows:
            try:
                facts = facts_of_story(story_from_raw(safejson.loads(raw), site_url))
                front = render(facts, lang)
            except Exception as exc:  # noqa: BLE001 -- an archived story that no longer parses: publish says so
                log.warning("story %r (%s): no market facts: %s", story_id, lang, exc)
                facts, front = [], ""
            entries.append((story_id, lang, digest, engine, _dump(facts), front))
        with store.atomic():
            store.db.executemany("INSERT OR REPLACE INTO story_facts (id, lang, content_hash, engine, facts, front)"
                                 " VALUES (?, ?, ?, ?, ?, ?)", entries)
        done += len(entries)
        if total and clock() - last_log >= PROGRESS_EVERY:
            last_log = clock()
            log.info("market facts: extracted %d of %d stories", done, total)
    return done
