"""The archive's schema: numbered migrations, applied in order and recorded in ``PRAGMA user_version``.

Each entry is one SQL script (statements separated by ``;``) run in one transaction by
:meth:`newsdesk.store.Store._migrate`. Never edit a released entry; add a new one.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: the first schema
    """
    CREATE TABLE stories (
        id TEXT NOT NULL,
        lang TEXT NOT NULL,
        source TEXT NOT NULL,
        published INTEGER NOT NULL,
        title TEXT NOT NULL,
        provider TEXT NOT NULL,
        site_url TEXT NOT NULL,
        raw TEXT NOT NULL,
        item_hash TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        fetched_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        dirty INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (id, lang)
    ) WITHOUT ROWID;
    CREATE INDEX stories_dirty ON stories (dirty) WHERE dirty = 1;
    CREATE INDEX stories_published ON stories (published);
    CREATE TABLE story_symbols (
        id TEXT NOT NULL,
        symbol TEXT NOT NULL,
        ticker TEXT NOT NULL,
        PRIMARY KEY (id, symbol)
    ) WITHOUT ROWID;
    CREATE INDEX story_symbols_ticker ON story_symbols (ticker);
    CREATE TABLE seen (
        id TEXT NOT NULL,
        lang TEXT NOT NULL,
        item_hash TEXT NOT NULL,
        reason TEXT NOT NULL,
        PRIMARY KEY (id, lang)
    ) WITHOUT ROWID;
    CREATE TABLE names (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE
    ) WITHOUT ROWID;
    CREATE TABLE posts (
        path TEXT PRIMARY KEY,
        id TEXT NOT NULL,
        lang TEXT NOT NULL,
        hash TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX posts_story ON posts (id, lang);
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
    # 2: reliability -- per-source state, failed stories, list sweeps, step results, images
    """
    CREATE TABLE failures (
        source TEXT NOT NULL,
        id TEXT NOT NULL,
        lang TEXT NOT NULL,
        item TEXT NOT NULL,
        error TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        first_failed INTEGER NOT NULL,
        last_failed INTEGER NOT NULL,
        next_try INTEGER NOT NULL,
        gave_up INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (source, id, lang)
    ) WITHOUT ROWID;
    CREATE TABLE sweeps (
        source TEXT NOT NULL,
        sequence TEXT NOT NULL,
        state TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (source, sequence)
    ) WITHOUT ROWID;
    CREATE TABLE source_state (
        source TEXT PRIMARY KEY,
        last_attempt INTEGER,
        last_success INTEGER,
        last_error TEXT,
        last_error_at INTEGER,
        deferred_until INTEGER,
        deferred_reason TEXT
    ) WITHOUT ROWID;
    CREATE TABLE steps (
        step TEXT PRIMARY KEY,
        started INTEGER NOT NULL,
        finished INTEGER,
        ok INTEGER,
        summary TEXT NOT NULL DEFAULT ''
    ) WITHOUT ROWID;
    CREATE TABLE images (
        url TEXT PRIMARY KEY,
        file TEXT,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        next_try INTEGER,
        fetched_at INTEGER
    ) WITHOUT ROWID;
    ALTER TABLE stories ADD COLUMN publish_error TEXT;
    """,
    # 3: publish pages through the dirty rows in (published, id, lang) order (keyset, no sort)
    """
    DROP INDEX stories_dirty;
    CREATE INDEX stories_dirty ON stories (published, id, lang) WHERE dirty = 1;
    """,
    # 4: the images module's query of due images (pending, blocked, failed and due)
    """
    CREATE INDEX images_due ON images (status, next_try);
    """,
    # 5: near-duplicate detection (dedup.py): each remembered story's fingerprint (a versioned
    # blob) and its index keys (the smallest hashes of its sketch), searched by (lang, key, time)
    """
    CREATE TABLE dedup (
        n INTEGER PRIMARY KEY,
        id TEXT NOT NULL,
        lang TEXT NOT NULL,
        published INTEGER NOT NULL,
        fp BLOB NOT NULL,
        UNIQUE (id, lang)
    );
    CREATE TABLE dedup_keys (
        lang TEXT NOT NULL,
        key INTEGER NOT NULL,
        published INTEGER NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (lang, key, published, n)
    ) WITHOUT ROWID;
    """,
    # 6: feeds -- the pages stories were read from (zlib-compressed), and the other sources that
    # carried a story (the same article in two feeds, or a near-duplicate from another source)
    """
    CREATE TABLE documents (
        url TEXT NOT NULL UNIQUE,
        fetched_at INTEGER NOT NULL,
        content_type TEXT NOT NULL,
        body BLOB NOT NULL
    );
    CREATE TABLE carriers (
        source TEXT NOT NULL,
        other_id TEXT NOT NULL,
        lang TEXT NOT NULL,
        item_hash TEXT NOT NULL,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        url TEXT NOT NULL,
        PRIMARY KEY (source, other_id, lang)
    ) WITHOUT ROWID;
    CREATE INDEX carriers_story ON carriers (id, lang);
    """,
    # 7: alerts (alerts_state.py) -- stories in archive-write order (the alerts cursor walks it),
    # each rule's start, stories archived but not yet published, the once-ever (rule, story)
    # record, and each match's delivery to each notify URL (keyed by a hash: URLs hold secrets)
    """
    CREATE INDEX stories_updated ON stories (updated_at);
    CREATE TABLE alert_rules (
        rule TEXT PRIMARY KEY,
        since INTEGER NOT NULL,
        sent INTEGER NOT NULL DEFAULT 0,
        last_sent INTEGER
    ) WITHOUT ROWID;
    CREATE TABLE alert_waiting (
        id TEXT NOT NULL,
        lang TEXT NOT NULL,
        PRIMARY KEY (id, lang)
    ) WITHOUT ROWID;
    CREATE TABLE alert_matches (
        rule TEXT NOT NULL,
        id TEXT NOT NULL,
        lang TEXT NOT NULL,
        matched_at INTEGER NOT NULL,
        PRIMARY KEY (rule, id)
    ) WITHOUT ROWID;
    CREATE TABLE alert_deliveries (
        rule TEXT NOT NULL,
        id TEXT NOT NULL,
        target TEXT NOT NULL,
        label TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_try INTEGER NOT NULL,
        last_error TEXT,
        last_try INTEGER,
        PRIMARY KEY (rule, id, target)
    ) WITHOUT ROWID;
    """,
    # 8: market facts per archived story version and extractor version (newsdesk.facts.archive)
    """
    CREATE TABLE story_facts (
        id TEXT NOT NULL,
        lang TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        engine TEXT NOT NULL,
        facts TEXT NOT NULL,
        front TEXT NOT NULL,
        PRIMARY KEY (id, lang)
    ) WITHOUT ROWID;
    """,
)
