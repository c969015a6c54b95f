"""A fake WordPress site on loopback (starlette + uvicorn in a thread) serving real REST posts.

It answers the way WordPress does (REST API handbook; ``WP_REST_Posts_Controller``): the home
page announces the API with ``Link: <…/wp-json/>; rel="https://api.w.org/"`` and the same
``<link>`` element; ``/wp-json/`` is the index (``namespaces``, ``routes``, ``gmt_offset``);
``/wp-json/wp/v2/posts`` pages with ``per_page`` (at most 100, else ``rest_invalid_param``),
``page`` (past the end: 400 ``rest_post_invalid_page_number``) or ``offset``, ``orderby``,
``order``, ``modified_after`` and ``_fields``, with ``X-WP-Total``, ``X-WP-TotalPages`` and
``Link: rel="next"``; unknown routes answer 404 ``rest_no_route``.  With ``pretty=False`` the
API answers only at ``/?rest_route=/…`` and the home page announces nothing (permalinks off).

Beside the API it serves each post as an HTML page (``/p/ID/``), the posts in a sitemap index
(``/sitemap_index.xml``: ``/sitemap-1.xml`` and the gzipped ``/sitemap-2.xml.gz``, with
``lastmod``), an RSS feed (``/feed/``: every other entry carries the whole post in
``content:encoded``), and an endless sitemap index (``/loop/N.xml`` lists itself and N+1).

``mode`` breaks it the way real sites break: ``closed401`` (the "Disable REST API" plugin's
``rest_cannot_access``), ``closed403`` (``rest_forbidden``), ``closed404`` (the REST API
removed: ``rest_no_route``), ``html`` (a security plugin's HTML page with status 200),
``shape`` (a plugin wraps the list in an object), ``ignore_offset`` (a cache that answers the
first page whatever the query).
"""

from __future__ import annotations

import copy
import gzip
import json
import math
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "wp"
ERRORS = {
    "rest_post_invalid_page_number": (
        400, "The page number requested is larger than the number of pages available."),
    "rest_no_route": (404, "No route was found matching the URL and request method."),
    "rest_forbidden": (403, "Sorry, you are not allowed to do that."),
    "rest_cannot_access": (401, "Only authenticated users can access the REST API."),
    "rest_invalid_param": (400, "Invalid parameter(s): per_page"),
}


def corpus_posts() -> list[dict[str, Any]]:
    """The 373 real posts of izquierdahispanica.org (a list response of wp/v2/posts)."""
    path = CORPUS / "izquierdahispanica.org" / "posts.json"
    return list(json.loads(path.read_text(encoding="utf-8")))


def wp_error(code: str) -> JSONResponse:
    status, message = ERRORS[code]
    return JSONResponse({"code": code, "message": message, "data": {"status": status}}, status)


class FakeWordPress:
    """The site; ``start()``/``stop()`` or ``with``.  ``requests`` logs every path+query."""

    def __init__(
        self,
        posts: list[dict[str, Any]],
        *,
        pretty: bool = True,
        mode: str = "ok",
        robots: str = "",
        latency: float = 0.0,
        on_listing: Callable[[FakeWordPress, int], None] | None = None,
        max_per_page: int = 100,
    ) -> None:
        self.max_per_page = max_per_page  # below 100: a plugin that caps per_page silently
        self.throttle = 0  # answer this many API requests with 429 + Retry-After: 0 first
        self.headers_seen: list[dict[str, str]] = []
        self.posts = sorted(posts, key=lambda p: p["id"])
        self.pretty = pretty
        self.mode = mode
        self.robots = robots
        self.latency = latency
        self.on_listing = on_listing
        self.listings = 0
        self.requests: list[str] = []
        self.port = 0
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.app = Starlette(routes=[
            Route("/", self.home),
            Route("/robots.txt", self.robots_txt),
            Route("/wp-json/", self.index),
            Route("/wp-json/{route:path}", self.api),
            Route("/article/{slug}", self.article),
            Route("/p/{id}/", self.post_page),
            Route("/sitemap_index.xml", self.sitemap_index),
            Route("/sitemap-{n:int}.xml", self.sitemap),
            Route("/sitemap-{n:int}.xml.gz", self.sitemap_gz),
            Route("/loop/{n:int}.xml", self.loop),
            Route("/feed/", self.feed),
            Route("/go-private", lambda r: RedirectResponse("http://10.0.0.1/", 302)),
            Route("/huge", lambda r: Response(b"[" + b" " * 3_000_000 + b"]",
                                              media_type="application/json")),
            Route("/bomb", lambda r: Response(
                gzip.compress(b"[" + b" " * 20_000_000 + b"]", 9), media_type="application/json",
                headers={"Content-Encoding": "gzip"})),
        ])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    # -- lifecycle ---------------------------------------------------------------------------

    def __enter__(self) -> FakeWordPress:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        config = uvicorn.Config(self.app, host="127.0.0.1", port=0, log_level="error",
                                lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        self.port = self._server.servers[0].sockets[0].getsockname()[1]

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(10)

    # -- routes ------------------------------------------------------------------------------

    def _log(self, request: Request) -> None:
        query = f"?{request.url.query}" if request.url.query else ""
        self.requests.append(request.url.path + query)
        self.headers_seen.append(dict(request.headers))

    async def robots_txt(self, request: Request) -> Response:
        self._log(request)
        if not self.robots:
            return PlainTextResponse("Not found", 404)
        return PlainTextResponse(self.robots)

    async def home(self, request: Request) -> Response:
        self._log(request)
        route = request.query_params.get("rest_route")
        if route is not None:
            if self.pretty:
                return RedirectResponse(self.url + "wp-json" + route, 301)
            return await self._api(request, route.strip("/"))
        headers = {}
        link = ""
        if self.pretty:
            headers["Link"] = f'<{self.url}wp-json/>; rel="https://api.w.org/"'
            link = f'<link rel="https://api.w.org/" href="{self.url}wp-json/" />'
        html = f"<!doctype html><html><head><title>Site</title>{link}</head><body>Hi</body></html>"
        return Response(html, headers=headers, media_type="text/html")

    async def article(self, request: Request) -> Response:
        """One article page (for article-URL sources): a body with a cited source."""
        self._log(request)
        slug = request.path_params["slug"]
        html = (f"<!doctype html><html><head><title>{slug}</title></head><body><article>"
                f"<h1>{slug}</h1><p>The ministry said on Monday, <a href=\"https://agency."
                f"example/report\">according to the agency</a>, that exports rose.</p>"
                "</article></body></html>")
        return Response(html, media_type="text/html")

    # -- pages, sitemaps, feed --------------------------------------------------------------

    def page_url(self, post: dict[str, Any]) -> str:
        return f"{self.url}p/{post['id']}/"

    async def post_page(self, request: Request) -> Response:
        self._log(request)
        post = next((p for p in self.posts if str(p["id"]) == request.path_params["id"]), None)
        if post is None:
            return Response("<html><title>Not found</title></html>", 404, media_type="text/html")
        title = post["title"]["rendered"]
        html = (f"<!doctype html><html><head><title>{title}</title></head><body><article>"
                f"<h1>{title}</h1>{post['content']['rendered']}</article></body></html>")
        return Response(html, media_type="text/html")

    def _urlset(self, posts: list[dict[str, Any]]) -> bytes:
        items = "".join(f"<url><loc>{self.page_url(p)}</loc>"
                        f"<lastmod>{p['modified_gmt']}+00:00</lastmod></url>" for p in posts)
        return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/'
                f'schemas/sitemap/0.9">{items}</urlset>').encode()

    def _half(self, n: int) -> list[dict[str, Any]]:
        middle = len(self.posts) // 2
        return self.posts[:middle] if n == 1 else self.posts[middle:]

    async def sitemap_index(self, request: Request) -> Response:
        self._log(request)
        body = ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps'
                f'.org/schemas/sitemap/0.9"><sitemap><loc>{self.url}sitemap-1.xml</loc></sitemap>'
                f'<sitemap><loc>{self.url}sitemap-2.xml.gz</loc></sitemap></sitemapindex>')
        return Response(body, media_type="application/xml")

    async def sitemap(self, request: Request) -> Response:
        self._log(request)
        return Response(self._urlset(self._half(request.path_params["n"])),
                        media_type="application/xml")

    async def sitemap_gz(self, request: Request) -> Response:
        self._log(request)
        body = gzip.compress(self._urlset(self._half(request.path_params["n"])))
        return Response(body, media_type="application/x-gzip")

    async def loop(self, request: Request) -> Response:
        self._log(request)
        n = request.path_params["n"]
        body = ('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f'<sitemap><loc>{self.url}loop/{n}.xml</loc></sitemap>'
                f'<sitemap><loc>{self.url}loop/{n + 1}.xml</loc></sitemap></sitemapindex>')
        return Response(body, media_type="application/xml")

    async def feed(self, request: Request) -> Response:
        self._log(request)
        items = []
        for number, post in enumerate(self.posts):
            when = datetime.fromisoformat(post["date_gmt"]).replace(tzinfo=UTC)
            content = (f"<content:encoded>{escape(post['content']['rendered'])}"
                       "</content:encoded>" if number % 2 == 0 else "")
            items.append(f"<item><title>{escape(post['title']['rendered'])}</title>"
                         f"<link>{self.page_url(post)}</link>"
                         f"<pubDate>{format_datetime(when, usegmt=True)}</pubDate>{content}</item>")
        body = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content='
                '"http://purl.org/rss/1.0/modules/content/"><channel><title>Site</title>'
                f"<link>{self.url}</link>{''.join(items)}</channel></rss>")
        return Response(body, media_type="application/rss+xml")

    async def index(self, request: Request) -> Response:
        self._log(request)
        if not self.pretty:
            return wp_error("rest_no_route")
        return await self._api(request, "")

    async def api(self, request: Request) -> Response:
        self._log(request)
        if not self.pretty:
            return Response("<html><title>Page not found</title></html>", 404,
                            media_type="text/html")
        return await self._api(request, request.path_params["route"].strip("/"))

    async def _api(self, request: Request, route: str) -> Response:
        if self.latency:
            time.sleep(self.latency)  # one request at a time, like a small PHP host
        if self.throttle > 0:
            self.throttle -= 1
            return JSONResponse({"code": "too_many_requests", "message": "Slow down"}, 429,
                                headers={"Retry-After": "0"})
        if self.mode == "closed401":
            return wp_error("rest_cannot_access")
        if self.mode == "closed403":
            return wp_error("rest_forbidden")
        if self.mode == "closed404":
            return wp_error("rest_no_route")
        if route == "":
            return JSONResponse(self._index_body())
        if self.mode == "html":
            return Response("<html><head><title>Access denied | Wordfence</title></head>"
                            "<body>Blocked</body></html>", 200, media_type="text/html")
        if route in {"wp/v2/posts", "wp/v2/pages"}:
            return self._listing(request, route)
        return wp_error("rest_no_route")

    def _index_body(self) -> dict[str, Any]:
        base = self.url + "wp-json/" if self.pretty else self.url + "?rest_route=/"
        routes = {"/": {}, "/wp/v2": {}, "/wp/v2/posts": {}, "/wp/v2/posts/(?P<id>[\\d]+)": {},
                  "/wp/v2/pages": {}}
        return {
            "name": "Izquierda Hispánica", "description": "", "url": self.url[:-1],
            "home": self.url[:-1], "gmt_offset": "2", "timezone_string": "Europe/Madrid",
            "namespaces": ["oembed/1.0", "wp/v2", "wp-site-health/v1"],
            "authentication": {}, "routes": routes,
            "_links": {"help": [{"href": "https://developer.wordpress.org/rest-api/"}]},
            "site_logo": 0, "site_icon": 0, "page_for_posts": 0, "page_on_front": 0,
            "show_on_front": "posts", "base": base,
        }

    def _listing(self, request: Request, route: str) -> Response:
        query = request.query_params
        self.listings += 1
        if self.on_listing is not None:
            self.on_listing(self, self.listings)
        per_page = int(query.get("per_page", "10"))
        if not 1 <= per_page <= 100:
            return wp_error("rest_invalid_param")
        per_page = min(per_page, self.max_per_page)
        posts = [p for p in self.posts if p.get("type", "post") == route.rsplit("/", 1)[1][:-1]]
        after = query.get("modified_after")
        if after:
            posts = [p for p in posts if p["modified"] > after]
        key = query.get("orderby", "date")
        posts.sort(key=lambda p: p[key], reverse=query.get("order", "desc") == "desc")
        total = len(posts)
        pages = math.ceil(total / per_page)
        if "offset" in query and self.mode != "ignore_offset":
            start = int(query["offset"])
            page = 1
        else:
            page = int(query.get("page", "1"))
            if total and page > pages:
                return wp_error("rest_post_invalid_page_number")
            start = (page - 1) * per_page
        chosen = [copy.deepcopy(p) for p in posts[start:start + per_page]]
        fields = query.get("_fields")
        if fields:
            wanted = set(fields.split(","))
            chosen = [{k: v for k, v in p.items() if k in wanted} for p in chosen]
        headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}
        if self.mode == "ignore_offset":
            headers.pop("X-WP-Total")  # the cached first page of another query
        if page < pages and "offset" not in query:
            params = dict(query) | {"page": str(page + 1)}
            headers["Link"] = f'<{self.url}wp-json/{route}?{urlencode(params)}>; rel="next"'
        if self.mode == "shape":
            return JSONResponse({"posts": chosen, "total": total}, headers=headers)
        return JSONResponse(chosen, headers=headers)
