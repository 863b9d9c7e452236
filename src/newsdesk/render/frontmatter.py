"""YAML front matter in the seed's style, through one safe-scalar function.

Every string is written as one double-quoted scalar by :func:`yaml_str`, a hand-written quoter
(faster than a YAML library and exact about the format): values such as ``ON``, ``NO``,
``null``, ``1.10`` or ``2024-05-01`` stay strings, and only JSON-compatible escapes are used
(``\\"``, ``\\\\``, ``\\n``, ``\\t``, ``\\r``, ``\\uXXXX``), which PyYAML and Hugo's YAML parser
read back alike. Tab, line feed, carriage return, DEL, the C1 controls including NEL, the line
and paragraph separators U+2028/U+2029 and the byte-order mark are escaped. The other C0
controls and U+FFFE/U+FFFF are dropped: a title reaches the RSS feed and the sitemaps, and no
XML 1.0 document may hold them, not even as character references. Lone surrogates, which
cannot be written as UTF-8, become U+FFFD. Lists are written as
``key:`` plus ``  - "x"`` lines (``key: []`` when empty), booleans as bare ``true``/``false``.
A list may also hold mappings (a story's market facts): each is one flow mapping on its line,
``  - {"entity": "NVDA", "value": -4, ...}``, keys and strings quoted by :func:`yaml_str`, numbers
written so that YAML 1.1 and 1.2 parsers alike read them back as the same number (``1.0e-05``,
never ``1e-05``, which YAML 1.1 reads as a string), ``null`` for None. Such a line is JSON too.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

FrontMatterValue = str | bool | Sequence[str] | Sequence[Mapping[str, Any]]

_NAMED = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_TABLE: dict[int, str | None] = {code: f"\\u{code:04X}" for code in [*range(0x7F, 0xA0), 0x2028, 0x2029, 0xFEFF]}
_TABLE.update({code: None for code in [*range(0x20), 0xFFFE, 0xFFFF]})
_TABLE.update({ord(char): escaped for char, escaped in _NAMED.items()})
_TABLE.update({code: "\ufffd" for code in range(0xD800, 0xE000)})
_NEEDS_ESCAPE = re.compile('["\\\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]')
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
_CHECKED_KEYS: set[str] = set()  # keys already found plain (a post's keys are the same every time)


def yaml_str(value: str) -> str:
    """``value`` as one double-quoted YAML scalar that parses back to the same string, less the
    controls XML cannot hold and with U+FFFD for lone surrogates (see the module docstring)."""
    if _NEEDS_ESCAPE.search(value) is None:
        return f'"{value}"'
    return f'"{value.translate(_TABLE)}"'


def front_matter(items: Sequence[tuple[str, FrontMatterValue]]) -> str:
    """``---`` / one ``key: value`` entry per item, in order / ``---``, ending in a newline.

    Keys must be plain identifiers (they are written as they are); a str value becomes a
    quoted scalar, a bool ``true``/``false``, any other sequence a list of quoted strings.
    """
    return f"---\n{front_matter_entries(items)}---\n"


def front_matter_entries(items: Sequence[tuple[str, FrontMatterValue]]) -> str:
    """The entries of :func:`front_matter` without the ``---`` lines, each line ending in a newline
    (entries written once can be reused: ``front_matter(a + b)`` is ``---\n`` + entries of ``a`` +
    entries of ``b`` + ``---\n``)."""
    lines: list[str] = []
    for key, value in items:
        if key not in _CHECKED_KEYS:
            if _KEY.fullmatch(key) is None:
                raise ValueError(f"front matter key {key!r} is not a plain identifier")
            if len(_CHECKED_KEYS) < 256:
                _CHECKED_KEYS.add(key)
        if isinstance(value, str):
            lines.append(f"{key}: {yaml_str(value)}\n")
        elif isinstance(value, bool):
            lines.append(f"{key}: {'true' if value else 'false'}\n")
        elif not value:
            lines.append(f"{key}: []\n")
        else:
            lines.append(f"{key}:\n")
            for entry in value:
                if isinstance(entry, Mapping):
                    lines.append(f"  - {yaml_flow(entry)}\n")
                    continue
                if not isinstance(entry, str):
                    raise TypeError(f"front matter list {key!r} holds {entry!r}, expected strings")
                lines.append(f"  - {yaml_str(entry)}\n")
    return "".join(lines)


def yaml_flow(value: Any) -> str:
    """A mapping, list, string, number, bool or None as one line of flow YAML (and JSON)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"front matter number {value!r} is not finite")
        text = repr(value)
        mantissa, e, exponent = text.partition("e")
        return f"{mantissa}.0e{exponent}" if e and "." not in mantissa else text
    if isinstance(value, str):
        return yaml_str(value)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{yaml_str(str(k))}: {yaml_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(yaml_flow(v) for v in value) + "]"
    raise TypeError(f"front matter value {value!r} cannot be written")
