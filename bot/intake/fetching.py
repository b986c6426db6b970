"""Fetching a news page with limits: time, size, redirects, HTML only, public addresses only.

aiohttp (which discord.py already brings) follows no redirect by itself
(``allow_redirects=False``): every hop's link is checked here and its name
resolved by :class:`bot.intake.addresses.CheckedResolver`. The body is read
compressed and decompressed here, in bounded steps, so the size cap counts
what the page really is: a small gzip bomb stops at the cap too.
"""

from __future__ import annotations

import asyncio
import codecs
import socket
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver
from aiohttp.resolver import ThreadedResolver

from bot.intake.addresses import CheckedResolver
from bot.intake.errors import IntakeError

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
HEADERS = {
    "User-Agent": "articlebot (news article intake)",
    "Accept": "text/html,application/xhtml+xml;q=0.9",
    "Accept-Encoding": "gzip, deflate",
}
_CHUNK = 64 * 1024
_GZIP_OR_ZLIB = 47  # zlib's wbits: detect a gzip or a zlib header


@dataclass(frozen=True, slots=True)
class FetchLimits:
    timeout: float = 20.0  # seconds for the whole fetch, redirects included
    max_bytes: int = 5 * 1024 * 1024  # of the page as it is after decompression
    max_redirects: int = 5


@dataclass(frozen=True, slots=True)
class Page:
    url: str  # where the page was found, after redirects
    body: str | bytes  # text when the server named its charset; bytes for trafilatura to sniff


async def fetch_page(
    url: str,
    *,
    allow_private: bool = False,
    limits: FetchLimits = FetchLimits(),
    resolver: CheckedResolver | None = None,
) -> Page:
    """Fetch an HTML page; raises :class:`IntakeError` with one line saying what went wrong.

    ``allow_private`` (``ARTICLEBOT_ALLOW_PRIVATE_URLS``, read by :mod:`bot.config`) lets the
    link reach private addresses; ``resolver``
    replaces the production address check (tests only).
    """

    checked = None if allow_private else (resolver or CheckedResolver())
    connection_resolver: AbstractResolver = checked or ThreadedResolver()
    connector = aiohttp.TCPConnector(resolver=connection_resolver, use_dns_cache=False)
    host = _host_of(url)
    try:
        async with (
            aiohttp.ClientSession(
                connector=connector, auto_decompress=False, headers=HEADERS
            ) as session,
            asyncio.timeout(limits.timeout),
        ):
            return await _follow(session, url, limits, checked)
    except TimeoutError as exc:
        raise IntakeError(f"{host} did not send the page within {limits.timeout:g} s") from exc
    except aiohttp.ClientConnectorError as exc:
        raise IntakeError(_connect_failure(exc)) from exc
    except aiohttp.ClientError as exc:
        raise IntakeError(f"could not fetch the page from {host} ({_reason(exc)})") from exc


async def _follow(
    session: aiohttp.ClientSession, url: str, limits: FetchLimits, checked: CheckedResolver | None
) -> Page:
    current = url
    for _ in range(limits.max_redirects + 1):
        host = _checked_link(current, checked)
        async with session.get(current, allow_redirects=False) as response:
            if response.status in REDIRECTS:
                location = response.headers.get("Location", "").strip()
                if not location:
                    raise IntakeError(f"{host} sent a redirect without a destination")
                current = urljoin(str(response.url), location)
                continue
            _check_response(response, host, limits)
            body = await _read_capped(response, limits.max_bytes)
            if not body.strip():
                raise IntakeError(f"the page at {host} is empty")
            return Page(str(response.url), _decoded(body, response.charset))
    raise IntakeError(f"the link redirects more than {limits.max_redirects} times")


def _checked_link(url: str, checked: CheckedResolver | None) -> str:
    """The link's host; refuses what is not an http(s) link to a host we may reach."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https"):
        if not parts.scheme or not parts.netloc:
            raise IntakeError(f"{_short(url)} is not a link; give one that starts with https://")
        raise IntakeError(f"only http and https links can be added, not {parts.scheme}:")
    try:
        host, _port = parts.hostname, parts.port
    except ValueError as exc:
        raise IntakeError(f"{_short(url)} has a port that is not a number") from exc
    if not host:
        raise IntakeError(f"{_short(url)} has no host name")
    if checked is not None:
        checked.check_literal(host)
    return host


def _check_response(response: aiohttp.ClientResponse, host: str, limits: FetchLimits) -> None:
    status = response.status
    if status in (404, 410):
        raise IntakeError(f"the page was not found ({host} answered HTTP {status})")
    if status >= 400:
        raise IntakeError(f"{host} answered HTTP {status} {response.reason or ''}".rstrip())
    if not 200 <= status < 300:
        raise IntakeError(f"{host} answered HTTP {status} instead of the page")
    if response.content_type not in HTML_TYPES:
        raise IntakeError(
            f"the link is not a web page ({response.content_type}); only HTML pages can be added"
        )
    if (response.content_length or 0) > limits.max_bytes:
        raise _too_large(limits.max_bytes)


async def _read_capped(response: aiohttp.ClientResponse, cap: int) -> bytes:
    """The body, decompressed in bounded steps; more than ``cap`` bytes raises."""
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding not in ("identity", "", "gzip", "x-gzip", "deflate"):
        raise IntakeError(f"the page came in an encoding this bot cannot read ({encoding})")
    inflater = zlib.decompressobj(_GZIP_OR_ZLIB) if encoding not in ("identity", "") else None
    body, received = bytearray(), 0
    try:
        async for chunk in response.content.iter_chunked(_CHUNK):
            received += len(chunk)
            if received > cap:
                raise _too_large(cap)
            while chunk:
                if inflater is None:
                    body += chunk
                    break
                body += inflater.decompress(chunk, cap + 1 - len(body))
                chunk = inflater.unconsumed_tail
                if len(body) > cap:
                    raise _too_large(cap)
        if inflater is not None:
            body += inflater.flush()
    except zlib.error as exc:
        raise IntakeError("the page's compressed data is damaged") from exc
    if len(body) > cap:
        raise _too_large(cap)
    return bytes(body)


def _decoded(body: bytes, charset: str | None) -> str | bytes:
    if charset:
        try:
            return body.decode(codecs.lookup(charset).name, errors="replace")
        except LookupError:
            pass
    return body


def _connect_failure(exc: aiohttp.ClientConnectorError) -> str:
    if isinstance(exc.os_error, socket.gaierror):
        # Without a network the resolver says "unknown name" too, so it cannot tell the two apart.
        return f"could not reach {exc.host}: its name could not be looked up; check the network and the link"
    return f"could not connect to {exc.host} ({_reason(exc.os_error)})"


def _too_large(cap: int) -> IntakeError:
    return IntakeError(f"the page is larger than {cap / (1024 * 1024):g} MB, too large to add")


def _host_of(url: str) -> str:
    try:
        return urlsplit(url.strip()).hostname or _short(url)
    except ValueError:
        return _short(url)


def _reason(exc: BaseException) -> str:
    text = " ".join(str(getattr(exc, "strerror", None) or exc).split())
    return text or type(exc).__name__


def _short(url: str, limit: int = 80) -> str:
    url = " ".join(url.split())
    return url if len(url) <= limit else url[: limit - 1] + "…"
