"""HTTP(S) fetching that is safe to point at user-supplied URLs.

A URL typed by a user, or found in a feed, can name an intranet host or a cloud
metadata endpoint. Every hop (including each redirect) therefore resolves the host
and refuses private, loopback, link-local and otherwise non-public addresses unless
the caller allows them. The connection then goes to the very address that was checked
(the request names the host only in its Host header and TLS server name), so a DNS
answer that changes between the check and the connect (DNS rebinding) cannot point it
elsewhere. Bodies are streamed with a size cap, and a whole download (redirects and
every byte) has one deadline, so a server trickling a byte at a time cannot hold a run
for longer than that.

A fetch can be conditional (``etag`` / ``last_modified`` from an earlier answer): a
``304 Not Modified`` then comes back as :attr:`Fetched.not_modified`, with no body. A 304 is
a 3xx answer but not a redirect, so only a 3xx with a ``Location`` is followed; any other
3xx is an error.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from detente import __version__

USER_AGENT = f"detente/{__version__} (news ingest for conflict research)"
TIMEOUT_S = 15.0
"""Connect and per-read timeout."""
DEADLINE_S = 60.0
"""Total time for one download, redirects included."""
MAX_REDIRECTS = 5


class FetchError(Exception):
    """A URL could not be fetched; the message is shown to the user."""


@dataclass(frozen=True)
class Fetched:
    url: str
    """The final URL, after redirects."""
    content_type: str
    body: bytes
    not_modified: bool = False
    """True for a ``304 Not Modified`` answer (``body`` is then empty)."""
    etag: str | None = None
    last_modified: str | None = None
    """The answer's validators, to send with the next conditional fetch."""


def _refusal(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:
        ip = mapped
    for label in ("loopback", "private", "link_local", "multicast", "reserved", "unspecified"):
        if getattr(ip, f"is_{label}"):
            return label.replace("_", "-")
    return None if ip.is_global else "non-public"


def check_url(url: str, *, allow_private: bool = False) -> str | None:
    """Raise :class:`FetchError` unless ``url`` is http(s) to a host with only public addresses.

    Returns the checked address to connect to (None when private addresses are allowed
    and nothing was resolved).
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"unsupported URL scheme {parts.scheme!r} (only http and https)")
    host = parts.hostname
    if not host:
        raise FetchError("URL has no host")
    if allow_private:
        return None
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        raise FetchError(f"cannot resolve host {host!r}: {exc}") from exc
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    for ip in addresses:
        reason = _refusal(ip)
        if reason:
            raise FetchError(
                f"refused: {host} resolves to {reason} address {ip} (use --allow-private to permit)"
            )
    if not addresses:
        raise FetchError(f"cannot resolve host {host!r}: no addresses")
    return str(addresses[0])


def _pinned(url: str, address: str | None) -> tuple[httpx.URL, dict, dict]:
    """The request for ``url`` sent to ``address``: URL, headers and httpx extensions.

    The host moves to the Host header and, for https, to the TLS server name, against
    which the certificate is still verified.
    """
    original = httpx.URL(url)
    if address is None:
        return original, {}, {}
    headers = {"Host": original.netloc.decode("ascii")}
    extensions = {"sni_hostname": original.host} if original.scheme == "https" else {}
    return original.copy_with(host=address), headers, extensions


class Fetcher:
    """One HTTP client reused for a whole run; use as a context manager."""

    def __init__(
        self,
        *,
        allow_private: bool = False,
        max_bytes: int,
        timeout: float = TIMEOUT_S,
        deadline: float = DEADLINE_S,
        transport: httpx.BaseTransport | None = None,
    ):
        self.allow_private = allow_private
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.deadline = deadline
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

    def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> Fetched:
        """Fetch ``url``; with ``etag`` or ``last_modified`` the request is conditional."""
        conditions = {}
        if etag:
            conditions["If-None-Match"] = etag
        if last_modified:
            conditions["If-Modified-Since"] = last_modified
        ends = time.monotonic() + self.deadline
        try:
            return self._get(url, ends, conditions)
        except httpx.TimeoutException as exc:
            if time.monotonic() >= ends - 0.05:
                raise FetchError(self._late()) from exc
            raise FetchError(f"timed out ({exc.__class__.__name__})") from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"cannot fetch: {exc}") from exc

    def _late(self) -> str:
        return f"download not finished within the {self.deadline:g} s deadline"

    def _get(self, url: str, ends: float, conditions: dict[str, str]) -> Fetched:
        for _ in range(MAX_REDIRECTS + 1):
            address = check_url(url, allow_private=self.allow_private)
            target, headers, extensions = _pinned(url, address)
            left = ends - time.monotonic()
            if left <= 0:
                raise FetchError(self._late())
            request = self._client.build_request(
                "GET", target, headers={**headers, **conditions}, extensions=extensions,
                timeout=httpx.Timeout(min(self.timeout, left)),
            )  # fmt: skip
            response = self._client.send(request, stream=True)
            try:
                if response.status_code == 304:
                    return Fetched(url, "", b"", not_modified=True, **_validators(response))
                if response.has_redirect_location:
                    url = urljoin(url, response.headers["location"])
                    continue
                if response.status_code >= 300:
                    raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}")
                return Fetched(
                    url=url,
                    content_type=response.headers.get("content-type", "").lower(),
                    body=self._read_capped(response, ends),
                    **_validators(response),
                )
            finally:
                response.close()
        raise FetchError(f"more than {MAX_REDIRECTS} redirects")

    def _read_capped(self, response: httpx.Response, ends: float) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(
                f"response is {int(declared):,} bytes, over the {self.max_bytes:,} cap"
            )
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            if time.monotonic() > ends:
                raise FetchError(self._late())
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(f"response exceeds the {self.max_bytes:,}-byte cap")
            chunks.append(chunk)
        return b"".join(chunks)


def _validators(response: httpx.Response) -> dict[str, str | None]:
    return {
        "etag": response.headers.get("etag"),
        "last_modified": response.headers.get("last-modified"),
    }
