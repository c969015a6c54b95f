"""URL semantics, named precisely (after ural): resolve, canonicalize, group, and domain.

* ``resolve_href``: WHATWG resolution of an href against a base (``ada-url``).
* ``canonical_url``: lossless form for fetching: the WHATWG serialisation, credentials removed.
* ``grouping_key``: lossy form for grouping: no scheme, no ``www.``, no fragment, no tracking
  parameters, no trailing slash.  ``http://WWW.Example.com:80/a/?utm_source=x#top`` and
  ``https://example.com/a`` share the key ``example.com/a``.
* ``registered_domain``: the Public Suffix List's registrable domain, from the list that ships
  inside ``publicsuffixlist`` (never downloaded at run time).

Everything here is pure: no I/O beyond reading the packaged suffix list once.  A package by
concern, every name importable from ``linkgraph.urls``: ``resolve`` (resolution, scheme, host,
the fast path over serialised URLs), ``credentials`` (user names and passwords kept out of
URLs and text), ``grouping`` (grouping keys, tracking parameters, front pages), ``domains``
(registered domains from the Public Suffix List).
"""

from __future__ import annotations

from linkgraph.urls.credentials import (
    scrub_userinfo,
    split_userinfo,
    strip_credentials,
    strip_userinfo_in_text,
    userinfo_in,
)
from linkgraph.urls.domains import (
    is_public_suffix,
    psl_snapshot,
    registered_domain,
    url_domain,
)
from linkgraph.urls.grouping import (
    TRACKING_PARAMS,
    TRACKING_PREFIXES,
    drop_tracking,
    grouping_key,
    grouping_key_of_parts,
    grouping_key_reference,
    is_homepage,
    tracking_params,
    without_www,
)
from linkgraph.urls.resolve import (
    DEFAULT_PORTS,
    HTTP_SCHEMES,
    SCHEME_HOSTS,
    canonical_url,
    hostname,
    is_scheme_host,
    join_plain,
    plain_http_parts,
    resolve_href,
    scheme_of,
)

__all__ = [
    "DEFAULT_PORTS",
    "HTTP_SCHEMES",
    "SCHEME_HOSTS",
    "TRACKING_PARAMS",
    "TRACKING_PREFIXES",
    "canonical_url",
    "drop_tracking",
    "grouping_key",
    "grouping_key_of_parts",
    "grouping_key_reference",
    "hostname",
    "is_homepage",
    "is_public_suffix",
    "is_scheme_host",
    "join_plain",
    "plain_http_parts",
    "psl_snapshot",
    "registered_domain",
    "resolve_href",
    "scheme_of",
    "scrub_userinfo",
    "split_userinfo",
    "strip_credentials",
    "strip_userinfo_in_text",
    "tracking_params",
    "url_domain",
    "userinfo_in",
    "without_www",
]
