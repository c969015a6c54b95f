"""The links to check: the cited URLs of inputs or of a store, and where results are kept."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from linkgraph.check import cited_urls
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
    keeps the results: *db* with inputs, the store read without them."""

    urls: dict[str, datetime | None]
    store: Store | None


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
        urls = cited_urls(read_inputs(inputs, read, tally))
        if not tally.articles:
            raise no_articles(inputs, tally)
        if db is None:
            yield LinkTargets(urls, None)
            return
        with Store(db) as store:
            yield LinkTargets(urls, store)
        return
    path = store_to_read(inputs, db)
    assert path is not None
    with open_store_to_read(path) as store:
        yield LinkTargets(dict(store.external_urls()), store)
