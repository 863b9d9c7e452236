"""Inline Markdown: the escaping helpers and the placement of emphasis markers.

Each Markdown hazard has its own small pure helper: :func:`escape_inline` (markup characters
inside a line), :func:`escape_line_start` (block markers at the start of a line),
:func:`escape_cell` (table cells), :func:`escape_heading_end` (ATX closing sequences) and
:func:`link_destination` (scheme allow-list and percent-encoding of every URL written).

Inline content arrives as segments: ``(text, style)`` with a bit set of bold/italic/strike, or
finished Markdown (links, images) and hard breaks with negative "styles". :func:`emit_inline`
places emphasis markers so every opening run is followed and every closing run preceded by a
letter/digit, and has a whitespace or punctuation character on its outer side, or -- keeping a
styled text's own edge punctuation inside, as in ``**Stocks:**`` -- is followed (preceded) by
that punctuation and has whitespace or the line's edge on its outer side. Edge spaces move
outside the markers, edge punctuation only where it touches no whitespace, and styles only change
at word boundaries, which makes every marker a valid delimiter under CommonMark's flanking rules
(checked against markdown-it by a property test).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

# --- escaping helpers -----------------------------------------------------------------------

_INLINE_TABLE: dict[int, str | None] = {ord(c): "\\" + c for c in "\\`*_[]<~|{"}
_INLINE_TABLE.update({ord(c): " " for c in "\n\r\v\f\x85\u2028\u2029"})
_INLINE_TABLE[0] = "\ufffd"
#: C0 controls (but tab, line breaks, NUL) and U+FFFE/U+FFFF: no XML 1.0 document (the RSS feed,
#: the sitemaps) may hold them, not even as character references, so they go.
_CONTROLS = "".join(chr(c) for c in [*range(1, 9), *range(14, 32), 0xFFFE, 0xFFFF])
_INLINE_TABLE.update({ord(c): None for c in _CONTROLS})
_INLINE_HAZARD = re.compile(f"[\\\\`*_\\[\\]<~|{{\n\r\v\f\x85\u2028\u2029\x00&{_CONTROLS}]")
_CONTROL = re.compile(f"[{_CONTROLS}]")
_AMP = re.compile(r"&(?=[#A-Za-z0-9]|$)")


#: The ASCII characters of ``_INLINE_HAZARD`` as bytes, and its others (checked with ``in``).
_HAZARD_BYTES = bytes(sorted({ord(c) for c in f"\\`*_[]<~|{{\n\r\v\f\x00&{_CONTROLS}" if c.isascii()}))
_WIDE_HAZARDS = tuple(c for c in f"\x85\u2028\u2029{_CONTROLS}" if not c.isascii())
_SCAN_MIN = 64  # shorter texts: the regex is as fast


def hazard_free(text: str) -> bool:
    """True when :func:`escape_inline` would return ``text`` unchanged (no markup character, line
    break or control). Long texts are checked as bytes, several times faster than the regex: their
    UTF-8 form holds an ASCII byte only for an ASCII character, so deleting the ASCII hazards
    leaves it as long as it was exactly when there is none."""
    if len(text) < _SCAN_MIN:
        return _INLINE_HAZARD.search(text) is None
    if text.isascii():
        data = text.encode("ascii")
    else:
        for char in _WIDE_HAZARDS:
            if char in text:
                return False
        data = text.encode("utf-8", "surrogatepass")
    return len(data.translate(None, _HAZARD_BYTES)) == len(data)


def escape_inline(text: str) -> str:
    """Backslash-escape what would be markup inside a line (emphasis, links, code, HTML, pipes,
    strikethrough, shortcode braces, entity-like ``&``); line breaks, form feeds and line/paragraph
    separators become spaces, NUL becomes U+FFFD, other C0 controls and U+FFFE/U+FFFF go."""
    if (_INLINE_HAZARD.search(text) is None) if len(text) < _SCAN_MIN else hazard_free(text):
        return text
    text = text.translate(_INLINE_TABLE)
    if "&" in text:
        text = _AMP.sub(r"\\&", text)
    return text


_LINE_START = re.compile(r"[#>+\-=:]|[0-9]{1,9}[.)]")
_LINE_STARTERS = frozenset("#>+-=:0123456789")  # first characters _LINE_START can match


def escape_line_start(line: str) -> str:
    """Escape a block marker at the start of a line (ATX heading, quote, bullet, ordered-list
    number, setext underline, definition list); the rest of the line is left alone."""
    if line[:1] not in _LINE_STARTERS:  # most lines: no regex call
        return line
    match = _LINE_START.match(line)
    if match is None:
        return line
    end = match.end() - 1
    return f"{line[:end]}\\{line[end:]}"


_UNESCAPED_PIPE = re.compile(r"(?<!\\)((?:\\\\)*)\|")


def escape_cell(markdown: str) -> str:
    """Make inline Markdown fit one GFM table cell: line breaks become spaces, bare pipes are
    escaped."""
    if "|" not in markdown and "\n" not in markdown and "\r" not in markdown:
        return markdown.strip()
    if "\n" in markdown or "\r" in markdown:
        markdown = " ".join(markdown.replace("\\\n", " ").splitlines())
    return _UNESCAPED_PIPE.sub(r"\1\\|", markdown).strip()


def cell_text(text: str) -> str:
    """``escape_cell(escape_inline(text))``: one text leaf as a table cell (pipes and line breaks
    are hazards too, so text without any is only stripped)."""
    if _INLINE_HAZARD.search(text) is None:
        return text.strip()
    return escape_cell(escape_inline(text))


_HEADING_END = re.compile(r"(^|[ \t])(#+)[ \t]*$")


def escape_heading_end(content: str) -> str:
    """Escape a trailing ``#`` run that an ATX heading would drop as its closing sequence."""
    match = _HEADING_END.search(content)
    if match is None:
        return content
    return f"{content[:match.start(2)]}\\{content[match.start(2):]}"


_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
_URL_DROP = {ord("\t"): None, ord("\n"): None, ord("\r"): None}
_URL_SAFE = "!#$%&'*+,/:;=?@~[]"
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_ENTITY_AMP = re.compile(r"&(?=#[0-9]{1,7};|#[xX][0-9A-Fa-f]{1,6};|[A-Za-z][A-Za-z0-9]{0,31};)")
_URL_PLAIN = re.compile(r"[A-Za-z0-9!#$&'*+,/:;=?@~\[\]._\-]*")  # needs no encoding at all
SURROGATE = re.compile("[\ud800-\udfff]")
_C0_AND_SPACE = "".join(chr(i) for i in range(33))


def link_destination(url: str) -> str | None:
    """A URL ready to stand in ``[text](...)``, or None when it may not become a link.

    Only ``http:``, ``https:``, ``mailto:`` and relative URLs pass. Spaces, non-ASCII,
    parentheses, ``<>``, quotes and other unsafe characters are percent-encoded, a ``%`` that
    does not start a valid ``%XX`` escape becomes ``%25``, a non-ASCII host is IDNA-encoded,
    and an ``&`` that would read as an HTML entity (``&amp;``, ``&#58;``) becomes ``%26``: the
    result holds no backslash or entity, as Goldmark (Hugo) takes a destination literally while
    CommonMark would decode both.
    """
    if not isinstance(url, str):
        return None
    plain = _URL_PLAIN.fullmatch(url) is not None  # the common case: nothing to strip or encode
    if not plain:
        url = url.strip(_C0_AND_SPACE).translate(_URL_DROP)
    if not url:
        return None
    scheme = _SCHEME.match(url)
    if scheme is not None and scheme.group(1).lower() not in _ALLOWED_SCHEMES:
        return None
    if not plain and _URL_PLAIN.fullmatch(url) is None:
        if not url.isascii():
            url = SURROGATE.sub("\ufffd", _idna_host(url))
        url = quote(url, safe=_URL_SAFE)
    if "%" in url:
        url = _BAD_PERCENT.sub("%25", url)
    if "&" in url:
        url = _ENTITY_AMP.sub("%26", url)
    return url


def _idna_host(url: str) -> str:
    """IDNA-encode a non-ASCII host of an absolute URL (left alone when that fails)."""
    start = url.find("//")
    if start < 0 or (start > 0 and _SCHEME.fullmatch(url[:start]) is None):
        return url
    start += 2
    end = len(url)
    for sep in "/?#":
        found = url.find(sep, start)
        if 0 <= found < end:
            end = found
    authority = url[start:end]
    userinfo, at, hostport = authority.rpartition("@")
    host, colon, port = hostport.partition(":")
    if host.isascii():
        return url
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return url
    return f"{url[:start]}{userinfo}{at}{host}{colon}{port}{url[end:]}"


# --- inline emission ------------------------------------------------------------------------

BOLD, ITALIC, STRIKE = 1, 2, 4
_MARKS = {BOLD: "**", ITALIC: "*", STRIKE: "~~"}
_OPEN_ORDER = (STRIKE, BOLD, ITALIC)  # outermost first where several open at one place
ATOM, BREAK = -1, -2  # segment "styles" of finished Markdown and of a hard break
_GAP, _CORE, _OPAQUE = 0, 1, 2
Segment = tuple[str, int]
BREAK_SEG: Segment = ("\\\n", BREAK)


# ASCII control characters that CommonMark parsers count as neither whitespace nor punctuation.
_ASCII_WORDLIKE = frozenset(chr(c) for c in [*range(1, 9), *range(14, 32), 127])


def is_word(char: str) -> bool:
    """True for a character every parser (markdown-it, Goldmark) counts as neither whitespace
    nor punctuation when it decides whether a ``*``/``~`` run may open or close: letters,
    digits, marks and most controls. Emphasis markers sit only between such a character and
    whitespace or punctuation."""
    if char.isalnum():
        return True
    if char.isascii():
        return char in _ASCII_WORDLIKE
    category = unicodedata.category(char)
    return category[0] not in "PSZ" and category != "Cs" and char != "\x85"


def _trim(segs: list[Segment]) -> list[Segment]:
    """Drop leading/trailing whitespace and hard breaks (``segs`` itself is never changed)."""
    text, style = segs[0]
    if style == ATOM or (style >= 0 and text and not text[0].isspace()):
        text, style = segs[-1]
        if style == ATOM or (style >= 0 and text and not text[-1].isspace()):
            return segs  # nothing to drop or strip at either end
    start, end = 0, len(segs)
    while start < end:
        text, style = segs[start]
        if style == BREAK or (style >= 0 and (not text or text.isspace())):  # i.e. not text.strip()
            start += 1
        else:
            break
    while end > start:
        text, style = segs[end - 1]
        if style == BREAK or (style >= 0 and (not text or text.isspace())):
            end -= 1
        else:
            break
    if start == end:
        return []
    segs = segs[start:end]
    text, style = segs[0]
    if style >= 0 and text[0].isspace():  # not whitespace only, so not empty
        segs[0] = (text.lstrip(), style)
    text, style = segs[-1]
    if style >= 0 and text[-1].isspace():
        segs[-1] = (text.rstrip(), style)
    return segs


def emit_inline(segs: list[Segment]) -> str:
    """Styled segments -> one inline Markdown string (trimmed; may hold hard-break newlines)."""
    for _, style in segs:
        if style:
            break
    else:  # the common case: unstyled text only
        return escape_inline("".join([text for text, _ in segs])).strip()  # strip what dropped controls bare
    joined = "".join([text for text, style in segs if style >= 0])
    if hazard_free(joined):  # one scan: no markup or control anywhere, nothing to escape
        for _, style in segs:
            if style > 0 or style == BREAK:
                break
        else:  # text and links only: nothing to place or escape, trimming is stripping the whole
            out: list[str] = []
            for text, style in segs:
                if style and text[0] == "[" and out:
                    _guard_bang(out)
                out.append(text)
            return "".join(out).strip()
        escape: Callable[[str], str] = str
    else:
        escape = escape_inline
        if _CONTROL.search(joined) is not None:
            segs = [(_CONTROL.sub("", text), style) if style >= 0 else (text, style) for text, style in segs]
    segs = _trim(segs)
    if not segs:
        return ""
    simple = _emit_one_style(segs, escape)
    if simple is not None:
        return simple
    return _emit_styled(_split_words(segs), escape)


#: Style bits -> (opening, closing) marker runs, the outermost first (see ``_OPEN_ORDER``).
_STYLE_MARKS = {style: ("".join(marks), "".join(reversed(marks)))
                for style in range(8) for marks in [[_MARKS[bit] for bit in _OPEN_ORDER if style & bit]]}


def _emit_one_style(segs: list[Segment], escape: Callable[[str], str]) -> str | None:
    """Fast path for text with at most one style (plus opaque pieces): each styled segment is
    wrapped on its own, edge spaces and punctuation outside the markers. None when styles are
    mixed or a styled segment touches a letter of its neighbour (then the general path runs).
    ``escape`` is :func:`escape_inline`, or ``str`` when no text needs escaping."""
    style = 0
    for _, seg_style in segs:
        if seg_style > 0 and seg_style != style:
            if style:
                return None
            style = seg_style
    opening, closing = _STYLE_MARKS[style]
    out: list[str] = []
    last = len(segs) - 1
    for index, (text, seg_style) in enumerate(segs):
        if seg_style < 0:
            if text[0] == "[" and out:
                _guard_bang(out)
            out.append(text)
            continue
        if seg_style == 0:
            out.append(escape(text))
            continue
        size = len(text)
        if size and text[0].isalnum():  # is_word, without the call for the usual letter or digit
            first = 0
        else:
            first = 0
            while first < size and not is_word(text[first]):
                first += 1
            if first == size:  # no letter or digit: nothing to emphasise
                out.append(escape(text))
                continue
        end = size - 1
        while not text[end].isalnum() and not is_word(text[end]):
            end -= 1
        if first == 0 and index > 0 and (not segs[index - 1][0] or is_word(segs[index - 1][0][-1])):
            return None
        if end == size - 1 and index < last and (not segs[index + 1][0] or is_word(segs[index + 1][0][0])):
            return None
        if end < size - 1 or first > 0:  # edge punctuation or spaces: they may go inside or outside
            first, end = _widen(text, first, end, _space_before(segs, index), _space_after(segs, index))
        out.append(f"{escape(text[:first])}{opening}{escape(text[first:end + 1])}{closing}{escape(text[end + 1:])}")
    return "".join(out)


def _widen(text: str, first: int, end: int, space_before: bool, space_after: bool) -> tuple[int, int]:
    """Widen a styled core ``text[first:end + 1]`` over its edge punctuation where that touches
    whitespace (or the line's edge, told by ``space_before``/``space_after``): a marker there has
    whitespace on its outer side, so it still opens (closes) after (before) punctuation."""
    size = len(text)
    stop = end + 1
    while stop < size and not text[stop].isspace():
        stop += 1
    if stop < size or space_after:
        end = stop - 1
    start = first
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    if start > 0 or space_before:
        first = start
    return first, end


def _space_before(segs: list[Segment], index: int) -> bool:
    """The text before segment ``index`` ends in whitespace, or there is none (line start)."""
    if index == 0:
        return True
    text, style = segs[index - 1]
    return style == BREAK or (style >= 0 and text[-1:].isspace())


def _space_after(segs: list[Segment], index: int) -> bool:
    """The text after segment ``index`` starts with whitespace, or there is none (line end)."""
    if index == len(segs) - 1:
        return True
    text, style = segs[index + 1]
    return style == BREAK or (style >= 0 and text[:1].isspace())


def _split_words(segs: list[Segment]) -> list[list[Any]]:
    """Split text into cores (from the first to the last letter/digit of a segment) and gaps
    (the rest), give each gap only the styles of the cores on both sides, and even out styles
    across cores that touch without a gap (inside one word)."""
    parts: list[list[Any]] = []
    gap: list[str] = []
    gap_style = 0
    for index, (text, style) in enumerate(segs):
        if style < 0:
            if gap:
                parts.append(["".join(gap), 0, _GAP])
                gap = []
            parts.append([text, 0, _OPAQUE])
            gap_style = 0
            continue
        first = 0
        size = len(text)
        while first < size and not is_word(text[first]):
            first += 1
        if first == size:
            gap.append(text)
            gap_style &= style
            continue
        last = size - 1
        while not is_word(text[last]):
            last -= 1
        if style:
            first, last = _widen(text, first, last, _space_before(segs, index), _space_after(segs, index))
        if first:
            gap.append(text[:first])
            gap_style &= style
        if gap:
            parts.append(["".join(gap), gap_style, _GAP])
        parts.append([text[first:last + 1], style, _CORE])
        gap = [text[last + 1:]] if last + 1 < size else []
        gap_style = style
    if gap:
        parts.append(["".join(gap), 0, _GAP])
    count = len(parts)
    index = 0
    while index < count:  # cores touching cores: one word, one style
        end = index
        while end + 1 < count and parts[end][2] == _CORE and parts[end + 1][2] == _CORE:
            end += 1
        if end > index:
            common = -1
            for k in range(index, end + 1):
                common &= parts[k][1]
            for k in range(index, end + 1):
                parts[k][1] = common
        index = end + 1
    for k in range(count):  # a gap keeps only styles that go on at both sides
        if parts[k][2] == _GAP:
            left = parts[k - 1][1] if k and parts[k - 1][2] == _CORE else 0
            right = parts[k + 1][1] if k + 1 < count and parts[k + 1][2] == _CORE else 0
            parts[k][1] &= left & right
    return parts


def _emit_styled(parts: list[list[Any]], escape: Callable[[str], str]) -> str:
    """Place markers: openers only right before a core, closers only right after one.

    Gaps and opaque pieces only close styles (a gap keeps the stack prefix it shares with its
    own style), so a marker never has a word character on its outer side and no closing run
    is merged with an opening one.
    """
    out: list[str] = []
    stack: list[int] = []
    current = 0
    for index, (text, style, kind) in enumerate(parts):
        target = style if kind != _OPAQUE else 0
        if current & ~target:
            keep = 0
            while keep < len(stack) and stack[keep] & target:
                keep += 1
            for bit in reversed(stack[keep:]):
                out.append(_MARKS[bit])
            del stack[keep:]
            current = sum(stack)
        if kind == _CORE and style != current:
            opening = [bit for bit in _OPEN_ORDER if style & bit and not current & bit]
            if len(opening) > 1 and opening[-1] == ITALIC and opening[-2] == BOLD \
                    and _reach(parts, index, ITALIC) > _reach(parts, index, BOLD):
                opening[-2:] = [ITALIC, BOLD]  # the longer-lasting style goes outside
            for bit in opening:
                out.append(_MARKS[bit])
                stack.append(bit)
            current = style
        if kind == _OPAQUE:
            if text[0] == "[":
                _guard_bang(out)
            out.append(text)
        else:
            out.append(escape(text))
    for bit in reversed(stack):
        out.append(_MARKS[bit])
    return "".join(out)


def _guard_bang(out: list[str]) -> None:
    """Escape a ``!`` that ends the output so far (empty pieces skipped): a link about to follow
    would otherwise turn into an image."""
    for index in range(len(out) - 1, -1, -1):
        if out[index]:
            piece = out[index]
            slashes = len(piece[:-1]) - len(piece[:-1].rstrip("\\"))
            if piece.endswith("!") and slashes % 2 == 0:  # an odd count already escapes it
                out[index] = piece[:-1] + "\\!"
            return


def _reach(parts: list[list[Any]], start: int, bit: int) -> int:
    """Index of the first part after ``start`` without style ``bit``."""
    end = start + 1
    while end < len(parts) and parts[end][1] & bit and parts[end][2] != _OPAQUE:
        end += 1
    return end


def paragraph(segs: list[Segment]) -> str:
    """A paragraph from inline segments: line starts escaped, "" when there is no text."""
    text = emit_inline(segs)
    if "\n" not in text:
        return escape_line_start(text)
    return "\n".join(escape_line_start(line.lstrip(" \t")) for line in text.split("\n"))
