"""Alerts: a message when a story about a ticker or a word arrives (``[[alerts]]`` rules).

Three calls for the rest of newsdesk:

- :func:`check_rules` (preflight, before any work): every notify URL of every rule is one Apprise
  can use, else :class:`~newsdesk.errors.ConfigError` naming the rule (exit 2);
- :func:`send_alerts` (after publish -- and build and deploy, so the link works when the message
  arrives): match the stories published since the last run against the rules, record each match
  once ever, deliver what is due (new matches and earlier failures whose retry time has come);
  more matches of a rule than its ``digest_after`` become one digest message per notify URL;
- :func:`test_rule` (`newsdesk alerts test NAME`): a sample message through one rule's URLs.

Which stories: see :mod:`newsdesk.alerts_state` (a cursor over the archive-write time moved in the
transaction that records the matches; the first run on an archive only starts the cursor; stories
not yet published wait). Matching: :mod:`newsdesk.alerts_match`. Messages:
:mod:`newsdesk.alerts_message`. Delivery (Apprise, a time limit over all of it, failures' reasons):
:mod:`newsdesk.alerts_deliver`. A failed delivery is retried on later runs with a growing pause
(1 min doubling to 1 h), given up after :data:`~newsdesk.alerts_state.RETRY_LIMIT` attempts and
shown by `newsdesk status` either way.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from newsdesk import alerts_state as state
from newsdesk import safejson
from newsdesk.alerts_deliver import Message, Outcome, Target, deliver, target
from newsdesk.alerts_match import Facts, Matcher
from newsdesk.alerts_message import (
    DIGEST_ITEMS,
    Item,
    digest_message,
    item,
    sample_message,
    site_root,
    story_link,
    story_message,
)
from newsdesk.config import AlertRule, Config
from newsdesk.errors import ConfigError, NewsdeskError
from newsdesk.render.post import post_name
from newsdesk.sources import story_from_raw
from newsdesk.store import Store

__all__ = ["AlertReport", "TestReport", "check_rules", "send_alerts", "test_rule"]

log = logging.getLogger("newsdesk.alerts")

#: Seconds all of one run's deliveries may take together (each URL also has Apprise's own
#: socket timeouts, 4 s by default, set with ``?cto=``/``?rto=`` in the URL).
DELIVERY_TIMEOUT = 60.0


def check_rules(config: Config) -> dict[str, list[Target]]:
    """Every rule's notify URLs checked by Apprise (each URL once), by rule name; ConfigError (exit
    2) naming the rule and the URL's place when one is not usable."""
    checked: dict[str, list[Target]] = {}
    for i, rule in enumerate(config.alerts):
        targets: dict[str, Target] = {}
        for j, url in enumerate(rule.notify):
            try:
                found = target(url)
            except ValueError as exc:
                scheme = url.split("://", 1)[0]
                raise ConfigError(f"alerts[{i}] ({rule.name}): notify[{j}] ({scheme}://...) is not a URL Apprise "
                                  f"can use: {exc}; see https://github.com/caronc/apprise/wiki") from None
            targets.setdefault(found.key, found)
        checked[rule.name] = list(targets.values())
    return checked


@dataclass
class AlertReport:
    """What one :func:`send_alerts` run did."""

    matched: int = 0  # new (rule, story) matches recorded
    sent: int = 0  # messages delivered (a digest counts once)
    digests: int = 0  # of those, digests
    failed: int = 0  # messages that failed (their stories are retried later, or were given up)
    gave_up: int = 0  # deliveries given up in this run after the retry limit
    started: bool = False  # the first run on this archive: the cursor starts now, nothing else
    errors: list[str] = field(default_factory=list)  # "rule -> URL (masked): reason", one per failed message

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def summary(self) -> str:
        if self.started:
            return "first run: stories archived from now on alert"
        text = f"{self.matched} matched, {self.sent} sent ({self.digests} digests), {self.failed} failed"
        return text + (f", {self.gave_up} given up" if self.gave_up else "")


def send_alerts(config: Config, store: Store, *, timeout: float = DELIVERY_TIMEOUT,
                now: float | None = None) -> AlertReport:
    """Match the stories published since the last run, record the matches, deliver what is due.

    Call it on every cycle after the site is published (built, deployed), also when no rule is
    configured (it then only moves the cursor, so rules added later do not alert for old stories).
    A story not yet published waits for a later call; a crash at any point repeats no match and
    loses none (a message sent right before a crash may be sent again). ConfigError when a notify
    URL is not usable (run :func:`check_rules` in preflight to learn that before any work)."""
    clock = int(time.time() if now is None else now)
    targets = check_rules(config)
    report = AlertReport()
    with store.atomic():
        start = state.cursor(store)
        if start is None:  # stories archived up to this second are the existing archive
            state.set_cursor(store, clock)
            state.register(store, targets, clock + 1)
            report.started = True
            return report
        pairs = {name: [(t.key, t.label) for t in ts] for name, ts in targets.items()}
        since = state.register(store, targets, start + 1)  # a new rule: stories archived after the last run
        report.matched = _match(config, store, since, start, clock, pairs)
        dropped = state.prune(store, pairs, clock)
    if dropped:
        log.info("alerts: %d undelivered message(s) of removed rules or URLs dropped", dropped)
    _deliver(config, store, targets, report, timeout, clock)
    return report


def _match(config: Config, store: Store, since: dict[str, int], start: int, now: int,
           pairs: dict[str, list[tuple[str, str]]]) -> int:
    """Match every candidate story; record new matches. Inside the caller's transaction."""
    matchers = [Matcher(rule) for rule in config.alerts]
    if not matchers:
        state.skip(store, start, now)
        return 0
    rank = {lang: i for i, lang in enumerate(config.with_archive(store.archived_languages()).languages)}
    found: dict[tuple[str, str], str] = {}
    for candidate in state.scan(store, start, now):
        wanted = [m for m in matchers if candidate.updated_at >= since.get(m.rule.name, now)
                  and m.admits(candidate.lang, candidate.source)]
        if not wanted:
            continue
        try:
            facts = Facts(story_from_raw(safejson.loads(candidate.raw_text), candidate.site_url), candidate.source,
                          store=store)
        except (NewsdeskError, KeyError, TypeError, ValueError, RecursionError) as exc:
            log.warning("alerts: story %s (%s) cannot be read: %s", candidate.id, candidate.lang, exc)
            continue
        for matcher in wanted:
            key = (matcher.rule.name, candidate.id)
            if key in found and rank.get(found[key], 99) <= rank.get(candidate.lang, 99):
                continue
            if not state.matched(store, matcher.rule.name, [candidate.id]) and matcher.matches(facts):
                found[key] = candidate.lang
    return state.record_matches(store, found, pairs, now)


@dataclass
class _Job:
    rule: AlertRule
    target: Target
    messages: list[Message] = field(default_factory=list)
    covers: list[list[state.Due]] = field(default_factory=list)  # the deliveries each message covers


def _deliver(config: Config, store: Store, targets: dict[str, list[Target]], report: AlertReport,
             timeout: float, now: int) -> None:
    rules = {rule.name: rule for rule in config.alerts}
    by_key = {(name, t.key): t for name, ts in targets.items() for t in ts}
    groups: dict[tuple[str, str], list[state.Due]] = defaultdict(list)
    for d in state.due(store, now):
        if (d.rule, d.target) in by_key:
            groups[(d.rule, d.target)].append(d)
    if not groups:
        return
    # A digest shows its newest stories only: read just those (due() is oldest first).
    shown = {g: dues[-DIGEST_ITEMS:][::-1] if len(dues) > rules[g[0]].digest_after else dues
             for g, dues in groups.items()}
    items = _items(config, store, shown.values())
    missing = [d for (name, _), dues in groups.items() if len(dues) <= rules[name].digest_after for d in dues
               if (d.id, d.lang) not in items]
    if missing:  # stories that cannot be read any more: their single messages are dropped
        state.drop(store, missing)
    jobs: list[_Job] = []
    for (name, key), dues in groups.items():
        job = _Job(rules[name], by_key[(name, key)])
        entries = [(d, items[(d.id, d.lang)]) for d in shown[(name, key)] if (d.id, d.lang) in items]
        if len(dues) > job.rule.digest_after:
            job.messages.append(digest_message(job.rule, [entry for _, entry in entries], len(dues),
                                               site_root(config.site.base_url)))
            job.covers.append(dues)
        else:
            for d, entry in entries:
                job.messages.append(story_message(job.rule, entry))
                job.covers.append([d])
        if job.messages:
            jobs.append(job)
    outcomes = deliver([(job.target, job.messages) for job in jobs], timeout)
    for job, results in zip(jobs, outcomes):
        _settle(store, job, results, report, now)


def _settle(store: Store, job: _Job, results: Sequence[Outcome], report: AlertReport, now: int) -> None:
    for covered, outcome in zip(job.covers, results):
        digest = len(covered) > job.rule.digest_after
        if outcome.ok:
            state.delivered(store, job.rule.name, covered, now)
            report.sent += 1
            report.digests += digest
        elif outcome.ok is False:
            report.failed += 1
            report.gave_up += state.failed(store, covered, outcome.error, now)
            report.errors.append(f"{job.rule.name} -> {job.target.label}: {outcome.error}")
            log.warning("alerts: %s to %s failed: %s", "digest" if digest else "message", job.target.label,
                        outcome.error)


def _items(config: Config, store: Store, groups: Iterable[list[state.Due]]) -> dict[tuple[str, str], Item]:
    """The message entry of every story the due deliveries name."""
    keys = list(dict.fromkeys((d.id, d.lang) for ds in groups for d in ds))
    default_lang = config.with_archive(store.archived_languages()).languages[0]
    names = store.names_of([i for i, _ in keys])
    result: dict[tuple[str, str], Item] = {}
    for row in store.rows_for(keys):
        try:
            story = story_from_raw(row.raw, row.site_url)
        except (NewsdeskError, KeyError, TypeError, ValueError, RecursionError) as exc:
            log.warning("alerts: story %s (%s) cannot be read: %s", row.id, row.lang, exc)
            continue
        name = names.get(row.id) or post_name(row.id, row.title)
        link = story_link(config.site.base_url, default_lang, row.lang, name)
        result[(row.id, row.lang)] = item(Facts(story, row.source, store=store), link, config)
    return result


@dataclass
class TestReport:
    """What `newsdesk alerts test NAME` did: per notify URL (masked), delivered or why not."""

    __test__ = False  # pytest: not a test class

    rule: str
    results: list[tuple[str, bool, str]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 0 if all(ok for _, ok, _ in self.results) else 1


def test_rule(config: Config, name: str, *, timeout: float = DELIVERY_TIMEOUT) -> TestReport:
    """Send a sample message through every notify URL of the rule ``name``. ConfigError (exit 2)
    for an unknown rule or a URL Apprise cannot use; nothing is recorded in the archive."""
    rule = next((r for r in config.alerts if r.name == name), None)
    if rule is None:
        known = ", ".join(repr(r.name) for r in config.alerts) or "none: add [[alerts]] tables to newsdesk.toml"
        raise ConfigError(f"alerts: no rule named {name!r} (rules: {known})")
    targets = check_rules(config)[name]
    message = sample_message(config, rule)
    outcomes = deliver([(t, [message]) for t in targets], timeout)
    report = TestReport(name)
    for t, (outcome,) in zip(targets, outcomes):
        report.results.append((t.label, bool(outcome.ok), outcome.error or ("" if outcome.ok else "not sent")))
    return report


test_rule.__test__ = False  # type: ignore[attr-defined]  # pytest: not a test
