"""A real `jupyter server` under 1, 10 and 50 concurrent clients reading history pages.

The local endpoint runs in its own process over HTTP with `--latency-ms` per AWS call; the server
uses it on the aws backend with `endpoint_url`, on a 300-version image. Each client walks the
history pages (25 versions each) in a loop for `--seconds`. Meanwhile a probe asks jupyter_server's
own `/api/status` (no AWS) every 20 ms (its slowest answer: what a user waits for), and
loop_probe.py, a server extension loaded beside ours, measures the event loop's own largest lag.
One summary line per client count; p99 is also given as a ratio to the single-client p99.

    python benchmarks/server_load.py [--versions 300] [--latency-ms 50] [--seconds 8]
    # the same load on an older commit's server, as a baseline:
    git archive 4eb708a jupyter_image_versions | tar -x -C /tmp/old
    python benchmarks/server_load.py --server-code /tmp/old
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from history import ENV, endpoint, free_port, populate

TOKEN = "benchmark"


def get(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.read()


def start_server(endpoint_url: str, root: Path, code: str = "") -> tuple[subprocess.Popen, str]:
    port = free_port()
    here = str(Path(__file__).parent)  # loop_probe.py, the server's own loop lag
    env = os.environ | ENV | {"PYTHONPATH": os.pathsep.join(p for p in (code, here) if p)}
    env |= {"JUPYTER_CONFIG_DIR": str(root / "config"), "JUPYTER_RUNTIME_DIR": str(root / "rt")}
    env["JUPYTER_IMAGE_VERSIONS_DESCRIBE_CACHE"] = str(root / "describe.sqlite")
    cmd = [sys.executable, "-m", "jupyter_server", f"--port={port}", "--no-browser"]
    cmd += [f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}"]
    cmd += ["--ServerApp.jpserver_extensions={'jupyter_image_versions': True, 'loop_probe': True}"]
    cmd += ["--ImageVersionsApp.backend=aws", f"--ImageVersionsApp.endpoint_url={endpoint_url}"]
    cmd += ["--ImageVersionsApp.region=us-east-1"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            get(f"{base}/api/status")
            return proc, base
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("jupyter server did not start")


def page_urls(base: str, image: str) -> list[str]:
    """Every history page's URL (following `next`), fetched once: this warms the server."""
    urls, token = [], ""
    while True:
        url = f"{base}/image-versions/api/images/{image}/versions?limit=25"
        url += f"&next={urllib.request.quote(token)}" if token else ""
        urls.append(url)
        token = json.loads(get(url))["next"]
        if not token:
            return urls


def probe(base: str, stop: threading.Event, stalls: list[float]) -> None:
    while not stop.is_set():
        start = time.perf_counter()
        get(f"{base}/api/status")
        stalls.append(time.perf_counter() - start)
        time.sleep(0.02)


def load(base: str, urls: list[str], clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    stop, stalls = threading.Event(), []
    deadline = time.monotonic() + seconds

    def client(offset: int) -> None:
        i = offset
        while time.monotonic() < deadline:
            start = time.perf_counter()
            get(urls[i % len(urls)])
            latencies.append(time.perf_counter() - start)
            i += 1

    prober = threading.Thread(target=probe, args=(base, stop, stalls))
    json.loads(get(f"{base}/loop-probe"))  # reset it
    prober.start()
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    elapsed = time.perf_counter() - started
    lag = json.loads(get(f"{base}/loop-probe"))
    stop.set()
    prober.join()
    q = statistics.quantiles(latencies, n=100)
    return {
        "rate": len(latencies) / elapsed,
        "p50": q[49],
        "p95": q[94],
        "p99": q[98],
        "stall_max": max(stalls),
        "stall_p50": statistics.median(stalls),
        "loop_lag": lag["largest_ms"] / 1000,
        "gc_max": lag["gc_largest_ms"] / 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", type=int, default=300)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--clients", default="1,10,50")
    parser.add_argument(
        "--server-code",
        default="",
        help="run the server on another checkout's package (a baseline), e.g. from git archive",
    )
    args = parser.parse_args()
    os.environ.update(ENV)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        db, image = str(root / "endpoint.sqlite"), "bench"
        populate(db, image, args.versions)
        ep, url = endpoint(db, "--latency-ms", str(args.latency_ms))
        server, base = start_server(url, root, args.server_code)
        try:
            urls = page_urls(base, image)
            print(
                f"{args.versions} versions, {len(urls)} pages of 25, {args.latency_ms} ms per "
                f"AWS call, {args.seconds:g} s per run",
                flush=True,
            )
            single = None
            for clients in (int(c) for c in args.clients.split(",")):
                r = load(base, urls, clients, args.seconds)
                single = single or r["p99"]
                print(
                    f"clients={clients:<3} {r['rate']:7.1f} req/s  p50 {r['p50'] * 1000:6.0f} ms"
                    f"  p95 {r['p95'] * 1000:6.0f} ms  p99 {r['p99'] * 1000:6.0f} ms"
                    f" ({r['p99'] / single:4.1f}x single)  /api/status max"
                    f" {r['stall_max'] * 1000:5.0f} ms, median {r['stall_p50'] * 1000:4.0f} ms;"
                    f" loop lag max {r['loop_lag'] * 1000:4.0f} ms (longest GC"
                    f" {r['gc_max'] * 1000:4.0f} ms)",
                    flush=True,
                )
        finally:
            server.terminate()
            server.wait(30)
            ep.terminate()
            ep.wait(10)


if __name__ == "__main__":
    main()
