"""Coverage-guided fuzzing of the readers, the extractor and the URL layer with atheris.

The hypothesis suite (``tests/test_fuzz.py``) runs in CI; this is the long run, for a machine
with time to spare (``pip install atheris``):

    python tests/fuzz_atheris.py readers -atheris_runs=200000 -max_len=200000
    python tests/fuzz_atheris.py urls -atheris_runs=1000000

A target fails (and atheris saves the input as ``crash-*``) when linkgraph raises where it
promises a value: the readers and the extractor return ``ReadFailure`` values for bad input,
and the URL functions return ``None`` for what they cannot parse.  Each input also runs under
the suite's time budget, so a hang is a crash too.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import atheris

with atheris.instrument_imports():
    from linkgraph.extract import extract
    from linkgraph.readers import read_file
    from linkgraph.records import Article, Extraction
    from linkgraph.urls import grouping_key, hostname, registered_domain, resolve_href

from tests.test_fuzz import SUFFIXES, budget


def readers(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    suffix = SUFFIXES[provider.ConsumeIntInRange(0, len(SUFFIXES) - 1)]
    body = provider.ConsumeBytes(provider.remaining_bytes())
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        handle.write(body)
        handle.flush()
        with budget():
            for item in read_file(handle.name):
                if isinstance(item, Article):
                    assert isinstance(extract(item), Extraction)


def urls(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    href = provider.ConsumeUnicodeNoSurrogates(200)
    base = provider.ConsumeUnicodeNoSurrogates(200) or None
    with budget():
        url = resolve_href(href, base)
        if url is not None:
            grouping_key(url)
            registered_domain(hostname(url))


TARGETS: dict[str, Callable[[bytes], None]] = {"readers": readers, "urls": urls}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: {sys.argv[0]} {{{'|'.join(TARGETS)}}} [libFuzzer options]")
    target = TARGETS[sys.argv.pop(1)]
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
