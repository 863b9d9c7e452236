"""newsdesk.sources.sweep: paging a newest-first list down to the watermark, across runs and crashes."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest

from newsdesk.sources.sweep import BadCursor, Checkpoint, CursorLoop, Mark, SweepState, reached, sweep


class FakeList:
    """A newest-first list of (published, id) items with offset cursors; records what was read."""

    def __init__(self, count: int, page_size: int = 3) -> None:
        self.items: list[dict[str, Any]] = [{"published": 1000 + n, "id": f"s{n}"} for n in range(count)][::-1]
        self.page_size = page_size
        self.pages: list[str | None] = []
        self.refuse: set[str] = set()
        self.loop_at: int | None = None

    def add(self, n: int) -> None:
        """n newer items arrive on top."""
        newest = self.items[0]["published"] if self.items else 1000
        self.items[:0] = [{"published": newest + k, "id": f"n{newest + k}"} for k in range(n, 0, -1)]

    def page(self, cursor: str | None) -> tuple[list[Any], str | None]:
        if cursor in self.refuse:  # an expired token; a fresh one for the same place works
            self.refuse.discard(cursor)
            raise BadCursor("expired")
        self.pages.append(cursor)
        offset = int(cursor) if cursor else 0
        end = offset + self.page_size
        if self.loop_at is not None and end >= self.loop_at:
            return self.items[offset:end], "0"
        return self.items[offset:end], (str(end) if end < len(self.items) else None)


def mark_of(item: Any) -> Mark:
    return (item["published"], item["id"])


def run(lst: FakeList, state: SweepState, max_pages: int = 100, stop_after: int | None = None) -> list[str]:
    """One run; returns the ids handled. ``stop_after`` pages: the run is killed (no more checkpoints)."""
    handled: list[str] = []

    def handle(items: list[Any]) -> Generator[str, None, None]:
        for item in items:
            handled.append(item["id"])
            yield item["id"]

    saved = SweepState.from_json(state.to_json())
    checkpoints = 0
    for event in sweep("seq", saved, max_pages, lst.page, handle, mark_of):
        if isinstance(event, Checkpoint):
            checkpoints += 1
            # what the archive keeps: the state text as of this page
            state.watermark, state.pending = SweepState.from_json(event.state.to_json()).watermark, \
                SweepState.from_json(event.state.to_json()).pending
            if stop_after is not None and checkpoints >= stop_after:
                break
    return handled


def test_first_sweep_reads_to_the_end_and_sets_the_watermark() -> None:
    lst, state = FakeList(10), SweepState()
    assert run(lst, state) == [f"s{n}" for n in range(9, -1, -1)]
    assert state.watermark == (1009, "s9") and state.pending == []


def test_next_sweep_stops_at_the_watermark_and_moves_it() -> None:
    lst, state = FakeList(10), SweepState()
    run(lst, state)
    lst.add(4)
    lst.pages.clear()
    handled = run(lst, state)
    assert handled[:4] == ["n1013", "n1012", "n1011", "n1010"]
    assert "s9" in handled and len(lst.pages) == 2  # the page holding the old top ends it
    assert state.watermark == (1013, "n1013")


def test_a_killed_sweep_leaves_the_watermark_and_resumes_from_the_last_page() -> None:
    lst, state = FakeList(10), SweepState()
    run(lst, state)
    lst.add(12)  # four pages of new items
    run(lst, state, stop_after=2)  # killed after two pages
    assert state.watermark == (1009, "s9")  # not moved
    assert state.pending and state.pending[0].cursor == "6"
    lst.pages.clear()
    handled = run(lst, state)
    assert lst.pages[0] is None  # the head first (nothing new: one page)
    assert "6" in lst.pages  # then on from where the killed run stopped
    assert {"n1013", "n1012", "n1011", "n1010"} <= set(handled)
    assert state.watermark == (1021, "n1021") and state.pending == []


def test_max_pages_cuts_a_sweep_short_and_the_next_run_resumes_it() -> None:
    lst, state = FakeList(30), SweepState()
    first = run(lst, state, max_pages=4)
    assert len(first) == 12 and state.watermark is None
    assert [p.cursor for p in state.pending] == ["12"]
    lst.add(2)
    second = run(lst, state, max_pages=4)
    assert second[:2] == ["n1031", "n1030"]  # the new head first
    assert state.pending and state.pending[0].top == (1031, "n1031")
    while state.pending:
        run(lst, state, max_pages=4)
    assert state.watermark == (1031, "n1031")


def test_every_item_is_handled_whatever_the_kill_points() -> None:
    lst, state = FakeList(25, page_size=4), SweepState()
    handled: set[str] = set()
    for stop in (1, 3, 2, 1, 5):
        handled |= set(run(lst, state, max_pages=3, stop_after=stop))
        lst.add(3)
    while state.pending or state.watermark is None:
        handled |= set(run(lst, state, max_pages=3))
    handled |= set(run(lst, state, max_pages=3))
    assert handled == {item["id"] for item in lst.items}


def test_a_refused_cursor_restarts_that_sweep_from_the_top() -> None:
    lst, state = FakeList(12), SweepState()
    first = run(lst, state, max_pages=2)
    assert state.pending[0].cursor == "6"
    lst.refuse.add("6")
    second = run(lst, state)
    assert set(first) | set(second) == {f"s{n}" for n in range(12)}
    assert {"s0", "s5"} <= set(second)
    assert state.pending == [] and state.watermark == (1011, "s11")


def test_a_looping_cursor_raises_after_saving_progress() -> None:
    lst, state = FakeList(12), SweepState()
    lst.loop_at = 6
    with pytest.raises(CursorLoop):
        run(lst, state)
    assert state.watermark is None  # not complete


def test_reached() -> None:
    assert reached((5, "a"), (5, "a"))
    assert reached((4, "b"), (5, "a"))
    assert not reached((5, "b"), (5, "a"))
    assert not reached((6, "b"), (5, "a"))
    assert reached((None, "a"), (5, "a"))
    assert not reached((None, "b"), (5, "a"))
    assert not reached((1, "a"), None)


def test_state_round_trips_and_bad_text_means_a_fresh_sweep() -> None:
    state = SweepState((5, "a:b/c"), [])
    assert SweepState.from_json(state.to_json()) == state
    assert SweepState.from_json("{not json") == SweepState()
    assert SweepState.from_json('{"watermark": [1]}') == SweepState()
