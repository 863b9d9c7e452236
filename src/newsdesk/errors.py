"""The exceptions newsdesk raises, and the exit status each one means.

    NewsdeskError            base; ``exit_code`` tells the CLI how to end (1)
    ├── ConfigError          bad newsdesk.toml, bad option or source configuration (2)
    ├── FetchError           a source could not be read at all (1)
    │   └── SourceDeferred   the source asked to be left alone until a time (Retry-After) (1)
    ├── StoryError           one story is malformed; it is skipped and the run ends 1 (1)
    ├── StoreError           the archive cannot be opened or written (1)
    ├── PublishError         a post cannot be written, e.g. a file newsdesk did not write is in the way (1)
    └── BuildError           Hugo (or the indexer) failed (1)

The CLI catches ``NewsdeskError`` at one place, prints ``error: <message>`` on stderr and exits
with ``exit_code``. Messages say what is wrong and how to fix it.
"""

from __future__ import annotations


class NewsdeskError(Exception):
    """Base of every error newsdesk raises on purpose."""

    exit_code = 1


class ConfigError(NewsdeskError):
    """The configuration (file, option, or a source's filters) is wrong; the user must fix it."""

    exit_code = 2


class FetchError(NewsdeskError):
    """A source could not be read (network, HTTP error after retries, unexpected answer)."""


class SourceDeferred(FetchError):
    """The source answered 429/503 with Retry-After: ask it again at ``until`` (epoch seconds)."""

    def __init__(self, message: str, until: float) -> None:
        super().__init__(message)
        self.until = until


class StoryError(NewsdeskError):
    """One story is malformed. Carries the story id so logs can name it."""

    def __init__(self, story_id: str, message: str) -> None:
        super().__init__(f"story {story_id!r}: {message}")
        self.story_id = story_id


class StoreError(NewsdeskError):
    """The archive cannot be opened or written."""


class PublishError(NewsdeskError):
    """A post cannot be written."""


class BuildError(NewsdeskError):
    """Hugo or the search indexer failed."""
