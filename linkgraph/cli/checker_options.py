"""The link checker's options, shared by ``linkgraph check`` and ``linkgraph report --check``.

One decorator adds them and one function turns their values into a ``CheckConfig``, so both
commands check links with the same safety policy and the same politeness.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, Final, TypeVar

import click

from linkgraph.check import DEFAULT_ARCHIVE_BASE, CheckConfig, HostLimits

F = TypeVar("F", bound=Callable[..., Any])
# The library's defaults are the command's defaults: stated once, in CheckConfig.
_DEFAULTS: Final = CheckConfig()
# A URL's overall deadline is this many times a --timeout (90 s against 15 s by default).
_DEADLINE_PER_TIMEOUT: Final = _DEFAULTS.deadline / _DEFAULTS.read_timeout

# (declaration, keyword arguments), in the order --help shows them.
_OPTIONS: tuple[tuple[tuple[str, ...], dict[str, Any]], ...] = (
    (("--allow-private",), {
        "is_flag": True,
        "help": "Allow loopback, private and link-local addresses (refused by default).",
    }),
    (("--allow",), {
        "multiple": True, "metavar": "HOST_OR_CIDR",
        "help": "Allow this host name (.example.org: with sub-domains), IP or network.",
    }),
    (("--concurrency",), {
        "type": click.IntRange(min=1), "default": _DEFAULTS.concurrency, "show_default": True,
        "help": "URLs checked at once, over all hosts.",
    }),
    (("--per-host",), {
        "type": click.IntRange(min=1), "default": _DEFAULTS.per_host.concurrency,
        "show_default": True, "help": "Requests in flight per host.",
    }),
    (("--interval",), {
        "type": click.FloatRange(min=0), "default": _DEFAULTS.per_host.interval,
        "show_default": True,
        "help": "Minimum seconds between request starts on one host.",
    }),
    (("--timeout",), {
        "type": click.FloatRange(min=0.01), "default": None,
        "help": f"Connect/read timeout in seconds (default {_DEFAULTS.connect_timeout:g}/"
                f"{_DEFAULTS.read_timeout:g}); a URL's overall deadline is "
                f"{_DEADLINE_PER_TIMEOUT:g}x this (default {_DEFAULTS.deadline:g} s).",
    }),
    (("--archive/--no-archive",), {
        "default": True, "show_default": True,
        "help": "Ask a Wayback-style archive for captures of dead and soft-404 links.",
    }),
    (("--archive-base",), {
        "default": DEFAULT_ARCHIVE_BASE, "show_default": True, "metavar": "URL",
        "help": "The archive's availability endpoint.",
    }),
)


def checker_options(func: F) -> F:
    """Add the checker's safety and politeness options (see ``checker_config``)."""
    for declarations, kwargs in reversed(_OPTIONS):
        func = click.option(*declarations, **kwargs)(func)
    return func


def checker_config(
    *,
    concurrency: int, per_host: int, interval: float, timeout: float | None,
    allow_private: bool, allow: tuple[str, ...], archive: bool, archive_base: str,
) -> CheckConfig:
    """The ``CheckConfig`` of the option values; ``ConfigError`` on a bad ``--allow`` entry."""
    config = CheckConfig(
        concurrency=concurrency,
        per_host=HostLimits(concurrency=per_host, interval=interval),
        allow_private=allow_private,
        allow=allow,
        archive=archive,
        archive_base=archive_base,
    )
    if timeout is not None:
        config = replace(
            config, connect_timeout=timeout, read_timeout=timeout,
            deadline=_DEADLINE_PER_TIMEOUT * timeout,
        )
    config.policy()  # raises ConfigError on a bad --allow entry
    return config
