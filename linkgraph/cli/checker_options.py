"""The link checker's options, shared by every command that checks links: ``linkgraph check``
and ``linkgraph report --check``.

They are defined once, here: one decorator (``checker_options``) adds them all and hands the
command their values as one ``CheckerOptions``, whose ``config()`` is the ``CheckConfig``.  So
the commands check links with the same safety policy, politeness and requests, and an option
added here reaches them all (``tests/test_checker_options.py`` holds them to it).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Any, Final, TypeVar, cast

import click

from linkgraph.check import DEFAULT_ARCHIVE_BASE, DEFAULT_USER_AGENT, CheckConfig, HostLimits
from linkgraph.check.ignore import DEFAULT_IGNORE_FILE, read_ignore_file
from linkgraph.cli.common import parse_header
from linkgraph.errors import ConfigError

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


# What to send and what to check.
_REQUEST_OPTIONS: tuple[tuple[tuple[str, ...], dict[str, Any]], ...] = (
    (("--user-agent",), {
        "default": DEFAULT_USER_AGENT, "show_default": True, "metavar": "TEXT",
        "help": "The User-Agent header (the crawler convention by default; sites that wall "
                "off unknown agents usually let it through).",
    }),
    (("-H", "--header"), {
        "multiple": True, "metavar": "NAME:VALUE",
        "help": "Send this request header too (repeatable), e.g. -H 'Accept-Language: en'. "
                "Authorization, Cookie and Proxy-Authorization need --header-host.",
    }),
    (("--header-host",), {
        "multiple": True, "metavar": "HOST",
        "help": "The host the secret -H headers (Authorization, Cookie, Proxy-Authorization) "
                "are for (repeatable; .example.org: with sub-domains; '*': every link's own "
                "host): links on it get them at their own origin only, never across a "
                "redirect to another origin; other links never.",
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


@dataclass(frozen=True, slots=True)
class CheckerOptions:
    """The values of the checker's options, one field per option (``checker_options``)."""

    allow_private: bool
    allow: tuple[str, ...]
    concurrency: int
    per_host: int
    interval: float
    timeout: float | None
    archive: bool
    archive_base: str
    user_agent: str
    header: tuple[str, ...]
    header_host: tuple[str, ...]
    accept: str
    exclude: tuple[str, ...]
    include: tuple[str, ...]
    ignore_file: str | None

    def config(self) -> CheckConfig:
        """The ``CheckConfig`` of these values: ``ConfigError`` on a bad ``--allow`` entry, a
        bad pattern or an unreadable ignore file, ``click.BadParameter`` on a bad header or
        status."""
        config = CheckConfig(
            concurrency=self.concurrency,
            per_host=HostLimits(concurrency=self.per_host, interval=self.interval),
            allow_private=self.allow_private,
            allow=self.allow,
            archive=self.archive,
            archive_base=self.archive_base,
        )
        if self.timeout is not None:
            config = replace(
                config, connect_timeout=self.timeout, read_timeout=self.timeout,
                deadline=_DEADLINE_PER_TIMEOUT * self.timeout,
            )
        config.policy()  # raises ConfigError on a bad --allow entry
        headers = tuple(parse_header(h) for h in self.header)
        try:
            config = replace(config, headers=headers, header_hosts=self.header_host)
        except ConfigError as exc:  # a secret header with no --header-host
            raise click.BadParameter(str(exc), param_hint="-H") from None
        ignored = read_ignore_file(self.ignore_file)
        return replace(
            config,
            user_agent=self.user_agent,
            accept=parse_statuses(self.accept),
            exclude=(*ignored.exclude, *self.exclude),
            include=(*ignored.include, *self.include),
        )


# Every option of the group, in the order --help shows them, and their parameter names.
CHECKER_OPTIONS: Final = (*_OPTIONS, *_REQUEST_OPTIONS)
CHECKER_PARAMS: Final = tuple(f.name for f in fields(CheckerOptions))


def checker_options(func: F) -> F:
    """Add every checker option to a click command; the command gets their values as one
    keyword argument, ``checker`` (a ``CheckerOptions``)::

        @click.command()
        @checker_options
        def command(*, checker: CheckerOptions) -> None:
            config = checker.config()
    """

    @functools.wraps(func)
    def with_checker(*args: Any, **kwargs: Any) -> Any:
        values = {name: kwargs.pop(name) for name in CHECKER_PARAMS}
        return func(*args, checker=CheckerOptions(**values), **kwargs)

    command: Any = with_checker
    for declarations, kwargs in reversed(CHECKER_OPTIONS):
        command = click.option(*declarations, **kwargs)(command)
    return cast("F", command)
