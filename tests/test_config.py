from pathlib import Path

import pytest

from newsdesk.config import ImagesConfig, PostSettings, load_config, parse_config
from newsdesk.errors import ConfigError
from newsdesk.site.scaffold import config_text


def test_defaults_without_a_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = load_config(None)
    assert config.post == PostSettings()
    assert config.sources[0].api == "news-flow"
    assert config.sources[0].base_url == "https://news-mediator.tradingview.com"


def test_legacy_api_defaults_to_the_legacy_host() -> None:
    config = parse_config({"sources": [{"api": "headlines"}]})
    assert config.sources[0].base_url == "https://news-headlines.tradingview.com"


def test_init_template_parses_back_to_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "newsdesk.toml"
    path.write_text(config_text(), encoding="utf-8")
    config = load_config(path)
    assert config.post == PostSettings()
    assert config.site.summary_words == 50
    assert config.store_path == tmp_path / "newsdesk.db"
    assert config.content_dir == tmp_path / "site" / "content" / "post"
    assert config.images == ImagesConfig()


def test_image_hosts_default_to_the_sources_image_prefix_and_add_mirrors() -> None:
    assert parse_config({}).image_prefixes == ("https://s3.tradingview.com/news/image/",)
    config = parse_config({"images": {
        "hosts": ["images.example.com", "https://cdn.example.net/news"],
        "widths": [960, 320, 320], "mirrors": {"https://s3.tradingview.com/news/image/": "http://127.0.0.1:9/i"}}})
    assert config.images.widths == (320, 960)
    assert config.images.mirrors == (("https://s3.tradingview.com/news/image/", "http://127.0.0.1:9/i/"),)
    assert config.image_prefixes == ("https://images.example.com/", "http://images.example.com/",
                                     "https://cdn.example.net/news/", "http://127.0.0.1:9/i/")


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"post": {"sidebr": "left"}}, "post.sidebr"),
        ({"post": {"sidebar": "top"}}, "post.sidebar"),
        ({"post": {"comments": "yes"}}, "post.comments"),
        ({"post": {"menu": True}}, "post.menu"),
        ({"post": {"widgets": "search"}}, "post.widgets"),
        ({"site": {"summary_words": 0}}, "site.summary_words"),
        ({"site": {"timezone": "Mars/Olympus"}}, "site.timezone"),
        ({"sources": [{"api": "v9"}]}, "sources[0].api"),
        ({"sources": [{}, {"concurrency": "4"}]}, "sources[1].concurrency"),
        ({"sources": [{"symbols": ["AAPL"]}]}, "sources[0].symbols"),
        ({"sources": [{"api_url": "ftp://x"}]}, "sources[0].api_url"),
        ({"sitee": {}}, "sitee"),
        ({"images": {"widths": []}}, "images.widths"),
        ({"images": {"widths": [320, "640"]}}, "images.widths"),
        ({"images": {"format": "avif"}}, "images.format"),
        ({"images": {"quality": 0}}, "images.quality"),
        ({"images": {"quality": 101}}, "images.quality"),
        ({"images": {"max_bytes": -1}}, "images.max_bytes"),
        ({"images": {"hosts": ["images.example.com/news"]}}, "images.hosts"),
        ({"images": {"hosts": ["ftp://images.example.com/"]}}, "images.hosts"),
        ({"images": {"mirrors": {"https://s3.tradingview.com/": "file:///tmp/"}}}, "images.mirrors"),
        ({"images": {"mirrors": ["https://a.example/"]}}, "images.mirrors"),
        ({"images": {"proces": False}}, "images.proces"),
    ],
)
def test_bad_values_name_the_key(data: dict, key: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(data)
    assert str(info.value).startswith(key)
    assert info.value.exit_code == 2


def test_missing_explicit_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")


def test_invalid_toml_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "newsdesk.toml"
    path.write_text("[site\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(path)
