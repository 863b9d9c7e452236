"""The front-matter entries of a story's market facts: ``facts`` (the tuples) and ``key_figures``
(their phrases in the story's language), or nothing when it has none."""

from __future__ import annotations

from collections.abc import Sequence

from newsdesk.facts.display import key_figures
from newsdesk.facts.model import Fact
from newsdesk.render.frontmatter import front_matter_entries


def facts_front_matter(facts: Sequence[Fact], lang: str) -> str:
    """The entries (lines ending in a newline) of ``facts``; "" for none."""
    if not facts:
        return ""
    return front_matter_entries([("facts", [fact.to_json() for fact in facts]),
                                 ("key_figures", key_figures(facts, lang))])
