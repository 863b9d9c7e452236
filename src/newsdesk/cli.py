"""The `newsdesk` command line: parse, call the library, print.

Exit status: 0 all went well, 1 some work failed (the rest was done), 2 bad usage or config.
Logs go to stderr; data (post paths, story lists, rendered posts) to stdout.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from newsdesk import __version__
from newsdesk.config import Config, load_config
from newsdesk.errors import NewsdeskError
from newsdesk.lock import DEFAULT_WAIT
from newsdesk.log import setup_logging, show_progress, stderr_console

F = TypeVar("F", bound=Callable[..., Any])


class State:
    def __init__(self, config_path: Path | None, verbosity: int) -> None:
        self.config_path = config_path
        self.verbosity = verbosity

    def config(self, required: bool = False) -> Config:
        return load_config(self.config_path, required=required)

    def checked(self, command: str) -> Config:
        """The config with its paths checked for ``command`` before any work (exit 2 naming the key)."""
        from newsdesk.preflight import check_paths

        config = self.config()
        check_paths(config, command)
        return config

    @property
    def progress(self) -> bool:
        return show_progress(self.verbosity < 0)


def wait_option(func: F) -> F:
    """``--wait SECONDS``: how long to wait for another run holding the lock (exit 1 after that)."""
    return click.option("--wait", type=click.FloatRange(min=0), default=DEFAULT_WAIT, show_default=True,
                        metavar="SECONDS",
                        help="Wait this long for another newsdesk run on the same archive to finish "
                             "(0: give up at once); then exit 1 naming it.")(func)


def handle_errors(func: F) -> F:
    """The one place where library errors become a message and an exit status."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except NewsdeskError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


@contextmanager
def progress_bar(enabled: bool, label: str, total: int | None = None) -> Iterator[Callable[..., None]]:
    if not enabled:
        yield lambda *a, **k: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn  # only on a terminal

    columns = [SpinnerColumn(), TextColumn(label), BarColumn(), MofNCompleteColumn()]
    with Progress(*columns, console=stderr_console, transient=True) as bar:
        task = bar.add_task(label, total=total)

        def advance(done: int | None = None, total: int | None = None) -> None:
            if done is None:
                bar.advance(task)
            else:
                bar.update(task, completed=done, total=total)

        yield advance


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsdesk")
@click.option("-c", "--config", "config_path", type=click.Path(path_type=Path), default=None,
              help="Config file (default: ./newsdesk.toml).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr; no progress bars.")
@click.option("-v", "--verbose", count=True, help="More log output (repeatable).")
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None, quiet: bool, verbose: int) -> None:
    """Market news stories to Markdown posts, an archive and a Hugo site."""
    verbosity = -1 if quiet else verbose
    setup_logging(verbosity)
    ctx.obj = State(config_path, verbosity)


pass_state = click.make_pass_decorator(State)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@handle_errors
def init(directory: Path) -> None:
    """Write a commented newsdesk.toml and a Hugo site skeleton into DIRECTORY."""
    from newsdesk.site.scaffold import init_site

    created = init_site(directory)
    for path in created:
        click.echo(path)
    click.echo(f"site ready in {directory}: edit newsdesk.toml, then run `newsdesk run`", err=True)


@cli.command()
@wait_option
@pass_state
@handle_errors
def fetch(state: State, wait: float) -> None:
    """Pull new and changed stories from every configured source into the archive."""
    from newsdesk.runner import fetch_step, run_lock
    from newsdesk.store import Store

    config = state.checked("fetch")
    with run_lock(config, wait=wait), Store(config.store_path) as store, \
            progress_bar(state.progress, "fetching") as advance:
        report = fetch_step(config, store, on_item=advance)
    click.echo(f"fetched: {report.new} new, {report.changed} changed, {report.unchanged} unchanged, "
               f"{report.filtered} filtered out, "
               + (f"{report.carried} already archived from another source, " if report.carried else "")
               + f"{len(report.failed)} failed", err=True)
    sys.exit(report.exit_code)


@cli.command()
@click.option("--all", "everything", is_flag=True, help="Re-render every archived story.")
@wait_option
@pass_state
@handle_errors
def publish(state: State, everything: bool, wait: float) -> None:
    """Write or refresh posts; print the paths of new and changed posts."""
    from newsdesk.runner import publish_step, run_lock
    from newsdesk.store import Store

    config = state.checked("publish")
    with run_lock(config, wait=wait), Store(config.store_path) as store, \
            progress_bar(state.progress, "publishing") as advance:
        report = publish_step(config, store, everything=everything, progress=advance)
    for path in report.written:
        click.echo(path)
    click.echo(f"published: {len(report.written)} written, {report.unchanged} unchanged, "
               f"{len(report.failed)} failed", err=True)
    sys.exit(1 if report.failed else 0)


@cli.command()
@wait_option
@pass_state
@handle_errors
def build(state: State, wait: float) -> None:
    """Build the site with Hugo."""
    from newsdesk.runner import build_step, run_lock
    from newsdesk.store import Store

    config = state.checked("build")
    with run_lock(config, wait=wait):
        if config.store_path.exists():
            with Store(config.store_path) as store:
                result = build_step(config, store)
        else:
            result = build_step(config)
    click.echo(f"built {config.site_path / 'public'} in {result.seconds:.1f}s", err=True)


@cli.command()
@click.option("--watch", "seconds", type=click.FloatRange(min=0.1), default=None, metavar="SECONDS",
              help="Repeat every SECONDS until interrupted (the lock is held during each cycle only; "
                   "a failed cycle is logged and the next one runs).")
@wait_option
@pass_state
@handle_errors
def run(state: State, seconds: float | None, wait: float) -> None:
    """Fetch, publish and build (once, or every SECONDS with --watch)."""
    from newsdesk.runner import run_lock, run_once, watch
    from newsdesk.store import Store

    config = state.checked("run")
    if seconds is None:
        with run_lock(config, wait=wait), Store(config.store_path) as store:
            report = run_once(config, store)
        sys.exit(report.exit_code)
    with run_lock(config, wait=wait):  # the archive is created or upgraded under the lock
        store = Store(config.store_path)
    with store:
        sys.exit(watch(config, store, seconds, wait=wait))


@cli.command()
@click.option("--rollback", is_flag=True, help="Switch a file:// web root back to its previous release.")
@click.option("--full", is_flag=True, help="s3: compare every object even if the site is the one deployed last.")
@wait_option
@pass_state
@handle_errors
def deploy(state: State, rollback: bool, full: bool, wait: float) -> None:
    """Put the built site at [deploy] target; print what was sent and deleted."""
    from newsdesk.deploy import check_deploy, deploy_step
    from newsdesk.deploy import deploy as run_deploy
    from newsdesk.lock import RunLock, lock_path
    from newsdesk.store import Store

    config = state.checked("deploy")
    check_deploy(config, rollback=rollback)
    with RunLock(lock_path(config.store_path), wait=wait):  # newsdesk.runner's run_lock, without its imports
        if config.store_path.exists():
            with Store(config.store_path) as store:
                report = deploy_step(config, store, rollback=rollback, full=full)
        else:
            report = run_deploy(config, rollback=rollback, full=full)
    for path in report.sent:
        click.echo(f"sent {path}")
    for path in report.deleted:
        click.echo(f"deleted {path}")
    click.echo(report.summary, err=True)


@cli.command()
@click.argument("urls", nargs=-1, required=True)
@wait_option
@pass_state
@handle_errors
def add(state: State, urls: tuple[str, ...], wait: float) -> None:
    """Fetch, extract and publish single article pages (their posts' paths go to stdout)."""
    from newsdesk.errors import ConfigError
    from newsdesk.fetch import add_pages
    from newsdesk.runner import publish_step, run_lock
    from newsdesk.sources.urls import is_http_url
    from newsdesk.store import Store

    config = state.checked("add")
    for url in urls:
        if not is_http_url(url):
            raise ConfigError(f"{url!r} is not an http(s) URL of an article page")
    with run_lock(config, wait=wait), Store(config.store_path) as store:
        report = add_pages(config, store, list(urls))
        written = publish_step(config, store).written
    for path in written:
        click.echo(path)
    click.echo(f"added: {report.new} new, {report.changed} changed, {report.unchanged} unchanged, "
               f"{len(report.failed)} failed", err=True)
    sys.exit(report.exit_code)


@cli.command()
@click.argument("story_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--lang", default=None, help="Language of the story when the file does not say.")
@click.option("--translations", default=None, help="Comma-separated languages for `translations`.")
@pass_state
@handle_errors
def render(state: State, story_file: Path, lang: str | None, translations: str | None) -> None:
    """Print the post for one story file (any story response shape) to stdout."""
    from newsdesk import safejson
    from newsdesk.errors import StoryError
    from newsdesk.render import render_post
    from newsdesk.sources import story_from_json

    config = state.config()
    try:
        data = safejson.loads(story_file.read_bytes())  # any depth, no lone surrogates
    except (ValueError, UnicodeDecodeError) as exc:
        raise StoryError(str(story_file), f"not valid JSON: {exc}") from None
    story = story_from_json(data, lang=lang, config=config)
    langs = [x for x in translations.split(",") if x] if translations else [story.lang]
    click.echo(render_post(story, settings=config.post, translations=langs, timezone=config.site.timezone,
                           summary_words=config.site.summary_words), nl=False)


@cli.command()
@click.option("--symbol", default=None, help="EXCHANGE:TICKER or a bare ticker.")
@click.option("--lang", default=None)
@click.option("--limit", type=click.IntRange(min=1), default=None)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.option("--failed", is_flag=True, help="List the stories whose fetch failed (waiting for a retry or given up).")
@pass_state
@handle_errors
def stories(state: State, symbol: str | None, lang: str | None, limit: int | None, as_json: bool,
            failed: bool) -> None:
    """List archived stories, newest first (or, with --failed, the failed ones, next try first)."""
    from newsdesk.listing import failed_lines, story_lines
    from newsdesk.store import Store

    config = state.checked("stories")
    with Store(config.store_path) as store:
        lines = (failed_lines(store, lang=lang, limit=limit, as_json=as_json) if failed else
                 story_lines(store, symbol=symbol, lang=lang, limit=limit, as_json=as_json))
        for line in lines:
            click.echo(line)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object on stdout instead of tables.")
@pass_state
@handle_errors
def status(state: State, as_json: bool) -> None:
    """Health for monitors: sources, failed stories, archive, last steps, the lock.

    Exit 1 when a source has had no successful fetch for longer than [status] max_age (or was
    tried and never succeeded). Never takes the lock; works while a run is going on."""
    from rich.console import Console

    from newsdesk.status import gather, render

    config = state.checked("status")
    report = gather(config)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        render(report, Console(highlight=False, width=None if sys.stdout.isatty() else 200))
    for problem in report.problems:
        click.echo(f"unhealthy: {problem}", err=True)
    sys.exit(report.exit_code)


@cli.group()
def alerts() -> None:
    """Alert rules ([[alerts]] in newsdesk.toml)."""


@alerts.command("test")
@click.argument("name")
@pass_state
@handle_errors
def alerts_test(state: State, name: str) -> None:
    """Send a sample message through every notify URL of the rule NAME (exit 1 if one fails)."""
    from newsdesk.alerts import test_rule

    report = test_rule(state.config(), name)
    for label, ok, error in report.results:
        click.echo(f"sent    {label}" if ok else f"FAILED  {label}: {error}")
    sys.exit(report.exit_code)


@cli.command("export")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@pass_state
@handle_errors
def export_command(state: State, file: str) -> None:
    """Write every archived story with its fetch metadata to FILE as JSON Lines (- for stdout)."""
    from newsdesk.transfer import export_to

    count = export_to(state.checked("export"), file)
    click.echo(f"exported {count} stories to {'stdout' if file == '-' else file}", err=True)


@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@wait_option
@pass_state
@handle_errors
def import_command(state: State, file: str, wait: float) -> None:
    """Add the stories of a JSON Lines FILE from `export` to the archive (- for stdin), in one go."""
    from newsdesk.runner import run_lock
    from newsdesk.transfer import check_source, import_into

    config = state.checked("import")
    check_source(file)
    with run_lock(config, wait=wait):
        report = import_into(config, file)
    click.echo(f"imported: {report.new} new, {report.changed} changed, {report.unchanged} unchanged; "
               f"`newsdesk publish` writes their posts", err=True)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@handle_errors
def demo(directory: Path) -> None:
    """Build the whole sample site into DIRECTORY, offline (replay server on 127.0.0.1)."""
    from newsdesk.demo import run_demo

    report = run_demo(directory)
    public = report.config.site_path / "public"
    click.echo(f"demo: {report.fetched.new} stories fetched, {len(report.published.written)} posts written, "
               f"site built in {report.built.seconds:.1f}s", err=True)
    click.echo(f"The site is in {public}")
    click.echo(f"View it: newsdesk -c {report.config.file} serve  then open http://127.0.0.1:8000/")
    sys.exit(report.fetched.exit_code or (1 if report.published.failed else 0))


@cli.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1 (0 picks a free one).")
@click.option("--watch", "seconds", type=click.FloatRange(min=1), default=None, metavar="SECONDS",
              help="Meanwhile fetch, publish and rebuild every SECONDS.")
@pass_state
@handle_errors
def serve(state: State, port: int, seconds: float | None) -> None:
    """Serve the built site on 127.0.0.1 (building it first if it never was) until Ctrl-C."""
    import signal
    import threading

    from newsdesk.site.serve import SiteServer
    from newsdesk.site.serve import serve as run_serve

    config = state.checked("serve-watch" if seconds is not None else "serve")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())

    def ready(server: SiteServer) -> None:
        click.echo(f"serving {config.site_path / 'public'} at {server.url}  (Ctrl-C stops)", err=True)

    run_serve(config, port=port, watch=seconds, ready=ready, stop=stop)


@cli.command()
@click.argument("archive_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), required=False)
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True)
@click.option("--faults", "rate", type=click.FloatRange(0, 1), default=0.0, show_default=True, metavar="RATE",
              help="Fault this share of requests (0.2 = 20%): errors, resets, bad bodies, hangs.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the fault draw (same seed, same faults).")
@handle_errors
def replay(archive_dir: Path | None, port: int, rate: float, seed: int) -> None:
    """Serve a sample archive (default: the bundled one) on 127.0.0.1 through the API's URL shapes."""
    from newsdesk.replay import FaultPlan, sample_archive_path, serve

    serve(archive_dir or sample_archive_path(), port, faults=FaultPlan(rate=rate, seed=seed) if rate else None)


from newsdesk.cli_facts import facts, facts_score  # the market-facts commands (cli_facts.py)

cli.add_command(facts_score)
cli.add_command(facts)


def main() -> None:
    cli()
