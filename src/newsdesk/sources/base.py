"""What every source hands to the fetch loop, and the interface a source implements.

A source reads its service and yields, per listed item, a :class:`Fetched` story (with the raw
JSON the archive keeps, from which the source's ``story_from_raw`` rebuilds the same
:class:`~newsdesk.model.Story`) or a :class:`Failed` one (recorded and retried by id later), and
after each unit of progress a :class:`~newsdesk.sources.sweep.Checkpoint` whose state the archive
saves for that source and sequence. The fetch loop (:mod:`newsdesk.fetch`) knows nothing else
about it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Protocol, TypeAlias

from newsdesk.model import Story
from newsdesk.sources.sweep import Checkpoint

__all__ = ["Checkpoint", "Document", "Failed", "Fetched", "KnownLookup", "Result", "Retry", "Source", "StateLookup"]


@dataclass(frozen=True)
class Fetched:
    """A story read from the source, with the raw JSON the archive keeps and its list item's hash."""

    story: Story
    raw: dict[str, Any]  # the source's own record; its story_from_raw(raw) == story
    item_hash: str
    documents: tuple[Document, ...] = ()  # pages the story was read from, kept in the archive


@dataclass(frozen=True)
class Document:
    """A fetched page kept beside its story (an article's HTML)."""

    url: str
    content_type: str
    body: bytes


@dataclass(frozen=True)
class Failed:
    """A listed item whose story could not be read; the run goes on.

    ``retry`` is False when asking again cannot help (an item without an id); ``deferred_until``
    is set when the service asked to wait (the item is not a failure: it is listed again later).
    """

    id: str
    lang: str
    message: str
    item: Mapping[str, Any] | None = None
    item_hash: str = ""
    retry: bool = True
    deferred_until: float | None = None


Result: TypeAlias = Fetched | Failed
#: (id, lang) pairs of one page -> item hash archived (or recorded as failed) for each such pair.
KnownLookup: TypeAlias = Callable[[Sequence[tuple[str, str]]], Mapping[tuple[str, str], str]]
#: sequence key -> the state text its last Checkpoint saved (None: nothing saved yet).
StateLookup: TypeAlias = Callable[[str], str | None]
#: (id, lang, list item) of a failed story to request again.
Retry: TypeAlias = tuple[str, str, Mapping[str, Any]]


class Source(Protocol):
    """One configured source during one run."""

    requests_made: int  # logical requests made (each URL asked once, retries not counted)

    def fetch(self, known: KnownLookup, on_item: Callable[[], None] | None = None,
              state: StateLookup | None = None) -> Iterator[Result | Checkpoint]:
        """Yield a result for every new or changed item and a Checkpoint after each unit of progress."""

    def retry(self, failed: Sequence[Retry]) -> Iterator[Result]:
        """Request failed stories again by id; yield a result for each."""

    def __enter__(self) -> Source: ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...
