"""newsdesk's theme-independent templates in the site's own layouts/ (image hook, sitemaps)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from newsdesk.config import load_config
from newsdesk.site.scaffold import LAYOUT_MARKER, init_site, sync_layouts, sync_site

HOOK = Path("layouts/_markup/render-image.html")


def test_init_writes_the_managed_templates(tmp_path: Path) -> None:
    init_site(tmp_path)
    for rel in (HOOK, Path("layouts/home.newssitemap.xml"), Path("layouts/robots.txt"),
                Path("layouts/_partials/newsdesk/picture.html")):
        text = (tmp_path / "site" / rel).read_text(encoding="utf-8")
        assert LAYOUT_MARKER in text.split("\n", 2)[0] + text.split("\n", 2)[1]


def test_a_changed_managed_template_is_restored_and_a_stale_one_removed(tmp_path: Path) -> None:
    init_site(tmp_path)
    site = tmp_path / "site"
    hook = site / HOOK
    original = hook.read_text(encoding="utf-8")
    hook.write_text(original.replace("figure", "div"), encoding="utf-8")
    stale = site / "layouts/_partials/newsdesk/old.html"
    stale.write_text(f"{{{{/* {LAYOUT_MARKER} */}}}}\n", encoding="utf-8")
    mine = site / "layouts/_partials/mine.html"
    mine.write_text("my own partial\n", encoding="utf-8")
    assert sync_layouts(site) == []
    assert hook.read_text(encoding="utf-8") == original
    assert not stale.exists()
    assert mine.read_text(encoding="utf-8") == "my own partial\n"


def test_a_users_own_template_at_a_managed_path_is_kept_with_a_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    init_site(tmp_path)
    hook = tmp_path / "site" / HOOK
    hook.write_text("<img src=\"{{ .Destination }}\">\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        sync_site(load_config(tmp_path / "newsdesk.toml", required=True))
    assert hook.read_text(encoding="utf-8") == "<img src=\"{{ .Destination }}\">\n"
    assert any(str(hook) in r.getMessage() and LAYOUT_MARKER in r.getMessage() for r in caplog.records)
