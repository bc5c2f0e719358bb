"""The REST API under concurrent load: throughput with a 1-thread AWS pool vs the default pool.

A real `jupyter server` talks over HTTP to the local endpoint with injected latency per AWS call
(standing in for the network), on the aws backend with `endpoint_url`. The same burst of
concurrent history requests is sent with `ImageVersionsApp.max_workers=1` (the baseline: one AWS
call at a time) and with the default pool; both runs happen in this process, so the ratio
compares the configurations, not the machine.

    python benchmarks/server_under_load.py [--requests 40] [--latency-ms 20]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from jupyter_image_versions import ImageVersions
from jupyter_image_versions.commands.demo_data import DEMO_IMAGE, seed
from jupyter_image_versions.local import LocalEndpoint

TOKEN = "benchmark"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(endpoint_url: str, workers: int, root: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = os.environ | {
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "JUPYTER_CONFIG_DIR": str(root / "config"),
        "JUPYTER_RUNTIME_DIR": str(root / f"runtime-{workers}"),
    }
    cmd = [sys.executable, "-m", "jupyter_server", f"--port={port}", "--no-browser"]
    cmd += [f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}"]
    cmd += ["--ServerApp.jpserver_extensions={'jupyter_image_versions': True}"]
    cmd += ["--ImageVersionsApp.backend=aws", f"--ImageVersionsApp.endpoint_url={endpoint_url}"]
    cmd += ["--ImageVersionsApp.region=us-east-1", f"--ImageVersionsApp.max_workers={workers}"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/image-versions/api"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            get(f"{base}/openapi.json")
            return proc, base
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("jupyter server did not start")


def get(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.read()


def burst(base: str, count: int) -> float:
    url = f"{base}/images/{DEMO_IMAGE}/versions?limit=5"
    start = time.perf_counter()
    with ThreadPoolExecutor(count) as pool:
        list(pool.map(lambda _: get(url), range(count)))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        db = str(root / "state.sqlite")
        seed(ImageVersions.local(db, create_delay=0))
        endpoint = LocalEndpoint(db, latency_ms=args.latency_ms)
        http = endpoint.serve_http(port=0)
        print(f"{args.requests} concurrent history requests, {args.latency_ms} ms per AWS call")
        results = {}
        for workers in (1, 16):
            proc, base = start_server(http.url, workers, root)
            try:
                get(f"{base}/images/{DEMO_IMAGE}/versions?limit=5")  # warm up clients
                results[workers] = burst(base, args.requests)
            finally:
                proc.terminate()
                proc.wait(30)
            rate = args.requests / results[workers]
            print(f"max_workers={workers:<3} {results[workers]:7.2f} s  {rate:7.1f} requests/s")
        http.shutdown()
        print(f"thread pool of 16 vs 1: {results[1] / results[16]:.1f}x the throughput")


if __name__ == "__main__":
    main()
