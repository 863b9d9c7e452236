"""Search: index the built site with Pagefind (the binary of the `pagefind_bin` PyPI package).

The bundled theme marks each story's article ``data-pagefind-body``, so Pagefind indexes story
pages only (lists, tickers, providers and the search page itself stay out), with the filters
``ticker``, ``provider`` and ``language``. With several site languages the whole site is indexed
as one index (``--force-language``, the first language), so one search finds stories in every
language and the ``language`` filter narrows them; a single-language site keeps Pagefind's own
per-language stemming. Only the story folders are read when the site has them (``post/``). The
bundle goes to ``public/pagefind/``, where the theme's search page
loads it from; nothing is loaded from another host.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from newsdesk.errors import BuildError

BUNDLE_DIR = "pagefind"
#: The story pages under Hugo's default permalinks: post/<name>/ and <lang>/post/<name>/. Pagefind
#: reads only these when the site has them (it would otherwise parse every list page too, to find
#: no story body there: about twice the time and memory).
STORY_GLOB = "{post,*/post}/**/*.{html}"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_CONFIG_NAMES = ("hugo.toml", "config.toml")


def pagefind_binary() -> Path:
    """The Pagefind executable: ``$NEWSDESK_PAGEFIND``, the `pagefind_bin` package's, or PATH's."""
    override = os.environ.get("NEWSDESK_PAGEFIND")
    if override:
        return Path(override)
    try:
        import pagefind_bin  # type: ignore[import-untyped]

        return Path(pagefind_bin.get_executable())
    except (ImportError, FileNotFoundError):  # pragma: no cover - pagefind_bin is a dependency
        pass
    found = shutil.which("pagefind")
    if found:
        return Path(found)
    raise BuildError("the Pagefind binary was not found: reinstall newsdesk (`pip install pagefind-bin`) "
                     "or set NEWSDESK_PAGEFIND to its path")


def site_theme(site: Path) -> str | None:
    """The theme named by the site's own config file (the first when it lists several)."""
    for name in _CONFIG_NAMES:
        path = site / name
        if not path.exists():
            continue
        try:
            theme = tomllib.loads(path.read_text(encoding="utf-8")).get("theme")
        except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError):
            return None
        if isinstance(theme, list):
            theme = theme[0] if theme else None
        return theme if isinstance(theme, str) else None
    return None


def wants_search(site: Path) -> bool:
    """Index only sites built with the bundled theme: another theme (Mainroad) marks no story
    body, so Pagefind would index every page of the site for a search nobody can use."""
    return site_theme(site) in (None, "newsdesk")


@dataclass(frozen=True)
class SearchIndex:
    seconds: float
    pages: int  # pages in the index (story pages)
    languages: dict[str, int]  # index language -> pages
    output: str


def run_pagefind(public: Path, *, languages: Sequence[str] = ("en",)) -> SearchIndex:
    """Index the built site in ``public`` into ``public/pagefind``; raise BuildError on failure."""
    if not public.is_dir():
        raise BuildError(f"{public}: nothing to index (build the site first)")
    args = [str(pagefind_binary()), "--site", str(public), "--output-subdir", BUNDLE_DIR]
    if (public / "post").is_dir():
        args += ["--glob", STORY_GLOB]
    if len(languages) > 1:
        args += ["--force-language", languages[0].replace("_", "-")]
    start = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    seconds = time.perf_counter() - start
    output = _ANSI.sub("", proc.stdout + proc.stderr)
    if proc.returncode != 0:
        raise BuildError("Pagefind failed:\n" + "\n".join(output.splitlines()[-8:]))
    counts = index_languages(public)
    return SearchIndex(seconds, sum(counts.values()), counts, output)


def index_languages(public: Path) -> dict[str, int]:
    """Pages per index language of the bundle in ``public`` (empty when there is none)."""
    try:
        entry = json.loads((public / BUNDLE_DIR / "pagefind-entry.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {lang: int(info.get("page_count", 0)) for lang, info in entry.get("languages", {}).items()}
