"""Near-duplicate detection cost: fingerprints/s and index lookups/s with 100,000 remembered stories.

Usage: .venv/bin/python bench/bench_dedup.py [--stories 100000] [--lookups 4000] [--days 60] [--dir DIR]

Synthetic stories (seeded): a 6-12 word title and 8-14 sentences of 12-28 words drawn Zipf-like
from a 3,000-word vocabulary, one sentence in five taken from a pool of 2,000 stock sentences
("the company said in a statement"), fresh numbers in half of the sentences -- so that stories
share phrases and whole sentences the way a day's news does and the index meets real candidates,
not only empty probes. Published times spread over
``--days`` days.

Measured in the same run:

* fingerprint: :func:`newsdesk.dedup.fingerprint` on every story, against a floor that only
  NFKC-normalises, case-folds and splits the same texts (what any text comparison costs);
* remember: every story into a fresh archive (a real :class:`newsdesk.store.Store` file, 1,000
  stories per transaction), and the archive's growth per story;
* lookup: :func:`newsdesk.dedup.find_duplicate` for ``--lookups`` new stories, half of them
  edited copies of remembered stories (two sentences dropped, one word in three sentences
  changed, a wrapper line added), half unrelated, against a floor of one primary-key read of a
  remembered fingerprint per lookup; with the copies found (recall) and the unrelated stories
  wrongly matched (false matches).

Rates are per CPU second of this process (the archive is in /dev/shm unless ``--dir`` says otherwise).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

from newsdesk.dedup import Fingerprint, find_duplicate, fingerprint, remember
from newsdesk.store import Store

DAY = 86_400
START = 1_760_000_000
POOL = 2_000
STOCK = 0.2  # share of sentences from the pool
VOCABULARY = 3_000


def vocabulary(rng: random.Random) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    words: set[str] = set()
    while len(words) < VOCABULARY:
        words.add("".join(rng.choice(letters) for _ in range(rng.randint(2, 11))))
    return sorted(words)


def sentence_pool(rng: random.Random, words: list[str]) -> list[str]:
    weights = [1 / (rank + 1) for rank in range(len(words))]
    pool = []
    for _ in range(POOL):
        chosen = rng.choices(words, weights, k=rng.randint(12, 28))
        pool.append(" ".join(chosen).capitalize() + ".")
    return pool


def make_story(rng: random.Random, words: list[str], pool: list[str], weights: list[float]) -> tuple[str, str]:
    title = " ".join(rng.choices(words, weights, k=rng.randint(6, 12))).title()
    lines = []
    for _ in range(rng.randint(8, 14)):
        if rng.random() < STOCK:
            sentence = rng.choice(pool)
        else:
            sentence = " ".join(rng.choices(words, weights, k=rng.randint(12, 28))).capitalize() + "."
        if rng.random() < 0.5:
            sentence = sentence[:-1] + f" by {rng.uniform(0, 99):.1f}% to {rng.randint(10, 99_999):,}."
        lines.append(sentence)
    return title, "\n".join(lines)


def edited_copy(rng: random.Random, words: list[str], title: str, text: str) -> tuple[str, str]:
    lines = text.split("\n")
    for _ in range(2):
        if len(lines) > 6:
            del lines[rng.randrange(len(lines))]
    for _ in range(3):
        index = rng.randrange(len(lines))
        tokens = lines[index].split()
        tokens[rng.randrange(len(tokens))] = rng.choice(words)
        lines[index] = " ".join(tokens)
    return "PRESS RELEASE: " + title, "This content was issued through Example Wire.\n" + "\n".join(lines)


def floor(title: str, text: str) -> int:
    return len(unicodedata.normalize("NFKC", title + "\n" + text).casefold().split())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=4_000)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--dir", type=Path, default=None, help="where the archive goes (default: a temp dir)")
    args = parser.parse_args()
    rng = random.Random(13)
    words = vocabulary(rng)
    pool = sentence_pool(rng, words)
    weights = [1 / (rank + 1) for rank in range(len(words))]
    stories = [make_story(rng, words, pool, weights) for _ in range(args.stories)]
    times = sorted(START + rng.randrange(args.days * DAY) for _ in range(args.stories))

    start = time.process_time()
    for title, text in stories:
        floor(title, text)
    floor_cpu = time.process_time() - start
    start = time.process_time()
    prints: list[Fingerprint | None] = [fingerprint(title, text) for title, text in stories]
    fp_cpu = time.process_time() - start
    print(f"fingerprint: {args.stories / fp_cpu:,.0f} stories/s (floor {args.stories / floor_cpu:,.0f}/s: "
          f"{fp_cpu / floor_cpu:.1f}x the floor's CPU); {sum(p is None for p in prints)} without fingerprint", flush=True)

    folder = args.dir or Path(tempfile.mkdtemp(prefix="bench-dedup-", dir="/dev/shm" if os.path.isdir("/dev/shm")
                                                else None))
    path = folder / "archive.db"
    with Store(path) as store:
        empty = path.stat().st_size
        start = time.process_time()
        for chunk in range(0, args.stories, 1000):
            with store.atomic():
                for number in range(chunk, min(chunk + 1000, args.stories)):
                    value = prints[number]
                    if value is not None:
                        remember(store.db, f"story-{number}", "en", times[number], value)
        remember_cpu = time.process_time() - start
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        grown = path.stat().st_size - empty
        print(f"remember: {args.stories / remember_cpu:,.0f} stories/s; archive +{grown / 2 ** 20:.1f} MiB "
              f"({grown / args.stories:.0f} bytes per story)", flush=True)

        queries: list[tuple[Fingerprint | None, int, str | None]] = []
        for number in range(args.lookups):
            if number % 2 == 0:
                number = rng.randrange(args.stories)
                title, text = edited_copy(rng, words, *stories[number])
                queries.append((fingerprint(title, text), times[number] + 3600, f"story-{number}"))
            else:
                title, text = make_story(rng, words, pool, weights)
                queries.append((fingerprint(title, text), START + rng.randrange(args.days * DAY), None))
        keys = [(f"story-{rng.randrange(args.stories)}", "en") for _ in queries]
        start = time.process_time()
        for key in keys:
            store.db.execute("SELECT fp FROM dedup WHERE id = ? AND lang = ?", key).fetchone()
        floor_read_cpu = time.process_time() - start
        found = wrong = copies = 0
        start = time.process_time()
        for value, published, expected in queries:
            match = find_duplicate(store.db, "en", published, value) if value is not None else None
            if expected is not None:
                copies += 1
                found += match == expected
            else:
                wrong += match is not None
        lookup_cpu = time.process_time() - start
        print(f"lookup: {len(queries) / lookup_cpu:,.0f} lookups/s (floor: {len(queries) / floor_read_cpu:,.0f} "
              f"point reads/s, {lookup_cpu / floor_read_cpu:.1f}x); copies found {found}/{copies}, "
              f"unrelated stories matched {wrong}/{len(queries) - copies}")
    if args.dir is None:
        for leftover in folder.iterdir():
            leftover.unlink()
        folder.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
