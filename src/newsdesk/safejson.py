"""JSON that cannot end a run: any nesting depth, no lone surrogates, bounded depth downstream.

Why hand-written: Python's :func:`json.loads` recurses once per nesting level and raises
:class:`RecursionError` near 1,000 levels, and its only remedy, ``sys.setrecursionlimit``, is
process-wide: raising it while the fetch's worker threads decode on small stacks risks a crash of
the whole process. No maintained library offers a depth-independent decoder that also clamps what
it returns. So :func:`loads` keeps the C decoder for every ordinary document and, only when it
gives up on depth, re-reads the text with a small explicit-stack parser (strings and numbers still
go through the json module's own scanners) that needs no recursion at all and refuses a document
nested deeper than :data:`MAX_NESTING` with a clear :class:`JSONDepthError`.

Whatever it returns is *clean*:

* no container deeper than :data:`MAX_DEPTH`: a deeper subtree becomes one string, its text
  (string array elements in order, a space around each body-tree block node such as ``p`` or
  ``li``), so the words of a 10,000-level body still reach the page while every later stage --
  the archive's ``json.dumps``, hashing, rendering -- only ever sees bounded depth;
* no lone UTF-16 surrogate (``"\\ud800"``) in any string or key: each becomes U+FFFD, so the
  object always encodes as UTF-8 (SQLite, files, Hugo).

:func:`dumps` is the matching writer for the archive: compact, never raising for depth or
surrogates.
"""

from __future__ import annotations

import json
import re
from json.decoder import scanstring
from json.scanner import NUMBER_RE
from typing import Any

from newsdesk.model import BLOCK_TYPES

__all__ = ["MAX_DEPTH", "MAX_NESTING", "JSONDepthError", "clean", "dumps", "flat_text", "loads"]

#: Containers nested deeper than this are flattened into their text (json.dumps, repr and the
#: like stay far from Python's recursion limit of 1,000).
MAX_DEPTH = 400
#: Documents nested deeper than this are refused (:class:`JSONDepthError`).
MAX_NESTING = 100_000

_SURROGATE = re.compile("[\ud800-\udfff]")
_WS = re.compile(r"[ \t\n\r]*")
_CONSTANTS = {"null": None, "true": True, "false": False, "NaN": float("nan"),
              "Infinity": float("inf"), "-Infinity": float("-inf")}


class JSONDepthError(ValueError):
    """A document nested deeper than :data:`MAX_NESTING` levels."""


def loads(data: bytes | bytearray | str) -> Any:
    """Decode a JSON document of any depth up to :data:`MAX_NESTING` into a clean object.

    Raises :class:`ValueError` (:class:`json.JSONDecodeError` or :class:`JSONDepthError`) or
    :class:`UnicodeDecodeError` for what is not JSON, never :class:`RecursionError`.
    """
    if isinstance(data, str) and data.startswith("\ufeff"):
        raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", data, 0)
    try:
        obj = json.loads(data)
    except RecursionError:
        text = _text(data)
        obj = _Parser(text).parse()  # bounded depth already; strings may still hold surrogates
        return clean(obj) if _may_hold_surrogates(text) else obj
    if _may_hold_surrogates(data) or (_may_be_deep(data) and _deeper_than(obj, MAX_DEPTH)):
        return clean(obj)
    return obj


def _deeper_than(obj: Any, limit: int) -> bool:
    """Whether containers nest more than ``limit`` levels (level by level, no recursion, no copy)."""
    level, depth = [obj], 1
    while level:
        if depth > limit:
            return True
        below: list[Any] = []
        for item in level:
            below += [value for value in (item.values() if type(item) is dict else item)
                      if type(value) is dict or type(value) is list]
        level, depth = below, depth + 1
    return False


def _may_be_deep(data: bytes | bytearray | str) -> bool:
    """Fewer opening brackets than :data:`MAX_DEPTH` cannot nest deeper (two C-speed counts)."""
    if isinstance(data, str):
        return data.count("[") + data.count("{") > MAX_DEPTH
    return data.count(b"[") + data.count(b"{") > MAX_DEPTH


def _may_hold_surrogates(data: bytes | bytearray | str) -> bool:
    """Whether decoding ``data`` can have produced a lone surrogate: a ``\\uD8xx``..``\\uDFxx``
    escape, or one encoded raw (str, or bytes read with surrogatepass as :func:`json.loads` does).
    C-speed tests only; a pair (an escaped emoji) is a false alarm, cleaned all the same."""
    if isinstance(data, str):
        if "\\u" in data and ("\\ud" in data or "\\uD" in data):
            return True
        if data.isascii():
            return False
        try:
            data.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if json.detect_encoding(data) != "utf-8":
        return True  # UTF-16/32: rare; clean it whatever it holds
    if b"\\u" in data and (b"\\ud" in data or b"\\uD" in data):
        return True
    # a raw surrogate in UTF-8 starts with ED (ED 80..9F is Hangul: a false alarm, cleaned all the same)
    return not data.isascii() and b"\xed" in data


def dumps(obj: Any, *, sort_keys: bool = False) -> str:
    """Compact JSON text (``ensure_ascii=False``) of ``obj`` that always encodes as UTF-8.

    Deeper than :data:`MAX_DEPTH` is flattened as :func:`clean` does; lone surrogates become
    U+FFFD; a value JSON cannot hold (a set, a date) is written as its ``str``.
    """
    options: dict[str, Any] = {"ensure_ascii": False, "separators": (",", ":"), "default": str,
                               "sort_keys": sort_keys}
    try:
        text = json.dumps(obj, **options)
    except RecursionError:
        text = json.dumps(clean(obj), **options)
    if not text.isascii() and _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)  # surrogates only ever stand inside strings
    return text


def clean(obj: Any) -> Any:
    """A copy of a decoded JSON value with bounded depth and no lone surrogates (no recursion)."""
    root: list[Any] = [None]
    stack: list[tuple[Any, Any, Any, int]] = [(obj, root, 0, 1)]  # (source, parent, slot, depth)
    while stack:
        src, parent, slot, depth = stack.pop()
        if isinstance(src, str):
            parent[slot] = _fix(src)
        elif isinstance(src, (dict, list, tuple)) and depth > MAX_DEPTH:
            parent[slot] = flat_text(src)
        elif isinstance(src, dict):
            out: dict[Any, Any] = {}
            parent[slot] = out
            for key, value in src.items():
                key = _fix(key) if isinstance(key, str) else key
                out[key] = None
                stack.append((value, out, key, depth + 1))
        elif isinstance(src, (list, tuple)):
            items: list[Any] = [None] * len(src)
            parent[slot] = items
            stack.extend((value, items, index, depth + 1) for index, value in enumerate(src))
        else:
            parent[slot] = src
    return root[0]


def flat_text(obj: Any) -> str:
    """The text of a JSON subtree as one string: string array elements in order (a string
    subtree is itself), a space around each body-tree block node; whitespace runs collapse (a
    space at either edge stays, so a flattened block never glues to its neighbours)."""
    if isinstance(obj, str):
        return _collapse(_fix(obj))
    parts: list[str] = []
    stack: list[Any] = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
        elif isinstance(item, dict):
            block = item.get("type") in BLOCK_TYPES if isinstance(item.get("type"), str) else False
            if block:
                parts.append(" ")
                stack.append(" ")
            children = item.get("children")
            if isinstance(children, (list, tuple, dict)):
                stack.append(children)
            elif isinstance(children, str):
                stack.append(children)
        elif isinstance(item, (list, tuple)):
            for child in reversed(item):
                if isinstance(child, (str, dict, list, tuple)):
                    stack.append(child)
    return _collapse(_fix("".join(parts)))


def _collapse(text: str) -> str:
    """Whitespace runs as one space; a space at either edge stays (it separates a block)."""
    inner = " ".join(text.split())
    if not inner:
        return " " if text else ""
    return f"{' ' if text[0].isspace() else ''}{inner}{' ' if text[-1].isspace() else ''}"


def _fix(text: str) -> str:
    if text.isascii() or _SURROGATE.search(text) is None:
        return text
    return _SURROGATE.sub("\ufffd", text)


def _text(data: bytes | bytearray | str) -> str:
    """The document as text, decoded as :func:`json.loads` does (UTF-8/16/32 detected)."""
    if isinstance(data, str):
        if data.startswith("\ufeff"):
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", data, 0)
        return data
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError(f"JSON must be str or bytes, not {type(data).__name__}")
    return bytes(data).decode(json.detect_encoding(data), "surrogatepass")


class _Frame:
    """One open container of :class:`_Parser`: a list or dict being built, or (deeper than
    :data:`MAX_DEPTH`) a flat frame adding its text to the shared ``parts``."""

    __slots__ = ("close", "obj", "key", "parts", "start", "kind", "outer")

    def __init__(self, opener: str, parts: list[str] | None, outer: bool) -> None:
        self.close = "}" if opener == "{" else "]"
        self.parts = parts
        self.outer = outer  # the outermost flat frame: its close yields the text
        self.key: Any = None
        self.kind: Any = None  # a flat dict's "type"
        self.start = 0
        self.obj: Any = None
        if parts is None:
            self.obj = {} if opener == "{" else []
        elif opener == "{":
            self.start = len(parts)
            parts.append("")

    def add(self, value: Any) -> None:
        if self.parts is None:
            if self.close == "]":
                self.obj.append(value)
            else:
                self.obj[self.key] = value
        elif self.close == "]":
            if isinstance(value, str) and value is not _NESTED:
                self.parts.append(value)
        elif self.key == "type" and isinstance(value, str):
            self.kind = value
        elif self.key == "children" and isinstance(value, str) and value is not _NESTED:
            self.parts.append(value)

    def finish(self) -> Any:
        parts = self.parts
        if parts is None:
            return self.obj
        if self.close == "}" and self.kind in BLOCK_TYPES:
            parts[self.start] = " "
            parts.append(" ")
        return _collapse("".join(parts)) if self.outer else _NESTED


_NESTED = "\x00nested"  # a flat frame's value inside another flat frame (compared by identity)


class _Parser:
    """An explicit-stack JSON parser (see the module docstring); input is trusted to be str."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.end = len(text)

    def _error(self, message: str, pos: int) -> json.JSONDecodeError:
        return json.JSONDecodeError(message, self.text, pos)

    def _skip(self, pos: int) -> int:
        match = _WS.match(self.text, pos)
        return match.end() if match else pos

    def _key(self, pos: int, frame: _Frame) -> int:
        text = self.text
        if pos >= self.end or text[pos] != '"':
            raise self._error("Expecting property name enclosed in double quotes", pos)
        frame.key, pos = scanstring(text, pos + 1, True)
        pos = self._skip(pos)
        if pos >= self.end or text[pos] != ":":
            raise self._error("Expecting ':' delimiter", pos)
        return self._skip(pos + 1)

    def _scalar(self, pos: int) -> tuple[Any, int]:
        text = self.text
        char = text[pos]
        if char == '"':
            return scanstring(text, pos + 1, True)
        number = NUMBER_RE.match(text, pos)
        if number is not None and not text.startswith("-Infinity", pos):
            whole, frac, exp = number.groups()
            value: Any = float(whole + (frac or "") + (exp or "")) if frac or exp else int(whole)
            return value, number.end()
        for word, constant in _CONSTANTS.items():
            if text.startswith(word, pos):
                return constant, pos + len(word)
        raise self._error("Expecting value", pos)

    def parse(self) -> Any:
        text, end = self.text, self.end
        stack: list[_Frame] = []
        pos = self._skip(0)
        while True:
            if pos >= end:
                raise self._error("Expecting value", pos)
            char = text[pos]
            if char in "[{":
                if len(stack) >= MAX_NESTING:
                    raise JSONDepthError(f"JSON nested deeper than {MAX_NESTING} levels (at character {pos})")
                parent_parts = stack[-1].parts if stack else None
                parts = parent_parts if parent_parts is not None else ([] if len(stack) >= MAX_DEPTH else None)
                frame = _Frame(char, parts, outer=parts is not None and parent_parts is None)
                pos = self._skip(pos + 1)
                if pos < end and text[pos] == frame.close:
                    value, pos = frame.finish(), pos + 1
                else:
                    stack.append(frame)
                    if char == "{":
                        pos = self._key(pos, frame)
                    continue
            else:
                value, pos = self._scalar(pos)
            while True:  # hand the value to its container; close finished containers
                if not stack:
                    pos = self._skip(pos)
                    if pos != end:
                        raise self._error("Extra data", pos)
                    return value
                frame = stack[-1]
                frame.add(value)
                pos = self._skip(pos)
                char = text[pos] if pos < end else ""
                if char == ",":
                    pos = self._skip(pos + 1)
                    if frame.close == "}":
                        pos = self._key(pos, frame)
                    break
                if char != frame.close:
                    raise self._error("Expecting ',' delimiter", pos)
                stack.pop()
                value, pos = frame.finish(), pos + 1
