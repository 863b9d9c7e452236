"""Paging a newest-first list down to what the last completed sweep covered, across runs and crashes.

A *sweep* reads a list request sequence from its first page down to a boundary: the newest item
of the last completed sweep (the *watermark*), or the end of the list. It completes when a page
holds an item at or below the boundary (same id, or published earlier) or when the list ends;
only then does the watermark move (to the newest item this sweep started at). ``max_pages``
bounds one run: a sweep it cuts short stays *pending* with the cursor to continue from, and the
next run first reads the new head of the list down to the newest pending sweep, then continues
the pending sweeps from their cursors, newest first. After every page whose items were all dealt
with (archived, filtered or recorded as failed) a :class:`Checkpoint` carries the new state to be
saved, so a run killed mid-sweep goes on from the last finished page.

Every source that pages a newest-first list uses :func:`sweep`; the state is plain data
(:class:`SweepState`, JSON-serialisable), kept by the archive per (source, sequence).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

#: A list item's place in its list: (published epoch seconds or None, story id).
Mark = tuple[int | None, str]
R = TypeVar("R")


@dataclass
class Pending:
    """A sweep in progress: the newest item it started at and the cursor to continue from."""

    top: Mark
    cursor: str | None


@dataclass
class SweepState:
    """The progress of one list request sequence."""

    watermark: Mark | None = None
    pending: list[Pending] = field(default_factory=list)  # newest first

    def to_json(self) -> str:
        return json.dumps({"watermark": list(self.watermark) if self.watermark else None,
                           "pending": [{"top": list(p.top), "cursor": p.cursor} for p in self.pending]},
                          separators=(",", ":"), ensure_ascii=True)

    @classmethod
    def from_json(cls, text: str | None) -> SweepState:
        """The state saved by :meth:`to_json`; unreadable text gives a fresh state (a full sweep)."""
        if not text:
            return cls()
        try:
            data = json.loads(text)
            mark = data.get("watermark")
            pending = [Pending(_mark(p["top"]), p.get("cursor") if isinstance(p.get("cursor"), str) else None)
                       for p in data.get("pending", [])]
            return cls(watermark=_mark(mark) if mark else None, pending=pending)
        except (ValueError, TypeError, KeyError, AttributeError):
            return cls()


def _mark(value: Any) -> Mark:
    published, story_id = value
    return (int(published) if isinstance(published, (int, float)) and not isinstance(published, bool) else None,
            str(story_id))


@dataclass(frozen=True)
class Checkpoint:
    """Every item yielded before this is dealt with: save ``state`` for ``sequence``."""

    sequence: str
    state: SweepState


class CursorLoop(Exception):
    """The list's cursor led back to a page already read in this sweep."""


class BadCursor(Exception):
    """The service refused a saved cursor (expired or foreign); the sweep restarts from the top."""


def reached(mark: Mark | None, boundary: Mark | None) -> bool:
    """True when ``mark`` is the boundary item or older than it."""
    if mark is None or boundary is None:
        return False
    if mark[1] == boundary[1]:
        return True
    return mark[0] is not None and boundary[0] is not None and mark[0] < boundary[0]


@dataclass
class _Run(Generic[R]):
    sequence: str
    state: SweepState
    pages_left: int
    list_page: Callable[[str | None], tuple[list[Any], str | None]]
    handle_page: Callable[[list[Any]], Generator[R, None, None]]
    mark_of: Callable[[Any], Mark | None]


def sweep(sequence: str, state: SweepState, max_pages: int,
          list_page: Callable[[str | None], tuple[list[Any], str | None]],
          handle_page: Callable[[list[Any]], Generator[R, None, None]],
          mark_of: Callable[[Any], Mark | None]) -> Iterator[R | Checkpoint]:
    """Read the head of the list, then continue pending sweeps, within ``max_pages`` pages.

    ``list_page(cursor)`` returns (items, next cursor or None) and raises :class:`BadCursor` when
    the service refuses a cursor; ``handle_page(items)`` yields the page's results. Raises
    :class:`CursorLoop` (after saving what was done) when the cursor loops.
    """
    run = _Run(sequence, state, max_pages, list_page, handle_page, mark_of)
    yield from _head(run)
    while run.pages_left > 0 and state.pending:
        yield from _continue(run)


def _first_mark(run: _Run[R], items: list[Any]) -> Mark | None:
    for item in items:
        mark = run.mark_of(item)
        if mark is not None:
            return mark
    return None


def _merge_down(state: SweepState, top: Mark, index: int) -> None:
    """The sweep at ``index`` reached its boundary: join it to the next older one, or move the watermark."""
    if index < len(state.pending):
        state.pending[index].top = top
    else:
        state.watermark = top


def _follow(cursor: str | None, seen: set[str | None]) -> None:
    """Note a cursor about to be followed; a cursor read before in this sweep is a loop."""
    if cursor in seen:
        raise CursorLoop(f"the list's cursor led back to a page already read ({str(cursor)[:40]})")
    seen.add(cursor)


def _head(run: _Run[R]) -> Iterator[R | Checkpoint]:
    """From the first page down to the newest pending sweep (or the watermark)."""
    state = run.state
    boundary = state.pending[0].top if state.pending else state.watermark
    cursor: str | None = None
    seen: set[str | None] = {None}
    top: Mark | None = None
    pushed = False
    while run.pages_left > 0:
        items, next_cursor = run.list_page(cursor)
        run.pages_left -= 1
        if top is None:
            top = _first_mark(run, items)
        done = not next_cursor or any(reached(run.mark_of(item), boundary) for item in items)
        yield from run.handle_page(items)
        if done:
            if pushed:
                finished = state.pending.pop(0)
                _merge_down(state, finished.top, 0)
            elif top is not None:
                _merge_down(state, top, 0)
        elif pushed:
            state.pending[0].cursor = next_cursor
        elif top is not None:
            state.pending.insert(0, Pending(top, next_cursor))
            pushed = True
        yield Checkpoint(run.sequence, state)
        if done:
            return
        _follow(next_cursor, seen)
        cursor = next_cursor


def _continue(run: _Run[R]) -> Iterator[R | Checkpoint]:
    """Continue the newest pending sweep from its cursor down to the next older one (or the watermark)."""
    state = run.state
    current = state.pending[0]
    boundary = state.pending[1].top if len(state.pending) > 1 else state.watermark
    seen: set[str | None] = {current.cursor}
    while run.pages_left > 0:
        try:
            items, next_cursor = run.list_page(current.cursor)
        except BadCursor:
            if current.cursor is None:
                raise
            current.cursor = None  # read it again from the top: what is archived costs no request
            seen = {None}
            yield Checkpoint(run.sequence, state)
            continue
        run.pages_left -= 1
        done = not next_cursor or any(reached(run.mark_of(item), boundary) for item in items)
        yield from run.handle_page(items)
        if done:
            state.pending.pop(0)
            _merge_down(state, current.top, 0)
        else:
            current.cursor = next_cursor
        yield Checkpoint(run.sequence, state)
        if done:
            return
        _follow(next_cursor, seen)
