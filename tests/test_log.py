"""setup_logging: records reach the root logger's listeners (caplog) and are printed once."""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterator

import pytest

from newsdesk.log import root_prints, setup_logging


@pytest.fixture
def root_handlers() -> Iterator[list[logging.Handler]]:
    """The root logger's handlers, restored afterwards with the ``newsdesk`` logger's propagation
    (a test may add a handler that makes setup_logging stop it)."""
    root, ours = logging.getLogger(), logging.getLogger("newsdesk")
    saved, propagate = list(root.handlers), ours.propagate
    yield root.handlers
    root.handlers[:] = saved
    ours.propagate = propagate


def test_records_propagate_to_caplog_and_are_printed_once(caplog: pytest.LogCaptureFixture,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging(0)
    setup_logging(0)  # a second call replaces the handler, it does not add one
    logging.getLogger("newsdesk.sources").info("listed %d stories", 3)
    logger = logging.getLogger("newsdesk")
    assert logger.propagate and len(logger.handlers) == 1
    assert [r.getMessage() for r in caplog.records if r.name == "newsdesk.sources"] == ["listed 3 stories"]
    assert capsys.readouterr().err.count("listed 3 stories") == 1


def test_quiet_keeps_only_errors(caplog: pytest.LogCaptureFixture) -> None:
    setup_logging(-1)
    logging.getLogger("newsdesk.fetch").warning("hidden")
    logging.getLogger("newsdesk.fetch").error("shown")
    assert [r.getMessage() for r in caplog.records if r.name == "newsdesk.fetch"] == ["shown"]


def test_a_root_logger_that_prints_stops_the_propagation(root_handlers: list[logging.Handler],
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert not root_prints()  # pytest's capture handlers write to memory, not to the terminal
    printing = logging.StreamHandler(sys.stderr)
    printing.setFormatter(logging.Formatter("root: %(message)s"))
    root_handlers.append(printing)
    assert root_prints()
    setup_logging(0)
    assert not logging.getLogger("newsdesk").propagate
    logging.getLogger("newsdesk.publish").warning("one line")
    err = capsys.readouterr().err
    assert err.count("one line") == 1 and "root: one line" not in err


def test_each_record_is_printed_once_in_a_real_process() -> None:
    """A whole process, as the CLI runs: once without root handlers, once with a printing one."""
    proc = subprocess.run([sys.executable, "-c", (
        "import logging; from newsdesk.log import setup_logging; setup_logging(0); "
        "logging.getLogger('newsdesk.cli').warning('exactly once')")], capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0 and proc.stderr.count("exactly once") == 1, proc.stderr
    proc = subprocess.run([sys.executable, "-c", (
        "import logging, sys; logging.basicConfig(stream=sys.stderr); from newsdesk.log import setup_logging; "
        "setup_logging(0); logging.getLogger('newsdesk.cli').warning('still once')")],
        capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0 and proc.stderr.count("still once") == 1, proc.stderr
