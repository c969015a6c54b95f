"""Errors of collecting: a source that cannot be collected at all (the message says what to do).

Per-page and per-post damage is not an exception: posts that cannot be read are recorded as
read failures and the crawl goes on.
"""

from __future__ import annotations

from linkgraph.errors import LinkgraphError


class SourceError(LinkgraphError):
    """A source cannot be collected (closed API, not WordPress, refused address, ...).

    Work already stored is kept; for a crawl stopped midway, running the same command again
    continues where it stopped.
    """

    requests: int = 0  # HTTP requests sent for the source before it failed
