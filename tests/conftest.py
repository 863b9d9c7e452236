"""Session-wide test settings."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session", autouse=True)
def shared_hugo_resources(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One Hugo resource folder for every site the tests build (``HUGO_RESOURCEDIR``): the sample's
    story images, which newsdesk downloads into each site's own cache (``assets/newsdesk/images``),
    are resized by Hugo once per session instead of once per site. Hugo keys a resized image by its
    source file's content, so sites whose image files differ never share a wrong version."""
    if "HUGO_RESOURCEDIR" in os.environ:
        yield
        return
    os.environ["HUGO_RESOURCEDIR"] = str(tmp_path_factory.mktemp("hugo-resources"))
    try:
        yield
    finally:
        os.environ.pop("HUGO_RESOURCEDIR", None)


@pytest.fixture(autouse=True)
def newsdesk_logging() -> Iterator[None]:
    """A test that runs the CLI in-process calls ``setup_logging``, which gives the ``newsdesk``
    logger a level (ERROR with -q: later tests' ``caplog`` would miss INFO records) and a handler
    bound to that run's stderr (closed afterwards). Undo both."""
    logger = logging.getLogger("newsdesk")
    level, handlers = logger.level, list(logger.handlers)
    yield
    logger.setLevel(level)
    logger.handlers[:] = handlers
