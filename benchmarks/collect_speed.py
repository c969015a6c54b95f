"""How fast and how lean a WordPress crawl is, against the fake site on loopback.

Prints, measured in the same run:

* articles/s as a ratio of the politeness bound (one request per --interval seconds, 100
  posts a request), with --latency seconds added to every API answer (goal >= 0.9);
* HTTP requests per collected article (a crawl at 100 posts a request costs 0.01, plus
  robots.txt, the home page and the API index);
* peak memory (VmHWM of the collecting process; the fake site runs in this one) at --small
  vs --large posts (goal: the large crawl within 1.2x of the small one).

    python benchmarks/collect_speed.py                 # 10k and 100k posts (minutes)
    python benchmarks/collect_speed.py --small 2000 --large 20000
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from wpserver import FakeWordPress, corpus_posts

CHILD = """
import json, sys, time
from linkgraph.collect.wordpress import WordPressCrawl
from linkgraph.store import Store
from linkgraph.web.config import WebConfig
from linkgraph.web.politeness import HostLimits
site, db, interval = sys.argv[1], sys.argv[2], float(sys.argv[3])
web = WebConfig(per_host=HostLimits(1, interval), allow=("127.0.0.1",))
start = time.perf_counter()
with Store(db) as store:
    stats = WordPressCrawl(site, store, web).run()
seconds = time.perf_counter() - start
# VmHWM is this process image's own peak: ru_maxrss would count the parent's memory (the
# fake site's posts), which Linux carries across fork and exec.
status = open("/proc/self/status").read().split("VmHWM:")[1].split()[0]
print(json.dumps({"articles": stats.articles, "requests": stats.requests, "seconds": seconds,
                  "max_rss_kb": int(status)}))
"""


def synthetic(count: int) -> list[dict[str, Any]]:
    """*count* posts cloned from the corpus's real ones, with new ids and links."""
    real = corpus_posts()
    posts = []
    for n in range(count):
        post = dict(real[n % len(real)])
        post["id"] = n + 1
        post["link"] = f"http://izquierdahispanica.org/p/{n + 1}/"
        posts.append(post)
    return posts


def crawl(count: int, interval: float, latency: float) -> dict[str, Any]:
    with FakeWordPress(synthetic(count), latency=latency) as site, \
            tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, site.url, str(Path(tmp) / "c.db"), str(interval)],
            check=True, capture_output=True, text=True,
        )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--rate-posts", type=int, default=3_000)
    parser.add_argument("--interval", type=float, default=0.5)
    parser.add_argument("--latency", type=float, default=0.1)
    args = parser.parse_args()

    polite = crawl(args.rate_posts, args.interval, args.latency)
    bound = 100 / args.interval
    rate = polite["articles"] / polite["seconds"]
    # The bound of this crawl: every request it must send (discovery included), spaced by
    # the interval (n requests need n - 1 intervals).
    crawl_bound = polite["articles"] / (max(1, polite["requests"] - 1) * args.interval)
    print(f"rate: {polite['articles']} posts, interval {args.interval} s, latency "
          f"{args.latency} s: {rate:.1f} articles/s; ratio {rate / crawl_bound:.3f} of the "
          f"bound of its {polite['requests']} requests ({crawl_bound:.1f}/s, goal >= 0.9), "
          f"{rate / bound:.3f} of the listing-only bound ({bound:.1f}/s)")
    print(f"requests per article: {polite['requests']} / {polite['articles']} = "
          f"{polite['requests'] / polite['articles']:.4f} (0.01 a post + robots, home, index)")
    small = crawl(args.small, 0.0, 0.0)
    large = crawl(args.large, 0.0, 0.0)
    ratio = large["max_rss_kb"] / small["max_rss_kb"]
    print(f"peak memory: {args.small} posts {small['max_rss_kb'] / 1024:.1f} MiB, "
          f"{args.large} posts {large['max_rss_kb'] / 1024:.1f} MiB; ratio {ratio:.2f} "
          f"(goal <= 1.2); {small['articles'] / small['seconds']:.0f} and "
          f"{large['articles'] / large['seconds']:.0f} articles/s unthrottled")
    print(f"({time.process_time():.1f} s CPU in the fake site)")


if __name__ == "__main__":
    main()
