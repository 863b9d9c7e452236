"""Session-wide test settings."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session", autouse=True)
def shared_hugo_resources(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One Hugo resource folder for every site the tests build (``HUGO_RESOURCEDIR``): the sample's
    story images are downloaded and resized once per session instead of once per site. Tests
    about downloading itself (errors, the cache) take it away with ``own_hugo_resources``."""
    if "HUGO_RESOURCEDIR" in os.environ:
        yield
        return
    os.environ["HUGO_RESOURCEDIR"] = str(tmp_path_factory.mktemp("hugo-resources"))
    try:
        yield
    finally:
        os.environ.pop("HUGO_RESOURCEDIR", None)


@pytest.fixture
def own_hugo_resources(monkeypatch: pytest.MonkeyPatch) -> None:
    """This test's sites keep Hugo's downloads and resized images in their own folder."""
    monkeypatch.delenv("HUGO_RESOURCEDIR", raising=False)
