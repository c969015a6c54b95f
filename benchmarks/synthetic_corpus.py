"""Write a synthetic news corpus in the WordPress ``/wp/v2/posts`` list shape.

Usage: python benchmarks/synthetic_corpus.py OUT_DIR [--articles 100000] [--per-file 1000]
       [--seed 7]

Defaults: 100,000 posts over 6 sites and about 3 years (2021-2023), about 4 links per post
(about 400,000 citations: 80% external, 20% internal), split into JSON list files of
``--per-file`` posts each (``site-NNNN.json``).  External links follow a Zipf-like law
(exponent 1.1) over a ranked list that interleaves the packaged registry's outlets with
30,000 made-up long-tail domains (``*.example``, never fetched), so a few wire services take a
large share and thousands of outlets are cited once or twice.  Some sentences attribute a claim
to an outlet without a link, and a few links carry tracking parameters, use ``http:`` or point
at a homepage, so every analysis path runs.  The same seed writes the same corpus.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from linkgraph.sources import default_registry

SITES = (
    "koreadesk.example", "kyivwire.example", "tokyoletter.example", "eurodaily.example",
    "washingtonbrief.example", "pollwatch.example",
)
SYLLABLES = ("ka", "ro", "mi", "ten", "sol", "ver", "da", "lin", "po", "gra", "chi", "nu",
             "bel", "tor", "an", "ske", "vo", "ri", "mes", "qua")
WORDS = ("officials", "minister", "report", "talks", "sanctions", "election", "market", "army",
         "parliament", "survey", "economy", "border", "agency", "court", "energy", "trade")
LONG_TAIL = 30_000
START = datetime(2021, 1, 1, tzinfo=UTC)
DAYS = 3 * 365


def outlet_ranking(rng: random.Random) -> list[str]:
    """Hosts ranked by popularity: registry outlets spread among made-up long-tail domains."""
    registry = [e.prefixes[0] for e in default_registry().entries if "/" not in e.prefixes[0]]
    rng.shuffle(registry)
    tail = [
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) + f"{i}.example"
        for i in range(LONG_TAIL)
    ]
    ranked: list[str] = []
    # The head is mostly registry outlets (wires, big papers); the tail mostly unknown sites.
    head, rest = registry[:60], registry[60:]
    ranked.extend(head)
    step = max(1, len(tail) // max(1, len(rest)))
    rest_iter = iter(rest)
    for i, host in enumerate(tail):
        if i % step == 0:
            ranked.append(next(rest_iter, host))
        ranked.append(host)
    return ranked


def sentence(rng: random.Random) -> str:
    words = rng.sample(WORDS, 5)
    return f"The {words[0]} and {words[1]} {words[2]} on the {words[3]} of {words[4]}"


def post(
    rng: random.Random, number: int, *, site: str, ranked: list[str], cum: list[float],
    names: list[str],
) -> dict[str, object]:
    """One post object of *site* with about 4 links drawn from the ranked outlets."""
    when = START + timedelta(days=rng.randrange(DAYS), seconds=rng.randrange(86_400))
    n_links = min(rng.choices(range(9), weights=(3, 8, 12, 14, 14, 12, 9, 6, 4))[0], 8)
    paragraphs: list[str] = []
    for _ in range(3):
        paragraphs.append(f"<p>{sentence(rng)}. {sentence(rng)}.</p>")
    for _ in range(n_links):
        if rng.random() < 0.2:
            href = f"https://{site}/{rng.randrange(100_000)}/"
        else:
            host = rng.choices(ranked, cum_weights=cum)[0]
            scheme = "http" if rng.random() < 0.1 else "https"
            path = "" if rng.random() < 0.03 else f"/news/{rng.randrange(10**7)}"
            query = "?utm_source=twitter" if rng.random() < 0.02 else ""
            href = f"{scheme}://www.{host}{path}{query}"
        anchor = rng.choice(WORDS)
        paragraphs.append(f'<p>{sentence(rng)}, <a href="{href}">{anchor}</a> said.</p>')
    if rng.random() < 0.1:
        paragraphs.append(f"<p>{sentence(rng)}, according to {rng.choice(names)}.</p>")
    stamp = when.strftime("%Y-%m-%dT%H:%M:%S")
    return {
        "id": number,
        "date": stamp,
        "date_gmt": stamp,
        "modified_gmt": stamp,
        "link": f"https://{site}/{when:%Y/%m}/story-{number}/",
        "slug": f"story-{number}",
        "title": {"rendered": f"Story {number}: {sentence(rng)}"},
        "content": {"rendered": "\n".join(paragraphs)},
    }


def write_corpus(out: Path, articles: int, per_file: int, seed: int) -> tuple[int, int]:
    """Write the corpus; returns (files, bytes)."""
    rng = random.Random(seed)
    ranked = outlet_ranking(rng)
    cum = list(itertools.accumulate(1.0 / (rank + 1) ** 1.1 for rank in range(len(ranked))))
    names = ["Yonhap", "Ukrinform", "Reuters", "Gallup Korea", "Kyodo", "TASS", "Xinhua"]
    out.mkdir(parents=True, exist_ok=True)
    files = 0
    size = 0
    for start in range(0, articles, per_file):
        site = SITES[files % len(SITES)]
        posts = [post(rng, n, site=site, ranked=ranked, cum=cum, names=names)
                 for n in range(start, min(start + per_file, articles))]
        data = json.dumps(posts, ensure_ascii=False)
        (out / f"{site.split('.')[0]}-{files:04d}.json").write_text(data, encoding="utf-8")
        files += 1
        size += len(data.encode())
    return files, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--per-file", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    files, size = write_corpus(args.out, args.articles, args.per_file, args.seed)
    print(f"wrote {args.articles} posts in {files} files ({size / 1e6:.1f} MB) to {args.out}")


if __name__ == "__main__":
    main()
