"""docs/facts.md's example runs: its input gives the output it shows."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "facts.md"


def test_the_example_in_docs_facts_gives_what_it_shows() -> None:
    text = DOC.read_text(encoding="utf-8")
    story = re.search(r"printf '%s\\n' '(\{.*?\})'", text)
    shown = re.search(r"```json\n(\{.*?\})\n```", text, re.S)
    assert story is not None and shown is not None
    done = subprocess.run([sys.executable, "-m", "newsdesk", "facts", "-"], input=story.group(1) + "\n",
                          capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(done.stdout) == json.loads(shown.group(1))
