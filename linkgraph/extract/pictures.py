"""Picture links: a link whose visible content is only a picture, and what it points at.

Whether a link sits in the body and whether it cites a source are two questions.  A picture in
the body linked to its own image file (the full size of a thumbnail, WordPress's
``photo-300x200.jpg`` linked to ``photo.jpg``, Blogger's ``/s640/`` linked to ``/s1600/``) is a
body link, but it cites nothing: extraction keeps it with the kind ``picture``
(``CitationKind.PICTURE``), which the checker checks and analysis sets apart (no outlet, no
edge, no metric).  A picture linked to a web page (a video, a photo page, a partner's site) is
a citation like any other; its anchor text is the picture's ``alt`` text.

The tables say what an image file looks like: its path ends in an image extension, it lives on
a host (or under a path) that serves only images, or it is the very picture the link wraps
(its ``src``, ``srcset`` or lazy-loading ``data-*`` source, size suffixes aside).

>>> is_image_url("https://1.bp.blogspot.com/-x/AAA/s1600/chart.png")
True
>>> is_image_url("https://vignette.wikia.nocookie.net/e80dae8a-b955")
True
>>> is_image_url("https://news.example/wp-content/uploads/2020/01/report.pdf")
False
>>> same_picture("https://site.example/wp-content/uploads/a.jpg",
...              "https://site.example/wp-content/uploads/a-300x200.jpg?resize=1")
True
"""

from __future__ import annotations

import re
from typing import Final

from selectolax.lexbor import LexborNode

from linkgraph.urls import resolve_href

__all__ = [
    "IMAGE_EXTENSIONS", "IMAGE_HOSTS", "PICTURE_SELECTOR", "is_image_url", "is_picture_only",
    "links_to_own_picture", "same_picture",
]

# Elements that show a picture.  A link holding one of them and no text of its own is a
# picture link.
PICTURE_SELECTOR: Final = "img, picture, svg, amp-img"
# The file extensions of pictures (the last segment of the URL's path, lower case).
IMAGE_EXTENSIONS: Final = frozenset({
    ".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".gif", ".webp", ".avif", ".svg", ".bmp",
    ".tif", ".tiff", ".heic", ".heif", ".ico",
})
# Hosts (a leading dot: any sub-domain) and path prefixes that serve image files, whose URLs
# need not end in an extension.  Found on the shared corpus's pages: Blogger, Fandom,
# WordPress uploads and its image CDN (Jetpack), Wikimedia's file host.
IMAGE_HOSTS: Final[tuple[tuple[str, str], ...]] = (
    (".bp.blogspot.com", "/"),  # Blogger: 1.bp.blogspot.com/-id/.../s1600/name.png
    ("blogger.googleusercontent.com", "/img/"),  # Blogger since 2020
    ("vignette.wikia.nocookie.net", "/"),  # Fandom (Wikia): /<uuid>/scale-to-width-down/640
    ("static.wikia.nocookie.net", "/"),
    ("upload.wikimedia.org", "/"),  # Wikipedia's and Commons's files
    (".wp.com", "/"),  # i0.wp.com ... i3.wp.com: WordPress's image CDN (Jetpack Photon)
    (".files.wordpress.com", "/"),  # WordPress.com uploads
    ("", "/wp-content/uploads/"),  # any WordPress site's media library
    ("i.imgur.com", "/"),
    ("pbs.twimg.com", "/media/"),
    (".staticflickr.com", "/"),
)
# Attributes that hold an <img>'s source: the HTML ones and lazy loaders' (WordPress's
# originals included).
_SRC_ATTRS: Final = (
    "src", "data-src", "data-lazy-src", "data-original", "data-orig-file", "data-large-file",
    "data-full-url", "data-srcset", "srcset", "data-lazy-srcset",
)
_SCHEME_HOST = re.compile(r"^(?:https?:)?//([^/?#]*)", re.IGNORECASE)
# Size variants of one picture: WordPress's "-300x200" before the extension, Blogger's size
# segment ("/s1600/", "/w400-h300-c/") before the file name.
_WP_SIZE = re.compile(r"-\d{1,5}x\d{1,5}(?=\.[a-z0-9]{2,5}$)")
_BLOGGER_SIZE = re.compile(r"/[swh]\d{1,5}(?:-[a-z0-9-]*)?(?=/[^/]+$)")


def _host_path(url: str) -> tuple[str, str]:
    """The lower-case host and the path (no query, no fragment) of an absolute URL."""
    match = _SCHEME_HOST.match(url)
    if match is None:
        return "", url.split("?", 1)[0].split("#", 1)[0]
    rest = url[match.end():].split("?", 1)[0].split("#", 1)[0]
    host = match.group(1).rsplit("@", 1)[-1].split(":", 1)[0].lower()
    return host, rest or "/"


def _extension(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def is_image_url(url: str) -> bool:
    """An image file by its URL alone: an image extension, or a host (or path) of
    :data:`IMAGE_HOSTS` with no other file extension (a PDF among WordPress uploads is a
    document)."""
    host, path = _host_path(url)
    extension = _extension(path)
    if extension in IMAGE_EXTENSIONS:
        return True
    if extension and len(extension) <= 5 and extension[1:].isalpha():
        return False  # another kind of file: .pdf, .html, .php
    for suffix, prefix in IMAGE_HOSTS:
        on_host = host.endswith(suffix) if suffix.startswith(".") else host == suffix
        if (on_host or not suffix) and path.startswith(prefix):
            return True
    return False


def _picture_key(url: str) -> tuple[str, str]:
    host, path = _host_path(url)
    path = _BLOGGER_SIZE.sub("/s", _WP_SIZE.sub("", path))
    return host, path.rstrip("/")


def same_picture(href: str, src: str) -> bool:
    """*href* and *src* (absolute URLs) are one picture: equal but for the query, a size
    suffix or segment, or a size path after it (Fandom's ``/scale-to-width-down/640``)."""
    link, shown = _picture_key(href), _picture_key(src)
    if link[0] != shown[0] or not link[1]:
        return False
    return link[1] == shown[1] or shown[1].startswith(link[1] + "/")


def _sources(img: LexborNode) -> list[str]:
    """Every source an <img> names (src, srcset candidates, lazy loaders' attributes)."""
    found: list[str] = []
    attrs = img.attributes
    for name in _SRC_ATTRS:
        value = attrs.get(name)
        if not value or value.startswith("data:"):
            continue
        if "srcset" in name:
            found.extend(part.split()[0] for part in value.split(",") if part.split())
        else:
            found.append(value.strip())
    return found


def is_picture_only(node: LexborNode, raw_text: str) -> bool:
    """A link (*raw_text*: the text a reader sees in it) that shows a picture and no text."""
    return not raw_text.strip() and node.css_first(PICTURE_SELECTOR) is not None


def links_to_own_picture(node: LexborNode, url: str, base: str | None) -> bool:
    """The picture link *node* points (*url*, absolute) at an image file: by its URL, or
    because it is the picture the link shows."""
    if is_image_url(url):
        return True
    for img in node.css("img, amp-img, source"):
        for src in _sources(img):
            absolute = resolve_href(src, base)
            if absolute is not None and same_picture(url, absolute):
                return True
    return False
