"""Collecting SOURCEs into a store: the call ``linkgraph collect`` (and ``report SITE``) makes.

>>> from linkgraph.collect import CollectOptions
>>> run = collect_into(["https://news.example/"], "news.db", CollectOptions())  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from linkgraph.collect import (
    CollectOptions,
    CollectStats,
    SourceError,
    collect_sources,
    reextract,
)
from linkgraph.collect.progress import OnProgress
from linkgraph.collect.sources import crawl_prefixes
from linkgraph.sources import Registry
from linkgraph.store import DEFAULT_DB, Store
from linkgraph.web.fetch import FetchResult
from linkgraph.web.headers import SECRET_HEADERS
from linkgraph.web.warc import WarcWriter, exchange_of


@dataclass(frozen=True, slots=True)
class CollectRun:
    """What a collecting run did: per-source figures, the sources that failed, the store."""

    db: str
    stats: tuple[CollectStats, ...]
    failed: tuple[tuple[str, SourceError], ...]
    stored_articles: int  # in the whole store afterwards
    prefixes: tuple[str, ...] = ()  # the addresses the sources' crawls fetched from
    # The store this run created held no article afterwards and was removed (``drop_empty``).
    dropped: bool = False

    @property
    def articles(self) -> int:
        """Articles collected by this run."""
        return sum(s.articles for s in self.stats)

    @property
    def requests(self) -> int:
        """HTTP requests this run sent."""
        return sum(s.requests for s in self.stats) + sum(e.requests for _, e in self.failed)

    @property
    def skipped(self) -> int:
        """Listed URLs not fetched (already kept, or dated before ``since``)."""
        return sum(s.skipped for s in self.stats)

    @property
    def failures(self) -> int:
        """Items (posts, pages) that could not be read."""
        return sum(s.failures for s in self.stats)


def collect_into(
    sources: Sequence[str],
    db: str | None,
    options: CollectOptions,
    *,
    on_progress: OnProgress | None = None,
    on_error: Callable[[str, SourceError], None] | None = None,
    url_lists: Sequence[str] = (),
    warc: str | None = None,
    drop_empty: bool = False,
) -> CollectRun:
    """Collect every source into the store *db* (created if needed); a source that fails is
    reported to *on_error* (and listed in ``failed``) while the others go on.  *url_lists*
    are files of article URLs; with *warc*, every answer fetched is also appended to that
    WARC file (``.warc.gz``: gzip per record).  With *drop_empty*, a store this run created
    that holds no article afterwards is removed (``dropped``): nothing found, no store."""
    path = db or DEFAULT_DB
    failed: list[tuple[str, SourceError]] = []
    if warc is not None:
        with WarcWriter(warc) as writer:
            # The request recorded with each answer: never the user's credentials
            # (Authorization, Cookie: they went only to their own origin, if anywhere).
            request = (("User-Agent", options.web.user_agent),
                       *((name, value) for name, value in options.web.headers
                         if name.lower() not in SECRET_HEADERS))

            def keep(result: FetchResult) -> None:
                exchange = exchange_of(result, request)
                if exchange is not None:
                    writer.write_exchange(exchange)

            return collect_into(sources, db, replace(options, on_fetch=keep),
                                on_progress=on_progress, on_error=on_error,
                                url_lists=url_lists, drop_empty=drop_empty)

    def failure(source: str, exc: SourceError) -> None:
        failed.append((source, exc))
        if on_error is not None:
            on_error(source, exc)

    created = not Path(path).exists()
    with Store(path) as store:
        done = collect_sources(sources, store, options, on_progress=on_progress,
                               on_error=failure, url_lists=url_lists)
        total = store.counts()["articles"]
        prefixes = crawl_prefixes(store, sources)
    # Failures are kept (the store's read_failures say what to fix): only a store that found
    # nothing at all, and recorded no failure, is removed.
    dropped = drop_empty and created and total == 0 and not failed and not any(
        s.failures for s in done)
    if dropped:
        _remove_store(path)
    return CollectRun(path, tuple(done), tuple(failed), total, prefixes, dropped=dropped)


def _remove_store(path: str) -> None:
    """Remove the SQLite file at *path* and its companions (created by this run, empty)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(path + suffix).unlink(missing_ok=True)


def reextract_store(
    db: str | None, *, url_prefix: str = "", all_links: bool = False, infer: bool = True,
    registry: Registry | None = None,
) -> int:
    """Read the response bodies kept in *db* again with today's rules and store the articles
    (no network; inferred sources with *infer*); returns how many were stored."""
    with Store(db or DEFAULT_DB) as store:
        return reextract(store, url_prefix=url_prefix, all_links=all_links, infer=infer,
                         registry=registry)
