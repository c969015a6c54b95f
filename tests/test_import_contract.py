"""The import contract (``[tool.importlinter]`` in pyproject.toml) holds, and it bites.

The README's test command runs ``lint-imports`` through this file, as ``.ci/run`` does: the
flow runs one way (readers -> extract -> store -> check -> analysis -> report -> workflow ->
cli, leaves below all) and no package has an import cycle between its modules.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

pytestmark = pytest.mark.skipif(
    not LINT_IMPORTS.is_file(), reason="lint-imports is not installed (pip install '.[test]')"
)


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` on the ``linkgraph`` package under *root*, with *root*'s contract."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(root / "pyproject.toml")],
        cwd=root, env=env, capture_output=True, text=True, timeout=300, check=False,
    )


def _copy(tmp_path: Path) -> Path:
    """A copy of the package and its contract, to break on purpose."""
    shutil.copytree(REPO / "linkgraph", tmp_path / "linkgraph",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _append(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n" + line + "\n", encoding="utf-8")


def test_the_import_contract_holds() -> None:
    result = _lint(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_upward_import_breaks_it(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _append(root / "linkgraph" / "store" / "database.py",
            "from linkgraph.analysis import analyse  # noqa")
    result = _lint(root)
    assert result.returncode == 1
    assert "linkgraph.store.database -> linkgraph.analysis" in result.stdout


def test_a_cycle_inside_a_package_breaks_it(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    # page_links imports lost; lost importing page_links closes a loop inside extract/.
    _append(root / "linkgraph" / "extract" / "lost.py",
            "from linkgraph.extract import page_links  # noqa")
    result = _lint(root)
    assert result.returncode == 1
    assert "No import cycles between the modules of any package BROKEN" in result.stdout


def test_a_module_without_a_place_breaks_it(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "linkgraph" / "helpers.py").write_text('"""Homeless."""\n', encoding="utf-8")
    result = _lint(root)
    assert result.returncode == 1
    assert "helpers" in result.stdout


def test_an_upward_import_inside_urls_breaks_it(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _append(root / "linkgraph" / "urls" / "credentials.py",
            "from linkgraph.urls import grouping  # noqa")
    result = _lint(root)
    assert result.returncode == 1
    assert "linkgraph.urls.credentials -> linkgraph.urls.grouping" in result.stdout
