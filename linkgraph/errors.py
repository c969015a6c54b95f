"""The exception tree of linkgraph.

::

    LinkgraphError
    ├── InputError          an input file cannot be read at all (named in the message)
    │   ├── InputTooLarge   an input is over the documented size cap
    │   └── NoReadableInput none of the inputs of a report could be read
    ├── NoInputError        neither inputs nor an existing store were named
    ├── StoreError          the SQLite store cannot be opened or migrated
    ├── ConfigError         a configuration file or option is invalid
    ├── OutputError         an output file or folder cannot be written
    └── NetworkDown         the network or resolver does not answer: a check run stops, judging
                            no link (a dead network is not a dead link)

Per-record damage (a truncated JSON file, an undecodable byte, a link with no base) is not
an exception: it is a warning carried on the record.  Per-link network failures are
``CheckResult`` values, never exceptions.
"""

from __future__ import annotations


class LinkgraphError(Exception):
    """Base of every error linkgraph raises on purpose."""


class InputError(LinkgraphError):
    """An input (file, record) cannot be read; the message names it."""


class InputTooLarge(InputError):
    """An input is larger than the configured cap."""


class NoReadableInput(InputError):
    """None of the inputs could be read, so there is nothing to report."""


class NoInputError(LinkgraphError):
    """A call names no input and no existing store: there is nothing to read."""


class OutputError(LinkgraphError):
    """An output (a report folder, an export file) cannot be written; the message names it."""


class StoreError(LinkgraphError):
    """The store cannot be opened, migrated or written."""


class ConfigError(LinkgraphError):
    """A configuration file or option is invalid."""


class NetworkDown(LinkgraphError):
    """The network or the resolver does not answer: no link can be judged, and none was."""
