"""run_once builds when posts or images changed since the last completed build, and only then."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk import runner
from newsdesk.config import load_config
from newsdesk.replay import ReplayServer
from newsdesk.site.hugo import HugoResult
from newsdesk.site.scaffold import config_text, init_site
from newsdesk.store import Store


def test_a_build_is_owed_until_one_completes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    builds: list[int] = []
    fail = {"next": False}

    def fake_build(config: object, store: object = None) -> HugoResult:
        """Stands in for Hugo: this test is about when run_once builds, not how."""
        if fail["next"]:
            fail["next"] = False
            raise RuntimeError("killed mid-build")
        builds.append(1)
        (tmp_path / "site" / "public").mkdir(parents=True, exist_ok=True)
        return HugoResult(seconds=0.0, warnings=[], output="")

    monkeypatch.setattr(runner, "build", fake_build)
    with ReplayServer() as server:
        init_site(tmp_path, text=config_text(api="news-flow", api_url=server.url, languages=("en",),
                                             image_mirror=server.url))
        config = load_config(tmp_path / "newsdesk.toml")
        with Store(config.store_path) as store:
            runner.run_once(config, store)
            assert len(builds) == 1
            runner.run_once(config, store)
            assert len(builds) == 1  # nothing new: no build
            store.set_meta(runner.BUILD_OWED, "1")  # as a run killed between its publish and build leaves it
            fail["next"] = True
            with pytest.raises(RuntimeError):
                runner.run_once(config, store)
            assert store.get_meta(runner.BUILD_OWED) == "1"  # the failed build is still owed
            runner.run_once(config, store)
            assert len(builds) == 2 and store.get_meta(runner.BUILD_OWED) == "0"
            runner.run_once(config, store)
            assert len(builds) == 2
