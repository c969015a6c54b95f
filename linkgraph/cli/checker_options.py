"""The link checker's options, shared by ``linkgraph check`` and ``linkgraph report --check``.

One decorator adds them and one function turns their values into a ``CheckConfig``, so both
commands check links with the same safety policy and the same politeness.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any, Final, TypeVar

import click

from linkgraph.check import DEFAULT_ARCHIVE_BASE, DEFAULT_USER_AGENT, CheckConfig, HostLimits
from linkgraph.check.ignore import DEFAULT_IGNORE_FILE, read_ignore_file

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


# What to send and what to check: ``linkgraph check``'s own options (see ``with_requests``).
_REQUEST_OPTIONS: tuple[tuple[tuple[str, ...], dict[str, Any]], ...] = (
    (("--user-agent",), {
        "default": DEFAULT_USER_AGENT, "show_default": True, "metavar": "TEXT",
        "help": "The User-Agent header (the crawler convention by default; sites that wall "
                "off unknown agents usually let it through).",
    }),
    (("-H", "--header"), {
        "multiple": True, "metavar": "NAME:VALUE",
        "help": "Send this request header too (repeatable), e.g. -H 'Accept-Language: en'.",
    }),
    (("--accept",), {
        "default": "", "metavar": "CODES",
        "help": "Statuses judged alive besides 2xx, e.g. --accept 403,429 or --accept 400-403.",
    }),
    (("--exclude",), {
        "multiple": True, "metavar": "REGEX",
        "help": "Do not check URLs this regular expression finds (repeatable); they are "
                "reported as skipped (excluded), e.g. --exclude '^https://(www\\.)?x\\.com/'.",
    }),
    (("--include",), {
        "multiple": True, "metavar": "REGEX",
        "help": "Check URLs this regular expression finds even when an --exclude pattern or "
                "the ignore file matches them (repeatable).",
    }),
    (("--ignore-file",), {
        "type": click.Path(dir_okay=False), "default": None, "metavar": "FILE",
        "help": f"URL patterns not to check, one regex a line, # comments, !REGEX includes "
                f"(default: {DEFAULT_IGNORE_FILE} in the current folder when present).",
    }),
)
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def request_options(func: F) -> F:
    """Add what to send (User-Agent, headers) and what to check (accept, exclude, include)."""
    for declarations, kwargs in reversed(_REQUEST_OPTIONS):
        func = click.option(*declarations, **kwargs)(func)
    return func


def parse_header(text: str) -> tuple[str, str]:
    """``NAME:VALUE`` as a header pair.

    >>> parse_header("Accept-Language: en")
    ('Accept-Language', 'en')
    """
    name, colon, value = text.partition(":")
    name, value = name.strip(), value.strip()
    if not colon or not _HEADER_NAME.fullmatch(name) or "\r" in value or "\n" in value:
        raise click.BadParameter(
            f"{text!r} is not a header NAME:VALUE (e.g. 'Accept-Language: en')"
        )
    return name, value


def parse_statuses(text: str) -> frozenset[int]:
    """``403,429`` or ``400-403`` (or both, comma-separated) as a set of status codes.

    >>> sorted(parse_statuses("429, 400-402"))
    [400, 401, 402, 429]
    """
    codes: set[int] = set()
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        match = re.fullmatch(r"(\d{3})(?:\s*-\s*(\d{3}))?", part)
        low = int(match.group(1)) if match else 0
        high = int(match.group(2) or low) if match else 0
        if not 100 <= low <= high <= 999:
            raise click.BadParameter(
                f"{part!r} is not a status code or range such as 429 or 400-403"
            )
        codes.update(range(low, high + 1))
    return frozenset(codes)


def with_requests(
    config: CheckConfig, *, user_agent: str, header: tuple[str, ...], accept: str,
    exclude: tuple[str, ...], include: tuple[str, ...], ignore_file: str | None,
) -> CheckConfig:
    """*config* with the values of ``request_options``; ``ConfigError`` on a bad pattern or an
    unreadable ignore file, ``click.BadParameter`` on a bad header or status."""
    ignored = read_ignore_file(ignore_file)
    return replace(
        config,
        user_agent=user_agent,
        headers=tuple(parse_header(h) for h in header),
        accept=parse_statuses(accept),
        exclude=(*ignored.exclude, *exclude),
        include=(*ignored.include, *include),
    )
