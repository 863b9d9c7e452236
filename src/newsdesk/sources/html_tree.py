"""HTML -> newsdesk body tree: feed entry content, and trafilatura's extracted article tree.

One event-driven :class:`TreeBuilder` (``start(tag, attrs)`` / ``data(text)`` / ``end()``) makes
the tree of :mod:`newsdesk.model` (``p``, ``h1``..``h6``, ``list``/``li``, ``quote``, ``hr``,
``table``/``table-row``/cells, ``image``, and inline ``b``/``i``/``s``/``br``/``url``); two drivers
feed it: :func:`html_to_tree` (lxml's HTML parser -- libxml2's tokenizer with its implied end tags
-- calling the builder as a parser target, so no element tree is built and no depth limit of
libxml2's tree applies) and :func:`tree_from_element` (a walk of trafilatura's output, whose
tags are renamed to their HTML counterparts first).

The module is longer than ~400 lines because :class:`TreeBuilder` is one state machine (its
stack, implicit containers, pending images and whitespace state are shared by every rule);
split up, each part would need the whole state anyway.

Why hand-written: no library maps HTML to this tree, and HTML sanitisers (bleach, nh3) return
HTML again, which would still need this walk. The builder is where the safety rules live:

* dropped with their content: script, style, iframe, object, embed, template, svg, math,
  noscript, form controls, ``head``/``title``, elements with a ``hidden`` attribute;
* no attribute reaches the tree except link/image URLs, image ``alt`` and captions; URLs are
  resolved against ``base_url`` and kept only when http(s) (``javascript:``, ``vbscript:``,
  ``data:``, ``mailto:``... drop the link and keep its text; a browser strips tabs and newlines
  inside URLs, so this does too before looking at the scheme);
* bounded: output nesting stops at :data:`MAX_DEPTH` (deeper elements only pass their text on)
  and the tree holds at most :data:`MAX_NODES` nodes (further markup is ignored, text merges);
  the walk keeps its own stack, so 10,000 nested elements cost no recursion;
* whitespace as a browser shows it: runs collapse to one space across inline boundaries, blocks
  and ``br`` trim their edges, ``pre`` keeps its lines (as ``br`` nodes);
* blocks where HTML cannot hold them in Markdown are flattened (a list inside a paragraph or a
  table cell becomes lines joined by ``br``), images inside a line or a table move to just after
  their block, and ``figure``/``figcaption`` set the image's ``caption``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

from newsdesk.model import plain_text

__all__ = ["MAX_DEPTH", "MAX_NODES", "TreeBuilder", "html_to_tree", "safe_url", "tree_from_element"]

MAX_DEPTH = 32  # output nesting limit
MAX_NODES = 20_000  # nodes (dicts and text leaves) in one tree

_SKIP = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "template", "svg", "math",
    "noscript", "noembed", "noframes", "head", "title", "select", "option", "textarea", "button", "input",
    "canvas", "audio", "video", "picture-source", "xmp", "plaintext", "dialog",
})
_STYLES = {"b": "b", "strong": "b", "i": "i", "em": "i", "cite": "i", "dfn": "i", "s": "s", "strike": "s",
           "del": "s"}
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BOUNDARY = frozenset({
    "div", "section", "article", "main", "header", "footer", "aside", "nav", "address", "center", "details",
    "summary", "fieldset", "form", "hgroup", "body", "html", "caption", "legend", "dir", "figure", "figcaption",
    "thead", "tbody", "tfoot", "colgroup", "search",
})
_LISTS = frozenset({"ul", "ol", "dl", "menu"})
_ITEMS = frozenset({"li", "dt", "dd"})
_CELLS = frozenset({"td", "th"})
_BLOCKS = frozenset({"p", "pre", "blockquote", "hr", "table", "tr"}) | _HEADINGS | _LISTS | _ITEMS | _CELLS

_INLINE_NODES = frozenset({"b", "i", "s", "url"})
_EMPTY_GOES = _INLINE_NODES | _HEADINGS | {"p", "quote"}  # removed when they end up empty

# frame kinds: where inline content goes and which children are allowed
_FLOW_P = 0  # root, quote: inline runs are wrapped in an implicit paragraph
_FLOW = 1  # li: inline and blocks as direct children
_INLINE = 2  # p, headings, cells, b/i/s/url: inline only
_LIST = 3
_TABLE = 4
_ROW = 5
_CAPTION = 6  # figcaption: text is collected, not placed

_WS = re.compile(r"[ \t\n\r\f]+")
_URL_JUNK = re.compile(r"[\t\n\r]")
_URL_EDGE = "".join(chr(code) for code in range(0x21))
_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def safe_url(href: Any, base_url: str) -> str | None:
    """``href`` resolved against ``base_url`` when the result is an absolute http(s) URL, else None."""
    if not isinstance(href, str) or not href or len(href) > 8192:
        return None
    href = _URL_JUNK.sub("", href).strip(_URL_EDGE)
    if not href:
        return None
    try:
        url = urljoin(base_url, href) if base_url else href
        parts = urlsplit(url)
    except (ValueError, TypeError):
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if _BAD_CHARS.search(url) or " " in url:
        url = url.replace(" ", "%20")
        if _BAD_CHARS.search(url):
            return None
    return url


class _Frame:
    __slots__ = ("children", "kind", "node", "parent")

    def __init__(self, kind: int, node: dict[str, Any] | None, parent: list[Any] | None) -> None:
        self.kind = kind
        self.node = node
        self.children: list[Any] = node["children"] if node is not None else []
        self.parent = parent


class TreeBuilder:
    """Builds a body tree from start/data/end events (see the module docstring for the rules)."""

    def __init__(self, base_url: str = "", captions: Mapping[str, str] | None = None) -> None:
        self.base_url = base_url if isinstance(base_url, str) else ""
        self.captions = captions or {}
        self.root: dict[str, Any] = {"type": "root", "children": []}
        root = _Frame(_FLOW_P, self.root, None)
        # stack entries: (frame, auto, real, pre); transparent elements push their parent's frame again
        self.stack: list[tuple[_Frame, bool, bool, bool]] = [(root, False, True, False)]
        self.depth = 0
        self.count = 1
        self.skip = 0
        self.pre = 0
        self.last_space = True
        self.sep: tuple[list[Any], str] | None = None
        self.pending: list[dict[str, Any]] = []  # images waiting for the end of their block
        self.figures: list[tuple[list[dict[str, Any]], list[str]]] = []

    # --- events ------------------------------------------------------------------------------
    def start(self, tag: str, attrs: Mapping[str, str]) -> None:
        if self.skip:
            self.skip += 1
            return
        tag = tag.lower() if isinstance(tag, str) else ""
        if tag in _SKIP or "hidden" in attrs:
            self.skip = 1
            return
        self._pop_autos_for(tag)
        frame = self.stack[-1][0]
        if frame.kind == _CAPTION:
            self._push_same()
        elif tag in _BLOCKS:
            self._block(tag, frame)
        elif tag in _BOUNDARY:
            self._boundary(frame)
            self._push_same()
            if tag == "figure":
                self.figures.append(([], []))
            elif tag == "figcaption" and self.figures:
                self.stack[-1] = (_Frame(_CAPTION, None, None), False, False, False)
        elif tag == "br":
            self._break(frame)
            self._push_same()
        elif tag == "img":
            self._image(attrs)
            self._push_same()
        else:
            self._inline(tag, attrs, frame)

    def data(self, text: str) -> None:
        if self.skip or not text:
            return
        frame = self.stack[-1][0]
        if frame.kind == _CAPTION:
            self.figures[-1][1].append(text)
            return
        if self.pre:
            self._pre_text(text)
            return
        text = _WS.sub(" ", text)
        if self.last_space and text[0] == " ":
            text = text[1:]
        if not text:
            return
        target = self._target(frame, text != " ")
        if target is None:
            return
        self._add_text(target, text)
        self.last_space = text[-1] == " "

    def end(self, tag: str = "") -> None:
        if self.skip:
            self.skip -= 1
            return
        while len(self.stack) > 1 and self.stack[-1][1]:
            self._pop()
        if len(self.stack) <= 1:
            return
        frame, _auto, real, _pre = self.stack[-1]
        name = tag.lower() if isinstance(tag, str) else ""
        if not real and frame.kind != _CAPTION and (name in _BOUNDARY or name in _BLOCKS):
            self._boundary(frame)
        if name == "figure" and self.figures:
            self._close_figure()
        self._pop()

    def finish(self) -> dict[str, Any]:
        """Close every open element and return the root node."""
        self.skip = 0
        while len(self.stack) > 1:
            self._pop()
        while self.figures:
            self._close_figure()
        self._flush_pending(self.stack[0][0])
        _rstrip(self.root["children"])
        return self.root

    # --- structure ---------------------------------------------------------------------------
    def _new(self, kind: str, params: dict[str, Any] | None = None, leaf: bool = False) -> dict[str, Any] | None:
        if self.count >= MAX_NODES or (self.depth >= MAX_DEPTH and not leaf):
            return None
        self.count += 1
        node: dict[str, Any] = {"type": kind, "children": []}
        if params is not None:
            node["params"] = params
        return node

    def _push(self, kind: int, node: dict[str, Any], parent: list[Any], auto: bool = False,
              pre: bool = False) -> None:
        parent.append(node)
        self.depth += 1
        self.stack.append((_Frame(kind, node, parent), auto, True, pre))
        if pre:
            self.pre += 1

    def _push_same(self, pre: bool = False) -> None:
        self.stack.append((self.stack[-1][0], False, False, pre))
        if pre:
            self.pre += 1

    def _pop(self) -> None:
        frame, _auto, real, pre = self.stack.pop()
        if pre:
            self.pre -= 1
        if not real:
            return
        self.depth -= 1
        node = frame.node
        if node is not None and frame.kind in (_INLINE, _FLOW, _FLOW_P):
            kind = node["type"]
            if kind not in _INLINE_NODES:
                _rstrip(frame.children)
            if kind == "url":
                node["params"]["linkText"] = plain_text({"type": "span", "children": frame.children})
            if kind in _EMPTY_GOES and not any(type(c) is not str or c.strip() for c in frame.children):
                if frame.parent and frame.parent[-1] is node:
                    frame.parent.pop()
        if node is None or node["type"] not in _INLINE_NODES:
            self.last_space = True
        below = self.stack[-1][0]
        if below.kind in (_FLOW, _FLOW_P) and self.pending:
            self._flush_pending(below)

    def _pop_autos_for(self, tag: str) -> None:
        """Close implicit containers that ``tag`` may not sit in (an implicit p before a block...)."""
        while len(self.stack) > 1 and self.stack[-1][1]:
            kind = self.stack[-1][0].node["type"]  # type: ignore[index]
            if kind == "p" and (tag in _BLOCKS or tag in _BOUNDARY or tag == "img"):
                self._pop()
            elif kind == "li" and tag in _ITEMS:
                self._pop()
            elif kind in ("table-data-cell",) and (tag in _CELLS or tag == "tr"):
                self._pop()
            elif kind == "table-row" and tag == "tr":
                self._pop()
            else:
                break

    def _block(self, tag: str, frame: _Frame) -> None:
        kind = frame.kind
        if kind == _INLINE:
            self._flatten(tag, frame)
            return
        if kind == _LIST and tag not in _ITEMS:
            if tag in _LISTS and frame.children and isinstance(frame.children[-1], dict) \
                    and frame.children[-1].get("type") == "li":
                item = frame.children.pop()  # a list right inside a list nests in the item before it
                self._push_existing_item(item, frame)
            else:
                self._auto(frame, "li", _FLOW)
            self._block(tag, self.stack[-1][0])
            return
        if kind == _TABLE and tag != "tr":
            self._auto(frame, "table-row", _ROW)
            self._block(tag, self.stack[-1][0])
            return
        if kind == _ROW and tag not in _CELLS:
            self._auto(frame, "table-data-cell", _INLINE)
            self._flatten(tag, self.stack[-1][0])
            return
        if kind in (_FLOW, _FLOW_P) and tag in _ITEMS | {"tr"} | _CELLS:
            if tag in _ITEMS:
                self._auto(frame, "list", _LIST)
            else:
                self._auto(frame, "table", _TABLE)
            self._block(tag, self.stack[-1][0])
            return
        self.last_space = True
        if tag == "hr":
            node = self._new("hr", leaf=True)
            if node is not None:
                frame.children.append(node)
            self._push_same()
            return
        spec = _BLOCK_NODES[tag]
        node = self._new(spec[0])
        if node is None:
            self._push_same()
            return
        self._push(spec[1], node, frame.children, pre=tag == "pre")

    def _push_existing_item(self, item: dict[str, Any], frame: _Frame) -> None:
        self._push(_FLOW, item, frame.children, auto=True)

    def _auto(self, frame: _Frame, kind: str, frame_kind: int) -> None:
        node = self._new(kind, leaf=True)  # past the depth limit too: text needs a container
        if node is None:
            self.stack.append((frame, True, False, False))
            return
        self._push(frame_kind, node, frame.children, auto=True)

    def _flatten(self, tag: str, frame: _Frame) -> None:
        """A block where only inline content fits: its content joins the line, set off by a break."""
        if frame.children:
            self.sep = (frame.children, " " if tag in _CELLS else "br")
        self.last_space = True
        self._push_same(pre=tag == "pre")

    def _boundary(self, frame: _Frame) -> None:
        if frame.kind in (_INLINE, _FLOW) and frame.children:
            self.sep = (frame.children, "br")
        self.last_space = True

    def _break(self, frame: _Frame) -> None:
        target = self._target(frame, False)
        if not target:
            return
        self.sep = None
        _rstrip(target)
        node = self._new("br", leaf=True)
        if node is not None and target:
            target.append(node)
        self.last_space = True

    def _inline(self, tag: str, attrs: Mapping[str, str], frame: _Frame) -> None:
        kind = _STYLES.get(tag)
        params = None
        if tag == "a":
            url = safe_url(attrs.get("href"), self.base_url)
            if url is not None and not any(e[0].node is not None and e[0].node["type"] == "url" for e in self.stack):
                kind, params = "url", {"url": url, "linkText": ""}
        if kind is None or frame.kind not in (_INLINE, _FLOW, _FLOW_P, _LIST, _TABLE, _ROW):
            self._push_same()
            return
        target = self._target(frame, True)
        node = self._new(kind, params)
        if node is None or target is None:
            self._push_same()
            return
        self._apply_sep(target)
        self._push(_INLINE, node, target)

    def _image(self, attrs: Mapping[str, str]) -> None:
        src = attrs.get("src") or ""
        lazy = attrs.get("data-src") or ""
        if lazy and (not src or src.startswith("data:")):
            src = lazy
        url = safe_url(src, self.base_url)
        if url is None:
            return
        alt = _WS.sub(" ", attrs.get("alt") or "").strip()
        caption = self.captions.get(url, "") or _WS.sub(" ", attrs.get("title") or "").strip()
        node = self._new("image", {"url": url, "alt": alt, "caption": caption}, leaf=True)
        if node is None:
            return
        if caption:
            node["children"].append(caption)  # the words of a caption are text of the story
        if self.figures:
            self.figures[-1][0].append(node)
        frame = self.stack[-1][0]
        if frame.kind == _FLOW_P or (frame.kind == _FLOW and not self.pre):
            frame.children.append(node)
            self.last_space = True
        else:
            self.pending.append(node)

    def _close_figure(self) -> None:
        images, parts = self.figures.pop()
        caption = _WS.sub(" ", "".join(parts)).strip()
        if not caption:
            return
        for image in images:
            if not image["params"]["caption"]:
                image["params"]["caption"] = caption
                image["children"][:] = [caption]
        if not images:  # a figure without an image: its caption is a paragraph
            frame = self.stack[-1][0]
            self.last_space = True
            if frame.kind != _CAPTION:
                self.data(caption)
                self._pop_autos_for("p")

    def _flush_pending(self, frame: _Frame) -> None:
        if self.pending:
            frame.children.extend(self.pending)
            self.pending = []

    # --- text --------------------------------------------------------------------------------
    def _target(self, frame: _Frame, create: bool) -> list[Any] | None:
        """The children list inline content goes to, opening an implicit container when needed."""
        kind = frame.kind
        if kind in (_INLINE, _FLOW):
            return frame.children
        if not create:
            return None
        if kind == _FLOW_P:
            self._auto(frame, "p", _INLINE)
        elif kind == _LIST:
            self._auto(frame, "li", _FLOW)
        elif kind == _TABLE:
            self._auto(frame, "table-row", _ROW)
            self._auto(self.stack[-1][0], "table-data-cell", _INLINE)
        elif kind == _ROW:
            self._auto(frame, "table-data-cell", _INLINE)
        else:
            return None
        top = self.stack[-1][0]
        return top.children if top.kind in (_INLINE, _FLOW) else None

    def _apply_sep(self, target: list[Any]) -> None:
        sep = self.sep
        if sep is None or sep[0] is not target:
            return
        self.sep = None
        if not target:
            return
        if sep[1] == "br":
            _rstrip(target)
            node = self._new("br", leaf=True)
            if node is not None and target:
                target.append(node)
        elif not self.last_space:
            self._add_text(target, " ", sep=False)

    def _add_text(self, target: list[Any], text: str, sep: bool = True) -> None:
        if sep:
            self._apply_sep(target)
        if target and type(target[-1]) is str:
            target[-1] += text
        elif self.count < MAX_NODES:
            self.count += 1
            target.append(text)

    def _pre_text(self, text: str) -> None:
        frame = self.stack[-1][0]
        target = self._target(frame, True)
        if target is None:
            return
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        for index, line in enumerate(lines):
            if index and target:
                node = self._new("br", leaf=True)
                if node is not None and target:
                    target.append(node)
            if line:
                self._add_text(target, line.replace("\f", " "))
        self.last_space = False


_BLOCK_NODES: dict[str, tuple[str, int]] = {
    "p": ("p", _INLINE), "pre": ("p", _INLINE), "blockquote": ("quote", _FLOW_P),
    **{h: (h, _INLINE) for h in _HEADINGS}, **dict.fromkeys(_LISTS, ("list", _LIST)),
    **dict.fromkeys(_ITEMS, ("li", _FLOW)), "table": ("table", _TABLE), "tr": ("table-row", _ROW),
    "td": ("table-data-cell", _INLINE), "th": ("table-header-cell", _INLINE),
}


def _rstrip(children: list[Any]) -> None:
    """Drop trailing whitespace (and trailing breaks) at the end of a block's content."""
    for _ in range(MAX_DEPTH + 2):
        if not children:
            return
        last = children[-1]
        if type(last) is str:
            text = last.rstrip(" ")
            if text:
                children[-1] = text
                return
            children.pop()
        elif isinstance(last, dict) and last.get("type") == "br":
            children.pop()
        elif isinstance(last, dict) and last.get("type") in ("b", "i", "s", "url"):
            children = last["children"]
        else:
            return


class _Target:
    """lxml parser target: forwards events to a :class:`TreeBuilder`."""

    def __init__(self, builder: TreeBuilder) -> None:
        self.builder = builder

    def start(self, tag: str, attrib: Mapping[str, str]) -> None:
        self.builder.start(tag, attrib)

    def end(self, tag: str) -> None:
        self.builder.end(tag)

    def data(self, text: str) -> None:
        self.builder.data(text)

    def comment(self, text: str) -> None:
        pass

    def close(self) -> None:
        return None


def html_to_tree(fragment: str, base_url: str) -> dict[str, Any]:
    """A sanitised HTML fragment (a feed entry's content) as a body tree; never raises."""
    builder = TreeBuilder(base_url)
    if not isinstance(fragment, str):
        return builder.finish()
    text = _BAD_CHARS.sub(_replace_bad, fragment)
    if text.strip():
        parser = etree.HTMLParser(target=_Target(builder), remove_comments=True, remove_pis=True,
                                  no_network=True, recover=True)
        try:
            parser.feed(text)
            parser.close()
        except Exception:  # noqa: BLE001 -- hostile input must never raise; keep what was built
            pass
    return builder.finish()


def _replace_bad(match: re.Match[str]) -> str:
    char = match.group()
    return "\ufffd" if char in "\x00" or "\ud800" <= char <= "\udfff" else ""


# trafilatura's output tags -> the HTML tags the builder knows
_TRAFILATURA_TAGS = {"list": "ul", "item": "li", "quote": "blockquote", "code": "pre", "row": "tr",
                     "lb": "br", "graphic": "img", "ref": "a", "del": "s", "done": "span"}
_HI_TAGS = {"#b": "b", "#i": "i", "#u": "span", "#t": "span", "#sub": "span", "#sup": "span"}


def _trafilatura_tag(elem: etree._Element) -> tuple[str, dict[str, str]]:
    tag = elem.tag
    if tag == "head":
        rend = elem.get("rend") or ""
        return (rend if rend in _HEADINGS else "h3"), {}
    if tag == "hi":
        return _HI_TAGS.get(elem.get("rend") or "", "span"), {}
    if tag == "cell":
        return ("th" if elem.get("role") == "head" else "td"), {}
    if tag == "quote" and len(elem) == 0 and "\n" in (elem.text or "").strip():
        return "pre", {}  # trafilatura's quote from a <pre>: keep its lines
    if tag == "ref":
        return "a", {"href": elem.get("target") or ""}
    if tag == "graphic":
        return "img", {"src": elem.get("src") or "", "alt": elem.get("alt") or "", "title": elem.get("title") or ""}
    return _TRAFILATURA_TAGS.get(tag, tag), {}


def tree_from_element(body: etree._Element, base_url: str,
                      captions: Mapping[str, str] | None = None) -> dict[str, Any]:
    """trafilatura's extracted element tree (``document.body``) as a body tree."""
    builder = TreeBuilder(base_url, captions)
    walker = etree.iterwalk(body, events=("start", "end"))
    for event, elem in walker:
        if elem is body:
            continue
        if not isinstance(elem.tag, str):  # comment or processing instruction: only its tail counts
            if event == "end" and elem.tail:
                builder.data(elem.tail)
            continue
        if event == "start":
            tag, attrs = _trafilatura_tag(elem)
            builder.start(tag, attrs)
            if elem.text:
                builder.data(elem.text)
        else:
            builder.end(_trafilatura_tag(elem)[0])
            if elem.tail:
                builder.data(elem.tail)
    return builder.finish()
