"""The benchmark's synthetic corpus: WordPress-shaped, long-tailed, and analysable."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from linkgraph.analysis import analyse
from linkgraph.pipeline import extract_inputs
from linkgraph.records import Extraction

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from synthetic_corpus import write_corpus


def test_synthetic_corpus_is_wordpress_shaped_and_long_tailed(tmp_path: Path) -> None:
    files, size = write_corpus(tmp_path / "a", 1200, 400, seed=3)
    assert files == 3 and size > 0
    posts = json.loads(next((tmp_path / "a").glob("*.json")).read_text(encoding="utf-8"))
    assert {"id", "date_gmt", "link", "title", "content"} <= set(posts[0])
    extractions = [x for x in extract_inputs([str(tmp_path / "a")])
                   if isinstance(x, Extraction)]
    assert len(extractions) == 1200
    citations = sum(len(x.citations) for x in extractions)
    assert 3.0 < citations / 1200 < 5.0  # about 4 links per post
    result = analyse(extractions)
    assert result.summary is not None
    assert 0.1 < result.summary.internal / citations < 0.3
    shares = [o.share for o in result.outlets]
    assert shares[0] > 0.02  # a head: the top outlet is far above the average
    once = sum(1 for o in result.outlets if o.citations == 1)
    assert once > len(result.outlets) / 3  # a long tail of outlets cited once
    assert len({p.month for p in result.periods}) > 30  # about three years of months
    # the same seed writes the same corpus
    write_corpus(tmp_path / "b", 1200, 400, seed=3)
    for first in (tmp_path / "a").glob("*.json"):
        assert first.read_bytes() == (tmp_path / "b" / first.name).read_bytes()
