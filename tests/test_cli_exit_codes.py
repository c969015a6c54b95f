"""One exit-code mapping: the same error gives the same exit code from every command."""

from __future__ import annotations

import importlib
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from linkgraph.cli import COMMANDS, main
from linkgraph.cli.common import ExitCode, exit_code
from linkgraph.errors import (
    ConfigError,
    InputError,
    InputTooLarge,
    LinkgraphError,
    NoInputError,
    NoReadableInput,
    OutputError,
    StoreError,
)

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = str(REPO / "examples" / "ukraine-arms.json")


def _options(name: str) -> set[str]:
    command = importlib.import_module(COMMANDS[name]).command
    assert isinstance(command, click.Command)
    return {opt for param in command.params for opt in param.opts}


def _args(name: str, tmp_path: Path, *, inputs: list[str]) -> list[str]:
    """A run of *name* on *inputs* (the store when empty) that would otherwise succeed."""
    if name == "export":  # reads the store only
        return [name, "--parquet", str(tmp_path / "parquet")]
    args = [name, *inputs]
    if name == "graph":
        args += ["--export", str(tmp_path / "graph.gexf")]
    if name == "report":
        args += ["--out", str(tmp_path / "report")]
    if name == "check":
        args += ["--no-archive"]
    if name == "repair":
        args += ["--out", str(tmp_path / "repaired"), "--no-archive"]
    return [*args, "-j", "1"] if "--jobs" in _options(name) else args


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (NoInputError("x"), ExitCode.USAGE),
        (NoReadableInput("x"), ExitCode.INPUT_ERRORS),
        (InputTooLarge("x"), ExitCode.INPUT_ERRORS),
        (InputError("x"), ExitCode.INPUT_ERRORS),
        (ConfigError("x"), ExitCode.RUNTIME_ERROR),
        (StoreError("x"), ExitCode.RUNTIME_ERROR),
        (OutputError("x"), ExitCode.RUNTIME_ERROR),
        (LinkgraphError("x"), ExitCode.RUNTIME_ERROR),
    ],
)
def test_each_error_class_has_one_exit_code(error: LinkgraphError, code: ExitCode) -> None:
    assert exit_code(error) is code


def test_report_and_graph_read_a_config() -> None:
    taking = {name for name in COMMANDS if "--config" in _options(name)}
    assert {"report", "graph"} <= taking


@pytest.mark.parametrize("name", [n for n in COMMANDS if "--config" in _options(n)])
def test_a_bad_config_exits_3_from_every_command_that_reads_one(
    name: str, tmp_path: Path
) -> None:
    config = tmp_path / "linkgraph.toml"
    config.write_text("[[outlets]]\nkey = 'a'\nname = 'A'\nkind = 'tabloid'\nprefixes = ['a.x']\n",
                      encoding="utf-8")
    args = [*_args(name, tmp_path, inputs=[EXAMPLE]), "--config", str(config)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == ExitCode.RUNTIME_ERROR, result.output
    assert f"error: {config}: outlets[0]: kind 'tabloid'" in result.output
    assert not (tmp_path / "report").exists() and not (tmp_path / "graph.gexf").exists()


@pytest.mark.parametrize("name", ["report", "graph", "check", "ingest", "export"])
def test_a_broken_store_exits_3_from_every_command(name: str, tmp_path: Path) -> None:
    db = tmp_path / "broken.db"
    db.write_bytes(b"this is not an SQLite database, " * 64)
    inputs = [EXAMPLE] if name == "ingest" else []
    result = CliRunner().invoke(main, [*_args(name, tmp_path, inputs=inputs), "--db", str(db)])
    assert result.exit_code == ExitCode.RUNTIME_ERROR, result.output
    assert "error:" in result.output and str(db) in result.output


@pytest.mark.parametrize("name", [n for n in COMMANDS if "--db" in _options(n)])
def test_no_input_and_no_store_is_a_usage_error_from_every_command(
    name: str, tmp_path: Path
) -> None:
    missing = tmp_path / "missing.db"
    result = CliRunner().invoke(main, [*_args(name, tmp_path, inputs=[]), "--db", str(missing)])
    assert result.exit_code == ExitCode.USAGE, result.output
    assert "INPUT" in result.output
    assert not missing.exists()


def _takes_inputs(name: str) -> bool:
    command = importlib.import_module(COMMANDS[name]).command
    return any(p.name == "inputs" for p in command.params)


@pytest.mark.parametrize("name", [n for n in COMMANDS if _takes_inputs(n)])
def test_only_unreadable_inputs_exit_4_from_every_command(name: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("this is not JSON", encoding="utf-8")
    args = _args(name, tmp_path, inputs=[str(bad)])
    if "--db" in _options(name):
        args += ["--db", str(tmp_path / "news.db")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == ExitCode.INPUT_ERRORS, result.output
    assert str(bad) in result.output


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_documents_the_exit_codes(name: str) -> None:
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "Exit codes:" in text and "3 runtime error" in text and "4 some inputs" in text


@pytest.mark.parametrize("name", ["report", "graph"])
def test_an_output_that_cannot_be_written_exits_3(name: str, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    args = [name, EXAMPLE, "-j", "1"]
    args += ["--out", str(blocker / "report")] if name == "report" else \
        ["--export", str(blocker / "graph.gexf")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == ExitCode.RUNTIME_ERROR, result.output
    assert "error: cannot write" in result.output and str(blocker) in result.output
