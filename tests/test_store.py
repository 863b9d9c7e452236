import sqlite3
from pathlib import Path

import pytest

from newsdesk.errors import StoreError
from newsdesk.model import Story
from newsdesk.store import Store


def story(lang: str = "en", title: str = "Chipmaker rallies", **kw: object) -> Story:
    base = dict(id="wire:1/2,3:0", lang=lang, title=title, published=1_790_000_000, provider_id="wire",
                provider_name="Example Wire", url="https://www.tradingview.com/news/x/",
                symbols=("NASDAQ:EXMP", "XETR:EXM"))
    base.update(kw)
    return Story(**base)  # type: ignore[arg-type]


def raw(s: Story) -> dict:
    return {"api": "news-flow", "item": {"id": s.id, "title": s.title}, "story": None}


def test_new_changed_unchanged_and_dirty_flags(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as store:
        s = story()
        assert store.upsert(s, raw(s), "h1", "src").status == "new"
        assert [(r.id, r.lang) for r in store.dirty_rows()] == [(s.id, "en")]
        store.mark_clean([(s.id, "en")])
        assert store.upsert(s, raw(s), "h2", "src").status == "unchanged"
        assert store.dirty_rows() == []
        assert store.known([(s.id, "en"), ("other", "en")]) == {(s.id, "en"): "h2"}
        changed = story(title="Chipmaker rallies further")
        assert store.upsert(changed, raw(changed), "h3", "src").status == "changed"
        assert [r.title for r in store.dirty_rows()] == ["Chipmaker rallies further"]


def test_second_language_marks_the_first_dirty(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as store:
        en = story()
        store.upsert(en, raw(en), "h", "src")
        store.mark_clean([(en.id, "en")])
        de = story(lang="de", title="Chiphersteller legt zu")
        store.upsert(de, raw(de), "h", "src")
        assert sorted((r.id, r.lang) for r in store.dirty_rows()) == [(en.id, "de"), (en.id, "en")]
        assert store.languages([en.id]) == {en.id: ["de", "en"]}


def test_list_stories_filters_by_symbol_ticker_and_lang(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as store:
        a = story()
        b = story(lang="en", title="Other", id="other:1", symbols=("NYSE:OTH",), published=1_790_000_100)
        for s in (a, b):
            store.upsert(s, raw(s), "h", "src")
        assert [r.id for r in store.list_stories()] == ["other:1", a.id]
        assert [r.id for r in store.list_stories(symbol="EXMP")] == [a.id]
        assert [r.id for r in store.list_stories(symbol="nasdaq:exmp")] == [a.id]
        assert store.list_stories(lang="de") == []
        assert len(store.list_stories(limit=1)) == 1


def test_names_are_fixed_and_unique(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as store:
        assert store.name_for("a", "same") == "same"
        assert store.name_for("b", "same") == "same-2"
        assert store.name_for("a", "different") == "same"


def test_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as store:
        with pytest.raises(RuntimeError):
            with store.atomic():
                s = story()
                store.upsert(s, raw(s), "h", "src")  # nested: a savepoint
                raise RuntimeError("crash")
        assert store.count() == 0


def test_filtered_items_are_known(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as store:
        store.mark_seen("x", "en", "hx", "exclude:crypto")
        assert store.known([("x", "en")]) == {("x", "en"): "hx"}


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open the archive"):
        Store(bad)


def test_wal_mode(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db"):
        pass
    con = sqlite3.connect(tmp_path / "a.db")
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()
