"""Shared fixtures: where the shared corpus is, and a skip when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared corpus folder (``../shared/corpus``); the test is skipped without it."""
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at ../shared/corpus (looked in {CORPUS.parent})")
    return CORPUS


@pytest.fixture(scope="session")
def fixtures() -> Path:
    """The repo's own small fixtures under tests/fixtures."""
    return FIXTURES

# The coverage-guided harness needs atheris (not a test dependency) and runs by hand; pytest's
# --doctest-modules would otherwise import it.
collect_ignore = ["fuzz_atheris.py"]
