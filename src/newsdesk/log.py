"""Logging to stderr: rich formatting on a terminal, plain lines otherwise; -q and -v levels."""

from __future__ import annotations

import logging
import sys

from rich.console import Console
from rich.logging import RichHandler

stderr_console = Console(stderr=True)


def setup_logging(verbosity: int) -> None:
    """verbosity: -1 quiet (errors only), 0 normal (warnings and info), 1+ debug."""
    level = logging.ERROR if verbosity < 0 else logging.INFO if verbosity == 0 else logging.DEBUG
    root = logging.getLogger("newsdesk")
    root.handlers.clear()
    handler: logging.Handler
    if sys.stderr.isatty():
        handler = RichHandler(console=stderr_console, show_time=False, show_path=False, markup=False)
        handler.setFormatter(logging.Formatter("%(message)s"))
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    root.propagate = False
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


def show_progress(quiet: bool) -> bool:
    """Progress bars only on an interactive stderr."""
    return not quiet and sys.stderr.isatty()
