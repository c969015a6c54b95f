"""The links to check: the cited URLs of inputs or of a store, and where results are kept."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from linkgraph.check import cited_urls
from linkgraph.check.export import article_location
from linkgraph.records import CHECKED_KINDS, Extraction
from linkgraph.store import Store
from linkgraph.workflow.corpus import (
    DEFAULT_READ,
    InputCounts,
    ReadOptions,
    no_articles,
    open_store_to_read,
    read_inputs,
    store_to_read,
)


@dataclass(frozen=True, slots=True)
class LinkTargets:
    """The external URLs to check (each with its earliest citing date) and the store that
    keeps the results: *db* with inputs, the store read without them.  ``cited_in``: where
    each URL is cited (one article's file or URL, ``article_location``), read from the
    inputs; ``citing()`` asks the store when there were none."""

    urls: dict[str, datetime | None]
    store: Store | None
    cited_in: dict[str, str] = field(default_factory=dict)

    def citing(self) -> dict[str, str]:
        """Where each URL is cited (for SARIF locations)."""
        if self.cited_in or self.store is None:
            return self.cited_in
        return {url: article_location(path, article_url)
                for url, (path, article_url) in self.store.citing_articles().items()}


def _noting_where(extractions: Iterable[Extraction], cited_in: dict[str, str]
                  ) -> Iterator[Extraction]:
    for extraction in extractions:
        article = extraction.article
        for citation in extraction.citations:
            url = citation.url
            if citation.kind in CHECKED_KINDS and url is not None and url not in cited_in:
                cited_in[url] = article_location(article.origin.path, article.url)
        yield extraction


@contextmanager
def load_link_targets(
    inputs: Sequence[str],
    db: str | None,
    *,
    read: ReadOptions = DEFAULT_READ,
    counts: InputCounts | None = None,
) -> Iterator[LinkTargets]:
    """The cited URLs of *inputs* (results kept in *db* if given), or of the store.

    Raises ``NoReadableInput`` when the inputs give no article or the store holds none."""
    if inputs:
        tally = counts or InputCounts()
        cited_in: dict[str, str] = {}
        urls = cited_urls(_noting_where(read_inputs(inputs, read, tally), cited_in))
        if not tally.articles:
            raise no_articles(inputs, tally)
        if db is None:
            yield LinkTargets(urls, None, cited_in)
            return
        with Store(db) as store:
            yield LinkTargets(urls, store, cited_in)
        return
    path = store_to_read(inputs, db)
    assert path is not None
    with open_store_to_read(path) as store:
        yield LinkTargets(dict(store.external_urls()), store)
