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
