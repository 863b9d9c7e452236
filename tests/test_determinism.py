"""Deterministic builds (issue 14): two `newsdesk build` runs of unchanged content write the same
bytes under ``public/`` (pages, feeds, sitemaps, JSON, the Pagefind index), and one more story
changes only the files that show it.

One demo site for the module (real Hugo, real Pagefind, the sample's images). The one-more-story
test works on a copy of it whose sidebars hold only widgets that do not list stories (see the
test's docstring), holds the newest story back, builds, publishes it again and builds again.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from newsdesk.config import load_config
from newsdesk.demo import DemoReport, run_demo
from newsdesk.runner import build
from newsdesk.site import search
from newsdesk.site.search import BUNDLE_DIR, pagefind_binary, stabilise_bundle

Tree = dict[str, str]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoReport:
    return run_demo(tmp_path_factory.mktemp("determinism-demo"))


def tree(public: Path) -> Tree:
    """Relative path -> SHA-256 of every file under ``public``."""
    return {p.relative_to(public).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(public.rglob("*")) if p.is_file()}


def changed(before: Tree, after: Tree) -> set[str]:
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def test_two_builds_of_unchanged_content_write_identical_trees(demo: DemoReport) -> None:
    public = demo.config.site_path / "public"
    first = tree(public)
    assert any(p.startswith(f"{BUNDLE_DIR}/filter/") for p in first), "the demo has a search index with filters"
    build(demo.config)
    assert changed(first, tree(public)) == set()
    shutil.rmtree(public)  # a build into an empty folder (Hugo's resource cache kept) too
    build(demo.config)
    assert changed(first, tree(public)) == set()


def test_footer_year_comes_from_the_content_not_the_clock(demo: DemoReport) -> None:
    home = (demo.config.site_path / "public" / "index.html").read_text(encoding="utf-8")
    newest = max(str(yaml.safe_load(p.read_text(encoding="utf-8").split("\n---\n", 1)[0][4:])["date"])
                 for p in demo.config.content_dir.glob("*.md"))
    assert re.search(rf"&copy; {newest[:4]} Market News", home), newest


def raw_pagefind(public: Path, out: str) -> Path:
    """Pagefind as newsdesk runs it, without the stabilising step, into ``public/<out>``."""
    args = [str(pagefind_binary()), "--site", str(public), "--output-subdir", out, "--glob", search.STORY_GLOB,
            "--force-language", "en"]
    subprocess.run(args, check=True, capture_output=True)
    return public / out


@pytest.fixture
def raw_bundles(demo: DemoReport) -> Iterator[list[Path]]:
    public = demo.config.site_path / "public"
    bundles = [raw_pagefind(public, f"raw-pagefind-{i}") for i in range(3)]
    yield bundles
    for bundle in bundles:
        shutil.rmtree(bundle)


def records(bundle: Path) -> tuple[dict[str, dict[str, object]], list[object]]:
    """The filters (name -> value -> pages) and the metadata file's pages, chunks and sorts."""
    entry = search.json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    (info,) = entry["languages"].values()
    path = bundle / f"pagefind.{info['hash']}.pf_meta"
    meta = search._read_cbor(path)
    assert isinstance(meta, list)
    filters: dict[str, dict[str, object]] = {}
    for name, filter_hash in search._named(meta[3], path):
        record = search._read_cbor(bundle / "filter" / f"{filter_hash}.pf_filter")
        assert isinstance(record, list)
        filters[name] = dict(search._named(record[1], path))
    return filters, [meta[0], meta[1], meta[2], sorted(search._named(meta[4], path)), *meta[5:]]


def test_the_cbor_codec_writes_the_bytes_pagefind_writes(raw_bundles: list[Path]) -> None:
    files = [p for bundle in raw_bundles for p in [*bundle.glob("*.pf_meta"), *(bundle / "filter").iterdir()]]
    assert len(files) == 3 * 4  # a metadata file and three filters (ticker, provider, language) each
    for path in files:
        data = search._read_cbor_bytes(path)
        value, end = search._cbor_decode(data, 0)
        assert end == len(data) and search._cbor_encode(value) == data, path


def test_stabilising_keeps_every_record_and_makes_the_bundle_stable(raw_bundles: list[Path]) -> None:
    before = [records(bundle) for bundle in raw_bundles]
    for bundle in raw_bundles:
        assert stabilise_bundle(bundle)
    after = [records(bundle) for bundle in raw_bundles]
    assert after == before  # the same filters, pages and sorts: only their order on disk changed
    trees = [tree(bundle) for bundle in raw_bundles]
    assert trees[0] == trees[1] == trees[2]
    filters = sorted(trees[0])
    assert len([p for p in filters if p.startswith("filter/")]) == 3 and len([p for p in filters if p.endswith(".pf_meta")]) == 1
    # stable twice over: running it on a stable bundle changes nothing
    assert stabilise_bundle(raw_bundles[0]) and tree(raw_bundles[0]) == trees[0]


def test_an_unknown_bundle_is_left_valid_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "pagefind-entry.json").write_text('{"version":"9","languages":{"en":{"hash":"en_0"}}}')
    assert not stabilise_bundle(tmp_path)
    assert "not stable between builds" in caplog.text
    assert (tmp_path / "pagefind-entry.json").read_text() == '{"version":"9","languages":{"en":{"hash":"en_0"}}}'


# --- one more story -------------------------------------------------------------------------------

STABLE_WIDGETS = '["search", "languages"]'


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("\n---\n", 1)[0][4:])


def slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-")


@pytest.mark.parametrize("stable", [True, False], ids=["widgets-listing-no-stories", "init-widgets"])
def test_one_more_story_changes_only_its_pages_lists_feeds_sitemaps_and_index(
        demo: DemoReport, tmp_path: Path, stable: bool) -> None:
    """One new story changes the story's own pages, the pages next to it (previous/next), the lists
    and feeds that hold it, the sitemaps, the search index and its preview card (a new file), and
    no other story page: on a story page "recent" lists the stories before it. With init's widgets
    the lists' sidebars (recent, categories, symbols) change too, and a story page's tag list when
    the story changes the ranking of the most used tags (see docs/site.md, "Deterministic
    builds"); the site with widgets that list no stories keeps every other page as it was."""
    root = tmp_path / "site-copy"
    shutil.copytree(demo.config.root, root)
    if stable:
        hugo_toml = root / "site" / "hugo.toml"
        text = re.sub(r"(?m)^widgets = \[.*\]$", f"widgets = {STABLE_WIDGETS}", hugo_toml.read_text(encoding="utf-8"))
        hugo_toml.write_text(text, encoding="utf-8")
    config = load_config(root / "newsdesk.toml", required=True)
    posts = sorted(config.content_dir.glob("*.md"))
    for post in posts if stable else ():  # as `[post] widgets` in newsdesk.toml and a publish would write them
        body = post.read_text(encoding="utf-8")
        post.write_text(re.sub(r'widgets:\n(  - "\w+"\n)+', "widgets:\n  - \"search\"\n", body, count=1),
                        encoding="utf-8")
    matters = {p: front(p) for p in posts}
    newest = max(matters, key=lambda p: str(matters[p]["date"]))
    name = newest.name.rsplit(".", 2)[0]
    held = {p: p.read_bytes() for p in posts if p.name.startswith(name + ".")}
    for path in held:
        path.unlink()
    build(config)
    public = config.site_path / "public"
    before = tree(public)
    for path, data in held.items():
        path.write_bytes(data)
    build(config)
    after = tree(public)
    diff = changed(before, after)

    story = matters[newest]
    terms = {f"tags/{slug(t)}" for t in story.get("tags") or []} | {f"categories/{slug(c)}" for c in story["categories"]}
    langs = [p.name.rsplit(".", 2)[1] for p in held]
    prefixes = [""] + [f"{lang}/" for lang in ("de", "es")]
    own = {f"{pre}post/{name}/index.html" for pre in prefixes}

    def neighbour(path: str) -> bool:
        """A story page next to the new one (its previous/next links)."""
        page = public / path
        return f"/post/{name}/" in page.read_text(encoding="utf-8") if page.exists() else False

    def lists(rest: str) -> bool:
        """A list page, its feed or the 404 page (their sidebars show the latest stories and counts)."""
        return re.fullmatch(r"404\.html|[^/]+/index\.(html|xml)|(tags|categories|symbols)/.*", rest) is not None

    def expected(path: str) -> bool:
        rest = re.sub(r"^(en|de|es)/", "", path)
        return (path in own or rest.startswith(f"{BUNDLE_DIR}/")
                or rest in {"index.html", "index.xml", "feed.json", "sitemap.xml", "news-sitemap.xml",
                            "tags/index.html", "tags/index.xml", "categories/index.html", "categories/index.xml",
                            "post/index.html", "post/index.xml"}
                or re.fullmatch(r"(post/)?page/\d+/index\.html", rest) is not None
                or any(rest.startswith(term + "/") for term in terms)
                or (rest.startswith("post/") and neighbour(path))
                or (not stable and lists(rest))
                or (path.startswith("images/cards/") and path not in before))  # the new story's preview card

    assert own & diff == {p for p in own if p in after}, "the new story's pages are new"
    assert len(own & set(after)) == len(langs)
    unexpected = sorted(p for p in diff if not expected(p))
    assert unexpected == [], unexpected
    stories_changed = {p for p in diff if re.match(r"^((de|es)/)?post/[^/]+/index\.html$", p)} - own
    assert 0 < len(stories_changed) <= 2 * len(langs), stories_changed  # only the neighbours
    untouched = [p for p in after if p.endswith("index.html") and p not in diff]
    assert len(untouched) > len(after) // 4
