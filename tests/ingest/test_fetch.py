"""URLs and feeds against a real local HTTP server, and the private-address guard."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from detente.ingest.fetch import Fetcher, FetchError, check_url
from detente.ingest.models import Document, Rejection
from detente.ingest.reader import iter_documents

ARTICLE = (
    "Witkoff meets Putin in St Petersburg\n\n"
    "US envoy Steve Witkoff met Russian President Vladimir Putin in St Petersburg on Friday "
    "for more than four hours of talks on a ceasefire in Ukraine, the Kremlin said."
)
PAGE = """<html><head><title>Umerov: Kyiv ready for next round</title>
<meta property="article:published_time" content="2025-05-20"></head><body><article>
<h1>Umerov: Kyiv ready for next round</h1><p>Ukrainian Defence Minister Rustem Umerov said
on Tuesday that Kyiv was ready for a second round of talks with Russia in Istanbul and
demanded that Moscow hand over its draft memorandum in advance.</p></article></body></html>"""


def feed(base: str) -> str:
    return f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Test Wire</title>
<item><title>Page item</title><link>{base}/page</link>
<pubDate>Tue, 20 May 2025 08:00:00 GMT</pubDate></item>
<item><title>Broken link item</title><link>{base}/missing</link>
<pubDate>Wed, 21 May 2025 08:00:00 GMT</pubDate>
<description>Lavrov said Russia would present its own memorandum on a settlement.</description>
</item>
<item><title>No content</title><link>{base}/missing</link></item>
</channel></rss>"""


ROUTES = {
    "/article.txt": ("text/plain; charset=utf-8", ARTICLE),
    "/page": ("text/html; charset=utf-8", PAGE),
    "/notfeed": ("text/html", "<html><body><p>Just a page.</p></body></html>"),
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server API)
        base = f"http://127.0.0.1:{self.server.server_port}"
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/page")
            self.end_headers()
            return
        if self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
            return
        if self.path == "/stale":  # a broken cache answering 304 to anyone
            self.send_response(304)
            self.end_headers()
            return
        if self.path == "/cached":  # validators, and 304 when the client sends them back
            if self.headers.get("If-None-Match") == '"v1"' or self.headers.get(
                "If-Modified-Since"
            ) == "Tue, 20 May 2025 08:00:00 GMT":
                self.send_response(304)
                self.send_header("ETag", '"v1"')
                self.end_headers()
                return
            data = ARTICLE.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("ETag", '"v1"')
            self.send_header("Last-Modified", "Tue, 20 May 2025 08:00:00 GMT")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        if self.path == "/feed.xml":
            content_type, body = "application/rss+xml", feed(base)
        elif self.path in ROUTES:
            content_type, body = ROUTES[self.path]
        else:
            self.send_error(404)
            return
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def read(inputs, **kwargs):
    return list(iter_documents(inputs, allow_private=True, **kwargs))


def test_text_url_and_html_url(server):
    text, page = read([f"{server}/article.txt", f"{server}/page"])
    assert isinstance(text, Document) and "St Petersburg" in text.clean_text
    assert text.url == f"{server}/article.txt" and text.origin == f"{server}/article.txt"
    assert page.title == "Umerov: Kyiv ready for next round"
    assert page.published == "2025-05-20"


def test_redirect_is_followed_to_final_url(server):
    (doc,) = read([f"{server}/redirect"])
    assert doc.url == f"{server}/page"
    assert "second round of talks" in doc.clean_text


def test_redirect_loop_and_404_and_unreachable_are_rejected(server):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    loop, missing, down = read(
        [f"{server}/loop", f"{server}/nothing", f"http://127.0.0.1:{port}/x"]
    )
    assert "redirects" in loop.reason
    assert missing.reason.startswith("HTTP 404")
    assert isinstance(down, Rejection) and "cannot fetch" in down.reason


def test_not_modified_is_an_answer_not_a_redirect(server):
    with Fetcher(allow_private=True, max_bytes=100_000) as fetcher:
        first = fetcher.get(f"{server}/cached")
        assert not first.not_modified and first.body.startswith(b"Witkoff meets Putin")
        assert (first.etag, first.last_modified) == ('"v1"', "Tue, 20 May 2025 08:00:00 GMT")
        for validators in ({"etag": first.etag}, {"last_modified": first.last_modified}):
            again = fetcher.get(f"{server}/cached", **validators)
            assert again.not_modified and again.body == b"" and again.etag == '"v1"'
    assert read([f"{server}/cached"])[0].clean_text.startswith("Witkoff")
    # A 304 to a plain request is one clear line, not a redirect loop.
    (stale,) = read([f"{server}/stale"])
    assert isinstance(stale, Rejection) and stale.reason == "HTTP 304 Not Modified with no body"


def test_feed_items_use_link_then_fall_back_to_content(server):
    page, fallback, empty = read([], feeds=[f"{server}/feed.xml"])
    assert page.title == "Umerov: Kyiv ready for next round"
    assert page.source == "Test Wire"
    assert fallback.clean_text.startswith("Lavrov said Russia would present")
    assert fallback.published == "2025-05-21"
    assert fallback.published_evidence == "feed:published"
    assert "404" in fallback.meta["link_problem"]
    assert isinstance(empty, Rejection) and "no content" in empty.reason


def test_url_serving_a_feed_is_expanded(server):
    items = read([f"{server}/feed.xml"])
    assert len(items) == 3 and isinstance(items[0], Document)


def test_non_feed_is_rejected(server):
    (rejection,) = read([], feeds=[f"{server}/notfeed"])
    assert isinstance(rejection, Rejection)
    assert "not an RSS or Atom feed" in rejection.reason


def test_response_over_cap_is_rejected(server):
    (rejection,) = read([f"{server}/page"], max_bytes=50)
    assert "cap" in rejection.reason


def test_loopback_refused_without_allow_private(server):
    (rejection,) = list(iter_documents([f"{server}/article.txt"]))
    assert "loopback" in rejection.reason and "--allow-private" in rejection.reason


@pytest.mark.parametrize("host", ["10.1.2.3", "192.168.0.10", "169.254.169.254", "[::1]"])
def test_private_and_link_local_addresses_refused(host):
    with pytest.raises(FetchError, match="refused"):
        check_url(f"http://{host}/latest/meta-data")


def test_non_http_scheme_refused():
    with pytest.raises(FetchError, match="scheme"):
        check_url("file:///etc/passwd", allow_private=True)


def test_every_redirect_hop_is_checked(monkeypatch):
    """A public host redirecting to an intranet host must be stopped at the second hop."""
    addresses = {"news.example": "93.184.216.34", "intranet.example": "10.0.0.5"}

    def fake_getaddrinfo(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (addresses[host], port))]

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    requested = []

    def respond(request: httpx.Request) -> httpx.Response:
        requested.append(request.headers["host"])
        return httpx.Response(302, headers={"Location": "http://intranet.example/admin"})

    fetcher = Fetcher(max_bytes=1000, transport=httpx.MockTransport(respond))
    with fetcher, pytest.raises(FetchError, match="private address 10.0.0.5"):
        fetcher.get("http://news.example/story")
    assert requested == ["news.example"]


class Trickle(BaseHTTPRequestHandler):
    """Sends its body one byte at a time, each well within a per-read timeout."""

    def do_GET(self):  # noqa: N802 (http.server API)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "100")
        self.end_headers()
        try:
            for _ in range(100):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass

    def log_message(self, *args):
        pass


def test_download_has_one_total_deadline_not_a_per_read_timeout():
    """Issue 9: a server sending a byte every few seconds held the download for minutes."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        started = time.monotonic()
        with (
            Fetcher(allow_private=True, max_bytes=1000, timeout=5, deadline=1.0) as fetcher,
            pytest.raises(FetchError, match="1 s deadline"),
        ):
            fetcher.get(f"http://127.0.0.1:{httpd.server_port}/slow")
        assert time.monotonic() - started < 3
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_connection_goes_to_the_address_that_was_checked(monkeypatch):
    """DNS rebinding: a second resolution at connect time must not be able to redirect it."""
    answers = iter(["93.184.216.34", "127.0.0.1"])
    lookups = []

    def rebinding_getaddrinfo(host, port, *args, **kwargs):
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_getaddrinfo)
    seen = []

    def respond(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.host, request.headers["host"], request.extensions))
        return httpx.Response(200, text=ARTICLE, headers={"Content-Type": "text/plain"})

    with Fetcher(max_bytes=10_000, transport=httpx.MockTransport(respond)) as fetcher:
        fetched = fetcher.get("https://news.example/story")
    ((host, header, extensions),) = seen
    assert lookups == ["news.example"]
    assert (host, header) == ("93.184.216.34", "news.example")
    assert extensions.get("sni_hostname") == "news.example"
    assert fetched.url == "https://news.example/story"
