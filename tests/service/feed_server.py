"""A news site on 127.0.0.1 for watch tests: an RSS feed with an ETag, article pages, a
broken feed, and a webhook receiver. Tests change ``site.items`` to publish."""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape


@dataclass
class Site:
    items: list[tuple[str, str, str]] = field(default_factory=list)
    """(slug, title, body text) per article, newest last."""
    conditional_hits: int = 0
    feed_requests: int = 0
    hooks: list[dict] = field(default_factory=list)
    article_requests: list[str] = field(default_factory=list)
    hook_failures: int = 0
    """The webhook answers 503 to this many POSTs before it accepts them."""
    feed_down: bool = False
    """The feed answers 503 while this is set."""
    base: str = ""

    @property
    def etag(self) -> str:
        return f'"{hashlib.sha256(self.rss()).hexdigest()[:16]}"'

    def rss(self) -> bytes:
        entries = "".join(
            f"<item><title>{escape(title)}</title><link>{self.base}/article/{slug}</link>"
            f"<guid>{slug}</guid><pubDate>Fri, 20 Jun 2025 10:00:00 GMT</pubDate></item>"
            for slug, title, _ in reversed(self.items)
        )
        return (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback News</title>'
            f"<link>{self.base}/</link><description>test</description>{entries}</channel></rss>"
        ).encode()

    def article(self, slug: str) -> bytes | None:
        for s, title, text in self.items:
            if s == slug:
                paragraphs = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n"))
                return (
                    f"<html><head><title>{escape(title)}</title></head><body><article>"
                    f"<h1>{escape(title)}</h1>{paragraphs}</article></body></html>"
                ).encode()
        return None


def _handler(site: Site):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep test output clean
            pass

        def _send(self, status: int, body: bytes = b"", ctype: str = "text/html", **headers):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for key, value in headers.items():
                self.send_header(key.replace("_", "-"), value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            if self.path.split("?")[0] == "/feed.xml":
                site.feed_requests += 1
                if site.feed_down:
                    return self._send(503, b"down for maintenance")
                if self.headers.get("If-None-Match") == site.etag:
                    site.conditional_hits += 1
                    return self._send(304)
                return self._send(200, site.rss(), "application/rss+xml", ETag=site.etag)
            if self.path == "/broken.xml":  # a site error page where the feed should be
                return self._send(200, b"<html><body><h1>Oops</h1></body></html>")
            if self.path == "/truncated.xml":
                return self._send(200, b"<rss><channel><item>", "application/rss+xml")
            if self.path.startswith("/article/"):
                site.article_requests.append(self.path.rsplit("/", 1)[1])
                page = site.article(self.path.rsplit("/", 1)[1])
                return self._send(200, page) if page else self._send(404, b"missing")
            return self._send(404, b"missing")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length))
            if site.hook_failures > 0:
                site.hook_failures -= 1
                return self._send(503, b"busy")
            site.hooks.append(body)
            self._send(204)

    return Handler


class SiteServer:
    def __init__(self):
        self.site = Site()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.site))
        self.site.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> Site:
        self.thread.start()
        return self.site

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
