"""YAML front matter: the quoter and the block, checked against PyYAML."""

from __future__ import annotations

import pytest
import yaml

from newsdesk.render.frontmatter import front_matter, yaml_str

TRICKY = ["ON", "NO", "yes", "off", "null", "~", "1.10", "0x1F", "1e3", ".inf", "2024-05-01",
          "2024-05-01 10:00:00", "---", "...", '"', "'", "\\", "a: b", "- item", "# comment", "[1, 2]",
          "{a: 1}", "&anchor", "*alias", "!tag", "%TAG", "@x", "`x`", "|", ">", "line\nbreak",
          "trailing space ", " leading", "\t", "", "emoji 🚀🔥", "عربى נייַעס", "日本語",
          "\x00\x07\x1b\x7f\x85\xa0\u2028\u2029\ufeff\ufffe\uffff", "\r\n", "\\n not a newline"]


@pytest.mark.parametrize("value", TRICKY)
def test_yaml_str_parses_back_to_the_same_string(value: str) -> None:
    expected = value.translate(XML_INVALID)
    assert yaml.safe_load(f"v: {yaml_str(value)}\n") == {"v": expected}


#: What no XML 1.0 document may hold (the feed and sitemaps show titles): dropped by yaml_str.
XML_INVALID = {c: None for c in [*range(0x20), 0xFFFE, 0xFFFF] if chr(c) not in "\t\n\r"}


def test_yaml_str_drops_only_what_xml_cannot_hold() -> None:
    assert yaml_str("a\x00b\x01\x08\x0b\x0c\x1fc\ufffe\uffffd") == '"abcd"'
    assert yaml.safe_load("v: " + yaml_str("t\tn\nr\r\x7f\x85\x9f")) == {"v": "t\tn\nr\r\x7f\x85\x9f"}


def test_yaml_str_format() -> None:
    assert yaml_str("plain") == '"plain"'
    assert yaml_str('say "hi"\\') == '"say \\"hi\\"\\\\"'
    assert yaml_str("a\nb\tc\rd") == '"a\\nb\\tc\\rd"'
    assert yaml_str("\x00\x1b\x7f\x85\u2028\u2029\ufeff") == '"\\u007F\\u0085\\u2028\\u2029\\uFEFF"'
    assert yaml_str("🚀 日本") == '"🚀 日本"'


def test_lone_surrogates_become_replacement_characters() -> None:
    quoted = yaml_str("a\ud800b\udfff")
    assert quoted == '"a\ufffdb\ufffd"'
    assert yaml.safe_load(f"v: {quoted}") == {"v": "a\ufffdb\ufffd"}


def test_front_matter_in_the_seed_style() -> None:
    text = front_matter([("title", "T"), ("categories", ["TradingView"]), ("translations", []),
                         ("comments", False), ("pager", True), ("sidebar", False), ("menu", "")])
    assert text == ('---\ntitle: "T"\ncategories:\n  - "TradingView"\ntranslations: []\n'
                    'comments: false\npager: true\nsidebar: false\nmenu: ""\n---\n')


def test_front_matter_parses_to_the_expected_dict_and_strings_stay_strings() -> None:
    items: list[tuple[str, str | bool | list[str]]] = [(f"k{i}", value) for i, value in enumerate(TRICKY)]
    items.append(("tags", TRICKY))
    items.append(("flag", True))
    data = yaml.safe_load(front_matter(items).removeprefix("---\n").removesuffix("---\n"))
    shown = [value.translate(XML_INVALID) for value in TRICKY]
    assert data == {**{f"k{i}": value for i, value in enumerate(shown)}, "tags": shown, "flag": True}


def test_front_matter_accepts_tuples_as_lists() -> None:
    assert front_matter([("widgets", ("search", "recent"))]) == '---\nwidgets:\n  - "search"\n  - "recent"\n---\n'


@pytest.mark.parametrize("key", ["", "has space", "colon:", "new\nline", "-dash-first"])
def test_front_matter_refuses_keys_that_are_not_identifiers(key: str) -> None:
    with pytest.raises(ValueError, match="not a plain identifier"):
        front_matter([(key, "x")])


def test_front_matter_refuses_non_string_list_entries() -> None:
    with pytest.raises(TypeError):
        front_matter([("tags", ["ok", 5])])  # type: ignore[list-item]
