"""The checker's options are defined once and taken alike by every command that checks links.

``linkgraph check`` had --user-agent, -H, --accept, --exclude, --include and --ignore-file;
``linkgraph report --check`` lacked them (issue 15).  Both now take the one option group of
``linkgraph.cli.checker_options``; these tests parse both commands and send a report's checks
to a loopback server.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from checkserver import CheckServer
from click.testing import CliRunner

import linkgraph.cli.check as check_cli
import linkgraph.cli.report as report_cli
from linkgraph.cli import main
from linkgraph.cli.checker_options import CHECKER_PARAMS

# What only `check` has: how it prints, when it fails, what it skips as recently checked.
CHECK_ONLY = {"fmt", "output", "max_age", "fail_on", "fail_when", "no_progress",
              "min_failures", "min_days"}


def _options(command: click.Command) -> dict[str, tuple[Any, ...]]:
    """Each option of *command* by name: its spellings, type, default, flags and help."""
    return {
        p.name: (tuple(p.opts), tuple(p.secondary_opts), repr(p.type), p.default, p.multiple,
                 getattr(p, "is_flag", False), getattr(p, "help", None))
        for p in command.params if isinstance(p, click.Option) and p.name
    }


def test_check_and_report_take_the_same_checker_options() -> None:
    check, report = _options(check_cli.command), _options(report_cli.command)
    checker = set(CHECKER_PARAMS)
    assert checker <= set(check)
    assert checker <= set(report)
    assert {n: check[n] for n in checker} == {n: report[n] for n in checker}
    # Every option `check` has beyond the report's is one of its own (output, failing,
    # caching): a checker option added to `check` alone would show up here.
    assert set(check) - set(report) == CHECK_ONLY
    for name in ("user_agent", "header", "accept", "exclude", "include", "ignore_file"):
        assert name in checker


@pytest.mark.parametrize("command", ["check", "report"])
def test_help_shows_the_checker_options(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"], terminal_width=200)
    assert result.exit_code == 0
    for option in ("--user-agent", "-H, --header", "--exclude REGEX", "--include REGEX",
                   "--accept CODES", "--ignore-file FILE", "--allow HOST_OR_CIDR",
                   "--interval"):
        assert option in result.output, option


@pytest.fixture(scope="module")
def server() -> Iterator[CheckServer]:
    with CheckServer(("127.0.0.2",)) as srv:
        yield srv


def test_report_check_excludes_and_sends_headers(tmp_path: Path, server: CheckServer) -> None:
    site = f"http://127.0.0.2:{server.port}"
    post = {
        "id": 7, "date_gmt": "2024-03-01T10:00:00", "link": "https://desk.example.org/p/",
        "title": {"rendered": "Loopback post"},
        "content": {"rendered": f'<p>As <a href="{site}/ok">one report</a>,'
                                f' <a href="{site}/gone404">another</a> and'
                                f' <a href="{site}/article/walled">a third</a> said.</p>'},
    }
    source = tmp_path / "post.json"
    source.write_text(json.dumps(post), encoding="utf-8")
    out = tmp_path / "report"
    result = CliRunner().invoke(main, [
        "report", str(source), "--check", "--out", str(out), "--allow", "127.0.0.2",
        "--no-archive", "--interval", "0", "--timeout", "5",
        "--exclude", "/gone404$", "-H", "X-Desk: politics", "--user-agent", "DeskBot/1.0",
        "--accept", "404",
    ], catch_exceptions=False)
    assert result.exit_code == 0, result.output  # the dead link was excluded, never checked
    paths = [e.path for e in server.entries("127.0.0.2")]
    assert "/ok" in paths
    assert "/article/walled" in paths
    assert "/gone404" not in paths
    sent = [h for h in server.headers_seen if h.get("x-desk") == "politics"]
    assert sent, server.headers_seen
    assert {h.get("user-agent") for h in sent} == {"DeskBot/1.0"}
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    verdicts = {url.rsplit("/", 1)[1]: s["latest"]["verdict"]
                for url, s in data["link_status"].items()}
    assert verdicts["gone404"] == "skipped"
    assert verdicts["ok"] == "alive"


def test_report_check_reads_the_ignore_file(tmp_path: Path, server: CheckServer) -> None:
    site = f"http://127.0.0.2:{server.port}"
    post = {
        "id": 8, "date_gmt": "2024-03-01T10:00:00", "link": "https://desk.example.org/q/",
        "title": {"rendered": "Ignored"},
        "content": {"rendered": f'<p>As <a href="{site}/article/ignored-one">a report</a>'
                                " said.</p>"},
    }
    source = tmp_path / "post.json"
    source.write_text(json.dumps(post), encoding="utf-8")
    ignore = tmp_path / "ignore.txt"
    ignore.write_text("# not ours to check\n/ignored-one$\n", encoding="utf-8")
    result = CliRunner().invoke(main, [
        "report", str(source), "--check", "--out", str(tmp_path / "r"), "--allow", "127.0.0.2",
        "--no-archive", "--interval", "0", "--ignore-file", str(ignore),
    ], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "/article/ignored-one" not in [e.path for e in server.entries("127.0.0.2")]


@pytest.mark.parametrize(("option", "said"), [
    (["--allow", "not a host!"], "not a host"),
    (["-H", "no colon here"], "is not a header NAME:VALUE"),
    (["--exclude", "(unclosed"], "(unclosed"),
])
def test_report_refuses_a_bad_checker_option(tmp_path: Path, option: list[str],
                                             said: str) -> None:
    """A bad checker option is an error before any work, as in `linkgraph check`."""
    post = tmp_path / "post.json"
    post.write_text(json.dumps({"id": 1, "link": "https://desk.example.org/p/",
                                "title": {"rendered": "T"}, "content": {"rendered": "<p>x</p>"}}),
                    encoding="utf-8")
    for command in (["check"], ["report", "--check"]):
        result = CliRunner().invoke(main, [*command, str(post), *option,
                                           "--out" if command[0] == "report" else "--format",
                                           str(tmp_path / "r") if command[0] == "report"
                                           else "json"])
        assert result.exit_code != 0, (command, result.output)
        assert said in result.output, (command, result.output)
