"""What the browser tests share besides fixtures: constants, the built site's posts, the recorder."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from newsdesk.config import load_config
from newsdesk.store import Store

CHROMIUM = Path(os.environ.get("NEWSDESK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
#: Screenshots for people to look at (git-ignored).
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
LOOPBACK = "127.0.0.1"
TIMEOUT_MS = 15_000

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.S)
_IMAGE = re.compile(r"!\[(?:\\.|[^\]\\])*\]\((\S+?)\)")


@dataclass(frozen=True)
class Post:
    """One post of the built site, read back from its Markdown file."""

    story_id: str
    name: str
    lang: str
    front: dict[str, Any]
    body: str
    url: str

    @property
    def title(self) -> str:
        return str(self.front["title"])

    @property
    def path(self) -> str:
        return urlsplit(self.url).path


@dataclass
class SampleSite:
    """The built sample site: where it is served, its posts and the archive they came from."""

    root: Path
    public: Path
    base_url: str
    records: list[dict[str, Any]]
    posts: list[Post]

    def post(self, story_id: str, lang: str = "en") -> Post:
        for post in self.posts:
            if post.story_id == story_id and post.lang == lang:
                return post
        raise KeyError((story_id, lang))

    def url(self, path: str) -> str:
        return self.base_url + path.lstrip("/")

    def image_urls(self) -> set[str]:
        """The story images the posts' bodies point at (still on the source's host for now)."""
        found: set[str] = set()
        for post in self.posts:
            found.update(_IMAGE.findall(post.body))
            thumbnail = post.front.get("thumbnail")
            if isinstance(thumbnail, str) and thumbnail.startswith(("http://", "https://")):
                found.add(thumbnail)
        return found


@dataclass
class Recorder:
    """Every URL requested by any page of the session, and the non-loopback ones aborted."""

    requested: list[str] = field(default_factory=list)
    aborted: list[str] = field(default_factory=list)


class QuietHandler(SimpleHTTPRequestHandler):
    timeout = 10  # a stuck connection never holds a server thread for long
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm",
                      ".js": "text/javascript", ".css": "text/css"}

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        pass


def post_url(public: Path, base_url: str, name: str, lang: str) -> str:
    for prefix in (f"{lang}/", ""):  # the default language lives at the root
        if (public / prefix / "post" / name / "index.html").is_file():
            return f"{base_url}{prefix}post/{name}/"
    raise AssertionError(f"no page for post {name} ({lang}) in {public}")


def read_posts(root: Path, public: Path, base_url: str) -> list[Post]:
    config = load_config(root / "newsdesk.toml", required=True)
    with Store(config.store_path) as store:
        ids = {name: story_id for story_id, name in store.names().items()}
    posts = []
    for file in sorted(config.content_dir.glob("*.md")):
        stem, lang = file.name[: -len(".md")].rsplit(".", 1)
        match = _FRONT_MATTER.match(file.read_text(encoding="utf-8"))
        assert match, f"{file}: no front matter"
        posts.append(Post(ids[stem], stem, lang, yaml.safe_load(match.group(1)), match.group(2),
                          post_url(public, base_url, stem, lang)))
    return posts
