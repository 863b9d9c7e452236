"""publish: only changed files are written, missing ones come back, foreign files are left alone."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

import newsdesk.publish as publish_module
from newsdesk.cli import cli
from newsdesk.config import Config, load_config
from newsdesk.errors import PublishError
from newsdesk.publish import publish
from newsdesk.site.scaffold import config_text, init_site
from newsdesk.sources.tradingview import parse_raw
from newsdesk.store import Store


def raw_story(n: int, title: str | None = None, lang: str = "en") -> dict:
    item = {"id": f"wire:{n}/x:0", "title": title or f"Example Corp beats estimates, part {n}",
            "published": 1_793_000_000 + n, "provider": {"id": "wire", "name": "Example Wire"},
            "storyPath": f"/news/wire:{n}/x:0-example/"}
    story = {**item, "language": lang, "short_description": "Short.", "tags": [{"title": "Stocks"}],
             "ast_description": {"type": "root", "children": [{"type": "p", "children": [f"Body {n}."]}]}}
    return {"api": "news-flow", "lang": lang, "item": item, "story": story}


@pytest.fixture
def site(tmp_path: Path) -> tuple[Config, Store]:
    init_site(tmp_path, text=config_text(languages=("en", "de")))
    config = load_config(tmp_path / "newsdesk.toml")
    store = Store(config.store_path)
    for n in range(3):
        raw = raw_story(n)
        store.upsert(parse_raw(raw), raw, f"h{n}", "test")
    yield config, store
    store.close()


def test_first_publish_writes_all_then_nothing(site: tuple[Config, Store]) -> None:
    config, store = site
    first = publish(config, store)
    assert len(first.written) == 3 and not first.failed
    assert publish(config, store).written == []


def test_deleted_post_comes_back(site: tuple[Config, Store]) -> None:
    config, store = site
    victim = publish(config, store).written[0]
    text = victim.read_text()
    victim.unlink()
    again = publish(config, store)
    assert again.written == [victim]
    assert victim.read_text() == text


def test_foreign_file_in_the_way_is_left_alone(site: tuple[Config, Store]) -> None:
    config, store = site
    paths = publish(config, store, everything=True).written
    target = paths[1]
    store.db.execute("DELETE FROM posts WHERE path = ?", (target.name,))  # as if newsdesk never wrote it
    target.write_text("my own notes\n")
    report = publish(config, store, everything=True)
    assert [f[0] for f in report.failed] == ["wire:1/x:0"]
    assert "did not write" in report.failed[0][2]
    assert target.read_text() == "my own notes\n"


def test_settings_change_republishes_everything(site: tuple[Config, Store], tmp_path: Path) -> None:
    config, store = site
    publish(config, store)
    cfg_file = tmp_path / "newsdesk.toml"
    cfg_file.write_text(cfg_file.read_text().replace('sidebar = "right"', 'sidebar = "left"'))
    changed = publish(load_config(cfg_file), store)
    assert len(changed.written) == 3
    assert all('sidebar: "left"' in p.read_text() for p in changed.written)


def test_files_are_named_once_and_shared_by_languages(site: tuple[Config, Store]) -> None:
    config, store = site
    publish(config, store)
    raw = raw_story(0, title="Example Corp übertrifft die Erwartungen", lang="de")
    store.upsert(parse_raw(raw), raw, "hde", "test")
    written = sorted(p.name for p in publish(config, store).written)
    assert len(written) == 2  # the German post, and the English one whose translations grew
    stems = {name.rsplit(".", 2)[0] for name in written}
    assert len(stems) == 1 and "example-corp-beats-estimates" in stems.pop()
    assert 'translations:\n  - "de"\n  - "en"' in (config.content_dir / written[1]).read_text()


def test_crash_between_write_and_manifest_adopts_the_identical_file(site: tuple[Config, Store]) -> None:
    config, store = site
    written = publish(config, store).written
    target = written[0]
    store.db.execute("DELETE FROM posts WHERE path = ?", (target.name,))  # the manifest row never landed
    store.db.execute("UPDATE stories SET dirty = 1")  # nor the clean mark
    report = publish(config, store)
    assert report.written == [] and report.failed == []
    assert target.name in store.manifest()


# -- streaming, batching, failures ---------------------------------------------------------------

def ref_story(n: int, other: int) -> dict:
    """A story whose body links to story ``other`` by id (a story-ref)."""
    raw = raw_story(n)
    raw["story"]["ast_description"] = {"type": "root", "children": [{"type": "p", "children": [
        "See ", {"type": "story-ref", "params": {"id": f"wire:{other}/x:0", "title": "the other story"}}, "."]}]}
    return raw


def add_stories(store: Store, numbers: range) -> None:
    for n in numbers:
        raw = ref_story(n, n + 5) if n % 3 == 0 else raw_story(n)
        store.upsert(parse_raw(raw), raw, f"h{n}", "test")


def test_small_batches_write_the_same_posts_and_refs_resolve_across_batches(
        site: tuple[Config, Store], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config, store = site
    add_stories(store, range(12))
    init_site(tmp_path / "one", text=config_text(languages=("en", "de")))
    config_one = load_config(tmp_path / "one" / "newsdesk.toml")
    with Store(config_one.store_path) as other:
        add_stories(other, range(12))
    monkeypatch.setattr(publish_module, "BATCH", 2)
    monkeypatch.setattr(publish_module, "KEY_BATCH", 3)
    small = publish(config, store)
    monkeypatch.setattr(publish_module, "BATCH", 1000)
    with Store(config_one.store_path) as other:
        whole = publish(config_one, other)
    assert len(small.written) == len(whole.written) == 12 and not small.failed
    assert {p.name: p.read_bytes() for p in small.written} == {p.name: p.read_bytes() for p in whole.written}
    names = store.names()
    first = (config.content_dir / f"{names['wire:0/x:0']}.en.md").read_text()
    assert f"[the other story](../{names['wire:5/x:0']}/)" in first  # named before its batch came
    assert store.dirty_rows() == []


def test_one_transaction_per_batch_not_per_post(site: tuple[Config, Store], monkeypatch: pytest.MonkeyPatch) -> None:
    config, store = site
    add_stories(store, range(3, 40))
    monkeypatch.setattr(publish_module, "BATCH", 10)
    statements: list[str] = []
    store.db.set_trace_callback(statements.append)
    report = publish(config, store)
    store.db.set_trace_callback(None)
    assert len(report.written) == 40
    begins = [s for s in statements if s.startswith("BEGIN")]
    assert len(begins) <= 2 * 4 + 6, begins  # 4 batches: pending paths, then results; a few meta writes
    assert sum(s.startswith("INSERT INTO posts") for s in statements) == 2 * 40  # pending + final, batched


def test_render_failure_is_kept_with_its_reason_and_retried(site: tuple[Config, Store]) -> None:
    config, store = site
    good = store.db.execute("SELECT raw FROM stories WHERE id = 'wire:1/x:0'").fetchone()[0]
    store.db.execute("""UPDATE stories SET raw = '{"api":"news-flow","item":{"id":"wire:1/x:0","title":5}}'
                        WHERE id = 'wire:1/x:0'""")
    report = publish(config, store)
    assert [f[0] for f in report.failed] == ["wire:1/x:0"] and len(report.written) == 2
    error, dirty = store.db.execute("SELECT publish_error, dirty FROM stories WHERE id = 'wire:1/x:0'").fetchone()
    assert dirty == 1 and "title is not a string" in error
    store.db.execute("UPDATE stories SET raw = ? WHERE id = 'wire:1/x:0'", (good,))
    again = publish(config, store)
    assert [p.name for p in again.written] == [f"{store.names()['wire:1/x:0']}.en.md"] and not again.failed
    assert store.db.execute("SELECT publish_error, dirty FROM stories WHERE id = 'wire:1/x:0'").fetchone() == (None, 0)


def no_space_after(monkeypatch: pytest.MonkeyPatch, allowed: int) -> None:
    """``os.replace`` (the last step of every post write) fails with ENOSPC after ``allowed`` calls."""
    real = os.replace
    calls = {"n": 0}

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        calls["n"] += 1
        if calls["n"] > allowed:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)


def test_disk_full_mid_publish_stops_keeps_what_was_written_and_next_run_completes(
        site: tuple[Config, Store], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config, store = site
    before = {p.name: p.read_bytes() for p in publish(config, store).written}
    add_stories(store, range(3, 12))
    monkeypatch.setattr(publish_module, "BATCH", 4)
    no_space_after(monkeypatch, 5)
    with pytest.raises(PublishError) as caught:
        publish(config, store)
    assert str(caught.value) == (f"cannot write posts to {config.content_dir}: No space left on device; "
                                 f"free space and run again")
    folder = config.content_dir
    files = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert not [name for name in files if not name.endswith(".md")]  # no temp file left
    assert len(files) == 3 + 5 and all(files[name] == data for name, data in before.items())
    assert set(store.manifest()) == set(files)  # every written post recorded, nothing else
    assert store.db.execute("SELECT COUNT(*) FROM stories WHERE dirty = 1").fetchone()[0] == 4
    assert store.db.execute("SELECT COUNT(*) FROM posts WHERE hash = ''").fetchone()[0] == 0
    monkeypatch.undo()
    again = publish(config, store)
    assert len(again.written) == 4 and not again.failed and store.dirty_rows() == []
    assert len(list(folder.iterdir())) == 12


def test_crash_after_pending_record_rewrites_changed_story(site: tuple[Config, Store]) -> None:
    config, store = site
    publish(config, store)
    raw = raw_story(7)
    store.upsert(parse_raw(raw), raw, "h7", "test")
    store.assign_names({"wire:7/x:0": "example-corp-7"})
    path = config.content_dir / "example-corp-7.en.md"
    path.write_text("written by a publish that was killed before it recorded the post\n")
    store.record_posts([("example-corp-7.en.md", "wire:7/x:0", "en", "")])  # its pending entry
    report = publish(config, store)
    assert report.written == [path] and not report.failed
    assert "Body 7." in path.read_text()


def lock_folder(folder: Path, locked: bool) -> None:
    """Make ``folder`` refuse new files in a way the kernel enforces even for root (the immutable
    attribute), or by its mode for other users; skip the test where neither is possible."""
    if os.geteuid() != 0:
        folder.chmod(0o555 if locked else 0o755)
        return
    done = subprocess.run(["chattr", "+i" if locked else "-i", str(folder)], capture_output=True, check=False)
    if done.returncode != 0 and locked:
        pytest.skip(f"cannot make a folder unwritable for root here: {done.stderr.decode().strip()}")


def test_posts_folder_unwritable_mid_publish_then_next_run_completes(
        site: tuple[Config, Store], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A real condition, no injected error: the posts folder stops taking files after the first batch."""
    if shutil.which("chattr") is None and os.geteuid() == 0:
        pytest.skip("chattr is not installed")
    config, store = site
    before = {p.name: p.read_bytes() for p in publish(config, store).written}
    add_stories(store, range(3, 12))
    monkeypatch.setattr(publish_module, "BATCH", 4)
    folder = config.content_dir
    seen: list[int] = []

    def progress(done: int, total: int) -> None:
        seen.append(done)
        if done == 4:
            lock_folder(folder, True)

    try:
        with pytest.raises(PublishError) as caught:
            publish(config, store, progress=progress)
        files = {p.name: p.read_bytes() for p in folder.iterdir()}
    finally:
        lock_folder(folder, False)
    assert str(caught.value).startswith(f"cannot write posts to {folder}: ")
    assert str(caught.value).endswith("; make it writable and run again")
    assert len(files) == 3 + 4 and all(files[name] == data for name, data in before.items())
    assert set(store.manifest()) == set(files) and max(seen) == 8
    again = publish(config, store)
    assert len(again.written) == 5 and not again.failed and store.dirty_rows() == []
    assert not [p for p in folder.iterdir() if not p.name.endswith(".md")]  # no temp file, ever


def test_cli_publish_on_a_full_disk_exits_1_with_one_clear_line(
        site: tuple[Config, Store], monkeypatch: pytest.MonkeyPatch) -> None:
    config, _ = site
    no_space_after(monkeypatch, 1)
    result = CliRunner().invoke(cli, ["-q", "-c", str(config.file), "publish"])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"error: cannot write posts to {config.content_dir}: No space left on device; free space and run again")
    monkeypatch.undo()
    assert CliRunner().invoke(cli, ["-q", "-c", str(config.file), "publish"]).exit_code == 0
    assert len(list(config.content_dir.iterdir())) == 3


def test_written_paths_spill_to_disk_and_read_back_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(publish_module.PathLog, "SPILL", 3)
    log = publish_module.PathLog()
    paths = [Path(f"/site/content/post/story-{n}.{'é' if n % 2 else 'en'}.md") for n in range(8)]
    for path in paths:
        log.append(path)
    assert log._file is not None and len(log._recent) == 2  # six went to the temporary file
    assert len(log) == 8 and list(log) == paths and log == paths and log[5] == paths[5] and log
    assert [a for a in log for _ in log][:3] == [paths[0]] * 3  # nested walks do not disturb each other
