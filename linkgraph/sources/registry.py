"""Outlets: who is behind a URL, and which rule said so.

Classification is layered, and every ``Source`` records the layer that decided it:

1. **registry** (``registry:<prefix>``): the packaged outlet list (``data/outlets.csv``) plus
   the user's additions; the longest matching prefix wins (``nhk.or.jp/bunken`` beats
   ``nhk.or.jp``, ``en.yna.co.kr`` beats nothing).  On social platforms the account is the
   source (``social-account:x.com``): ``x.com/ukrinform`` and ``twitter.com/Ukrinform`` are one.
2. **rules**: link shorteners (``shortener``: the target is unknown until checked),
   identifiers (``doi-identifier``, ``arxiv-identifier``, ``eli-identifier``), law hosts and
   paths (``law-host``, ``law-path``), government suffixes (``government-suffix:.go.kr``),
   academic suffixes (``academic-suffix:.ac.kr``) and ``.int``; a site on a shared host
   (``shared-host:wordpress.com``: ``name.wordpress.com`` is its own outlet, see
   ``data/shared_hosts.csv``).
3. **fallback**: the registered domain as an unknown outlet (kind ``other``,
   rule ``registered-domain``).

>>> reg = default_registry()
>>> reg.classify("https://www.ukrinform.net/rubric-polytics/1.html").name
'Ukrinform'
>>> reg.classify("https://twitter.com/Ukrinform/status/1").key
'x.com/ukrinform'
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final
from urllib.parse import urlsplit

from linkgraph.errors import ConfigError
from linkgraph.records import Article, Source, SourceKind
from linkgraph.sources.datafiles import parse_rows, read_rows, read_text
from linkgraph.sources.platforms import social_account, social_platforms
from linkgraph.sources.shared_hosts import own_sites, shared_site
from linkgraph.sources.site_families import site_family
from linkgraph.urls import (
    HTTP_SCHEMES,
    is_public_suffix,
    is_scheme_host,
    registered_domain,
    scheme_of,
    without_www,
)

log = logging.getLogger(__name__)

DATA_FILE: Final = "outlets.csv"
AMBIGUOUS_NAMES_FILE: Final = "ambiguous_names.csv"

# Government suffixes: (suffix, country).  Longest suffix first so ".gov.uk" beats ".uk" rules.
GOVERNMENT_SUFFIXES: Final[tuple[tuple[str, str | None], ...]] = (
    (".gov.ua", "UA"), (".gov.uk", "GB"), (".gouv.fr", "FR"), (".gc.ca", "CA"),
    (".gov.au", "AU"), (".govt.nz", "NZ"), (".gov.cn", "CN"), (".gov.ru", "RU"),
    (".gov.tw", "TW"), (".gov.sg", "SG"), (".gov.in", "IN"), (".gov.il", "IL"),
    (".gov.pl", "PL"), (".gov.br", "BR"), (".gob.mx", "MX"), (".gob.es", "ES"),
    (".gov.it", "IT"), (".gv.at", "AT"), (".admin.ch", "CH"), (".bund.de", "DE"),
    (".go.kr", "KR"), (".go.jp", "JP"), (".go.id", "ID"), (".go.th", "TH"),
    (".gov.kp", "KP"), (".gov.by", "BY"), (".gov.kz", "KZ"), (".gov.tr", "TR"),
    (".gov.ph", "PH"), (".gov.vn", "VN"), (".gov.za", "ZA"), (".gov", "US"), (".mil", "US"),
)
ACADEMIC_SUFFIXES: Final = (
    ".edu", ".ac.uk", ".ac.kr", ".ac.jp", ".edu.au", ".edu.cn", ".ac.cn", ".edu.ua",
    ".ac.il", ".ac.nz", ".ac.at", ".ac.za", ".edu.tw", ".ac.in", ".edu.sg",
)
INTERNATIONAL_SUFFIX: Final = ".int"
# Host labels that name a law portal (law.example.gov, zakon.rada.gov.ua).
LAW_HOST_LABELS: Final = frozenset(
    {"law", "laws", "legislation", "legis", "zakon", "statutes", "elaws", "legal", "lex"}
)
# Path segments that mark a law or legislation page on a government host.
LAW_PATH_SEGMENTS: Final = frozenset(
    {"law", "laws", "legislation", "statute", "statutes", "act", "acts", "bill", "bills",
     "ukpga", "uksi", "lsi", "lsSc", "eli", "decree", "decrees", "codes", "regulation"}
)
DOI_PATH: Final = re.compile(r"/(10\.\d{4,9}/[^\s?#]+)")
ARXIV_PATH: Final = re.compile(r"/(?:abs|pdf)/(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})")
ELI_PATH: Final = re.compile(r"^/eli/")

# Link shorteners: a shortened link hides its target from readers and archives.
SHORTENER_HOSTS: Final = frozenset(
    {
        "bit.ly", "bitly.com", "t.co", "goo.gl", "ow.ly", "tinyurl.com", "buff.ly", "is.gd",
        "v.gd", "tiny.cc", "shorturl.at", "rebrand.ly", "cutt.ly", "lnkd.in", "dlvr.it",
        "ift.tt", "trib.al", "j.mp", "s.id", "rb.gy", "t.ly", "bl.ink", "soo.gd", "qr.ae",
        "amzn.to", "youtu.be", "fb.me", "wp.me", "me.tt", "shorte.st", "adf.ly", "url.kr",
        "han.gl", "vo.la", "naver.me", "kko.to", "t.cn", "dwz.cn", "sptnkne.ws", "reut.rs",
        "nyti.ms", "wapo.st", "on.ft.com", "on.wsj.com", "bbc.in", "cnn.it", "n.pr", "apne.ws",
    }
)
@dataclass(frozen=True, slots=True)
class OutletEntry:
    """One outlet of the registry: the prefixes (host, host+path) it owns."""

    key: str
    name: str
    kind: SourceKind
    country: str | None
    prefixes: tuple[str, ...]
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every name prose may use for this outlet: the name, a short form, the aliases."""
        found = [self.name, *self.aliases]
        short = re.sub(r"\s*\(.*?\)\s*", " ", self.name).strip()
        if short.startswith("The "):
            short = short[4:]
        found.append(short)
        seen: dict[str, None] = {}
        for name in found:
            if len(name) >= 2:
                seen.setdefault(name, None)
        return tuple(seen)


def normalise_prefix(prefix: str) -> str:
    """A registry prefix as matched: no scheme, no ``www.``, lower case, no trailing slash."""
    text = prefix.strip().lower()
    if "://" in text:
        text = text.split("://", 1)[1]
    text = without_www(text)
    return text.rstrip("/")


def parse_registry_csv(text: str, origin: str) -> list[OutletEntry]:
    """Parse the CSV registry format; rows starting with ``#`` are comments."""
    entries: list[OutletEntry] = []
    for number, row in enumerate(parse_rows(text, origin), start=2):
        try:
            kind = SourceKind(row["kind"].strip())
        except (ValueError, KeyError, AttributeError) as exc:
            raise ConfigError(f"{origin}: row {number}: bad kind {row.get('kind')!r}") from exc
        prefixes = tuple(normalise_prefix(p) for p in (row.get("prefixes") or "").split())
        if not row.get("key") or not row.get("name") or not prefixes:
            raise ConfigError(f"{origin}: row {number}: key, name and prefixes are required")
        aliases = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
        entries.append(
            OutletEntry(
                key=row["key"].strip(),
                name=row["name"].strip(),
                kind=kind,
                country=(row.get("country") or "").strip().upper() or None,
                prefixes=prefixes,
                aliases=aliases,
            )
        )
    return entries


class Registry:
    """The outlet registry and the classification rules.  Immutable after construction.

    ``classify`` results are memoised per URL host and leading path (the only parts any rule
    reads), so a corpus of a million citations costs a few dictionary look-ups per link.
    """

    __slots__ = (
        "_by_key", "_cache", "_max_labels", "_prefixes", "_rules_cache", "entries", "version"
    )

    def __init__(self, entries: Iterable[OutletEntry], *, note: str = "") -> None:
        ordered: dict[str, OutletEntry] = {}
        for entry in entries:
            ordered[entry.key] = entry  # a later entry (the user's) overrides an earlier one
        self.entries: tuple[OutletEntry, ...] = tuple(ordered.values())
        self._by_key = ordered
        prefixes: dict[str, OutletEntry] = {}
        for entry in self.entries:
            for prefix in entry.prefixes:
                prefixes[prefix] = entry
        self._prefixes = prefixes
        # Only a host's last labels can equal a prefix's host: a host of 80,000 labels must not
        # try every suffix of itself (that was quadratic).
        self._max_labels = max((p.split("/", 1)[0].count(".") + 1 for p in prefixes), default=1)
        digest = hashlib.sha1(
            "\n".join(
                f"{e.key}|{e.name}|{e.kind}|{e.country}|{' '.join(e.prefixes)}|"
                f"{'|'.join(e.aliases)}"
                for e in self.entries
            ).encode()
        ).hexdigest()
        self.version: str = f"{len(self.entries)} outlets, sha1 {digest[:12]}" + \
            (f" ({note})" if note else "")
        self._cache: dict[str, Source] = {}  # registry layer, by host and first segments
        self._rules_cache: dict[str, Source] = {}  # the rules, by host and whole path

    @classmethod
    def default(cls) -> Registry:
        """The packaged registry (``linkgraph/data/outlets.csv``), parsed once per process."""
        return _default_registry()

    def entry(self, key: str) -> OutletEntry | None:
        """The registry entry with this key, if any."""
        return self._by_key.get(key)

    def classify(self, url: str) -> Source:
        """The outlet behind an absolute URL, with the rule that decided it."""
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").rstrip(".")
        except ValueError:
            return Source(url, url, SourceKind.OTHER, None, "no-host")
        if not host or is_scheme_host(host):  # "http://http://site/": a doubled scheme
            return Source(url, url, SourceKind.OTHER, None, "no-host")
        host = without_www(host)
        path = parts.path or "/"
        if path == "/" and parts.fragment.startswith("!/"):
            # An old AJAX "hashbang" address (twitter.com/#!/agarzon): the page is the path
            # after "#!", as the site itself read it.
            path = parts.fragment[1:]
        segments = [s for s in path.split("/") if s][:3]
        # The registry reads the host and the first path segments; the rules below it read the
        # whole path (a DOI, a law path), so their answers are cached under the whole path.
        memo = host + "/" + "/".join(segments)
        cached = self._cache.get(memo)
        if cached is None:
            cached = self._registry_source(host, segments) or _NO_MATCH
            _remember(self._cache, memo, cached)
        if cached is not _NO_MATCH:
            return cached
        full = host + path
        source = self._rules_cache.get(full)
        if source is None:
            source = classify_by_rules(host, path)
            _remember(self._rules_cache, full, source)
        return source

    # -- layers -------------------------------------------------------------------------------

    def _registry_source(self, host: str, segments: list[str]) -> Source | None:
        """Layer 1: the registry's entry for the host and path prefix, if any."""
        match = self._registry_match(host, [s.lower() for s in segments])
        if match is not None:
            prefix, entry = match
            if entry.kind is SourceKind.SOCIAL and "/" not in prefix:
                account = social_account(entry.key, host, segments)
                if account is not None:
                    return Source(account.key, f"{account.shown} on {entry.name}",
                                  SourceKind.SOCIAL, entry.country, f"social-account:{entry.key}")
            return Source(entry.key, entry.name, entry.kind, entry.country, f"registry:{prefix}")
        return None

    def _registry_match(self, host: str, segments: list[str]) -> tuple[str, OutletEntry] | None:
        labels = host.split(".")
        best: tuple[str, OutletEntry] | None = None
        for start in range(max(0, len(labels) - self._max_labels), len(labels) - 1):
            suffix = ".".join(labels[start:])
            # An entry on a public suffix (gov.uk) names that host only, not its subdomains.
            if start > 0 and is_public_suffix(suffix):
                continue
            for depth in range(len(segments), -1, -1):
                candidate = suffix + "".join("/" + s for s in segments[:depth])
                entry = self._prefixes.get(candidate)
                if entry is not None and (best is None or len(candidate) > len(best[0])):
                    best = (candidate, entry)
                    break
        return best


def own_outlets(article: Article, registry: Registry) -> frozenset[str]:
    """Source keys that are the article's own outlet (its URL's and its site domains')."""
    keys: set[str] = set()
    if article.url and scheme_of(article.url) in HTTP_SCHEMES:
        keys.add(registry.classify(article.url).key)
    domains = article.site_domains or ((article.site,) if article.site else ())
    for site in own_sites(article.url, domains):  # a.wordpress.com, not wordpress.com
        for domain in site_family(site):  # bbc.co.uk is bbc.com's own outlet too
            source = registry.classify(f"https://{domain}/")
            if source.kind is not SourceKind.SOCIAL:
                keys.add(source.key)
    return frozenset(keys)


# The registry layer's answer "no entry here" (cached like a match).
_NO_MATCH: Final = Source("", "", SourceKind.OTHER, None, "no-registry-match")


# Entries per classification cache: a corpus of unique article URLs fills them at about
# 5 per article, so they are emptied past this (500,000 each held 300 MB at 100,000 synthetic
# articles; 100,000 keep a streamed analysis's memory flat, and a cited URL seen again soon is
# still found).
CACHE_ENTRIES: Final = 100_000


def _remember(cache: dict[str, Source], key: str, source: Source) -> None:
    if len(cache) > CACHE_ENTRIES:
        cache.clear()
    cache[key] = source


def classify_by_rules(host: str, path: str) -> Source:
    """Layers 2 and 3: identifiers, suffix and law rules, then the registered domain."""
    domain = registered_domain(host) or host
    if host in SHORTENER_HOSTS:
        return Source(host, f"{host} (link shortener)", SourceKind.OTHER, None, "shortener")
    if DOI_PATH.search(path):
        return Source(domain, domain, SourceKind.ACADEMIC, None, "doi-identifier")
    if ARXIV_PATH.search(path) and "arxiv" in host:
        return Source(domain, domain, SourceKind.ACADEMIC, None, "arxiv-identifier")
    if ELI_PATH.search(path):
        return Source(domain, domain, SourceKind.LAW, None, "eli-identifier")
    dotted = "." + host
    for suffix, country in GOVERNMENT_SUFFIXES:
        if dotted.endswith(suffix):
            if _is_law_host(host):
                return Source(domain, domain, SourceKind.LAW, country, "law-host")
            segments = {s.lower() for s in path.split("/") if s}
            if segments & LAW_PATH_SEGMENTS:
                return Source(domain, domain, SourceKind.LAW, country, "law-path")
            return Source(domain, domain, SourceKind.GOVERNMENT, country,
                          f"government-suffix:{suffix}")
    if _is_law_host(host):
        return Source(domain, domain, SourceKind.LAW, None, "law-host")
    for suffix in ACADEMIC_SUFFIXES:
        if dotted.endswith(suffix):
            return Source(domain, domain, SourceKind.ACADEMIC, None, f"academic-suffix:{suffix}")
    if dotted.endswith(INTERNATIONAL_SUFFIX):
        return Source(domain, domain, SourceKind.INTERNATIONAL_ORG, None, "international-suffix")
    shared = shared_site(host)
    if shared is not None:  # a blog on wordpress.com: its own outlet, not the host's
        return Source(shared.site, shared.site, shared.host.kind, None,
                      f"shared-host:{shared.host.pattern}")
    return Source(domain, domain, SourceKind.OTHER, None, "registered-domain")


def _is_law_host(host: str) -> bool:
    labels = host.split(".")
    return len(labels) > 2 and labels[0] in LAW_HOST_LABELS


def platform_entries() -> list[OutletEntry]:
    """The social platforms (``data/platforms.csv``) as registry entries of kind ``social``."""
    return [OutletEntry(p.key, p.name, SourceKind.SOCIAL, p.country,
                        tuple(normalise_prefix(h) for h in p.hosts))
            for p in social_platforms()]


@lru_cache(maxsize=1)
def _default_registry() -> Registry:
    entries = parse_registry_csv(read_text(DATA_FILE), DATA_FILE)
    platform_rows = platform_entries()
    log.debug("loaded %d outlets from %s and %d platforms", len(entries), DATA_FILE,
              len(platform_rows))
    return Registry([*entries, *platform_rows])


@lru_cache(maxsize=1)
def ambiguous_names() -> frozenset[str]:
    """Outlet names that are also ordinary capitalised words ("Time", "Sun"), from
    ``data/ambiguous_names.csv``: prose saying one of them does not name the outlet."""
    return frozenset(row["name"] for row in read_rows(AMBIGUOUS_NAMES_FILE, ("name",))
                     if row["name"])


def default_registry() -> Registry:
    """The packaged registry (cached)."""
    return _default_registry()
