"""Market facts kept in the archive: extracted once per story version and engine, read by publish.

Extraction costs about as much as rendering a post, and ``publish`` renders a post again whenever
anything about it changes (a translation arrives, a neighbour's title, the settings). So the facts
of each archived (story, language) are kept in the table ``story_facts`` with the story's content
hash and the engine's version (a digest of the extractor's own files): ``fetch`` fills it for the
stories it archived (:func:`fill`), and publish reads it (:class:`Cached`), extracting only what
is missing or out of date -- an archive imported without facts, a story changed since, or a new
engine (its rules changed: every story is extracted again, once). A kill at any moment loses at
most facts that the next publish extracts again.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk import safejson
from newsdesk.facts.engine import extract
from newsdesk.facts.model import Fact
from newsdesk.model import Story, plain_text

if TYPE_CHECKING:  # pragma: no cover
    from newsdesk.store import Store

log = logging.getLogger("newsdesk.facts")

#: A fact extractor: (title, plain text, language, symbols) -> facts (``newsdesk.facts.extract``).
FactsFn = Callable[[str, str, str, Sequence[str]], Sequence[Fact]]

#: Files of the package that do not change what is extracted (scoring, phrases, filters, this one).
_NOT_ENGINE = ("score", "display", "filters", "archive", "__init__")
FILL_BATCH = 200


@lru_cache(maxsize=1)
def engine_version() -> str:
    """A digest of the extractor's code and tables: any change to its rules changes it."""
    package = Path(__file__).parent
    data = package.parent / "data"
    files = [p for p in sorted(package.glob("*.py")) if not p.stem.startswith(_NOT_ENGINE)]
    files += sorted((data / "facts").glob("*")) + [data / "symbols" / "symbols.tsv"]
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
    """``facts(story)`` from the archive when they are current, else extracted and kept."""

    def __init__(self, store: Store, extract_facts: FactsFn | None = None) -> None:
        self.store = store
        self.extract_facts = extract_facts or extract
        self.engine = engine_version()
        self.hits = 0
        self.misses = 0

    def __call__(self, story: Story) -> list[Fact]:
        row = self.store.db.execute(
            "SELECT s.content_hash, f.content_hash, f.engine, f.facts FROM stories s LEFT JOIN story_facts f"
            " ON f.id = s.id AND f.lang = s.lang WHERE s.id = ? AND s.lang = ?", (story.id, story.lang)).fetchone()
        if row is not None and row[1] == row[0] and row[2] == self.engine:
            facts = _load(row[3])
            if facts is not None:
                self.hits += 1
                return facts
        self.misses += 1
        facts = facts_of_story(story, self.extract_facts)
        if row is not None:  # an archived story: keep them (a story rendered from a file is not)
            self.store.db.execute(
                "INSERT OR REPLACE INTO story_facts (id, lang, content_hash, engine, facts) VALUES (?, ?, ?, ?, ?)",
                (story.id, story.lang, row[0], self.engine, _dump(facts)))
        return facts


def fill(store: Store, *, limit: int | None = None) -> int:
    """Extract the facts of the archived stories that have none for their current version and
    engine (the stories ``fetch`` just archived; all of them after an engine change), in
    transactions of :data:`FILL_BATCH`. Returns how many were extracted."""
    from newsdesk.sources import story_from_raw

    engine = engine_version()
    done = 0
    while limit is None or done < limit:
        size = FILL_BATCH if limit is None else min(FILL_BATCH, limit - done)
        rows = store.db.execute(
            "SELECT s.id, s.lang, s.content_hash, s.raw, s.site_url FROM stories s LEFT JOIN story_facts f"
            " ON f.id = s.id AND f.lang = s.lang WHERE f.id IS NULL OR f.content_hash != s.content_hash"
            " OR f.engine != ? LIMIT ?", (engine, size)).fetchall()
        if not rows:
            break
        entries = []
        for story_id, lang, digest, raw, site_url in rows:
            try:
                facts = facts_of_story(story_from_raw(safejson.loads(raw), site_url))
            except Exception as exc:  # noqa: BLE001 -- an archived story that no longer parses: publish says so
                log.warning("story %r (%s): no market facts: %s", story_id, lang, exc)
                facts = []
            entries.append((story_id, lang, digest, engine, _dump(facts)))
        with store.atomic():
            store.db.executemany("INSERT OR REPLACE INTO story_facts (id, lang, content_hash, engine, facts)"
                                 " VALUES (?, ?, ?, ?, ?)", entries)
        done += len(entries)
    return done
