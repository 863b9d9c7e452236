"""Body tree -> CommonMark/GFM, by a direct walk of the tree (no HTML step).

Blocks (paragraphs, lists, images with their captions, tables, headings, quotes, rules) are
separated by blank lines, so an image after a list is never swallowed by the last item. Inline
content is first flattened into styled text segments and opaque pieces (links, images, hard
breaks); emphasis markers are then placed so every opening run is followed and every closing run
preceded by a letter/digit (edge spaces and punctuation move outside the markers, styles only
change at word boundaries), which makes them valid delimiters under the flanking rules.

Text shows as written: each Markdown hazard has its own small pure helper: :func:`escape_inline`
(markup characters inside a line), :func:`escape_line_start` (block markers at the start of a
line), :func:`escape_cell` (table cells), :func:`escape_heading_end` (ATX closing sequences) and
:func:`link_destination` (scheme allow-list and percent-encoding of every URL written).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from newsdesk.model import DEFAULT_SITE_URL, symbol_page

IMAGE_URL = "https://s3.tradingview.com/news/image/{}-resized.jpeg"
MAX_DEPTH = 48  # deeper subtrees render as their plain text

Resolver = Callable[[str], str | None]

# --- escaping helpers -----------------------------------------------------------------------

_INLINE_TABLE = {ord(c): "\\" + c for c in "\\`*_[]<~|{"}
_INLINE_TABLE.update({ord(c): " " for c in "\n\r\v\x85\u2028\u2029"})
_INLINE_TABLE[0] = "\ufffd"
_INLINE_HAZARD = re.compile("[\\\\`*_\\[\\]<~|{\n\r\v\x85\u2028\u2029\x00&]")
_AMP = re.compile(r"&(?=[#A-Za-z0-9]|$)")


def escape_inline(text: str) -> str:
    """Backslash-escape what would be markup inside a line (emphasis, links, code, HTML, pipes,
    strikethrough, shortcode braces, entity-like ``&``); line breaks and line/paragraph
    separators become spaces, NUL becomes U+FFFD."""
    if _INLINE_HAZARD.search(text) is None:
        return text
    text = text.translate(_INLINE_TABLE)
    if "&" in text:
        text = _AMP.sub(r"\\&", text)
    return text


_LINE_START = re.compile(r"[#>+\-=:]|[0-9]{1,9}[.)]")


def escape_line_start(line: str) -> str:
    """Escape a block marker at the start of a line (ATX heading, quote, bullet, ordered-list
    number, setext underline, definition list); the rest of the line is left alone."""
    match = _LINE_START.match(line)
    if match is None:
        return line
    end = match.end() - 1
    return f"{line[:end]}\\{line[end:]}"


_UNESCAPED_PIPE = re.compile(r"(?<!\\)((?:\\\\)*)\|")


def escape_cell(markdown: str) -> str:
    """Make inline Markdown fit one GFM table cell: line breaks become spaces, bare pipes are
    escaped."""
    if "\n" in markdown or "\r" in markdown:
        markdown = " ".join(markdown.replace("\\\n", " ").splitlines())
    return _UNESCAPED_PIPE.sub(r"\1\\|", markdown).strip()


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
_SURROGATE = re.compile("[\ud800-\udfff]")
_C0_AND_SPACE = "".join(chr(i) for i in range(33))


def link_destination(url: str) -> str | None:
    """A URL ready to stand in ``[text](...)``, or None when it may not become a link.

    Only ``http:``, ``https:``, ``mailto:`` and relative URLs pass. Spaces, non-ASCII,
    parentheses, ``<>``, quotes and other unsafe characters are percent-encoded, a ``%`` that
    does not start a valid ``%XX`` escape becomes ``%25``, a non-ASCII host is IDNA-encoded,
    and an ``&`` that would read as an HTML entity is backslash-escaped.
    """
    if not isinstance(url, str):
        return None
    url = url.strip(_C0_AND_SPACE).translate(_URL_DROP)
    if not url:
        return None
    scheme = _SCHEME.match(url)
    if scheme is not None and scheme.group(1).lower() not in _ALLOWED_SCHEMES:
        return None
    if _URL_PLAIN.fullmatch(url) is None:
        if not url.isascii():
            url = _SURROGATE.sub("\ufffd", _idna_host(url))
        url = quote(url, safe=_URL_SAFE)
    if "%" in url:
        url = _BAD_PERCENT.sub("%25", url)
    if "&" in url:
        url = _ENTITY_AMP.sub(r"\\&", url)
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


def image_url(image_id: str) -> str:
    """The file URL of a TradingView news image id (the id percent-encoded)."""
    return IMAGE_URL.format(quote(image_id, safe=":"))


# --- inline emission ------------------------------------------------------------------------

_BOLD, _ITALIC, _STRIKE = 1, 2, 4
_MARKS = {_BOLD: "**", _ITALIC: "*", _STRIKE: "~~"}
_OPEN_ORDER = (_STRIKE, _BOLD, _ITALIC)  # outermost first where several open at one place
_ATOM, _BREAK = -1, -2  # segment "styles" of finished Markdown and of a hard break
_GAP, _CORE, _OPAQUE = 0, 1, 2
Segment = tuple[str, int]
_BREAK_SEG: Segment = ("\\\n", _BREAK)


# Characters every parser counts as whitespace or punctuation when it decides whether a run of
# ``*``/``~`` can open or close; markers sit only between one of these and a "word" character.
_ASCII_WORDLIKE = frozenset(chr(c) for c in [*range(1, 9), *range(14, 32), 127])


def _is_word(char: str) -> bool:
    if char.isalnum():
        return True
    if char.isascii():
        return char in _ASCII_WORDLIKE
    category = unicodedata.category(char)
    return category[0] not in "PSZ" and category != "Cs" and char != "\x85"


def _trim(segs: list[Segment]) -> list[Segment]:
    """Drop leading/trailing whitespace and hard breaks."""
    start, end = 0, len(segs)
    while start < end and (segs[start][1] == _BREAK or (segs[start][1] >= 0 and not segs[start][0].strip())):
        start += 1
    while end > start and (segs[end - 1][1] == _BREAK or (segs[end - 1][1] >= 0 and not segs[end - 1][0].strip())):
        end -= 1
    if start == end:
        return []
    segs = segs[start:end]
    first, last = segs[0], segs[-1]
    if first[1] >= 0 and first[0][:1].isspace():
        segs[0] = (first[0].lstrip(), first[1])
    if last[1] >= 0 and last[0][-1:].isspace():
        segs[-1] = (segs[-1][0].rstrip(), last[1])
    return segs


def emit_inline(segs: list[Segment]) -> str:
    """Styled segments -> one inline Markdown string (trimmed; may hold hard-break newlines)."""
    segs = _trim(segs)
    if not segs:
        return ""
    if all(style <= 0 for _, style in segs):
        out: list[str] = []
        for text, style in segs:
            if style < 0:
                if text[0] == "[" and out and out[-1].endswith("!"):
                    out[-1] = out[-1][:-1] + "\\!"
                out.append(text)
            else:
                out.append(escape_inline(text))
        return "".join(out)
    return _emit_styled(_split_words(segs))


def _split_words(segs: list[Segment]) -> list[list[Any]]:
    """Split text into cores (from the first to the last letter/digit of a segment) and gaps
    (the rest), give each gap only the styles of the cores on both sides, and even out styles
    across cores that touch without a gap (inside one word)."""
    parts: list[list[Any]] = []
    gap: list[str] = []
    gap_style = 0
    for text, style in segs:
        if style < 0:
            if gap:
                parts.append(["".join(gap), 0, _GAP])
                gap = []
            parts.append([text, 0, _OPAQUE])
            gap_style = 0
            continue
        first = 0
        size = len(text)
        while first < size and not _is_word(text[first]):
            first += 1
        if first == size:
            gap.append(text)
            gap_style &= style
            continue
        last = size - 1
        while not _is_word(text[last]):
            last -= 1
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


def _emit_styled(parts: list[list[Any]]) -> str:
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
            if len(opening) > 1 and opening[-1] == _ITALIC and opening[-2] == _BOLD \
                    and _reach(parts, index, _ITALIC) > _reach(parts, index, _BOLD):
                opening[-2:] = [_ITALIC, _BOLD]  # the longer-lasting style goes outside
            for bit in opening:
                out.append(_MARKS[bit])
                stack.append(bit)
            current = style
        if kind == _OPAQUE:
            if text[0] == "[" and out and out[-1].endswith("!"):
                out[-1] = out[-1][:-1] + "\\!"
            out.append(text)
        else:
            out.append(escape_inline(text))
    for bit in reversed(stack):
        out.append(_MARKS[bit])
    return "".join(out)


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


# --- the tree walk --------------------------------------------------------------------------

_STYLE_BITS = {"b": _BOLD, "strong": _BOLD, "i": _ITALIC, "em": _ITALIC, "s": _STRIKE, "u": 0}
_LINKS = frozenset({"url", "a", "symbol", "story-ref"})
_INLINE = frozenset(_STYLE_BITS) | _LINKS | {"br"}
_ITEMS = frozenset({"*", "li", "list-item"})
_IMAGES = frozenset({"news-image", "image"})
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_CONTAINERS = frozenset({"root", "p", "table-header", "table-head", "table-body", "table-row",
                         "table-header-cell", "table-data-cell"}) | _ITEMS
_BLOCKISH = _CONTAINERS | _IMAGES | frozenset(_HEADINGS) | {"list", "quote", "blockquote", "table", "hr"}
_TABLE_ROW = "table-row"


def _kids(node: dict[str, Any]) -> list[Any]:
    children = node.get("children")
    if type(children) is list:
        return children
    if isinstance(children, (list, tuple)):
        return list(children)
    if isinstance(children, (str, dict)):
        return [children]
    return []


def _kind(node: dict[str, Any]) -> str:
    kind = node.get("type")
    return kind if type(kind) is str else ""


def _params(node: dict[str, Any]) -> dict[str, Any]:
    params = node.get("params")
    return params if isinstance(params, dict) else {}


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def flat_text(node: Any, limit: int = 100_000) -> str:
    """The text leaves under ``node`` in order, blocks separated by spaces (no recursion)."""
    parts: list[str] = []
    stack: list[Any] = [node]
    while stack and limit > 0:
        limit -= 1
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
        elif isinstance(item, dict):
            block = _kind(item) in _BLOCKISH
            if block:
                parts.append(" ")
                stack.append(" ")
            stack.extend(reversed(_kids(item)))
    return "".join(parts)


class _Renderer:
    __slots__ = ("site_url", "resolve_ref", "first_image")

    def __init__(self, site_url: str, resolve_ref: Resolver | None) -> None:
        self.site_url = site_url.rstrip("/")
        self.resolve_ref = resolve_ref
        self.first_image = ""

    # blocks
    def container(self, children: list[Any], out: list[str], depth: int) -> None:
        pending: list[Any] = []
        self._walk(children, out, pending, depth)
        self._flush(pending, out, depth)

    def _walk(self, children: list[Any], out: list[str], pending: list[Any], depth: int) -> None:
        for child in children:
            if type(child) is str:
                pending.append(child)
                continue
            if not isinstance(child, dict):
                continue
            kind = _kind(child)
            if depth > MAX_DEPTH:
                pending.append(flat_text(child))
            elif kind in _INLINE:
                pending.append(child)
            elif kind in _BLOCKISH:
                self._flush(pending, out, depth)
                self._block(kind, child, out, depth + 1)
            else:
                self._walk(_kids(child), out, pending, depth + 1)

    def _flush(self, pending: list[Any], out: list[str], depth: int) -> None:
        if not pending:
            return
        if not all(type(p) is str and p.isspace() for p in pending):
            segs: list[Segment] = []
            self.inline(pending, segs, 0, depth, True, False)
            text = paragraph(segs)
            if text:
                out.append(text)
        pending.clear()

    def _block(self, kind: str, node: dict[str, Any], out: list[str], depth: int) -> None:
        if kind in _CONTAINERS:
            self.container(_kids(node), out, depth)
        elif kind == "list":
            self._list(node, out, depth)
        elif kind in _IMAGES:
            self._image(kind, node, out, depth)
        elif kind in _HEADINGS:
            segs: list[Segment] = []
            self.inline(_kids(node), segs, 0, depth, False, False)
            text = escape_heading_end(emit_inline(segs))
            if text:
                out.append(f"{'#' * _HEADINGS[kind]} {text}")
        elif kind == "table":
            self._table(node, out, depth)
        elif kind == "hr":
            out.append("___")
            self.container(_kids(node), out, depth)
        else:  # quote, blockquote
            inner: list[str] = []
            self.container(_kids(node), inner, depth)
            if inner:
                out.append("\n".join(f"> {line}" if line else ">" for line in "\n\n".join(inner).split("\n")))

    def _list(self, node: dict[str, Any], out: list[str], depth: int) -> None:
        items: list[list[str]] = []
        loose: list[Any] = []
        for child in _kids(node):
            if isinstance(child, dict) and _kind(child) in _ITEMS:
                if loose:
                    items.append(self._item(loose, depth))
                    loose = []
                items.append(self._item(_kids(child), depth))
            elif isinstance(child, dict) or (isinstance(child, str) and not child.isspace()):
                loose.append(child)
        if loose:
            items.append(self._item(loose, depth))
        bullet = "-" if out and out[-1].startswith("* ") else "*"
        lines: list[str] = []
        for blocks in items:
            if not blocks:
                continue
            body = blocks[0]
            for prev, block in zip(blocks, blocks[1:]):
                tight = block.startswith(("* ", "- ")) and not prev.startswith((">", "|", "#", "___", "* ", "- "))
                body = f"{body}{chr(10) if tight else chr(10) * 2}{block}"
            first, *rest = body.split("\n")
            lines.append(f"{bullet} {first}")
            lines.extend(f"  {line}" if line else "" for line in rest)
        if lines:
            out.append("\n".join(lines))

    def _item(self, children: list[Any], depth: int) -> list[str]:
        blocks: list[str] = []
        self.container(children, blocks, depth + 1)
        return blocks

    def _image(self, kind: str, node: dict[str, Any], out: list[str], depth: int) -> None:
        params = _params(node)
        image = params.get("image")
        alt = _str(params.get("alt"))
        url = ""
        url = _str(params.get("url"))
        if isinstance(image, dict):
            image_id = _str(image.get("id"))
            url = image_url(image_id) if image_id else url
            alt = alt or _str(image.get("alt"))
        elif isinstance(image, str) and image and not url:
            url = image_url(image)
        dest = link_destination(url) if url else None
        if dest:
            out.append(f"![{escape_inline(alt).strip()}]({dest})")
            if not self.first_image:
                self.first_image = dest.replace("\\&", "&")
        segs: list[Segment] = []
        self.inline(_kids(node), segs, _ITALIC, depth, True, False)
        if not any(style < 0 or not text.isspace() for text, style in segs):
            caption = _str(params.get("caption")) or _str(params.get("title"))
            segs = [(caption, _ITALIC)]
        text = paragraph(segs)
        if text:
            out.append(text)

    def _table(self, node: dict[str, Any], out: list[str], depth: int) -> None:
        rows: list[list[str]] = []
        stack: list[Any] = list(reversed(_kids(node)))
        while stack:
            child = stack.pop()
            if isinstance(child, dict) and _kind(child) == _TABLE_ROW:
                rows.append([self._cell(cell, depth) for cell in _kids(child)
                             if isinstance(cell, dict) or (isinstance(cell, str) and not cell.isspace())])
            elif isinstance(child, dict):
                stack.extend(reversed(_kids(child)))
            elif isinstance(child, str) and not child.isspace():
                rows.append([self._cell(child, depth)])
        width = max((len(row) for row in rows), default=0)
        if width == 0:
            return
        lines = []
        for number, row in enumerate(rows):
            lines.append("| " + " | ".join(row + [""] * (width - len(row))) + " |")
            if number == 0:
                lines.append("|" + " --- |" * width)
        out.append("\n".join(lines))

    def _cell(self, cell: Any, depth: int) -> str:
        segs: list[Segment] = []
        self.inline([cell], segs, 0, depth, False, False)
        return escape_cell(emit_inline(segs))

    # inline
    def inline(self, nodes: list[Any], segs: list[Segment], style: int, depth: int,
               breaks: bool, in_link: bool) -> None:
        for node in nodes:
            if type(node) is str:
                segs.append((node, style))
                continue
            if not isinstance(node, dict):
                continue
            kind = _kind(node)
            if depth > MAX_DEPTH:
                segs.append((flat_text(node), style))
            elif kind in _STYLE_BITS:
                self.inline(_kids(node), segs, style | _STYLE_BITS[kind], depth + 1, breaks, in_link)
            elif kind in _LINKS:
                self._link(kind, node, segs, style, depth + 1, in_link)
            elif kind == "br":
                segs.append(_BREAK_SEG if breaks else (" ", style))
                self.inline(_kids(node), segs, style, depth + 1, breaks, in_link)
            elif kind in _IMAGES and not in_link:
                blocks: list[str] = []
                self._image(kind, node, blocks, depth + 1)
                if blocks and blocks[0].startswith("!["):
                    segs.append((blocks.pop(0), _ATOM))
                self.inline(_kids(node), segs, style | _ITALIC, depth + 1, breaks, in_link)
            elif kind in _BLOCKISH:
                segs.append((" ", style))
                self.inline(_kids(node), segs, style, depth + 1, breaks, in_link)
                segs.append((" ", style))
            else:
                self.inline(_kids(node), segs, style, depth + 1, breaks, in_link)

    def _link(self, kind: str, node: dict[str, Any], segs: list[Segment], style: int, depth: int,
              in_link: bool) -> None:
        params = _params(node)
        href, fallback = self._target(kind, node, params)
        label: list[Segment] = []
        self.inline(_kids(node), label, style, depth, False, True)
        if not any(style < 0 or not text.isspace() for text, style in label):
            label = [(fallback or href, style)]
        dest = None if in_link or not href else link_destination(href)
        if dest is None:
            segs.extend(label)
            return
        if label[0][1] >= 0 and label[0][0][:1].isspace():
            segs.append((" ", style))
        segs.append((f"[{emit_inline(label)}]({dest})", _ATOM))
        if label[-1][1] >= 0 and label[-1][0][-1:].isspace():
            segs.append((" ", style))

    def _target(self, kind: str, node: dict[str, Any], params: dict[str, Any]) -> tuple[str, str]:
        """(link target, text to show when the node has none)."""
        if kind == "url":
            return _str(params.get("url")), _str(params.get("linkText")) or _str(params.get("text"))
        if kind == "a":
            href = _str(params.get("href")) or _str(node.get("href")) or _str(params.get("url"))
            return href, _str(params.get("text")) or _str(params.get("linkText"))
        if kind == "symbol":
            symbol = _str(params.get("symbol"))
            return (symbol_page(symbol, self.site_url) if symbol else ""), _str(params.get("text")) or symbol
        ref_id = _str(params.get("id"))
        href = (self.resolve_ref(ref_id) or "") if ref_id and self.resolve_ref is not None else ""
        if not href:
            path = _str(params.get("storyPath")) or _str(params.get("story_path"))
            if path and _SCHEME.match(path) is None and not path.startswith("//"):
                href = f"{self.site_url}/{path.lstrip('/')}"
            else:
                href = path or _str(params.get("url"))
        return href, _str(params.get("title")) or _str(params.get("text"))


def render_markdown(tree: dict[str, Any] | None, *, site_url: str = DEFAULT_SITE_URL,
                    resolve_ref: Resolver | None = None) -> str:
    """The body tree as CommonMark/GFM: "" for no content, else text ending in one newline."""
    return render_body(tree, site_url=site_url, resolve_ref=resolve_ref)[0]


def render_body(tree: Any, *, site_url: str = DEFAULT_SITE_URL,
                resolve_ref: Resolver | None = None) -> tuple[str, str]:
    """(Markdown as :func:`render_markdown`, URL of the first image or "")."""
    if tree is None:
        return "", ""
    renderer = _Renderer(site_url if isinstance(site_url, str) else DEFAULT_SITE_URL, resolve_ref)
    blocks: list[str] = []
    renderer.container(tree if isinstance(tree, list) else [tree], blocks, 0)
    if not blocks:
        return "", renderer.first_image
    text = "\n\n".join(blocks) + "\n"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = _SURROGATE.sub("\ufffd", text)
    return text, renderer.first_image
