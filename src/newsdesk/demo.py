"""`newsdesk demo DIR`: the whole pipeline, offline, from the bundled sample archive.

Starts the replay server on 127.0.0.1, writes a site whose source points at it, fetches every
sample story over HTTP, publishes the posts (downloading their images from the same server, an
`[images.mirrors]` entry) and builds the site with Hugo.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from newsdesk.config import Config, load_config
from newsdesk.fetch import FetchReport, fetch_all
from newsdesk.publish import PublishReport, publish
from newsdesk.replay import ReplayServer, sample_archive_path
from newsdesk.runner import build
from newsdesk.site.hugo import HugoResult
from newsdesk.site.scaffold import config_text, init_site
from newsdesk.store import Store

DEMO_LANGUAGES = ("en", "de", "es")
#: Where the demo tells the user to view the site (`python3 -m http.server 8000`).
DEMO_BASE_URL = "http://127.0.0.1:8000/"


@dataclass
class DemoReport:
    config: Config
    fetched: FetchReport
    published: PublishReport
    built: HugoResult


def run_demo(directory: Path) -> DemoReport:
    directory = directory.resolve()
    with ReplayServer(sample_archive_path()) as server:
        text = config_text(api="news-flow", api_url=server.url, languages=DEMO_LANGUAGES,
                           base_url=DEMO_BASE_URL, image_mirror=server.url)
        init_site(directory, text=text)
        config = load_config(directory / "newsdesk.toml", required=True)
        with Store(config.store_path) as store:
            fetched = fetch_all(config, store)
            published = publish(config, store)
        built = build(config)  # the story images were downloaded by publish; Hugo fetches nothing
    return DemoReport(config, fetched, published, built)
