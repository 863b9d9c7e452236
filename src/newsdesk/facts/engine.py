"""The extractor: a story's title and text -> its market facts (placeholder until the rule engine lands)."""

from __future__ import annotations

from collections.abc import Sequence

from newsdesk.facts.model import Fact


def extract(title: str, text: str, lang: str, symbols: Sequence[str] = ()) -> list[Fact]:
    """The facts a story states, in order of appearance.

    ``lang`` is the story's language (``en``, ``de``, ``es``; others give no facts), ``symbols``
    its related symbols (``NASDAQ:NVDA`` or ``NVDA``), which take precedence when entities resolve.
    """
    return []
