"""Body tree -> CommonMark/GFM, by a direct walk of the tree (no HTML step).

Blocks (paragraphs, lists, images with their captions, tables, headings, quotes, rules) are
separated by blank lines, so an image after a list is never swallowed by the last item; lists
nest by indentation and two lists in a row alternate ``*``/``-`` bullets so they stay two lists.
Inline content is flattened into styled segments and handed to :mod:`newsdesk.render.inline`,
which places emphasis markers and escapes text so it shows as written (no raw HTML from a story
reaches the site). Unknown node types render their children; junk (children that are not a
list, params that are not a dict, numbers, None) is skipped, and subtrees deeper than
:data:`MAX_DEPTH` render as their plain text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from newsdesk.model import Links
from newsdesk.render.inline import (
    ATOM,
    BOLD,
    BREAK_SEG,
    ITALIC,
    STRIKE,
    SURROGATE,
    Segment,
    cell_text,
    emit_inline,
    escape_cell,
    escape_heading_end,
    escape_inline,
    escape_line_start,
    link_destination,
    paragraph,
)

__all__ = ["MAX_DEPTH", "NO_LINKS", "escape_cell", "escape_heading_end", "escape_inline", "escape_line_start",
           "flat_text", "link_destination", "render_body", "render_markdown"]

_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:|//")
MAX_DEPTH = 48  # deeper subtrees render as their plain text
NO_LINKS = Links()  # a source without symbol pages or image ids

Resolver = Callable[[str], str | None]

# --- the tree walk --------------------------------------------------------------------------

_STYLE_BITS = {"b": BOLD, "strong": BOLD, "i": ITALIC, "em": ITALIC, "s": STRIKE, "u": 0}
_LINKS = frozenset({"url", "a", "symbol", "story-ref"})
_INLINE = frozenset(_STYLE_BITS) | _LINKS | {"br"}
_ITEMS = frozenset({"*", "li", "list-item"})
_IMAGES = frozenset({"news-image", "image"})
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_CONTAINERS = frozenset({"root", "p", "table-header", "table-head", "table-body", "table-row",
                         "table-header-cell", "table-data-cell"}) | _ITEMS
_BLOCKISH = _CONTAINERS | _IMAGES | frozenset(_HEADINGS) | {"list", "quote", "blockquote", "table", "hr"}
_TABLE_ROW = "table-row"
_CELLS = ("table-data-cell", "table-header-cell")


@lru_cache(maxsize=4096)
def _symbol_href(links: Links, symbol: str, site_url: str) -> str:
    return links.symbol_url(symbol, site_url)


#: Link targets recur (symbol pages, a provider's site): each is checked and encoded once.
_link_destination = lru_cache(maxsize=4096)(link_destination)


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


def flat_text(node: Any) -> str:
    """The text leaves under ``node`` in order, blocks separated by spaces: every leaf, however
    deep or many (an explicit stack, no recursion)."""
    parts: list[str] = []
    stack: list[Any] = [node]
    while stack:
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
    __slots__ = ("site_url", "links", "resolve_ref", "first_image")

    def __init__(self, site_url: str, links: Links, resolve_ref: Resolver | None) -> None:
        self.site_url = site_url.rstrip("/")
        self.links = links
        self.resolve_ref = resolve_ref
        self.first_image = ""

    # blocks
    def container(self, children: list[Any], out: list[str], depth: int) -> None:
        if depth <= MAX_DEPTH:
            for child in children:
                if isinstance(child, dict):
                    kind = child.get("type")
                    if type(kind) is not str or kind not in _INLINE:
                        break
            else:  # inline content only (a paragraph's usual shape): one paragraph, as _walk would collect it
                self._flush(children, out, depth)
                return
        pending: list[Any] = []
        self._walk(children, out, pending, depth)
        self._flush(pending, out, depth)
        pending.clear()

    def _walk(self, children: list[Any], out: list[str], pending: list[Any], depth: int) -> None:
        for child in children:
            if type(child) is str:
                pending.append(child)
                continue
            if not isinstance(child, dict):
                continue
            kind = child.get("type")
            if type(kind) is not str:
                kind = ""
            if depth > MAX_DEPTH:
                pending.append(flat_text(child))
            elif kind in _INLINE:
                pending.append(child)
            elif kind in _BLOCKISH:
                if pending:
                    self._flush(pending, out, depth)
                    pending.clear()
                self._block(kind, child, out, depth + 1)
            else:
                self._walk(_kids(child), out, pending, depth + 1)

    def _flush(self, pending: list[Any], out: list[str], depth: int) -> None:
        """Render the inline content collected in ``pending`` as one paragraph (the list is left
        as it is: the caller clears it, or it is a node's own children)."""
        if not pending:
            return
        for item in pending:
            if type(item) is not str:
                segs: list[Segment] = []
                self.inline(pending, segs, 0, depth, True, False)
                text = paragraph(segs)
                break
        else:  # text leaves only: no segments needed (emit_inline's path for unstyled text)
            text = escape_inline(pending[0] if len(pending) == 1 else "".join(pending)).strip()  # escaped first:
            if text:  # a dropped control may bare a space
                text = escape_line_start(text)
        if text:
            out.append(text)

    def _block(self, kind: str, node: dict[str, Any], out: list[str], depth: int) -> None:
        if kind in _CONTAINERS:
            children = _kids(node)
            if len(children) == 1 and type(children[0]) is str:  # fast path: one text leaf
                text = escape_inline(children[0]).strip()
                if text:
                    out.append(escape_line_start(text))
            else:
                self.container(children, out, depth)
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
            if isinstance(child, dict):
                kind = child.get("type")
                if type(kind) is not str or kind not in _ITEMS:
                    loose.append(child)
                    continue
                if loose:
                    items.append(self._item(loose, depth))
                    loose = []
                children = child.get("children")
                if type(children) is list and len(children) == 1 and type(children[0]) is str:
                    text = escape_inline(children[0]).strip()  # one text leaf, as _item renders it
                    items.append([escape_line_start(text)] if text else [])
                else:
                    items.append(self._item(_kids(child), depth))
            elif isinstance(child, str) and not child.isspace():
                loose.append(child)
        if loose:
            items.append(self._item(loose, depth))
        bullet = "-" if out and out[-1].startswith("* ") else "*"
        lines: list[str] = []
        for blocks in items:
            if not blocks:
                continue
            if len(blocks) == 1 and "\n" not in blocks[0]:
                lines.append(f"{bullet} {blocks[0]}")
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
        if len(children) == 1 and type(children[0]) is str:  # one text leaf, as container() renders it
            text = escape_inline(children[0]).strip()
            return [escape_line_start(text)] if text else []
        blocks: list[str] = []
        self.container(children, blocks, depth + 1)
        return blocks

    def _image(self, kind: str, node: dict[str, Any], out: list[str], depth: int) -> None:
        """The image as its own paragraph, then its caption in italics as another."""
        image = self._image_markdown(kind, node)
        if image:
            out.append(image)
        children = node.get("children")
        segs: list[Segment]
        if type(children) is list and len(children) == 1 and type(children[0]) is str:  # one text leaf
            segs = [(children[0], ITALIC)] if not children[0].isspace() else []
        else:
            segs = []
            self.inline(_kids(node), segs, ITALIC, depth, True, False)
        if not any(seg_style < 0 or not text.isspace() for text, seg_style in segs):
            params = _params(node)
            segs = [(_str(params.get("caption")) or _str(params.get("title")), ITALIC)]
        text = paragraph(segs)
        if text:
            out.append(text)

    def _image_markdown(self, kind: str, node: dict[str, Any]) -> str:
        """``![alt](url)`` of an image node ("" without a usable URL); remembers the first."""
        params = _params(node)
        image = params.get("image")
        alt = _str(params.get("alt"))
        url = _str(params.get("url"))
        if isinstance(image, dict):
            image_id = _str(image.get("id"))
            url = (self.links.image_url(image_id) or url) if image_id else url
            alt = alt or _str(image.get("alt"))
        elif isinstance(image, str) and image and not url:
            url = self.links.image_url(image)
        dest = link_destination(url) if url else None
        if not dest:
            return ""
        if not self.first_image:
            self.first_image = dest
        return f"![{escape_inline(alt).strip()}]({dest})"

    def _table(self, node: dict[str, Any], out: list[str], depth: int) -> None:
        rows: list[list[str]] = []
        stack: list[Any] = list(reversed(_kids(node)))
        while stack:
            child = stack.pop()
            if isinstance(child, dict) and _kind(child) == _TABLE_ROW:
                row: list[str] = []
                for cell in _kids(child):
                    if type(cell) is dict and cell.get("type") in _CELLS:
                        children = cell.get("children")
                        if type(children) is list and len(children) == 1 and type(children[0]) is str:
                            row.append(cell_text(children[0]))  # one text leaf, as _cell
                            continue
                    if isinstance(cell, dict) or (isinstance(cell, str) and not cell.isspace()):
                        row.append(self._cell(cell, depth))
                rows.append(row)
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
        if isinstance(cell, dict) and cell.get("type") in _CELLS:
            children = _kids(cell)
            if len(children) == 1 and type(children[0]) is str:  # fast path: one text leaf
                return cell_text(children[0])
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
            kind = node.get("type")
            if type(kind) is not str:
                kind = ""
            if depth > MAX_DEPTH:
                segs.append((flat_text(node), style))
            elif kind in _STYLE_BITS:
                children = node.get("children")
                if type(children) is list and len(children) == 1 and type(children[0]) is str:  # one text leaf
                    segs.append((children[0], style | _STYLE_BITS[kind]))
                else:
                    self.inline(_kids(node), segs, style | _STYLE_BITS[kind], depth + 1, breaks, in_link)
            elif kind in _LINKS:
                self._link(kind, node, segs, style, depth + 1, in_link)
            elif kind == "br":
                segs.append(BREAK_SEG if breaks else (" ", style))
                self.inline(_kids(node), segs, style, depth + 1, breaks, in_link)
            elif kind in _IMAGES and not in_link:  # an image inside a line: inline image, caption
                image = self._image_markdown(kind, node)
                if image:
                    segs.append((image, ATOM))
                self.inline(_kids(node), segs, style | ITALIC, depth + 1, breaks, in_link)
            elif kind in _BLOCKISH:
                segs.append((" ", style))
                self.inline(_kids(node), segs, style, depth + 1, breaks, in_link)
                segs.append((" ", style))
            else:
                self.inline(_kids(node), segs, style, depth + 1, breaks, in_link)

    def _link(self, kind: str, node: dict[str, Any], segs: list[Segment], style: int, depth: int,
              in_link: bool) -> None:
        params = node.get("params")
        href, fallback = self._target(kind, node, params if isinstance(params, dict) else {})
        children = node.get("children")
        label: list[Segment]
        if not children and (children is None or type(children) is list):  # no label: the fallback text
            label = [(fallback or href, style)]
        elif type(children) is list and len(children) == 1 and type(children[0]) is str:  # one text leaf
            label = [(children[0], style) if not children[0].isspace() else (fallback or href, style)]
        else:
            label = []
            children = _kids(node)
            if children:
                self.inline(children, label, style, depth, False, True)
            if not any(seg_style < 0 or not text.isspace() for text, seg_style in label):
                label = [(fallback or href, style)]
        dest = None if in_link or not href else _link_destination(href)
        if dest is None:
            segs.extend(label)
            return
        if label[0][1] >= 0 and label[0][0][:1].isspace():
            segs.append((" ", style))
        inner = escape_inline(label[0][0]).strip() if len(label) == 1 and not label[0][1] else emit_inline(label)
        segs.append((f"[{inner}]({dest})", ATOM))
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
            return (_symbol_href(self.links, symbol, self.site_url) if symbol else ""), _str(params.get("text")) or symbol
        ref_id = _str(params.get("id"))
        href = (self.resolve_ref(ref_id) or "") if ref_id and self.resolve_ref is not None else ""
        if not href:
            path = _str(params.get("storyPath")) or _str(params.get("story_path"))
            if path and _ABSOLUTE.match(path) is None:
                href = f"{self.site_url}/{path.lstrip('/')}"
            else:
                href = path or _str(params.get("url"))
        return href, _str(params.get("title")) or _str(params.get("text"))


def render_markdown(tree: dict[str, Any] | None, *, site_url: str = "", links: Links = NO_LINKS,
                    resolve_ref: Resolver | None = None) -> str:
    """The body tree as CommonMark/GFM: "" for no content, else text ending in one newline."""
    return render_body(tree, site_url=site_url, links=links, resolve_ref=resolve_ref)[0]


def render_body(tree: Any, *, site_url: str = "", links: Links = NO_LINKS,
                resolve_ref: Resolver | None = None) -> tuple[str, str]:
    """(Markdown as :func:`render_markdown`, URL of the first image or "").

    ``site_url`` is the base of relative story paths, ``links`` the source's URL shapes (the
    story's :attr:`~newsdesk.model.Story.links`): a symbol without a page renders as its text,
    an image id without a file URL as nothing (the node's own ``url``, if any, is used then).
    """
    if tree is None:
        return "", ""
    renderer = _Renderer(site_url if isinstance(site_url, str) else "", links, resolve_ref)
    blocks: list[str] = []
    renderer.container(tree if isinstance(tree, list) else [tree], blocks, 0)
    if not blocks:
        return "", renderer.first_image
    text = "\n\n".join(blocks) + "\n"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = SURROGATE.sub("\ufffd", text)
    return text, renderer.first_image
