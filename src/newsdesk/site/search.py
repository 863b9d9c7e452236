"""Search: index the built site with Pagefind (the binary of the `pagefind_bin` PyPI package).

The bundled theme marks each story's article ``data-pagefind-body``, so Pagefind indexes story
pages only (lists, tickers, providers and the search page itself stay out), with the filters
``ticker``, ``provider`` and ``language``. With several site languages the whole site is indexed
as one index (``--force-language``, the first language), so one search finds stories in every
language and the ``language`` filter narrows them; a single-language site keeps Pagefind's own
per-language stemming. Only the story folders are read when the site has them (``post/``). The
bundle goes to ``public/pagefind/``, where the theme's search page
loads it from; nothing is loaded from another host.

Stable output: Pagefind 1.5 writes its filter indexes (``filter/*.pf_filter``) and the list of
them in the language's metadata file (``pagefind.<hash>.pf_meta``) in the iteration order of
Rust hash maps, which is random per process (its source says so: "TODO: Change filter indexes to
BTree to give them a stable hash"; Pagefind issue #638: since 1.3 the fragments are stable, "other
files will still change, such as the filter/metadata indexes"). Two runs over the same pages thus
write files with other bytes and other names, and a deploy would upload them every time.
``stabilise_bundle`` rewrites those files after Pagefind ran: the same records, in sorted order,
named by the hash Pagefind uses (SHA-1 of the record), so equal input gives equal files. It
needs a CBOR codec for the three kinds of items these files hold (unsigned integers, text,
arrays); ``_cbor_decode``/``_cbor_encode`` are that much by hand rather than a dependency, and
they write the bytes Pagefind's own encoder (minicbor) writes for the same records (tested).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
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
from newsdesk.files import atomic_write

log = logging.getLogger("newsdesk.site")

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
    stabilise_bundle(public / BUNDLE_DIR)
    counts = index_languages(public)
    return SearchIndex(seconds, sum(counts.values()), counts, output)


def index_languages(public: Path) -> dict[str, int]:
    """Pages per index language of the bundle in ``public`` (empty when there is none)."""
    try:
        entry = json.loads((public / BUNDLE_DIR / "pagefind-entry.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {lang: int(info.get("page_count", 0)) for lang, info in entry.get("languages", {}).items()}


# --- stable filter and metadata files ------------------------------------------------------------

#: Every compressed file of a Pagefind bundle: gzip of this signature followed by CBOR.
_SIGNATURE = b"pagefind_dcd"
_Cbor = int | str | list["_Cbor"]


def stabilise_bundle(bundle: Path) -> bool:
    """Rewrite the filter indexes and metadata files of the Pagefind ``bundle`` in sorted order
    (see the module docstring) and point ``pagefind-entry.json`` at the new metadata files. True
    when the bundle was read; a bundle in a shape this does not know is left as Pagefind wrote it
    (still valid, only not stable), with a warning."""
    entry_path = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        languages = entry["languages"]
        for language, info in languages.items():
            info["hash"] = _stable_meta(bundle, language, str(info["hash"]))
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        log.warning("pagefind: the index is valid but not stable between builds (%s: %s); "
                    "was Pagefind updated? newsdesk expects version 1.5", type(exc).__name__, exc)
        return False
    entry["languages"] = dict(sorted(languages.items()))
    text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))  # as Pagefind (serde_json) writes it
    if entry_path.read_text(encoding="utf-8") != text:
        atomic_write(entry_path, text)
    return True


def _stable_meta(bundle: Path, language: str, meta_hash: str) -> str:
    """Sort one language's filter indexes and its metadata file's lists; return the new hash."""
    old_meta = bundle / f"pagefind.{meta_hash}.pf_meta"
    meta = _read_cbor(old_meta)
    # [version, pages, index chunks, filters, sorts, (1.5: meta field names, already sorted)]
    if not (isinstance(meta, list) and len(meta) >= 5):
        raise ValueError(f"{old_meta.name}: not a Pagefind 1.5 metadata file")
    taken: set[str] = set()
    filters: list[_Cbor] = []
    for name, filter_hash in sorted(_named(meta[3], old_meta), key=lambda f: f[0]):
        path = bundle / "filter" / f"{filter_hash}.pf_filter"
        record = _read_cbor(path)
        if not (isinstance(record, list) and len(record) == 2 and isinstance(record[0], str)):
            raise ValueError(f"{path.name}: not a Pagefind 1.5 filter index")
        values: list[_Cbor] = []
        for value, pages in sorted(_named(record[1], path), key=lambda v: v[0]):
            if not isinstance(pages, list):
                raise TypeError(f"{path.name}: not a Pagefind 1.5 filter index")
            values.append([value, sorted(pages, key=_page_number)])
        data = _cbor_encode([record[0], values])
        new_hash = _short_hash(language, data, 7, taken)
        _replace(path, bundle / "filter" / f"{new_hash}.pf_filter", data)
        filters.append([name, new_hash])
    meta[3] = filters
    meta[4] = [[name, pages] for name, pages in sorted(_named(meta[4], old_meta), key=lambda s: s[0])]
    data = _cbor_encode(meta)
    new_hash = _short_hash(language, data, 10, set())
    _replace(old_meta, bundle / f"pagefind.{new_hash}.pf_meta", data)
    return new_hash


def _named(items: _Cbor, path: Path) -> list[tuple[str, _Cbor]]:
    """A list of ``[name, value]`` records (filters, filter values, sorts) as pairs."""
    if not isinstance(items, list):
        raise TypeError(f"{path.name}: a list expected")
    pairs: list[tuple[str, _Cbor]] = []
    for item in items:
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str)):
            raise TypeError(f"{path.name}: a [name, value] record expected")
        pairs.append((item[0], item[1]))
    return pairs


def _page_number(page: _Cbor) -> int:
    if not isinstance(page, int):
        raise TypeError("a page number expected")
    return page


def _short_hash(language: str, data: bytes, length: int, taken: set[str]) -> str:
    """``<language>_<hex>`` as Pagefind names files: SHA-1 with each byte as unpadded hex (its
    ``format!("{:x?}")``), ``length`` digits, longer on a collision."""
    digits = "".join(format(b, "x") for b in hashlib.sha1(data).digest())
    name = f"{language}_{digits[:length]}"
    while name in taken and length < len(digits):
        length += 1
        name = f"{language}_{digits[:length]}"
    taken.add(name)
    return name


def _replace(old: Path, new: Path, data: bytes) -> None:
    """Write ``data`` compressed to ``new`` and remove ``old``. Always compressed here (zlib at
    level 9, no time stamp), also when the name stays: Pagefind's own compressor writes other
    bytes for the same records."""
    packed = gzip.compress(_SIGNATURE + data, compresslevel=9, mtime=0)
    if old != new or old.read_bytes() != packed:
        atomic_write(new, packed)
    if old != new:
        old.unlink(missing_ok=True)


def _read_cbor_bytes(path: Path) -> bytes:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(_SIGNATURE):
        raise ValueError(f"{path.name}: no Pagefind signature")
    return raw[len(_SIGNATURE):]


def _read_cbor(path: Path) -> _Cbor:
    data = _read_cbor_bytes(path)
    value, end = _cbor_decode(data, 0)
    if end != len(data):
        raise ValueError(f"{path.name}: trailing bytes")
    return value


def _cbor_decode(data: bytes, at: int) -> tuple[_Cbor, int]:
    """One CBOR item of ``data`` at ``at``: unsigned integer, text or array (definite lengths)."""
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        n = info
    elif info <= 27:
        size = 1 << (info - 24)
        n, at = int.from_bytes(data[at:at + size], "big"), at + size
    else:
        raise ValueError(f"CBOR item {data[at - 1]:#x} not expected here")
    if major == 0:
        return n, at
    if major == 3:
        return data[at:at + n].decode("utf-8"), at + n
    if major == 4:
        items: list[_Cbor] = []
        for _ in range(n):
            item, at = _cbor_decode(data, at)
            items.append(item)
        return items, at
    raise ValueError(f"CBOR major type {major} not expected here")


def _cbor_encode(value: _Cbor) -> bytes:
    """``value`` in CBOR's shortest form (as minicbor writes it)."""
    if isinstance(value, bool):
        raise TypeError("no booleans in a Pagefind index")
    if isinstance(value, int):
        return _cbor_head(0, value)
    if isinstance(value, str):
        text = value.encode("utf-8")
        return _cbor_head(3, len(text)) + text
    return _cbor_head(4, len(value)) + b"".join(_cbor_encode(v) for v in value)


def _cbor_head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | info]) + n.to_bytes(size, "big")
    raise ValueError(f"{n} is too large for CBOR")
