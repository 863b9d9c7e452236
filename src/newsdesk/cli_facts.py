"""The market-facts commands of the `newsdesk` command line (registered in ``newsdesk.cli``).

Thin: parse, call ``newsdesk.facts``, print. Exit 0 after scoring, 2 when an input cannot be read.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from newsdesk.errors import NewsdeskError


@click.command("facts-score")
@click.argument("gold", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.argument("pred", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--no-stories", is_flag=True, help="Leave out each story's misses and false positives.")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              metavar="OUT", help="Also write the figures as JSON to OUT.")
@click.option("--main-only", is_flag=True, help="Score only the facts about each story's main entities.")
def facts_score(gold: tuple[Path, ...], pred: Path, no_stories: bool, json_out: Path | None,
                main_only: bool) -> None:
    """Score predicted facts (PRED, JSON Lines; - for stdin) against labelled stories (GOLD files).

    Prints precision, recall and F1 per metric, per language and for the main entities, attribute
    agreement, each story's misses and false positives, and the loose/key/strict totals.
    """
    from newsdesk.facts.score import score_files
    from newsdesk.facts.score_report import format_report
    from newsdesk.files import atomic_write

    try:
        if str(pred) == "-":
            report = score_files(gold, None, sys.stdin.read(), main_only=main_only)
        else:
            report = score_files(gold, pred, main_only=main_only)
    except NewsdeskError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    if report.unknown_ids:
        click.echo(f"note: predictions for {len(report.unknown_ids)} story id(s) not in the labels were "
                   f"ignored: {', '.join(report.unknown_ids[:10])}", err=True)
    click.echo(format_report(report, stories=not no_stories), nl=False)
    if json_out is not None:
        try:
            atomic_write(json_out, json.dumps(report.to_json(), indent=1, ensure_ascii=False) + "\n")
        except OSError as exc:
            click.echo(f"error: cannot write {json_out}: {exc}", err=True)
            sys.exit(1)


def _fact_lines(source: str, text: str) -> tuple[list[str], list[str]]:
    """Output lines (one per input line) and error messages for a JSON Lines input."""
    from newsdesk.facts import extract

    out: list[str] = []
    errors: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except ValueError as exc:
            errors.append(f"{source}:{number}: not a JSON object ({exc}); each line must be "
                          '{"id", "lang", "title", "text"}')
            continue
        problem = _story_problem(data)
        if problem:
            errors.append(f"{source}:{number}: {problem}")
            continue
        symbols = data.get("symbols") or ()
        facts = extract(data.get("title") or "", data.get("text") or "", data["lang"],
                        tuple(s for s in symbols if isinstance(s, str)))
        out.append(json.dumps({"id": data["id"], "facts": [f.to_json() for f in facts]}, ensure_ascii=False))
    return out, errors


def _story_problem(data: object) -> str | None:
    if not isinstance(data, dict):
        return f"expected a JSON object, got {type(data).__name__}"
    if not isinstance(data.get("id"), (str, int)) or isinstance(data.get("id"), bool):
        return 'no "id" (a string)'
    if not isinstance(data.get("lang"), str):
        return 'no "lang" (en, de or es)'
    for key in ("title", "text"):
        if data.get(key) is not None and not isinstance(data[key], str):
            return f'"{key}" is not a string'
    if data.get("symbols") is not None and not isinstance(data["symbols"], list):
        return '"symbols" is not a list of "EXCHANGE:TICKER" strings'
    return None


@click.command("facts")
@click.argument("file", required=False, type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--story", "story_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="One story file in any of the API's shapes (as `newsdesk render` reads) instead of FILE.")
@click.option("--lang", default=None, help="Language of the --story file when it does not say.")
def facts(file: Path | None, story_file: Path | None, lang: str | None) -> None:
    """Extract market facts: FILE (JSON Lines of {"id", "lang", "title", "text", "symbols"?}; - or no
    FILE for stdin) gives one line {"id", "facts": [...]} per story on stdout.

    A bad line is reported on stderr with its line number; the rest are still done (exit 1).
    """
    if story_file is not None:
        if file is not None:
            click.echo("error: give FILE or --story STORY.json, not both", err=True)
            sys.exit(2)
        _one_story(story_file, lang)
        return
    name = "<stdin>" if file is None or str(file) == "-" else str(file)
    try:
        text = sys.stdin.read() if name == "<stdin>" else Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        click.echo(f"error: cannot read {name}: {exc}", err=True)
        sys.exit(2)
    lines, errors = _fact_lines(name, text)
    for line in lines:
        click.echo(line)
    for message in errors:
        click.echo(f"error: {message}", err=True)
    if errors:
        sys.exit(1)


def _one_story(story_file: Path, lang: str | None) -> None:
    from newsdesk import safejson
    from newsdesk.cli import State
    from newsdesk.config import load_config
    from newsdesk.facts.archive import facts_of_story
    from newsdesk.sources import story_from_json

    try:
        data = safejson.loads(story_file.read_bytes())
        state = click.get_current_context().find_object(State)
        config = state.config() if state is not None else load_config(None)
        story = story_from_json(data, lang=lang, config=config)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        click.echo(f"error: cannot read {story_file}: {exc}", err=True)
        sys.exit(2)
    except NewsdeskError as exc:
        click.echo(f"error: {story_file}: {exc}", err=True)
        sys.exit(2)
    found = facts_of_story(story)
    click.echo(json.dumps({"id": story.id, "facts": [f.to_json() for f in found]}, ensure_ascii=False))
