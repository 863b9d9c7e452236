"""Which keyword patterns can match where a word starts, decided from the word's first characters.

Hand-written for speed: ``re`` has no multi-pattern prefilter, and trying the keyword alternation
at each of a sentence's ~100 word starts was the extractor's largest single cost. From each
pattern's parse tree this module works out the strings (case-folded as ``re.IGNORECASE`` folds
them, up to ``DEPTH`` characters) that every match must begin with; at a word start only the
patterns one of whose strings begins the text there are tried, as one alternation that keeps the
full one's group names and branch order. A pattern left out cannot match at that position, so the
alternation finds the same match. A German compound ("Quartalsumsatz") is caught by its inner word.
:func:`scanner` turns the same strings (longer ones) into one regex for the word starts worth
looking at, so most words of a sentence are never visited in Python.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]
import re
from re import _casefix, _parser  # type: ignore[attr-defined]  # re's extra IGNORECASE cases, its parser
from re import _constants as _C  # type: ignore[attr-defined]
from typing import Any

#: how many leading characters the prefilter looks at
DEPTH = 4
_LIMIT = 4096  # prefix strings per pattern before giving up (then the pattern is tried everywhere)
_CACHE_LIMIT = 200_000  # memoised keys per table (text from sources is untrusted)
_Prefixes = tuple[set[str], set[str]]  # (strings after which the item is complete, strings cut short)


def fold(ch: str) -> str:
    """One character as ``re.IGNORECASE`` compares it: lower-cased, re's extra equivalences merged."""
    lo = _sre.unicode_tolower(ord(ch))
    return chr(min((lo, *_casefix._EXTRA_CASES.get(lo, ()))))


def fold_key(text: str) -> str:
    return text.lower() if text.isascii() else "".join(fold(c) for c in text)


def prefixes(pattern: str, flags: int = re.IGNORECASE, depth: int = DEPTH) -> set[str] | None:
    """Folded strings one of which begins every match of ``pattern`` (each at most ``depth`` long), or
    None when a match may begin with anything."""
    found = split(pattern, flags, depth)
    return None if found is None or found[1] else found[0]


def split(pattern: str, flags: int = re.IGNORECASE, depth: int = DEPTH) -> tuple[set[str], set[str]] | None:
    """(starts, inners): every match of ``pattern`` begins with one of ``starts``, or is a run of
    word characters and hyphens followed by one of ``inners`` (a compound: "Quartalsumsatz"); None
    when a match may begin with anything."""
    starts: set[str] = set()
    inners: set[str] = set()
    try:
        for branch in _branches(list(_parser.parse(pattern, flags))):
            target = starts
            if branch and _word_run(branch[0]):
                branch, target = branch[1:], inners
            done, cut = _seq(branch, depth)
            target |= done | cut
    except _GiveUp:
        return None
    return None if "" in starts or "" in inners else (starts, inners)


def _branches(items: list[Any]) -> list[list[Any]]:
    """The sequences a parsed pattern may match, its leading groups, alternations and optional items
    spelled out (at most 256), so that a compound's word run shows at the start of its own."""
    out: list[list[Any]] = []
    todo = [items]
    while todo:
        seq = todo.pop()
        head = seq[0] if seq else None
        if head is not None and head[0] is _C.SUBPATTERN:
            todo.append([*head[1][3], *seq[1:]])
        elif head is not None and head[0] is _C.BRANCH:
            todo.extend([*b, *seq[1:]] for b in reversed(head[1][1]))
        elif head is not None and head[0] in (_C.MAX_REPEAT, _C.MIN_REPEAT) and head[1][0] == 0 and head[1][1] == 1:
            todo.extend(([*head[1][2], *seq[1:]], seq[1:]))
        else:
            out.append(seq)
        if len(out) + len(todo) > 256:
            raise _GiveUp
    return out


def _word_run(item: tuple[Any, Any]) -> bool:
    """Whether ``item`` is ``[\\w-]*`` or ``\\w*``: any run of word characters and hyphens."""
    op, av = item
    if op is not _C.MAX_REPEAT or av[0] != 0 or len(av[2]) != 1 or av[2][0][0] is not _C.IN:
        return False
    return all((o is _C.CATEGORY and a is _C.CATEGORY_WORD) or (o is _C.LITERAL and a == ord("-"))
               for o, a in av[2][0][1])


class _GiveUp(Exception):
    pass


def _seq(items: list[Any], depth: int) -> _Prefixes:
    done, cut = {""}, set()
    for item in items:
        if not done:
            break
        i_done, i_cut = _item(item, depth)
        cut |= {a + b for a in done for b in i_cut}
        done = {a + b for a in done for b in i_done}
        long = {s for s in done if len(s) >= depth}
        if long:
            done -= long
            cut |= {s[:depth] for s in long}
        cut = {s[:depth] for s in cut}
        if len(done) + len(cut) > _LIMIT:
            raise _GiveUp
    return done, cut


def set_chars(av: list[Any]) -> set[str] | None:
    """The characters of a parsed character set (``[...]``), or None when it is open-ended
    (a negated set, a class like ``\\w``, a wide range)."""
    out: set[str] = set()
    for o, a in av:
        if o is _C.LITERAL:
            out.add(chr(a))
        elif o is _C.RANGE and a[1] - a[0] <= 300:
            out.update(chr(x) for x in range(a[0], a[1] + 1))
        else:
            return None
    return out


def _chars(av: list[Any]) -> set[str] | None:
    out = set_chars(av)
    if out is None:
        return None
    return {fold(c) for x in out for c in {x, x.lower()[:1] or x, x.upper()[:1] or x}}


def _item(item: tuple[Any, Any], depth: int) -> _Prefixes:
    """(complete, cut short) strings of one parsed item."""
    op, av = item
    if op is _C.LITERAL:
        return {fold(chr(av))}, set()
    if op is _C.IN:
        chars = _chars(av)
        return (chars, set()) if chars is not None else (set(), {""})
    if op in (_C.AT, _C.ASSERT, _C.ASSERT_NOT):
        return {""}, set()
    if op is _C.SUBPATTERN:
        return _seq(list(av[3]), depth)
    if op is _C.BRANCH:
        done, cut = set(), set()
        for branch in av[1]:
            d, c = _seq(list(branch), depth)
            done |= d
            cut |= c
        return done, cut
    if op in (_C.MAX_REPEAT, _C.MIN_REPEAT, _C.POSSESSIVE_REPEAT):
        low, high, body = av[0], av[1], list(av[2])
        d, c = _seq(body, depth)
        if high == 1:
            return (d | {""} if low == 0 else d), c
        return ({""} if low == 0 else set()), c | d  # after the first repeat: unknown
    return set(), {""}


_RUN = re.compile(r"[\w-]*")


class PrefixTable:
    """Word start -> the alternation of the patterns that can match there (or None)."""

    def __init__(self, pairs: list[tuple[str, str]], tail: str, flags: int = re.IGNORECASE) -> None:
        self._pairs = pairs
        self._tail = tail
        self._flags = flags
        found = [split(p, flags) for _, p in pairs]
        self._always = sum(1 << i for i, got in enumerate(found) if got is None)
        self._starts: dict[str, int] = {}  # a leading string -> the patterns (bits) a match may begin with it
        for i, got in enumerate(found):
            for x in got[0] if got is not None else ():
                self._starts[x] = self._starts.get(x, 0) | 1 << i
        self._inner = [(1 << i, got[1]) for i, got in enumerate(found) if got is not None and got[1]]
        self._by_key: dict[str, int] = {}
        self._by_bits: dict[int, re.Pattern[str] | None] = {}

    def get(self, text: str, pos: int) -> re.Pattern[str] | None:
        """The pattern to try at ``pos`` of ``text`` (None: no pattern can match there)."""
        raw = text[pos:pos + DEPTH]
        bits = self._by_key.get(raw)
        if bits is None:
            key = fold_key(raw)
            starts = self._starts
            bits = self._always
            for n in range(1, len(key) + 1):
                bits |= starts.get(key[:n], 0)
            if len(self._by_key) < _CACHE_LIMIT:
                self._by_key[raw] = bits
        if self._inner:  # compounds: the inner word anywhere in the run of word characters
            run = _RUN.match(text, pos).end()  # type: ignore[union-attr]
            word = fold_key(text[pos:run + DEPTH])
            for bit, inners in self._inner:
                if not bits & bit and any(x in word for x in inners):
                    bits |= bit
        pattern = self._by_bits.get(bits, False)
        if pattern is False:
            pattern = self._by_bits[bits] = self._compile(tuple(i for i in range(len(self._pairs)) if bits >> i & 1))
        return pattern  # type: ignore[return-value]

    def _compile(self, keep: tuple[int, ...]) -> re.Pattern[str] | None:
        if not keep:
            return None
        parts = "|".join(f"(?P<k{i}>{self._pairs[i][1]})" for i in keep)
        return re.compile(r"(?:" + parts + r")" + self._tail, self._flags)


#: how many leading characters the word-start scanner looks at
SCAN_DEPTH = 8


def scanner(pairs: list[tuple[str, str]], flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """The word starts (a letter not after a word character or hyphen) where one of the patterns
    can match: one scan of the sentence in place of a Python loop over all its words."""
    from newsdesk.facts.numbers_patterns import alternation

    found = [split(p, flags, SCAN_DEPTH) for _, p in pairs]
    head = r"(?<![\w-])(?=[^\W\d_])"
    if any(f is None for f in found):
        return re.compile(head)
    starts = set().union(*(f[0] for f in found if f is not None))
    inners = set().union(*(f[1] for f in found if f is not None))
    ahead = [rf"(?={alternation(starts)})"] if starts else []
    if inners:
        ahead.append(rf"(?=[\w-]*{alternation(inners)})")
    return re.compile(head + "(?:" + ("|".join(ahead) or "(?!)") + ")", re.IGNORECASE)

