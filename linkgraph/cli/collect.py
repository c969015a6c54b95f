"""``linkgraph collect``: fetch articles from the web (or read them from files) into the store."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Final, NoReturn

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

from linkgraph.cli.common import (
    ExitCode,
    config_option,
    infer_option,
    is_quiet,
    library_errors,
    parse_header,
    say,
)
from linkgraph.collect import CollectOptions, CollectStats, SourceError
from linkgraph.errors import ConfigError, LinkgraphError
from linkgraph.readers import printable_name
from linkgraph.sources.config import load_registry
from linkgraph.store import DEFAULT_DB
from linkgraph.web.config import WebConfig
from linkgraph.web.identity import DEFAULT_USER_AGENT
from linkgraph.web.politeness import HostLimits
from linkgraph.web.resolver import Resolver
from linkgraph.workflow.collect import CollectRun, collect_into, reextract_store

# Tests inject a resolver here (a StaticResolver mapping test names to loopback addresses).
RESOLVER_HOOK: Resolver | None = None
PLAIN_EVERY: Final = 5.0  # seconds between progress lines when stderr is not a terminal

EPILOG: Final = (
    "Exit codes: 0 every source collected; 2 usage error (also: no SOURCE); 3 runtime error "
    "(the store or an option cannot be used); 4 some inputs could not be read or collected "
    "(the rest was stored; run again to continue an interrupted crawl), or nothing found: the "
    "store holds no article (an empty URL list, a sitemap listing none; a store this run "
    "created is removed unless it records failures); 130 interrupted "
    "(everything stored so far is kept)."
)


def parse_since(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date such as 2024-01-01",
                                 param_hint="--since") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


class _Display:
    """Rich progress on a terminal; a plain line every few seconds otherwise, and each
    source's last figures when the run ends (a plain line may be seconds old); nothing under
    ``-q``."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.progress: Progress | None = None
        self.task: dict[str, TaskID] = {}
        self.last = 0.0
        self.quiet = is_quiet()
        # The figures each source's last plain line showed (the stats are updated in place).
        self.shown: dict[str, tuple[int | None, int, int, int]] = {}
        self.latest: dict[str, CollectStats] = {}
        if console.is_terminal and not self.quiet:
            self.progress = Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[rate]:.1f} articles/s"), TimeRemainingColumn(),
                console=console, transient=False,
            )
            self.progress.start()

    def update(self, stats: CollectStats) -> None:
        if self.quiet:
            return
        if self.progress is not None:
            task = self.task.get(stats.source)
            if task is None:
                task = self.task[stats.source] = self.progress.add_task(
                    stats.source, total=stats.total, rate=0.0)
            self.progress.update(task, completed=stats.articles, total=stats.total,
                                 rate=stats.rate)
            return
        self.latest[stats.source] = stats
        now = time.monotonic()
        if now - self.last >= PLAIN_EVERY:
            self.last = now
            self._line(stats)

    @staticmethod
    def _figures(stats: CollectStats) -> tuple[int | None, int, int, int]:
        return stats.total, stats.articles, stats.failures, stats.requests

    def _line(self, stats: CollectStats) -> None:
        self.shown[stats.source] = self._figures(stats)
        of = f"/{stats.total}" if stats.total is not None else ""
        click.echo(f"collect: {stats.source}: {stats.articles}{of} article(s),"
                   f" {stats.failures} failure(s), {stats.requests} request(s),"
                   f" {stats.rate:.1f} articles/s", err=True)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
        for source, stats in self.latest.items():
            if self.shown.get(source) != self._figures(stats):  # a stale last line
                self._line(stats)
        self.latest.clear()


def _nothing_found(run: CollectRun, given: Sequence[str]) -> NoReturn:
    """Exit 4, saying what was found and skipped, when the store holds no article."""
    shown = ", ".join(printable_name(s) for s in given[:3]) + (
        f" and {len(given) - 3} more" if len(given) > 3 else "")
    found = [f"{run.requests} request(s) sent"] if run.requests else []
    if run.skipped:
        found.append(f"{run.skipped} listed URL(s) skipped (already kept, or before --since)")
    if run.failures or run.failed:
        found.append(f"{run.failures + len(run.failed)} item(s) or source(s) could not be read")
    said = f" ({'; '.join(found)})" if found else ""
    if run.dropped:
        why, done = ": no article URL, post or page in them", "nothing stored, no store created"
    else:
        why, done = "", f"no article stored in {run.db}"
    click.echo(f"error: no articles found in {shown}{said}{why}; {done}", err=True)
    sys.exit(ExitCode.INPUT_ERRORS)


@click.command("collect", epilog=EPILOG)
@click.argument("sources", nargs=-1, metavar="SOURCE...")
@click.option("--db", type=click.Path(dir_okay=False), default=None,
              help=f"SQLite store to write (default: {DEFAULT_DB}).")
@click.option("--since", default=None, metavar="DATE",
              help="Only posts published or modified since DATE (ISO, e.g. 2024-01-01); for "
                   "sitemaps and feeds, entries dated since DATE (undated ones are kept).")
@click.option("--type", "post_type", default="posts", show_default=True,
              help="WordPress post type to collect: posts, pages or a custom type's REST base.")
@click.option("--ignore-robots", is_flag=True,
              help="Do not read robots.txt: fetch paths it disallows and ignore its "
                   "Crawl-delay (only for sites you own or were permitted to crawl).")
@click.option("--user-agent", default=DEFAULT_USER_AGENT, show_default=True,
              help="User-Agent header sent with every request.")
@click.option("-H", "--header", "headers", multiple=True, metavar="NAME:VALUE",
              help="Extra request header, repeatable (e.g. -H 'Authorization: Bearer …');"
                   " Authorization, Cookie and Proxy-Authorization go only to the first"
                   " SOURCE's own origin, never across a redirect to another one.")
@click.option("--interval", type=float, default=0.5, show_default=True,
              help="Minimum seconds between request starts to one host (robots.txt's "
                   "Crawl-delay can only make it longer).")
@click.option("--allow-private", is_flag=True,
              help="Allow loopback, private and link-local addresses (off by default).")
@click.option("--allow", multiple=True, metavar="HOST|IP|CIDR",
              help="Allow one host name (.example.org = sub-domains), address or network.")
@click.option("--all-links", is_flag=True, help="Keep every link, boilerplate included.")
@click.option("-i", "--input-file", "url_files", multiple=True, metavar="FILE",
              help="A file of article URLs to collect: one per line (# comments), or a CSV "
                   "with a url column; '-' reads standard input. Repeatable.")
@click.option("--sitemap", is_flag=True,
              help="Collect a site's address through its sitemaps (robots.txt's Sitemap: "
                   "lines, else /wp-sitemap.xml, /sitemap_index.xml, /sitemap.xml) instead "
                   "of its REST API, e.g. when the API is closed.")
@click.option("--warc", type=click.Path(dir_okay=False), default=None, metavar="OUT.warc.gz",
              help="Also keep every answer fetched in this WARC file (appended to; any "
                   "archive tool opens it, and 'linkgraph extract OUT.warc.gz' reads it).")
@click.option("--reextract", is_flag=True,
              help="Fetch nothing: read the response bodies kept in --db again with today's "
                   "rules (after an upgrade) and store the articles anew.")
@infer_option
@config_option
def command(
    *,
    sources: tuple[str, ...], db: str | None, since: str | None, post_type: str,
    ignore_robots: bool, user_agent: str, headers: tuple[str, ...], interval: float,
    allow_private: bool, allow: tuple[str, ...], all_links: bool, url_files: tuple[str, ...],
    sitemap: bool, warc: str | None, reextract: bool, no_infer: bool, config: Path | None,
) -> None:
    """Collect articles from SOURCE... into the store (--db), ready for report and check.

    A SOURCE is a WordPress site's address (its REST API is found and paged through, 100
    posts a request; with --sitemap, its sitemaps), a sitemap or sitemap index (XML,
    .xml.gz, Google News), an RSS or Atom feed (entries that carry the whole article are
    stored from the feed), an article URL, a file of URLs (.txt, .csv; '-' for standard
    input), a web archive (WARC, .warc.gz, WACZ: read, not fetched), or a file or folder of
    WordPress JSON or saved pages.  A URL is read by what it answers: a sitemap, a feed or
    a page.  --since drops sitemap and feed entries dated before DATE.
    Fetching is polite (robots.txt, one request at a time per host, 0.5 s apart, slowing
    down after 429/503) and safe (private and loopback addresses are refused unless
    allowed).  Every response is kept in the store, so re-extracting never fetches again.
    Running the same command again continues an interrupted crawl, then fetches only what
    changed since the last complete one (URLs already kept are skipped unless their sitemap
    or feed date is newer).

    \b
    Examples:
      linkgraph collect https://news.example/ --db news.db
      linkgraph collect https://news.example/ --since 2024-01-01 --type pages --db news.db
      linkgraph collect https://news.example/ --sitemap --db news.db
      linkgraph collect https://news.example/sitemap_index.xml --since 2024-01-01 --db news.db
      linkgraph collect https://news.example/feed/ --db news.db
      linkgraph collect -i urls.txt --db news.db --warc news.warc.gz
      linkgraph collect crawl.warc.gz --db news.db
      linkgraph collect --reextract --db news.db
      linkgraph report --db news.db
    """
    path = db or DEFAULT_DB
    with library_errors():
        registry = load_registry(config)
    if reextract:
        if sources or url_files:
            raise click.UsageError("--reextract reads the store only; give no SOURCE")
        try:
            stored = reextract_store(path, all_links=all_links, infer=not no_infer,
                                     registry=registry)
        except LinkgraphError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(ExitCode.RUNTIME_ERROR)
        say(f"re-extracted {stored} article(s) from the bodies kept in {path}"
            " (nothing fetched)")
        sys.exit(ExitCode.OK)
    if not sources and not url_files:
        raise click.UsageError(
            "give at least one SOURCE to collect (a site, a sitemap, a feed, an article URL,"
            " -i FILE of URLs, or a WARC or INPUT file)")
    web = WebConfig(
        user_agent=user_agent, headers=tuple(parse_header(h) for h in headers),
        per_host=HostLimits(concurrency=1, interval=interval), robots=not ignore_robots,
        allow_private=allow_private, allow=allow,
    )
    try:
        web.policy()
    except ConfigError as exc:
        raise click.BadParameter(str(exc), param_hint="--allow") from None
    options = CollectOptions(web=web, since=parse_since(since), post_type=post_type,
                             all_links=all_links, infer=not no_infer, registry=registry,
                             resolver=RESOLVER_HOOK, sitemap=sitemap)
    console = Console(stderr=True)
    display = _Display(console)
    def on_error(source: str, exc: SourceError) -> None:
        console.print(f"error: {exc}", markup=False, highlight=False)

    try:
        run = collect_into(sources, path, options, on_progress=display.update,
                           on_error=on_error, url_lists=url_files, warc=warc, drop_empty=True)
    except KeyboardInterrupt:
        display.close()
        click.echo("interrupted: everything stored so far is kept; run again to continue",
                   err=True)
        sys.exit(130)
    except LinkgraphError as exc:
        display.close()
        click.echo(f"error: {exc}", err=True)
        sys.exit(ExitCode.RUNTIME_ERROR)
    display.close()
    if not run.stored_articles:
        _nothing_found(run, (*sources, *url_files))
    say(
        f"collected {run.articles} article(s) from {len(run.stats)} source(s) with"
        f" {run.requests} request(s) into {path} ({run.stored_articles} article(s) in total)"
        + (f"; {run.skipped} listed URL(s) skipped (already kept, or before --since)"
           if run.skipped else "")
        + (f"; {run.failures} item(s) could not be read" if run.failures else "")
    )
    sys.exit(ExitCode.INPUT_ERRORS if run.failed or run.failures else ExitCode.OK)
