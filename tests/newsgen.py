"""Test helper: a generated replay archive of N original, fictional stories, and the sites and
checks the fault and kill tests share (posts of a site, temp files, the archive's integrity)."""

from __future__ import annotations

import json
import logging
import random
import re
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from newsdesk.sources.tradingview import IMAGE_PREFIX as TRADINGVIEW_IMAGE_PREFIX
from newsdesk.sample import record_problem, sample_archive_path
from newsdesk.site.scaffold import config_text, init_site
from newsdesk.store import Store

COMPANIES = ["Orchard Lane Foods", "Brightwater Rail", "Calder Mining", "Northfield Optics", "Pell & Harrow",
             "Quayside Energy", "Redfern Biotech", "Silverbank Holdings", "Tamsin Logistics", "Upland Textiles",
             "Vantor Semiconductors", "Westmere Insurance"]
VERBS = ["lifts", "trims", "keeps", "doubles", "reviews", "confirms"]
OBJECTS = ["its yearly outlook", "the dividend", "capital spending plans", "guidance for the quarter",
           "its buyback", "hiring targets"]
PROVIDERS = [{"id": "lanternwire", "name": "Lantern Wire", "logo_id": "lanternwire"},
             {"id": "quillpost", "name": "Quill Post", "logo_id": "quillpost"}]
MARKETS = [["stock"], ["stock", "economic"], ["bond", "corp_bond"], ["crypto"]]
GERMAN = {"lifts": "hebt", "trims": "senkt", "keeps": "bestätigt", "doubles": "verdoppelt", "reviews": "prüft",
          "confirms": "bekräftigt"}


def story_record(index: int, rng: random.Random, *, base_time: int = 1_790_000_000) -> dict[str, Any]:
    """Story number ``index``: an English version, a German one for every third story."""
    company, verb, obj = rng.choice(COMPANIES), rng.choice(VERBS), rng.choice(OBJECTS)
    ticker = "".join(w[0] for w in company.replace("&", "").split()).upper() + str(index % 10)
    symbol = f"NYSE:{ticker}"
    sid = f"gen:{index:04d}:0"
    title = f"{company} {verb} {obj} (note {index})"
    figure = rng.randint(2, 40)
    body: list[Any] = [
        {"type": "p", "children": [f"{company} ", {"type": "symbol", "params": {"symbol": symbol, "text": ticker}},
                                   f" {verb} {obj}, its board said on the call, citing a {figure}% change in orders."]},
        {"type": "p", "children": ["Analysts at the desk called the move ", {"type": "b", "children": ["measured"]},
                                   " and asked for detail on the second half."]},
        {"type": "list", "children": [{"type": "*", "children": [f"Orders: {figure}% against last year"]},
                                      {"type": "*", "children": ["Margin: unchanged"]}]},
    ]
    versions: dict[str, Any] = {"en": _version(title, body, PROVIDERS[index % 2])}
    if index % 3 == 0:
        german = f"{company} {GERMAN[verb]} Ausblick (Notiz {index})"
        versions["de"] = _version(german, [{"type": "p", "children": [f"{company} {GERMAN[verb]} den Ausblick; "
                                                                       f"Aufträge {figure}% über Vorjahr."]}],
                                  PROVIDERS[index % 2])
    record = {
        "id": sid, "published": base_time - index * 600, "urgency": 2, "provider": dict(PROVIDERS[index % 2]),
        "related_symbols": [{"symbol": symbol, "logoid": f"gen-{ticker.lower()}"}],
        "story_path": f"/news/{sid}-{re.sub(r'[^a-z0-9]+', '-', title.lower()).strip('-')}/",
        "markets": MARKETS[index % len(MARKETS)], "countries": ["US"], "versions": versions,
    }
    assert record_problem(record) is None, record_problem(record)
    return record


def _version(title: str, body: list[Any], provider: dict[str, str]) -> dict[str, Any]:
    digest = " ".join(part for node in body for part in node["children"] if isinstance(part, str))[:160]
    return {"title": title, "short_description": digest, "ast_description": {"type": "root", "children": body},
            "tags": [{"title": provider["name"], "args": [{"id": "provider", "value": provider["id"]}]}]}


def write_archive(folder: Path, count: int, seed: int = 1, start: int = 0,
                  images_every: int = 0) -> list[dict[str, Any]]:
    """``folder/stories/NNNN.json`` for ``count`` generated stories (numbered from ``start``);
    with ``images_every``, every so many stories end with an image of their own (a copy of a
    bundled sample image under ``folder/images``)."""
    rng = random.Random(seed)
    records = [story_record(i, rng) for i in range(start, start + count)]
    samples = sorted((sample_archive_path() / "images").iterdir())
    for n, record in enumerate(records):
        if images_every and n % images_every == 0:
            name = f"gen-{n:04d}-resized.jpeg"
            (folder / "images").mkdir(parents=True, exist_ok=True)
            shutil.copyfile(samples[n % len(samples)], folder / "images" / name)
            for version in record["versions"].values():
                version["ast_description"]["children"].append(
                    {"type": "image", "params": {"url": TRADINGVIEW_IMAGE_PREFIX + name}})
    (folder / "stories").mkdir(parents=True, exist_ok=True)
    for i, record in enumerate(records):
        (folder / "stories" / f"{i:04d}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return records


def expected_versions(records: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {(r["id"], lang) for r in records for lang in r["versions"]}


def make_site(root: Path, url: str, *, source: str = "", fetch: str = "", extra: str = "",
              images: str = "") -> Path:
    """A site fetching en and de from ``url``. ``source``: ``key = value`` lines for its
    [[sources]] table (replacing the template's); ``fetch``: the body of a [fetch] table;
    ``extra``: TOML appended at the end (more [[sources]]); ``images``: ``key = value`` lines for
    [images], whose downloads come from ``url`` (without: no image is downloaded)."""
    if images:
        text = config_text(api_url=url, languages=("en", "de"), image_mirror=url)
        for line in images.splitlines():
            key = line.split("=", 1)[0].strip()
            text = re.sub(rf"(?m)^{re.escape(key)} = .*$", lambda _m, line=line: line, text, count=1)
    else:
        text = config_text(api_url=url, languages=("en", "de")).replace("process = true", "process = false")
    head, sep, table = text.rpartition("[[sources]]")
    for line in source.splitlines():
        key = line.split("=", 1)[0].strip()
        if not key:
            continue
        table, found = re.subn(rf"(?m)^{re.escape(key)} = .*$", lambda _m, line=line: line, table)
        if not found:
            table = table.rstrip("\n") + "\n" + line + "\n"
    text = head + sep + table
    if fetch:
        text += "\n[fetch]\n" + fetch + "\n"
    init_site(root, text=text + "\n" + extra)
    return root / "newsdesk.toml"


def posts(site_root: Path) -> dict[str, str]:
    folder = site_root / "site" / "content" / "post"
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md"))}


def posts_by_story(site_root: Path) -> dict[tuple[str, str], str]:
    """(story id, language) -> post text, from the archive's manifest; asserts that the posts folder
    holds exactly the manifest's files (one per story-language, nothing else)."""
    with Store(site_root / "newsdesk.db") as store:
        manifest = store.manifest()
    files = posts(site_root)
    assert sorted(files) == sorted(manifest), "posts folder and manifest differ"
    keys = [(story_id, lang) for story_id, lang, _ in manifest.values()]
    assert len(set(keys)) == len(keys), "a story-language has two posts"
    return {(story_id, lang): files[rel] for rel, (story_id, lang, _) in manifest.items()}


def parse_post(text: str) -> dict[str, Any]:
    """A post's front matter; fails on a partial or malformed post (no closing ``---``, no body)."""
    assert text.startswith("---\n"), text[:80]
    head, sep, body = text[4:].partition("\n---\n")
    assert sep and body.strip() and text.endswith("\n"), f"partial post: {text[-200:]!r}"
    meta = yaml.safe_load(head)
    assert isinstance(meta, dict) and meta.get("title") and meta.get("lang"), head[:200]
    return meta


TEMP_PATTERNS = (re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$"), re.compile(r".*\.tmp$"),
                 re.compile(r".*-(journal|wal|shm)$"), re.compile(r"^tmp[a-z0-9_]{8}$"), re.compile(r".*~$"))


def temp_files(*folders: Path) -> list[Path]:
    """Temp files (newsdesk's ``.name.XXXXXXXX.tmp``, ``*.tmp``, SQLite journal/WAL files once
    every connection is closed, ``tmpXXXXXXXX``, editor backups)."""
    found: list[Path] = []
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file() and any(p.match(path.name) for p in TEMP_PATTERNS):
                found.append(path)
    return found


@contextmanager
def newsdesk_logging_kept() -> Iterator[None]:
    """Restore the ``newsdesk`` logger after in-process CLI runs (``setup_logging`` sets its level,
    handler and ``propagate = False``, which would hide later tests' log records from caplog)."""
    logger = logging.getLogger("newsdesk")
    saved = (logger.level, list(logger.handlers), logger.propagate)
    try:
        yield
    finally:
        logger.setLevel(saved[0])
        logger.handlers[:] = saved[1]
        logger.propagate = saved[2]


def integrity(db_path: Path) -> str:
    db = sqlite3.connect(db_path)
    try:
        return str(db.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        db.close()
