"""Near-duplicate stories across sources: the same release carried by two feeds, or by a feed and
TradingView, is recognised so that it is published once.

Exact duplicates (a feed's GUID, the canonical URL) are caught before this; here the *text* decides.

**Normalised text.** The title and the first :data:`WORDS` words of the body, NFKC-normalised and
case-folded; tokens are runs of letters (apostrophes dropped), numbers (digit groups joined, so
``5,123.45``, ``5.123,45`` and ``512345`` are one token) and single Han/kana/Thai characters
(scripts written without spaces). Punctuation, URLs and e-mail addresses are dropped. What
syndication adds around a release is dropped too: in the title a prefix such as ``PRESS RELEASE:``,
``UPDATE 2-`` or ``[EQS-News]`` and a short trailing `` - Reuters`` / `` | Business Wire``; in the
body, distributor header lines (``For immediate release``, ``This content was issued through...``),
the dateline (``NEW YORK, March 3, 2025 /PRNewswire/ --``, ``LONDON (Reuters) -``), and everything
from the first footer line on (``About Acme``, ``Forward-looking statements``, ``Media contact:``,
``SOURCE Acme``, ``(Reporting by ...)``, ``###``). Footer lines are recognised as whole lines, so the
body text should keep one block per line (:func:`story_text` does that for a body tree).

**Fingerprint.** The distinct 3-word shingles of that text (title and body shingled separately),
each hashed to 32 bits (CRC-32, then a multiplicative mix), and the :data:`SKETCH` smallest hashes
kept: a *bottom-k sketch*. Two sketches give an unbiased estimate of both the Jaccard similarity
and the containment of one text in the other: below the smaller of the two sketches' largest
values each sketch holds *every* hash of its text, so the shared fraction there is a uniform
sample. The distinct numbers are sketched the same way (up to :data:`NUMBERS`), and the
normalised title is hashed on its own.

**Similar.** Same-language (the index asks only the story's language), published within
:data:`WINDOW` of each other, and:

* text: Jaccard >= :data:`JACCARD`, or at least :data:`CONTAIN` of the smaller text in the larger
  (a feed's excerpt of a full article, a copy with an extra footer that was not recognised);
* short texts (fewer than :data:`LONG` shingles in the smaller): the normalised titles must be
  equal as well, and the text thresholds are stricter (:data:`SHORT_JACCARD`, :data:`SHORT_CONTAIN`);
  with fewer than :data:`MIN_BODY_WORDS` words of body there is no fingerprint at all, so two
  headlines "Apple shares rise" never merge;
* numbers: when both texts carry numbers, at least :data:`NUMBERS_CONTAIN` of the smaller number
  set must be in the other. Syndicated copies carry the same figures; two releases from one
  template (earnings of two companies, a daily "transaction in own shares", consecutive market
  wraps) share most words but not their numbers.

**Index.** :func:`remember` stores the fingerprint (one versioned blob) in table ``dedup`` and its
keys in ``dedup_keys`` (lang, key, published): the :data:`KEYS` smallest hashes of its sketch and
the :data:`LEAD_KEYS` smallest of its first :data:`LEAD_WORDS` body words (what a feed's excerpt
holds). :func:`find_duplicate` looks up the :data:`QUERY_KEYS` smallest hashes of the new story and
its lead keys (one seek in the primary key per hash, bounded by the time window), keeps the stories
that share at least :data:`SHARED_KEYS` of them (1 for a short query such as an excerpt) -- so a
stock phrase that happens to hash low does not make every story a candidate -- and confirms at
most :data:`CANDIDATES` of them, those sharing the most keys first, with :func:`similar`. Two texts
of Jaccard J have the same smallest hash with probability J; simulated, two 300-word texts at
J = 0.3 share two keys in 3,999 of 4,000 trials (at J >= 0.4 in all), and through the real
functions a 30-word excerpt of a synthetic 300-word story is found in 398 of 400 trials, a 40- or
60-word one in 400 of 400.

Why hand-written, and not SimHash with bands: a 64-bit SimHash at Hamming distance <= 3 (the
4x16-bit band scheme) only finds *very* near copies -- the edited and the updated copy of the tests
differ in 21 and 20 of 64 bits (same shingles, blake2b) -- and cannot tell "contained in" from
"similar".
``datasketch`` has MinHash and LSH, but keeps its index in memory or Redis (ours must live in the
archive's SQLite, in its transactions) and needs numpy; ``simhash`` (PyPI) has the SimHash
limits above. What is left is about 150 lines of hashing and set arithmetic.

Use (inside the fetch's transaction): ``fp = fingerprint_story(story)``; when it is not None,
``first = find_duplicate(db, story.lang, story.published, fp, exclude_id=story.id)``; a story with
no ``first`` keeps its own post and is remembered (``remember(db, story.id, story.lang,
story.published, fp)``, again whenever its text changes); a story with one is archived, not
published on its own, and its source is listed on ``first``'s post. Remember only stories that
keep their own post, so that the answer is always one of them.

Robustness: the functions on text never raise and take bounded time on any input (the body is
cut to :data:`MAX_CHARS` characters before any work, the title to :data:`MAX_TITLE`; every regular
expression is linear); the SQLite functions raise only what SQLite raises.
"""

from __future__ import annotations

import re
import sqlite3
import struct
import unicodedata
import zlib
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from newsdesk.model import BLOCK_TYPES, Story

__all__ = ["Fingerprint", "find_duplicate", "fingerprint", "fingerprint_story", "forget", "remember", "similar",
           "story_text"]

WORDS = 300  # body words fingerprinted (after the header is dropped)
SKETCH = 96  # smallest shingle hashes kept
NUMBERS = 32  # smallest number hashes kept
KEYS = 16  # smallest sketch hashes indexed
QUERY_KEYS = 32  # smallest sketch hashes looked up
LEAD_WORDS, LEAD_KEYS = 50, 4  # also indexed: the smallest hashes of the body's first words
SHARED_KEYS = 2  # a candidate shares at least this many of them ...
SMALL_QUERY = 100  # ... or one, when the new story has fewer shingles than this
MIN_BODY_WORDS = 10  # less body than this: no fingerprint
LONG = 40  # shingles; fewer in the smaller text: the short-text rule
JACCARD, CONTAIN = 0.5, 0.8
SHORT_JACCARD, SHORT_CONTAIN = 0.7, 0.9
NUMBERS_CONTAIN = 0.6
WINDOW = 3 * 86_400  # seconds: near-duplicates are published within three days of each other
CANDIDATES = 500  # most candidates confirmed per lookup
MAX_CHARS = 20_000
MAX_TITLE = 1_000
VERSION = 1  # of the fingerprint (blob format and the text rules); other versions never match

_MASK = 0xFFFFFFFF
_HEAD = "<BIIIHHB"  # version, title, size, nsize and the lengths of sketch, numbers and lead
_MIX = 0x9E3779B97F4A7C15
_CJK = re.compile("[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")
_APOSTROPHES = str.maketrans("", "", "'\u2019")
_SEPARATORS = str.maketrans("", "", ".,")
_LINK = re.compile(r"(?:https?://|www\.)\S*|(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
_TITLE_PREFIX = re.compile(
    r"(?:\s*(?:\[[^\]]{0,40}\]|\((?:press release|update \d{0,2}|corrected|correction|refile)\)"
    r"|(?:press release|pressemitteilung|communiqué de presse|comunicado de prensa|news release|media release"
    r"|update(?: \d{1,2})?|rpt|refile|corrected|correction|brief|exclusive|breaking(?: news)?|flash|urgent|alert"
    r"|wrapup(?: \d{1,2})?|analysis|factbox|instant view|(?:eqs|dgap)-[\w-]{1,20}|ad[- ]hoc)"
    r"\s{0,3}(?:[:|\-\u2013\u2014]|\s-)\s*))+")
_TITLE_SUFFIX = re.compile(r"\s+[|\-\u2013\u2014]\s+([^|\-\u2013\u2014\d]{1,40})$|\s*\((?:reuters|ap|afp|updated?)\)$")
_HEADER = re.compile(
    r"(?:for immediate release|(?:press|news|media) release|pressemitteilung|advertisement|sponsored"
    r"|not for (?:release|distribution|publication)\b.*"
    r"|this (?:content|press release|announcement|news release) (?:was|is|has been) (?:issued|distributed"
    r"|published|released|provided)\b.*|(?:eqs|dgap)-[\w-]{1,20}:.*|ots:.*)")
_DATELINE = re.compile(
    r".{0,160}?(?:/\s?(?:pr ?newswire|business ?wire|globe ?newswire|accesswire|newsfile|cnw|marketwired|prweb"
    r"|ein ?presswire|newswire)\b[^/]{0,40}/|\((?:business ?wire|globe ?newswire|reuters|ap|afp|dow jones"
    r"|dpa-afx|bloomberg|rttnews|mt newswires|newsfile corp\.? - [^)]{0,30})\))\s?(?:--|[-\u2013\u2014:])?\s*")
_FOOTER_LINE = re.compile(  # a whole (short) line
    r"(?:about (?:[^\W\d]|[ &.,'\-])[^\d!?]{0,60}|(?:media|press|investors?|analysts?|ir)(?: relations)?"
    r"(?: contacts?| inquiries| enquiries)?:?|contacts?:?|source\s.{0,80}|#\s?#\s?#|-\s?30\s?-)")
_FOOTER_START = re.compile(  # the start of a line
    r"(?:cautionary (?:note|statement)s?|forward[- ]looking (?:statements?|information)|safe harbou?r"
    r"|(?:media |press |investor )?contacts?:|source:|view (?:source|original) (?:version|content)"
    r"|\(?(?:additional )?(?:reporting|writing|editing|compiled) by|disclaimer\b|(?:©|copyright)\s"
    r"|(?:photos?|logos?|multimedia|images?)\s?[-:]|the issuer is solely responsible"
    r"|end of (?:announcement|media release)|(?:eqs|dgap) news service)")


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What :func:`similar` compares: sorted bottom-k sketches of the shingle and number hashes,
    the sizes of the sets they sample (a sketch shorter than its set's size is truncated), and the
    normalised title's hash (0: no title)."""

    title: int
    size: int
    sketch: tuple[int, ...]
    nsize: int
    numbers: tuple[int, ...]
    lead: tuple[int, ...] = ()  # the smallest hashes of the body's first LEAD_WORDS words

    @property
    def keys(self) -> tuple[int, ...]:
        """The hashes a remembered story is found by."""
        return tuple(sorted(set(self.sketch[:KEYS]).union(self.lead)))

    @property
    def query_keys(self) -> tuple[int, ...]:
        """The hashes a new story is looked up with."""
        return tuple(sorted(set(self.sketch[:QUERY_KEYS]).union(self.lead)))

    def to_bytes(self) -> bytes:
        counts = (len(self.sketch), len(self.numbers), len(self.lead))
        head = struct.pack(_HEAD, VERSION, self.title, self.size, self.nsize, *counts)
        return head + struct.pack(f"<{sum(counts)}I", *self.sketch, *self.numbers, *self.lead)

    @classmethod
    def from_bytes(cls, blob: bytes) -> Fingerprint | None:
        """The fingerprint :meth:`to_bytes` wrote, or None (another version, or not one)."""
        head = struct.calcsize(_HEAD)
        if not isinstance(blob, bytes) or len(blob) < head or blob[0] != VERSION:
            return None
        _, title, size, nsize, ns, nn, nl = struct.unpack_from(_HEAD, blob)
        if len(blob) != head + 4 * (ns + nn + nl) or not ns:
            return None
        values = struct.unpack_from(f"<{ns + nn + nl}I", blob, head)
        return cls(title, size, values[:ns], nsize, values[ns:ns + nn], values[ns + nn:])


# -- text -> fingerprint ----------------------------------------------------------------------
def _hash(data: bytes) -> int:
    return ((zlib.crc32(data) * _MIX) >> 32) & _MASK


def _normal(text: str, limit: int) -> str:
    text = unicodedata.normalize("NFKC", text[:limit])[:2 * limit].casefold().translate(_APOSTROPHES)
    return _LINK.sub(" ", text) if "@" in text or "http" in text or "www." in text else text


def _tokens(line: str, numbers: set[str]) -> list[str]:
    """The words of one normalised line; number tokens (separators dropped) also go to ``numbers``."""
    if _CJK.search(line):
        line = _CJK.sub(r" \g<0> ", line)
    words: list[str] = _TOKEN.findall(line)
    for index, word in enumerate(words):
        if word[0].isdigit():
            word = words[index] = word.translate(_SEPARATORS)
            numbers.add(word)
    return words


def _title_words(title: str, numbers: set[str]) -> list[str]:
    text = _normal(title, MAX_TITLE).strip()
    prefix = _TITLE_PREFIX.match(text)
    if prefix:
        text = text[prefix.end():]
    suffix = _TITLE_SUFFIX.search(text)
    if suffix and (suffix.group(1) is None or len(suffix.group(1).split()) <= 4):
        text = text[:suffix.start()]
    return _tokens(text, numbers)


def _body_words(text: str, numbers: set[str]) -> list[str]:
    """The first :data:`WORDS` words of the body without its header and footer lines."""
    words: list[str] = []
    head = True  # still among the first lines, where header lines and the dateline are dropped
    for index, raw in enumerate(_normal(text, MAX_CHARS).splitlines()):
        line = raw.strip()
        if not line:
            continue
        if head and index < 8 and len(line) <= 300 and _HEADER.fullmatch(line):
            continue
        if head:
            head = False
            dateline = _DATELINE.match(line)
            if dateline:
                line = line[dateline.end():]
        elif len(words) >= MIN_BODY_WORDS and _footer(line):
            break
        words += _tokens(line, numbers)
        if len(words) >= WORDS:
            return words[:WORDS]
    return words


def _footer(line: str) -> bool:
    """Whether a line starts the footer a distributor or publisher adds below a story."""
    return bool(_FOOTER_START.match(line) or len(line) <= 100 and _FOOTER_LINE.fullmatch(line))


def _shingles(words: list[str]) -> list[int]:
    """The 32-bit hashes of the word triples in order (of the whole text when it has fewer words):
    CRC-32, then mixed (Fibonacci hashing) so that the smallest values are a fair sample."""
    if len(words) < 3:
        crcs = [zlib.crc32(" ".join(words).encode("utf-8", "surrogatepass"))] if words else []
    else:
        crcs = [zlib.crc32(f"{a} {b} {c}".encode("utf-8", "surrogatepass"))
                for a, b, c in zip(words, words[1:], words[2:])]
    return [((crc * _MIX) >> 32) & _MASK for crc in crcs]


def fingerprint(title: str, text: str) -> Fingerprint | None:
    """The fingerprint of a story's title and plain body text (one block per line), or None when
    the body has fewer than :data:`MIN_BODY_WORDS` words (too little to tell stories apart).
    Never raises; any input, of any size, takes bounded time."""
    title = title if isinstance(title, str) else ""
    text = text if isinstance(text, str) else ""
    numbers: set[str] = set()
    body = _body_words(text, numbers)
    if len(body) < MIN_BODY_WORDS:
        return None
    heading = _title_words(title, numbers)
    body_hashes = _shingles(body)
    hashes = sorted(set(body_hashes).union(_shingles(heading)))
    number_hashes = sorted({_hash(n.encode("utf-8", "surrogatepass")) for n in numbers})
    title_key = _hash(" ".join(heading).encode("utf-8", "surrogatepass")) | 1 if heading else 0
    lead = sorted(set(body_hashes[:LEAD_WORDS - 2]))[:LEAD_KEYS]  # the triples of the first words
    return Fingerprint(title_key, len(hashes), tuple(hashes[:SKETCH]), len(number_hashes),
                       tuple(number_hashes[:NUMBERS]), tuple(lead))


def story_text(tree: Any) -> str:
    """The plain text of a body tree with one line per block (what :func:`fingerprint` wants)."""
    parts: list[str] = []
    stack: list[Any] = [tree]
    budget = MAX_CHARS
    while stack and budget > 0:
        node = stack.pop()
        if isinstance(node, str):
            parts.append(node)
            budget -= len(node)
        elif isinstance(node, dict):
            if node.get("type") in BLOCK_TYPES:
                parts.append("\n")
                stack.append("\n")
            children = node.get("children")
            if isinstance(children, list):
                stack.extend(reversed(children))
    return "".join(parts)


def fingerprint_story(story: Story) -> Fingerprint | None:
    """:func:`fingerprint` of a story: its title and body tree (its digest when it has no body)."""
    text = story_text(story.tree) if story.tree is not None else ""
    if not text.strip():
        text = story.digest
    return fingerprint(story.title, text)


# -- comparing ----------------------------------------------------------------------------------
def _overlap(a: tuple[int, ...], a_size: int, b: tuple[int, ...], b_size: int) -> tuple[int, int, int]:
    """(shared, in a, in b) among the hashes where both sketches are complete."""
    limit = min(a[-1] if a and a_size > len(a) else _MASK, b[-1] if b and b_size > len(b) else _MASK)
    a = a[:bisect_right(a, limit)]
    b = b[:bisect_right(b, limit)]
    return len(set(a).intersection(b)), len(a), len(b)


def similar(a: Fingerprint, b: Fingerprint) -> bool:
    """Whether two fingerprints are of the same story (the rules are in the module docstring)."""
    shared, na, nb = _overlap(a.sketch, a.size, b.sketch, b.size)
    if not na or not nb:
        return False
    jaccard = shared / (na + nb - shared)
    contained = shared / min(na, nb)
    if min(a.size, b.size) < LONG:
        if not a.title or a.title != b.title:
            return False
        if jaccard < SHORT_JACCARD and contained < SHORT_CONTAIN:
            return False
    elif jaccard < JACCARD and contained < CONTAIN:
        return False
    if a.numbers and b.numbers:
        shared, na, nb = _overlap(a.numbers, a.nsize, b.numbers, b.nsize)
        if not na or not nb or shared < NUMBERS_CONTAIN * min(na, nb):
            return False
    return True


# -- the archive's index ------------------------------------------------------------------------
def _clamp(published: int) -> int:
    return max(-(2 ** 62), min(2 ** 62, int(published)))


@contextmanager
def _savepoint(db: sqlite3.Connection) -> Iterator[None]:
    """A savepoint: its own transaction outside one, nested inside the caller's (Store.atomic)."""
    db.execute("SAVEPOINT dedup")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK TO dedup")
        db.execute("RELEASE dedup")
        raise
    db.execute("RELEASE dedup")


def _drop(db: sqlite3.Connection, story_id: str, lang: str) -> None:
    row = db.execute("SELECT n, published, fp FROM dedup WHERE id = ? AND lang = ?", (story_id, lang)).fetchone()
    if row is None:
        return
    n, published, blob = row
    old = Fingerprint.from_bytes(blob)
    if old is not None:
        db.executemany("DELETE FROM dedup_keys WHERE lang = ? AND key = ? AND published = ? AND n = ?",
                       [(lang, key, published, n) for key in old.keys])
    else:  # a fingerprint of another version: its keys are unknown, find them the slow way (rare)
        db.execute("DELETE FROM dedup_keys WHERE lang = ? AND n = ?", (lang, n))
    db.execute("DELETE FROM dedup WHERE n = ?", (n,))


def remember(db: sqlite3.Connection, story_id: str, lang: str, published: int, fp: Fingerprint) -> None:
    """Index a story's fingerprint (replacing the one it had) so later copies find it."""
    published = _clamp(published)
    with _savepoint(db):
        _drop(db, story_id, lang)
        n = db.execute("INSERT INTO dedup (id, lang, published, fp) VALUES (?, ?, ?, ?)",
                       (story_id, lang, published, fp.to_bytes())).lastrowid
        db.executemany("INSERT OR IGNORE INTO dedup_keys (lang, key, published, n) VALUES (?, ?, ?, ?)",
                       [(lang, key, published, n) for key in fp.keys])


def forget(db: sqlite3.Connection, story_id: str, lang: str) -> None:
    """Drop a story from the index (nothing happens when it is not there)."""
    with _savepoint(db):
        _drop(db, story_id, lang)


def find_duplicate(db: sqlite3.Connection, lang: str, published: int, fp: Fingerprint, *,
                   exclude_id: str | None = None, window: int = WINDOW) -> str | None:
    """The id of the remembered story of language ``lang``, published within ``window`` seconds of
    ``published``, that ``fp`` near-duplicates -- the earliest published of them (then the
    smallest id) -- or None. ``exclude_id`` (the story itself, when it is re-checked) never
    matches. At most :data:`CANDIDATES` candidates are confirmed."""
    keys = fp.query_keys
    if not keys:
        return None
    published, window = _clamp(published), max(0, min(int(window), 2 ** 61))
    marks = ",".join("?" * len(keys))
    rows = db.execute(f"SELECT n FROM dedup_keys WHERE lang = ? AND key IN ({marks}) AND published BETWEEN ? AND ? "
                      "GROUP BY n HAVING COUNT(*) >= ? ORDER BY COUNT(*) DESC, n LIMIT ?",
                      (lang, *keys, published - window, published + window,
                       SHARED_KEYS if fp.size >= SMALL_QUERY else 1, CANDIDATES)).fetchall()
    if not rows:
        return None
    numbers = [n for (n,) in rows]
    candidates = db.execute(f"SELECT id, published, fp FROM dedup WHERE n IN ({','.join('?' * len(numbers))})",
                            numbers).fetchall()
    for story_id, _, blob in sorted(candidates, key=lambda row: (row[1], row[0])):
        if story_id == exclude_id:
            continue
        other = Fingerprint.from_bytes(blob)
        if other is not None and similar(fp, other):
            return str(story_id)
    return None
