"""Logging to stderr: rich formatting on a terminal, plain lines otherwise; -q and -v levels.

The ``newsdesk`` logger gets one handler of its own and keeps propagating, so whoever listens on
the root logger (pytest's ``caplog``, an embedding program's file log) sees every record too. Only
when the root logger already writes to the terminal itself does ``newsdesk`` stop propagating: a
record would otherwise be printed twice.
"""

from __future__ import annotations

import logging
import sys

from rich.console import Console
from rich.logging import RichHandler

stderr_console = Console(stderr=True)


def setup_logging(verbosity: int) -> None:
    """verbosity: -1 quiet (errors only), 0 normal (warnings and info), 1+ debug."""
    level = logging.ERROR if verbosity < 0 else logging.INFO if verbosity == 0 else logging.DEBUG
    logger = logging.getLogger("newsdesk")
    logger.handlers.clear()
    handler: logging.Handler
    if sys.stderr.isatty():
        handler = RichHandler(console=stderr_console, show_time=False, show_path=False, markup=False)
        handler.setFormatter(logging.Formatter("%(message)s"))
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = not root_prints()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


def root_prints() -> bool:
    """Whether a handler of the root logger writes to the terminal (stderr or stdout)."""
    consoles = {id(stream) for stream in (sys.stderr, sys.stdout, sys.__stderr__, sys.__stdout__)}
    for handler in logging.getLogger().handlers:
        stream = handler.console.file if isinstance(handler, RichHandler) else getattr(handler, "stream", None)
        if isinstance(handler, (RichHandler, logging.StreamHandler)) and id(stream) in consoles:
            return True
    return False


def show_progress(quiet: bool) -> bool:
    """Progress bars only on an interactive stderr."""
    return not quiet and sys.stderr.isatty()
