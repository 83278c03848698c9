"""HTTP(S) fetching that is safe to point at user-supplied URLs.

A URL typed by a user, or found in a feed, can name an intranet host or a cloud
metadata endpoint. Every hop (including each redirect) therefore resolves the host
and refuses private, loopback, link-local and otherwise non-public addresses unless
the caller allows them; bodies are streamed with a size cap and every request has a
timeout, so one bad server cannot stall or exhaust an ingest run.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from detente import __version__

USER_AGENT = f"detente/{__version__} (news ingest for conflict research)"
TIMEOUT_S = 15.0
MAX_REDIRECTS = 5


class FetchError(Exception):
    """A URL could not be fetched; the message is shown to the user."""


@dataclass(frozen=True)
class Fetched:
    url: str
    """The final URL, after redirects."""
    content_type: str
    body: bytes


def _refusal(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:
        ip = mapped
    for label in ("loopback", "private", "link_local", "multicast", "reserved", "unspecified"):
        if getattr(ip, f"is_{label}"):
            return label.replace("_", "-")
    return None if ip.is_global else "non-public"


def check_url(url: str, *, allow_private: bool = False) -> None:
    """Raise :class:`FetchError` unless ``url`` is http(s) to a host with only public addresses."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"unsupported URL scheme {parts.scheme!r} (only http and https)")
    host = parts.hostname
    if not host:
        raise FetchError("URL has no host")
    if allow_private:
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        raise FetchError(f"cannot resolve host {host!r}: {exc}") from exc
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        reason = _refusal(ip)
        if reason:
            raise FetchError(
                f"refused: {host} resolves to {reason} address {ip} (use --allow-private to permit)"
            )


class Fetcher:
    """One HTTP client reused for a whole run; use as a context manager."""

    def __init__(
        self,
        *,
        allow_private: bool = False,
        max_bytes: int,
        timeout: float = TIMEOUT_S,
        transport: httpx.BaseTransport | None = None,
    ):
        self.allow_private = allow_private
        self.max_bytes = max_bytes
        self._client = httpx.Client(
            timeout=timeout,
            headers={"User-Agent": USER_AGENT},
            follow_redirects=False,
            transport=transport,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self._client.close()

    def get(self, url: str) -> Fetched:
        try:
            return self._get(url)
        except httpx.TimeoutException as exc:
            raise FetchError(f"timed out ({exc.__class__.__name__})") from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"cannot fetch: {exc}") from exc

    def _get(self, url: str) -> Fetched:
        for _ in range(MAX_REDIRECTS + 1):
            check_url(url, allow_private=self.allow_private)
            with self._client.stream("GET", url) as response:
                if response.is_redirect:
                    url = urljoin(str(response.url), response.headers.get("location", ""))
                    continue
                if response.status_code >= 400:
                    raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}")
                return Fetched(
                    url=str(response.url),
                    content_type=response.headers.get("content-type", "").lower(),
                    body=self._read_capped(response),
                )
        raise FetchError(f"more than {MAX_REDIRECTS} redirects")

    def _read_capped(self, response: httpx.Response) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(
                f"response is {int(declared):,} bytes, over the {self.max_bytes:,} cap"
            )
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(f"response exceeds the {self.max_bytes:,}-byte cap")
            chunks.append(chunk)
        return b"".join(chunks)
