"""The `newsdesk` command line: parse, call the library, print."""

from __future__ import annotations

import click

from newsdesk import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsdesk")
def cli() -> None:
    """Market news stories to Markdown posts, an archive and a Hugo site."""


def main() -> None:
    cli()
