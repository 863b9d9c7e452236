"""Alerts: rules matched against a real archive, delivered through Apprise to a webhook receiver
and an SMTP server on 127.0.0.1; once ever per (rule, story), retries, a receiver that hangs."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message as Mail
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsdesk import alerts_state
from newsdesk.alerts import check_rules, send_alerts, test_rule
from newsdesk.alerts_match import Facts, Matcher
from newsdesk.cli import cli
from newsdesk.config import AlertRule, Config, load_config
from newsdesk.errors import ConfigError
from newsdesk.loopback import LoopbackServer, TrackingServer
from newsdesk.publish import publish
from newsdesk.site.scaffold import config_text, init_site
from newsdesk.sources.tradingview import parse_raw
from newsdesk.status import gather
from newsdesk.store import Store

BASE_URL = "https://news.example.com/"


# -- receivers ------------------------------------------------------------------------------------

class _HookHandler(BaseHTTPRequestHandler):
    server: _HookServer

    def do_POST(self) -> None:
        length = min(int(self.headers.get("Content-Length") or 0), 1_000_000)
        body = self.rfile.read(length)
        hook = self.server.hook
        hook.requests += 1
        if hook.mode == "hang":
            hook.release.wait(10)  # bounded: the server's stop releases it
            return
        status = 500 if hook.mode == "fail" else 200
        if status == 200:
            hook.received.append(json.loads(body))
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _HookServer(TrackingServer):
    hook: Hook


class Hook(LoopbackServer):
    """A JSON webhook receiver: ``mode`` "ok" keeps each message, "fail" answers 500, "hang" never answers."""

    server_name = "webhook receiver"

    def __init__(self) -> None:
        super().__init__()
        self.mode = "ok"
        self.received: list[dict[str, Any]] = []
        self.requests = 0
        self.release = threading.Event()

    def _make_server(self) -> TrackingServer:
        server = _HookServer((self.host, self.port), _HookHandler)
        server.hook = self
        return server

    def _stopping(self, httpd: TrackingServer) -> None:
        self.release.set()

    @property
    def apprise_url(self) -> str:
        return self.url.replace("http://", "json://") + "/hook"


@pytest.fixture
def hook() -> Iterator[Hook]:
    with Hook() as server:
        yield server


class Mailbox:
    def __init__(self) -> None:
        self.mails: list[Mail] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.mails.append(message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    from aiosmtpd.controller import Controller

    box, port = Mailbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


# -- a site with rules ----------------------------------------------------------------------------

def rules_toml(*rules: dict[str, Any]) -> str:
    text = ""
    for rule in rules:
        text += "\n[[alerts]]\n" + "".join(f"{key} = {json.dumps(value)}\n" for key, value in rule.items())
    return text


def make_site(root: Path, *rules: dict[str, Any], timezone: str = "Europe/Berlin") -> Config:
    init_site(root, text=config_text(languages=("en", "de"), base_url=BASE_URL, timezone=timezone)
              + rules_toml(*rules))
    return load_config(root / "newsdesk.toml")


def raw(n: int, title: str, body: str = "", symbols: tuple[str, ...] = (), lang: str = "en") -> dict[str, Any]:
    item = {"id": f"wire:{n}/x:0", "title": title, "published": 1_793_000_000 + n * 60,
            "provider": {"id": "wire", "name": "Example Wire"}, "storyPath": f"/news/wire:{n}/x:0-example/",
            "relatedSymbols": [{"symbol": s} for s in symbols]}
    story = {**item, "language": lang, "short_description": "Short.",
             "ast_description": {"type": "root", "children": [{"type": "p", "children": [body or f"Body {n}."]}]}}
    return {"api": "news-flow", "lang": lang, "item": item, "story": story}


def add(store: Store, n: int, title: str, body: str = "", symbols: tuple[str, ...] = (), lang: str = "en",
        source: str = "wire") -> None:
    record = raw(n, title, body, symbols, lang)
    store.upsert(parse_raw(record), record, f"h{n}-{title}", source)


def titles(hook: Hook) -> list[str]:
    return [m["title"] for m in hook.received]


NVDA = {"name": "nvidia", "tickers": ["NVDA"], "notify": []}


def nvda_site(tmp_path: Path, hook: Hook, **extra: Any) -> tuple[Config, Store]:
    config = make_site(tmp_path, {**NVDA, "notify": [hook.apprise_url], **extra})
    store = Store(config.store_path)
    assert start(config, store).started

    return config, store


def start(config: Config, store: Store) -> Any:
    """The first run on an empty archive, as if a while ago (a story archived in the same second as
    the first run counts as part of the archive it started on)."""
    return send_alerts(config, store, now=time.time() - 10)


def next_second() -> None:
    time.sleep(1.01 - time.time() % 1)


def cycle(config: Config, store: Store, **kwargs: Any) -> Any:
    """What `run` does for alerts: publish, then send."""
    assert not publish(config, store).failed
    return send_alerts(config, store, **kwargs)


# -- matching -------------------------------------------------------------------------------------

def facts(title: str, body: str = "", symbols: tuple[str, ...] = (), lang: str = "en", source: str = "wire") -> Facts:
    return Facts(parse_raw(raw(1, title, body, symbols, lang)), source)


@pytest.mark.parametrize(("rule", "story", "expected"), [
    (AlertRule(tickers=("NVDA",)), facts("Chips rally", symbols=("NASDAQ:NVDA",)), True),
    (AlertRule(tickers=("NASDAQ:NVDA",)), facts("Chips rally", symbols=("NASDAQ:NVDA",)), True),
    (AlertRule(tickers=("Nasdaq:NVDA",)), facts("Chips rally", symbols=("NASDAQ:NVDA",)), True),
    (AlertRule(tickers=("NYSE:NVDA",)), facts("Chips rally", symbols=("NASDAQ:NVDA",)), False),
    (AlertRule(tickers=("NVDA",)), facts("Shares of $NVDA jumped"), True),  # found in the title
    (AlertRule(tickers=("NVDA",)), facts("Chips", "Nvidia Corporation (NASDAQ: NVDA) said"), True),  # in the body
    (AlertRule(tickers=("NVDA",)), facts("NVDAX fund and NVDA-like names"), False),  # bare words never count
    (AlertRule(tickers=("F",)), facts("Fed holds rates", "The Fed said F is for Fed."), False),
    (AlertRule(tickers=("F",)), facts("Carmakers", "Ford Motor Company (F) lifts its outlook"), True),
    (AlertRule(tickers=("AMD",)), facts("Chips rally", symbols=("NASDAQ:NVDA",)), False),
    (AlertRule(keywords=("merger",)), facts("Merger talks", "No comment."), True),
    (AlertRule(keywords=("merger",)), facts("MERGER!"), True),
    (AlertRule(keywords=("merger",)), facts("Mergers and acquisitions", "premerger filings"), False),
    (AlertRule(keywords=("rate cut",)), facts("Central banks", "Hopes for a rate  cut grow."), True),
    (AlertRule(keywords=("merger",), languages=("en",)), facts("Merger talks", lang="de"), False),
    (AlertRule(keywords=("merger",), languages=("de",)), facts("Merger talks", lang="de"), True),
    (AlertRule(keywords=("merger",), sources=("wire",)), facts("Merger talks", source="wire"), True),
    (AlertRule(keywords=("merger",), sources=("wire",)), facts("Merger talks", source="feed"), False),
])
def test_rules_match_whole_tickers_and_words_in_their_languages_and_sources(
        rule: AlertRule, story: Facts, expected: bool) -> None:
    assert Matcher(rule).matches(story) is expected


# -- a run against the archive --------------------------------------------------------------------

def test_first_run_on_an_existing_archive_sends_nothing_then_new_stories_alert(tmp_path: Path, hook: Hook) -> None:
    config = make_site(tmp_path, {**NVDA, "notify": [hook.apprise_url]})
    with Store(config.store_path) as store:
        for n in range(3):
            add(store, n, f"Old chip story {n}", symbols=("NASDAQ:NVDA",))
        assert not publish(config, store).failed
        first = send_alerts(config, store)
        assert first.started and first.summary().startswith("first run")
        assert hook.requests == 0
        next_second()
        add(store, 10, "Nvidia lifts its outlook", "Nvidia raised its forecast for the quarter.", ("NASDAQ:NVDA",))
        add(store, 11, "Bakery opens a shop", "Nothing about chips.")
        report = cycle(config, store)
        assert (report.matched, report.sent, report.digests, report.failed) == (1, 1, 0, 0)
        assert report.exit_code == 0
        assert titles(hook) == ["Nvidia lifts its outlook"]
        name = store.names_of(["wire:10/x:0"])["wire:10/x:0"]
    body = hook.received[0]["message"]
    assert f"{BASE_URL}post/{name}/" in body.splitlines()
    assert "Example Wire · 2026-10-26 08:43 CET" in body.splitlines()  # provider, time in the site's zone
    assert "Tickers: NVDA" in body
    assert "Nvidia raised its forecast for the quarter." in body
    assert "newsdesk alert: nvidia" in body


def test_a_story_in_another_language_links_to_that_language_and_alerts_once(tmp_path: Path, hook: Hook) -> None:
    config, store = nvda_site(tmp_path, hook, keywords=["Prognose"])
    with store:
        add(store, 1, "Nvidia hebt die Prognose", lang="de")
        cycle(config, store)
        add(store, 1, "Nvidia lifts its outlook", symbols=("NASDAQ:NVDA",))  # the same story in English
        cycle(config, store)
        name = store.names_of(["wire:1/x:0"])["wire:1/x:0"]
    assert titles(hook) == ["Nvidia hebt die Prognose"]
    assert f"{BASE_URL}de/post/{name}/" in hook.received[0]["message"]


def test_more_matches_than_digest_after_become_one_digest_per_rule(tmp_path: Path, hook: Hook) -> None:
    config, store = nvda_site(tmp_path, hook, digest_after=2)
    with store:
        for n in range(3):
            add(store, n, f"Chip story {n}", symbols=("NASDAQ:NVDA",))
        report = cycle(config, store)
        assert (report.matched, report.sent, report.digests) == (3, 1, 1)
        assert titles(hook) == ["3 new stories for nvidia"]
        names = store.names_of([f"wire:{n}/x:0" for n in range(3)])
        digest = hook.received[0]["message"]
        assert all(f"{BASE_URL}post/{name}/" in digest for name in names.values())
        assert digest.index("Chip story 2") < digest.index("Chip story 0")  # newest first
        for n in range(3, 5):  # two: not more than digest_after
            add(store, n, f"Chip story {n}", symbols=("NASDAQ:NVDA",))
        report = cycle(config, store)
        assert (report.matched, report.sent, report.digests) == (2, 2, 0)
    assert titles(hook)[1:] == ["Chip story 3", "Chip story 4"]


def test_once_ever_across_restarts_re_renders_and_changed_stories(tmp_path: Path, hook: Hook) -> None:
    config, store = nvda_site(tmp_path, hook)
    with store:
        add(store, 1, "Nvidia lifts its outlook", symbols=("NASDAQ:NVDA",))
        assert cycle(config, store).sent == 1
    with Store(config.store_path) as store:  # a restart: the archive opened again
        assert send_alerts(config, store).matched == 0
        assert not publish(config, store, everything=True).failed  # every post re-rendered
        assert send_alerts(config, store).matched == 0
        add(store, 1, "Nvidia lifts its outlook again", "Updated.", symbols=("NASDAQ:NVDA",))  # changed
        report = cycle(config, store)
        assert (report.matched, report.sent) == (0, 0)
    assert titles(hook) == ["Nvidia lifts its outlook"]


def test_a_story_alerts_only_once_published_and_none_is_missed(tmp_path: Path, hook: Hook) -> None:
    config, store = nvda_site(tmp_path, hook)
    with store:
        add(store, 1, "Nvidia story one", symbols=("NASDAQ:NVDA",))
        assert send_alerts(config, store).matched == 0  # archived, not published: it waits
        assert not publish(config, store).failed  # published; the process dies before alerts run
        add(store, 2, "Nvidia story two", symbols=("NASDAQ:NVDA",))
        report = cycle(config, store)
        assert (report.matched, report.sent) == (2, 2)
        assert not store.db.execute("SELECT * FROM alert_waiting").fetchall()
    assert titles(hook) == ["Nvidia story one", "Nvidia story two"]


def test_a_new_rule_alerts_for_new_stories_only(tmp_path: Path, hook: Hook) -> None:
    config, store = nvda_site(tmp_path, hook)
    with store:
        add(store, 1, "Merger talks at Example Corp")
        cycle(config, store)
        assert hook.requests == 0
        with (tmp_path / "newsdesk.toml").open("a") as file:
            file.write(rules_toml({"name": "deals", "keywords": ["merger"], "notify": [hook.apprise_url]}))
        config = load_config(tmp_path / "newsdesk.toml")
        assert send_alerts(config, store).matched == 0  # the older story does not alert the new rule
        next_second()
        add(store, 2, "Another merger is announced")
        report = cycle(config, store)
        assert report.matched == 1
    assert titles(hook) == ["Another merger is announced"]


# -- delivery -------------------------------------------------------------------------------------

def test_a_failed_delivery_is_retried_later_then_shows_as_sent(tmp_path: Path, hook: Hook) -> None:
    config, store = nvda_site(tmp_path, hook)
    hook.mode = "fail"
    with store:
        add(store, 1, "Nvidia lifts its outlook", symbols=("NASDAQ:NVDA",))
        now = time.time()
        report = cycle(config, store, now=now)
        assert (report.matched, report.sent, report.failed, report.exit_code) == (1, 0, 1, 1)
        assert "500" in report.errors[0] and "nvidia -> json://127.0.0.1" in report.errors[0]
        (rule,) = gather(config).alerts
        assert (rule.waiting, rule.gave_up, rule.sent) == (1, 0, 0) and "500" in (rule.last_error or "")
        requests = hook.requests
        assert send_alerts(config, store, now=now + 1).failed == 0  # not due yet: nothing sent
        assert hook.requests == requests
        hook.mode = "ok"
        report = send_alerts(config, store, now=now + alerts_state.RETRY_BASE + 1)
        assert (report.matched, report.sent, report.failed) == (0, 1, 0)
    assert titles(hook) == ["Nvidia lifts its outlook"]
    (rule,) = gather(config).alerts
    assert (rule.waiting, rule.gave_up, rule.sent) == (0, 0, 1)


def test_a_delivery_is_given_up_after_the_retry_limit_and_listed_by_status(tmp_path: Path, hook: Hook) -> None:
    config, store = nvda_site(tmp_path, hook)
    hook.mode = "fail"
    with store:
        add(store, 1, "Nvidia lifts its outlook", symbols=("NASDAQ:NVDA",))
        now = time.time()
        cycle(config, store, now=now)
        gave_up = 0
        for _ in range(alerts_state.RETRY_LIMIT - 1):
            now += alerts_state.RETRY_MAX + 1
            gave_up += send_alerts(config, store, now=now).gave_up
        assert gave_up == 1 and hook.requests == alerts_state.RETRY_LIMIT
        assert send_alerts(config, store, now=now + 10 * alerts_state.RETRY_MAX).failed == 0  # no more tries
    assert hook.requests == alerts_state.RETRY_LIMIT
    (rule,) = gather(config).alerts
    assert (rule.waiting, rule.gave_up) == (0, 1)
    result = CliRunner().invoke(cli, ["-c", str(tmp_path / "newsdesk.toml"), "status", "--json"])
    data = json.loads(result.stdout)
    assert data["alerts"][0]["rule"] == "nvidia" and data["alerts"][0]["gave_up"] == 1
    text = CliRunner().invoke(cli, ["-c", str(tmp_path / "newsdesk.toml"), "status"]).stdout
    assert "alert rule" in text and "500" in text


def test_a_receiver_that_hangs_costs_the_time_limit_and_does_not_block_the_others(tmp_path: Path) -> None:
    with Hook() as stuck, Hook() as good:
        stuck.mode = "hang"
        config = make_site(tmp_path, {**NVDA, "notify": [stuck.apprise_url, good.apprise_url]})
        with Store(config.store_path) as store:
            start(config, store)
            add(store, 1, "Nvidia lifts its outlook", symbols=("NASDAQ:NVDA",))
            assert not publish(config, store).failed
            began = time.monotonic()
            report = send_alerts(config, store, timeout=1.0)
            took = time.monotonic() - began
            assert took < 3.0  # Apprise's own read timeout (4 s) is not waited for
            assert (report.sent, report.failed) == (1, 1)
            assert "no answer within 1s" in report.errors[0]
            assert titles(good) == ["Nvidia lifts its outlook"]
            (rule,) = gather(config).alerts
            assert rule.waiting == 1  # the hung one is retried later; the good one is done


def test_mail_through_a_real_smtp_server(tmp_path: Path, smtp: tuple[Mailbox, int]) -> None:
    box, port = smtp
    url = f"mailto://127.0.0.1:{port}?from=alerts@example.com&to=desk@example.com"
    config = make_site(tmp_path, {**NVDA, "notify": [url]})
    with Store(config.store_path) as store:
        start(config, store)
        add(store, 1, "Nvidia lifts its outlook", "Nvidia raised its forecast.", ("NASDAQ:NVDA",))
        report = cycle(config, store)
        name = store.names_of(["wire:1/x:0"])["wire:1/x:0"]
    assert (report.sent, report.failed) == (1, 0)
    (mail,) = box.mails
    assert mail["Subject"] == "Nvidia lifts its outlook"
    assert mail["To"] == "desk@example.com"
    text = next(part for part in mail.walk() if part.get_content_type() == "text/plain")
    payload = text.get_payload(decode=True)
    assert isinstance(payload, bytes)
    assert f"{BASE_URL}post/{name}/" in payload.decode()


# -- configuration and the command line -----------------------------------------------------------

def test_a_url_apprise_cannot_use_is_a_config_error_naming_the_rule(tmp_path: Path, hook: Hook) -> None:
    config = make_site(tmp_path, {**NVDA, "notify": [hook.apprise_url]},
                       {"name": "deals", "keywords": ["merger"], "notify": ["nosuchservice://x/y"]})
    with pytest.raises(ConfigError, match=r"alerts\[1\] \(deals\): notify\[0\] \(nosuchservice://...\)"):
        check_rules(config)
    with Store(config.store_path) as store, pytest.raises(ConfigError):
        send_alerts(config, store)
    result = CliRunner().invoke(cli, ["-c", str(tmp_path / "newsdesk.toml"), "alerts", "test", "nvidia"])
    assert result.exit_code == 2 and "deals" in result.stderr


def test_urls_are_stored_masked_and_hashed_never_whole(tmp_path: Path, hook: Hook) -> None:
    secret_url = hook.apprise_url.replace("json://", "json://user:s3cret-pass@")
    config, store = nvda_site(tmp_path, hook, notify=[secret_url])
    hook.mode = "fail"
    with store:
        add(store, 1, "Nvidia lifts its outlook", symbols=("NASDAQ:NVDA",))
        report = cycle(config, store)
        assert report.failed == 1 and "s3cret" not in report.errors[0]
    assert b"s3cret-pass" not in config.store_path.read_bytes()
    assert "s3cret" not in json.dumps(gather(config).to_json())


def test_cli_alerts_test_sends_a_sample_and_exits_by_the_result(tmp_path: Path, hook: Hook) -> None:
    make_site(tmp_path, {**NVDA, "notify": [hook.apprise_url]})
    args = ["-c", str(tmp_path / "newsdesk.toml"), "alerts", "test"]
    result = CliRunner().invoke(cli, [*args, "nvidia"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("sent    json://127.0.0.1")
    assert titles(hook) == ["newsdesk test alert for nvidia"]
    assert BASE_URL in hook.received[0]["message"] and "NVDA" in hook.received[0]["message"]
    assert not (tmp_path / "newsdesk.db").exists()  # a test records nothing
    hook.mode = "fail"
    result = CliRunner().invoke(cli, [*args, "nvidia"])
    assert result.exit_code == 1 and "FAILED" in result.stdout and "500" in result.stdout
    result = CliRunner().invoke(cli, [*args, "nope"])
    assert result.exit_code == 2 and "no rule named 'nope'" in result.stderr and "'nvidia'" in result.stderr


def test_test_rule_reports_each_url(tmp_path: Path, hook: Hook) -> None:
    config = make_site(tmp_path, {**NVDA, "notify": [hook.apprise_url, "json://127.0.0.1:1/closed"]})
    report = test_rule(config, "nvidia", timeout=10)
    assert [ok for _, ok, _ in report.results] == [True, False] and report.exit_code == 1


def test_message_links_are_pages_of_the_built_site(tmp_path: Path, hook: Hook) -> None:
    from newsdesk.runner import build

    config, store = nvda_site(tmp_path, hook, digest_after=10)
    with store:
        add(store, 1, "Nvidia lifts its outlook", symbols=("NASDAQ:NVDA",))
        add(store, 2, "Nvidia hebt die Prognose", symbols=("NASDAQ:NVDA",), lang="de")
        add(store, 3, "Nvidia 日本 市場", symbols=("NASDAQ:NVDA",))
        assert cycle(config, store).sent == 3
        build(config, store)
    public = config.site_path / "public"
    links = [line for m in hook.received for line in m["message"].splitlines() if line.startswith(BASE_URL)]
    assert len(links) == 3 and any("/de/post/" in link for link in links)
    from urllib.parse import unquote

    for link in links:
        assert (public / unquote(link.removeprefix(BASE_URL)) / "index.html").is_file(), link


def test_runs_without_rules_move_on_so_a_rule_added_later_starts_there(tmp_path: Path, hook: Hook) -> None:
    config = make_site(tmp_path)
    with Store(config.store_path) as store:
        start(config, store)
        add(store, 1, "Nvidia lifts its outlook", symbols=("NASDAQ:NVDA",))
        assert cycle(config, store).matched == 0
        with (tmp_path / "newsdesk.toml").open("a") as file:
            file.write(rules_toml({**NVDA, "notify": [hook.apprise_url]}))
        config = load_config(tmp_path / "newsdesk.toml")
        assert send_alerts(config, store).matched == 0
        next_second()
        add(store, 2, "Nvidia opens a plant", symbols=("NASDAQ:NVDA",))
        assert cycle(config, store).matched == 1
    assert titles(hook) == ["Nvidia opens a plant"]


def test_a_digest_lists_the_newest_fifty_and_counts_the_rest(tmp_path: Path, hook: Hook) -> None:
    config, store = nvda_site(tmp_path, hook, digest_after=0)
    with store:
        for n in range(53):
            add(store, n, f"Chip story {n}", symbols=("NASDAQ:NVDA",))
        report = cycle(config, store)
    assert (report.matched, report.sent, report.digests) == (53, 1, 1)
    (message,) = hook.received
    assert message["title"] == "53 new stories for nvidia"
    assert "Chip story 52\n" in message["message"] and "Chip story 2\n" not in message["message"]
    assert f"… and 3 more on {BASE_URL}" in message["message"]
