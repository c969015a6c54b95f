"""Damaged copies of real WordPress posts and a loopback server holding their originals.

``damage`` makes a copy the way the founding article was damaged: every opening tag removed
(``<a href=...>``, ``<span>``, ``<p>``...; the end tags ``</a>`` stay), the content cut at a
random point, control characters sprinkled in.  ``OriginServer`` serves originals on
127.0.0.1 in the shapes recovery reads: a WordPress REST post (``/wp-json/wp/v2/posts/<id>``),
the post's page, and a Wayback-style archive (``/wayback/available`` availability JSON and
``/web/<timestamp>id_/<url>`` captures).  A plain module: tests and the benchmark import it.
"""

from __future__ import annotations

import html
import json
import random
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"
_OPENING = re.compile(r"<[a-zA-Z][^>]*>")
_TEXT = re.compile(r">([^<]{12,})<")


def corpus_posts() -> list[dict[str, Any]]:
    """Every WordPress post of the corpus (both sites), each once."""
    posts: list[dict[str, Any]] = []
    for site in sorted((CORPUS / "wp").iterdir()):
        listing = site / "posts.json"
        if listing.is_file():
            posts.extend(json.loads(listing.read_text(encoding="utf-8")))
    return posts


def strip_openings(markup: str) -> str:
    """Every opening tag removed, end tags kept (the seed's damage)."""
    return _OPENING.sub("", markup)


def damage(content: str, rng: random.Random) -> str:
    """*content* stripped of its opening tags, cut at a random point in its second half,
    with a few control characters put into its text."""
    stripped = strip_openings(content)
    cut = rng.randint(len(stripped) // 2, max(len(stripped) // 2, len(stripped) - 1))
    cut_copy = stripped[:cut]
    while cut_copy and "<" in cut_copy[-40:] and ">" not in cut_copy[cut_copy.rfind("<"):]:
        cut_copy = cut_copy[: cut_copy.rfind("<")]  # never end inside a tag
    chars = list(cut_copy)
    for _ in range(3):
        spots = [m.start(1) + 3 for m in _TEXT.finditer(cut_copy)]
        if spots:
            chars[rng.choice(spots)] += rng.choice(["\x01", "\x0b", "\x1f", "\x7f"])
    return "".join(chars)


def edit(content: str, rng: random.Random, *, change_link: bool) -> str:
    """The post as edited since: a sentence added to a paragraph, and with *change_link* one
    link's href changed."""
    paragraphs = [m.end() for m in re.finditer(r"</p>", content)]
    if paragraphs:
        at = rng.choice(paragraphs) - len("</p>")
        content = (content[:at] + " The editors added this sentence after publication."
                   + content[at:])
    if change_link:
        hrefs = list(re.finditer(r'href="([^"]+)"', content))
        if hrefs:
            m = rng.choice(hrefs)
            content = (content[: m.start(1)] + "https://changed.example/after-edit"
                       + content[m.end(1):])
    return content


def page_of(post: dict[str, Any]) -> str:
    """The post as its theme shows it: header, menu, the article, related posts, footer."""
    title = html.escape(post["title"]["rendered"])
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>" + title + "</title>"
        f"<link rel='canonical' href='{post['link']}'></head><body>"
        "<header><nav><a href='/'>Home</a> <a href='/about/'>About</a>"
        " <a href='/contact/'>Contact</a></nav></header>"
        f"<main><article><h1 class='entry-title'>{title}</h1>"
        f"<div class='entry-content'>{post['content']['rendered']}</div></article>"
        "<aside><h2>Related</h2><ul><li><a href='/other/'>Another story</a></li></ul></aside>"
        "</main><footer><a href='/privacy/'>Privacy</a></footer></body></html>"
    )


@dataclass
class OriginServer:
    """Originals on loopback: ``rest`` maps post id to the post object served as REST,
    ``pages`` path to HTML, ``captures`` page URL to (timestamp, HTML) in the archive."""

    rest: dict[int, dict[str, Any]] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)
    captures: dict[str, tuple[str, str]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    port: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> OriginServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                server.requests.append(self.path)
                status, kind, body = server.answer(self.path)
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def answer(self, target: str) -> tuple[int, str, str]:
        parts = urlsplit(target)
        path = parts.path
        not_found = (404, "application/json", json.dumps(
            {"code": "rest_no_route", "message": "No route", "data": {"status": 404}}))
        if path.startswith("/wp-json/wp/v2/posts/"):
            post = self.rest.get(int(path.rsplit("/", 1)[1] or 0))
            return (200, "application/json", json.dumps(post)) if post else not_found
        if path == "/wayback/available":
            url = parse_qs(parts.query).get("url", [""])[0]
            capture = self.captures.get(url)
            closest = {"available": True, "status": "200", "timestamp": capture[0],
                       "url": f"{self.base}/web/{capture[0]}/{url}"} if capture else None
            return 200, "application/json", json.dumps(
                {"url": url, "archived_snapshots": {"closest": closest} if closest else {}})
        match = re.match(r"^/web/(\d{14})id_/(.+)$", target)
        if match:
            capture = self.captures.get(match.group(2))
            if capture is not None:
                return 200, "text/html; charset=utf-8", capture[1]
            return 404, "text/html", "<p>not archived</p>"
        if path in self.pages:
            return 200, "text/html; charset=utf-8", self.pages[path]
        return 404, "text/html", "<p>not found</p>"


def on_loopback(post: dict[str, Any], base: str) -> dict[str, Any]:
    """*post* as if its site were *base*: its link, guid and self link there."""
    out = dict(post)
    slug = post.get("slug") or str(post["id"])
    out["link"] = f"{base}/{slug}/"
    out["guid"] = {"rendered": f"{base}/?p={post['id']}"}
    out["_links"] = {"self": [{"href": f"{base}/wp-json/wp/v2/posts/{post['id']}"}]}
    return out


def truncated_json(post: dict[str, Any]) -> str:
    """The post's JSON cut off inside ``content.rendered`` (the seed's kind of file)."""
    text = json.dumps(post, ensure_ascii=False)
    rendered = post["content"]["rendered"]
    start = text.find(json.dumps(rendered, ensure_ascii=False)[1:20])
    return text[: start + len(json.dumps(rendered, ensure_ascii=False)) - 2]


def iter_linked(posts: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The posts with at least one link in their content."""
    for post in posts:
        if "<a " in post.get("content", {}).get("rendered", ""):
            yield post
