"""The text of alert messages: one story, a digest of several, and the sample of `alerts test`.

A story's message holds its title, time (the site's time zone), provider, tickers, summary and the
link to its page on the site; for a rule with ``facts``, also the phrases of the story's facts that
made it match ("Key figures: EPS $0.81 vs $0.85 expected (miss)", in the story's language). The link follows how Hugo places posts: ``content/post/<name>.<lang>.md``
is ``<base_url>post/<name>/`` in the site's default language (the first of ``config.languages``,
as the managed Hugo config writes ``defaultContentLanguage``) and ``<base_url><lang>/post/<name>/``
in the others. Messages are plain text; story text is untrusted, so control and bidi-override
characters are dropped and whitespace runs collapse to one space.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from newsdesk.alerts_deliver import Message
from newsdesk.alerts_match import Facts
from newsdesk.config import AlertRule, Config
from newsdesk.facts import Fact
from newsdesk.facts.display import describe
from newsdesk.facts.filters import matching, parse_filter
from newsdesk.model import ticker_of
from newsdesk.render.post import summary_text

__all__ = ["Item", "digest_message", "item", "sample_message", "story_link", "story_message"]

#: Stories listed in one digest; the rest are counted in its last line.
DIGEST_ITEMS = 50
TITLE_MAX = 200
TICKERS_MAX = 10

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: str, limit: int = 2000) -> str:
    """One line of untrusted text, safe to put in a message."""
    line = " ".join(_UNSAFE.sub(" ", text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def site_root(base_url: str) -> str:
    return base_url if base_url.endswith("/") else base_url + "/"


def story_link(base_url: str, default_lang: str, lang: str, name: str) -> str:
    """The URL of a post's page on the site."""
    base = site_root(base_url)
    prefix = "" if lang == default_lang else f"{quote(lang, safe='')}/"
    return f"{base}{prefix}post/{quote(name, safe='')}/"


def local_time(epoch: int, timezone: str) -> str:
    """``2026-03-01 14:05 CET``: a story's time in the site's time zone."""
    return datetime.fromtimestamp(epoch, ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M %Z")


@dataclass(frozen=True)
class Item:
    """One story as messages show it."""

    title: str
    when: str
    provider: str
    tickers: tuple[str, ...]
    summary: str
    link: str
    facts: tuple[Fact, ...] = ()  # the story's market facts (when a rule filters on facts)
    lang: str = "en"

    def header(self) -> str:
        return " · ".join(p for p in (self.provider, self.when) if p)


def item(facts: Facts, link: str, config: Config) -> Item:
    story = facts.story
    tickers = tuple(dict.fromkeys(ticker_of(s) for s in facts.symbols))[:TICKERS_MAX]
    return Item(clean(story.title, TITLE_MAX) or "(untitled)", local_time(story.published, config.site.timezone),
                clean(story.provider_name, 100), tuple(clean(t, 20) for t in tickers),
                clean(summary_text(story, config.site.summary_words)), link,
                facts.market_facts if any(rule.facts for rule in config.alerts) else (), story.lang)


def story_message(rule: AlertRule, entry: Item) -> Message:
    lines = [entry.header()]
    if entry.tickers:
        lines.append("Tickers: " + ", ".join(entry.tickers))
    if rule.facts and (found := matching(entry.facts, [parse_filter(f) for f in rule.facts], rule.tickers)):
        lines.append("Key figures: " + "; ".join(clean(describe(fact, entry.lang), 200) for fact in found))
    if entry.summary:
        lines += ["", entry.summary]
    lines += ["", entry.link, "", f"newsdesk alert: {rule.name}"]
    return Message(entry.title, "\n".join(lines))


def digest_message(rule: AlertRule, entries: Sequence[Item], total: int, base_url: str) -> Message:
    """One message for ``total`` stories (more than the rule's ``digest_after``): ``entries`` (the
    newest, at most :data:`DIGEST_ITEMS`, newest first) are listed, the rest counted."""
    blocks: list[str] = []
    for entry in entries[:DIGEST_ITEMS]:
        header = entry.header() + (" · " + ", ".join(entry.tickers) if entry.tickers else "")
        blocks.append("\n".join(p for p in (entry.title, header, entry.summary, entry.link) if p))
    rest = total - len(blocks)
    if rest > 0:
        blocks.append(f"… and {rest} more on {base_url}")
    blocks.append(f"newsdesk alert: {rule.name}")
    return Message(f"{total} new stories for {rule.name}", "\n\n".join(blocks))


def sample_message(config: Config, rule: AlertRule, now: float | None = None) -> Message:
    """What `newsdesk alerts test NAME` sends: a message shaped like a real one."""
    what = ", ".join((*rule.tickers, *rule.keywords, *rule.facts))
    entry = Item(f"newsdesk test alert for {rule.name}",
                 local_time(int(time.time() if now is None else now), config.site.timezone), "newsdesk",
                 tuple(_symbol_ticker(t) for t in rule.tickers[:TICKERS_MAX]),
                 f"This is a test. Stories matching {what} will arrive like this.",
                 site_root(config.site.base_url))
    return story_message(rule, entry)


def _symbol_ticker(text: str) -> str:
    return ticker_of(text.strip().lstrip("$")).upper()
