"""Canonical URLs: one spelling per article, so the same story reached through two feeds (or a feed
and a share link) dedups to one address.

Why hand-written: the standard library resolves and splits URLs (:func:`urllib.parse.urljoin`,
:func:`~urllib.parse.urlsplit`) but normalises nothing, and the well-kept normalisers (``w3lib``,
``url-normalize``) either pull in a framework or neither drop tracking parameters nor promise never
to raise on hostile input. What is added here is small: RFC 3986 syntax-based normalisation plus a
documented list of tracking parameters.

:func:`canonical_url` (never raises; idempotent: ``canonical_url(canonical_url(u)) == canonical_url(u)``):

* strips surrounding whitespace and resolves a relative reference against ``base``;
* http(s) only -- any other scheme (``mailto:``, ``javascript:``, a still-relative reference) comes
  back resolved and stripped but otherwise untouched (:func:`is_http_url` tells them apart);
* lower-cases the scheme and host, drops the default port (80 for http, 443 for https) and an empty
  port, keeps user info;
* removes dot segments (``/a/./b/../c`` -> ``/a/c``); an empty path becomes ``/``;
* normalises percent-encoding: escapes of unreserved characters (``A-Z a-z 0-9 - . _ ~``) are
  decoded, other escapes upper-cased, characters not allowed in the component (spaces, non-ASCII as
  UTF-8) encoded; a ``%`` that starts no escape becomes ``%25``;
* drops the fragment;
* drops tracking parameters (:data:`TRACKING_PARAMS`, any ``utm_*``; names compared case-blind)
  and keeps every other parameter, in order and spelled as given (an empty query loses its ``?``).
  ``ref`` is dropped only when its value names a channel (:data:`TRACKING_REF_VALUES`, or a value
  starting with ``rss``/``feed``/``atom``) -- elsewhere ``ref`` can mean something (a git branch).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit, urlunsplit

__all__ = ["TRACKING_PARAMS", "TRACKING_REF_VALUES", "canonical_url", "is_http_url"]

#: Query parameters that only say where a click came from (compared lower-cased; plus ``utm_*``).
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
    "igshid", "igsh", "mc_cid", "mc_eid", "_hsenc", "_hsmi", "__hstc", "__hssc", "__hsfp", "hsctatracking",
    "_ga", "_gl", "mkt_tok", "li_fat_id", "oly_anon_id", "oly_enc_id", "rb_clickid", "s_cid", "vero_id",
    "vero_conv", "wickedid", "ref_src", "ref_url", "ncid", "sr_share", "srsltid", "cmpid", "_openstat",
})
#: Values of ``ref`` that name the channel a reader came from.
TRACKING_REF_VALUES = frozenset({
    "rss", "atom", "feed", "feeds", "feedly", "newsletter", "email", "mail", "twitter", "x", "facebook",
    "linkedin", "reddit", "hn", "hackernews", "producthunt", "social", "share", "homepage", "inoreader",
})
_REF_PREFIXES = ("rss", "feed", "atom")
_DEFAULT_PORTS = {"http": "80", "https": "443"}

_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_SUB_DELIMS = "!$&'()*+,;="
_PATH_CHARS = frozenset(_UNRESERVED | set(_SUB_DELIMS) | set(":@/"))
_QUERY_CHARS = frozenset(_PATH_CHARS | set("?"))
_ESCAPE_OR_OTHER = re.compile(r"%([0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+,;=:@/?]")


def is_http_url(url: str) -> bool:
    """Whether ``url`` is an absolute http(s) URL with a host."""
    try:
        parts = urlsplit(url.strip())
        return parts.scheme.lower() in _DEFAULT_PORTS and bool(parts.hostname)
    except (ValueError, AttributeError):
        return False


def canonical_url(url: str, base: str | None = None) -> str:
    """The canonical spelling of ``url`` (resolved against ``base``); see the module docstring."""
    try:
        text = url.strip()
        if base:  # urljoin drops C0 controls, which can leave whitespace (U+0085) at an end
            text = urljoin(base.strip(), text).strip()
        parts = urlsplit(text)
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS or not parts.netloc:
            return text
        path = _remove_dot_segments(_normalise(parts.path, _PATH_CHARS)) or "/"
        query = _clean_query(parts.query)
        return urlunsplit((scheme, _netloc(scheme, parts.netloc), path, query, ""))
    except Exception:  # noqa: BLE001 -- "never raises": hostile input comes back stripped
        return url.strip() if isinstance(url, str) else ""


def _netloc(scheme: str, netloc: str) -> str:
    userinfo, at, hostport = netloc.rpartition("@")
    if hostport.startswith("["):  # an IPv6 literal
        close = hostport.find("]")
        host, port = (hostport[: close + 1], hostport[close + 2:]) if close >= 0 else (hostport, "")
    else:
        host, _, port = hostport.partition(":")
    host = host.lower()
    if port.isdigit():
        port = port.lstrip("0") or "0"
    if port and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    return f"{userinfo}{at}{host}"


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4, over ``/``-separated segments."""
    if "." not in path:
        return path
    output: list[str] = []
    segments = path.split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == ".":
            if last:
                output.append("")
        elif segment == "..":
            if len(output) > 1:
                output.pop()
            if last:
                output.append("")
        else:
            output.append(segment)
    result = "/".join(output)
    return "/" + result.lstrip("/") if path.startswith("/") and not result.startswith("/") else result


def _clean_query(query: str) -> str:
    if not query:
        return ""
    kept: list[str] = []
    for piece in query.split("&"):
        if not piece:
            continue
        name, _, value = piece.partition("=")
        key = _normalise(name, _QUERY_CHARS).lower()
        if key.startswith("utm_") or key in TRACKING_PARAMS or (key == "ref" and _tracking_ref(value)):
            continue
        kept.append(_normalise(piece, _QUERY_CHARS))
    return "&".join(kept)


def _tracking_ref(value: str) -> bool:
    value = value.strip().lower()
    return value in TRACKING_REF_VALUES or value.startswith(_REF_PREFIXES)


def _normalise(component: str, allowed: frozenset[str]) -> str:
    """Percent-encoding per the module docstring; ``allowed`` characters stay as they are."""

    def fix(match: re.Match[str]) -> str:
        escape = match.group(1)
        if escape is not None:
            char = chr(int(escape, 16))
            return char if char in _UNRESERVED else "%" + escape.upper()
        char = match.group(0)
        if char in allowed:
            return char
        return "".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))

    return _ESCAPE_OR_OTHER.sub(fix, component)
