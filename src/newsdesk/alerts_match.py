"""Which stories an ``[[alerts]]`` rule matches.

A rule matches a story when its language and source are among the rule's (when it lists any) and
one of its tickers or keywords is found:

- tickers (``NVDA`` or ``NASDAQ:NVDA``) against the story's symbols and the symbols found in its
  title and text by :func:`newsdesk.tickers.find_symbols` (cashtags, exchange notations,
  ``Company (TICKER)``). Symbols are compared whole: ``F`` is Ford's ``NYSE:F``, never the "F" of
  "Fed". A bare ticker matches it on any exchange; ``EXCHANGE:TICKER`` that listing only (the
  exchange as text writes it is understood: ``Nasdaq:NVDA`` is ``NASDAQ:NVDA``);
- keywords as whole words (or phrases, any whitespace between their words), case-insensitive, in
  the title and the body's text (the digest when the body is withheld).

A rule with ``facts`` (``"eps:miss"``, ``"guidance_revenue:below"``, ``"dividend"``;
:mod:`newsdesk.facts.filters`) matches only a story with such a market fact (``newsdesk.facts``,
extracted from the story when a rule first asks): about one of the rule's tickers when it lists
any (a fact's entity against the ticker part, ``HKEX:700`` = ``0700``), and with one of its
keywords in the story when it lists keywords.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from newsdesk.config import AlertRule
from newsdesk.facts import Fact
from newsdesk.facts.archive import FactsFn, facts_of_story, kept_facts
from newsdesk.facts.filters import matching, parse_filter
from newsdesk.model import Story, plain_text, ticker_of
from newsdesk.tickers import canonical_exchange, find_symbols

if TYPE_CHECKING:  # pragma: no cover
    from newsdesk.store import Store

__all__ = ["Facts", "Matcher"]


class Facts:
    """What rules look at in one story (text and symbols worked out once, when first asked)."""

    def __init__(self, story: Story, source: str, extract_facts: FactsFn | None = None,
                 store: Store | None = None) -> None:
        self.story, self.source = story, source
        self._extract = extract_facts
        self._store = store

    @cached_property
    def market_facts(self) -> tuple[Fact, ...]:
        """The story's market facts: those the archive keeps for it (``store``, when they are
        current), else extracted from its title and plain text as publish does."""
        if self._store is not None and self._extract is None:
            kept = kept_facts(self._store, self.story.id, self.story.lang)
            if kept is not None:
                return tuple(kept)
        return tuple(facts_of_story(self.story, self._extract))

    @cached_property
    def text(self) -> str:
        body = plain_text(self.story.tree) if self.story.tree is not None else self.story.digest
        return f"{self.story.title}\n{body}"

    @cached_property
    def symbols(self) -> tuple[str, ...]:
        """The story's symbols, then those found in its text, upper case, each once."""
        found = dict.fromkeys(s.upper() for s in self.story.symbols)
        found.update(dict.fromkeys(s.upper() for s in find_symbols(self.text)))
        return tuple(found)


def _symbol(text: str) -> tuple[str, str]:
    """("EXCHANGE", "TICKER") of a rule's ticker; exchange "" for a bare ticker."""
    exchange, _, ticker = text.strip().lstrip("$").rpartition(":")
    exchange = exchange.strip()
    if exchange:
        exchange = canonical_exchange(exchange) or exchange.upper()
    return exchange, ticker.strip().upper()


def _keyword_pattern(keywords: tuple[str, ...]) -> re.Pattern[str] | None:
    words = [r"\s+".join(re.escape(part) for part in k.split()) for k in keywords if k.split()]
    if not words:
        return None
    return re.compile(rf"(?<!\w)(?:{'|'.join(sorted(words, key=len, reverse=True))})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Matcher:
    """One rule, compiled."""

    rule: AlertRule

    @cached_property
    def _tickers(self) -> frozenset[str]:
        return frozenset(t for ex, t in map(_symbol, self.rule.tickers) if not ex and t)

    @cached_property
    def _symbols(self) -> frozenset[str]:
        return frozenset(f"{ex}:{t}" for ex, t in map(_symbol, self.rule.tickers) if ex and t)

    @cached_property
    def _keywords(self) -> re.Pattern[str] | None:
        return _keyword_pattern(self.rule.keywords)

    @cached_property
    def _filters(self) -> list[tuple[str, str | None]]:
        return [parse_filter(entry) for entry in self.rule.facts]

    def matching_facts(self, facts: Facts) -> list[Fact]:
        """The story's facts this rule's ``facts`` admit (about its tickers when it has any)."""
        if not self._filters:
            return []
        return matching(facts.market_facts, self._filters, self.rule.tickers)

    def admits(self, lang: str, source: str) -> bool:
        """Whether a story of this language and source may match (checked before reading it)."""
        return ((not self.rule.languages or lang in self.rule.languages)
                and (not self.rule.sources or source in self.rule.sources))

    def matches(self, facts: Facts) -> bool:
        if not self.admits(facts.story.lang, facts.source):
            return False
        if self._filters:
            if self._keywords is not None and self._keywords.search(facts.text) is None:
                return False
            return bool(self.matching_facts(facts))
        if self._tickers or self._symbols:
            for symbol in facts.symbols:
                if symbol in self._symbols or ticker_of(symbol) in self._tickers:
                    return True
        return self._keywords is not None and self._keywords.search(facts.text) is not None
