"""Test helper for the deploy tests: small built sites, tree snapshots, config with a target."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

from newsdesk.config import Config, DeployConfig, load_config
from newsdesk.runner import build
from newsdesk.site.scaffold import config_text, init_site

BASE_URL = "https://news.example.org/"
WORDS = ("orchard", "quarterly", "guidance", "rail", "copper", "outlook", "dividend", "shipping", "margin",
         "refinery", "buyback", "tariff")


def post_text(i: int) -> tuple[str, str]:
    """Story number ``i``: a post file name and text as `newsdesk publish` writes them."""
    words = [WORDS[(i * 7 + k) % len(WORDS)] for k in range(6)]
    title = f"Story {i}: {' '.join(words[:3]).capitalize()}"
    body = "\n\n".join(f"Paragraph {k} of story {i}: " + " ".join(words[k:] + words[:k]) + "." for k in range(4))
    date = f"2026-11-{1 + i % 28:02d} {8 + i % 10:02d}:{i % 60:02d}:00"
    front = "\n".join([
        "---", f"title: {json.dumps(title)}", f"date: {json.dumps(date)}", f"summary: {json.dumps(words[0])}",
        "categories:", f"  - {json.dumps(['Lantern Wire', 'Quill Post'][i % 2])}", "lang:", '  - "en"',
        "translations:", '  - "en"', "tags:", f"  - {json.dumps(['NVDA', 'AAPL', 'MSFT'][i % 3])}",
        'thumbnail: ""', "---", "",
    ])
    return f"story-{i:04d}.en.md", f"{front}\n{body}\n"


def make_site(root: Path, posts: int) -> Path:
    """A `newsdesk init` site with ``posts`` stories, built; returns its newsdesk.toml."""
    init_site(root, text=config_text(languages=("en",), base_url=BASE_URL))
    config = load_config(root / "newsdesk.toml", required=True)
    for i in range(posts):
        name, text = post_text(i)
        (config.content_dir / name).write_text(text, encoding="utf-8")
    build(config)
    return root / "newsdesk.toml"


def grow_site(source: Path, root: Path, extra: int) -> Path:
    """A copy of the site of ``source`` (a newsdesk.toml) with story number ``extra`` added, built."""
    shutil.copytree(source.parent, root, symlinks=True)
    config = load_config(root / "newsdesk.toml", required=True)
    name, text = post_text(extra)
    (config.content_dir / name).write_text(text, encoding="utf-8")
    build(config)
    return root / "newsdesk.toml"


def with_target(config_file: Path, target: str, **settings: float) -> Config:
    config = load_config(config_file, required=True)
    return dataclasses.replace(config, deploy=DeployConfig(target=target, **settings))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Entry:
    digest: str
    mode: int
    inode: int


def tree(root: Path) -> dict[str, Entry]:
    """Every file under ``root`` (following a symlinked root): relative path -> digest, mode, inode."""
    out: dict[str, Entry] = {}
    base = root.resolve() if root.is_symlink() else root
    for top, _, names in os.walk(base):
        for name in names:
            path = Path(top) / name
            info = path.stat()
            out[path.relative_to(base).as_posix()] = Entry(hashlib.sha256(path.read_bytes()).hexdigest(),
                                                           stat.S_IMODE(info.st_mode), info.st_ino)
    return out


def digests(root: Path) -> dict[str, str]:
    return {rel: entry.digest for rel, entry in tree(root).items()}


def changes(old: dict[str, str], new: dict[str, str]) -> tuple[set[str], set[str]]:
    """(paths new or changed, paths gone) from ``old`` to ``new``."""
    return {p for p, d in new.items() if old.get(p) != d}, set(old) - set(new)
