"""History at N = 100, 300, 1,000: naive loop, cold, warm, new process, first page, throttled.

The local endpoint runs in its own process (`jupyter image-versions local-endpoint`) over HTTP with
`--latency-ms` per call (a region's round trip); this process is the client, on the aws backend
with `endpoint_url`, so the figures include botocore's real HTTP path. AWS calls are counted by
botocore's `before-send` event (retries included). One summary line per measurement; ratios are
to the naive loop (one DescribeImageVersion and one ListAliases per version, one at a time) in the
same run. `--naive-sample K` times the naive loop on K versions and scales it (marked `~`).

    python benchmarks/history.py [--versions 100,300,1000] [--latency-ms 50] [--naive-sample 0]
        [--rate-limit R] [--modes gate,standard,adaptive]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from jupyter_image_versions import ImageVersions
from jupyter_image_versions.core.backend import AwsClients

ROLE = "arn:aws:iam::000000000000:role/Bench"
ALIASES = 4
ENV = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "AWS_REGION": "us-east-1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def endpoint(db: str, *extra: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    cmd = [sys.executable, "-m", "jupyter_image_versions.commands.cli", "local-endpoint"]
    cmd += ["--port", str(port), "--db", db, "--create-delay", "0", *extra]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    else:
        proc.kill()
        raise SystemExit("the local endpoint did not start")
    warm(url)
    return proc, url


def warm(url: str) -> None:
    """One call of each operation a history makes, untimed: the endpoint process's first
    answers parse botocore's models (half a second), which no measurement should pay for.
    Throttled answers are fine: they come after the parsing too."""
    import boto3
    from botocore.config import Config

    sm = boto3.client(
        "sagemaker",
        endpoint_url=url,
        region_name="us-east-1",
        config=Config(retries={"mode": "standard", "max_attempts": 10}),
    )
    for call in (sm.list_images, lambda: sm.list_aliases(ImageName="warm-up")):
        # NotFound for the made-up image, or throttled: warm either way
        with contextlib.suppress(Exception):
            call()


def populate(db: str, image: str, versions: int) -> None:
    iv = ImageVersions.local(db, create_delay=0, describe_cache=False)
    iv.endpoint.put_ecr_image("bench/repo", "v1")
    base = iv.endpoint.registry_uri("bench/repo", "v1")
    iv.create_image(image, role_arn=ROLE)
    sm = iv.endpoint.client("sagemaker")
    for n in range(1, versions + 1):
        extra = {"Aliases": [f"{n}.0.0"]} if n > versions - ALIASES else {}
        sm.create_image_version(
            ImageName=image, BaseImage=base, ClientToken=f"b-{n}", ReleaseNotes=f"r{n}", **extra
        )
    iv.close()


def counted(service: ImageVersions) -> list[int]:
    sent = [0]

    def hook(**_: object) -> None:
        sent[0] += 1

    service._sm.meta.events.register("before-send.sagemaker", hook)
    return sent


def service(url: str, cache: str | bool, mode: str = "gate") -> ImageVersions:
    """`gate`: ours (botocore's retries off); `standard`/`adaptive`: botocore's retries only."""
    botocore = {"gate": ("standard", 1), "standard": ("standard", 3), "adaptive": ("adaptive", 8)}
    retry_mode, attempts = botocore[mode]
    clients = AwsClients(
        "us-east-1", endpoint_url=url, retry_mode=retry_mode, botocore_attempts=attempts
    )
    service = ImageVersions(clients=clients, describe_cache=cache)
    if mode != "gate":
        service.gate.timeout = 0  # a throttled answer botocore gave up on stays an error
    return service


def naive(url: str, image: str, sample: int) -> tuple[float, int, int]:
    """(seconds, calls, versions seen) of the naive loop, on `sample` versions if given."""
    iv = service(url, False)
    sm, sent = iv._sm, counted(iv)
    start = time.perf_counter()
    seen = 0
    for page in sm.get_paginator("list_image_versions").paginate(ImageName=image):
        for summary in page["ImageVersions"]:
            if sample and seen >= sample:
                break
            sm.describe_image_version(ImageName=image, Version=summary["Version"])
            sm.list_aliases(ImageName=image, Version=summary["Version"])
            seen += 1
    return time.perf_counter() - start, sent[0], seen


CHILD = """
import json, sys, time
start = time.perf_counter()
from jupyter_image_versions import ImageVersions
from jupyter_image_versions.core.backend import AwsClients
url, image, cache, limit = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]) or None
imported = time.perf_counter()
iv = ImageVersions(clients=AwsClients("us-east-1", endpoint_url=url), describe_cache=cache)
sent = [0]
iv._sm.meta.events.register("before-send.sagemaker", lambda **_: sent.__setitem__(0, sent[0] + 1))
found = len(iv.history(image, limit=limit))
done = time.perf_counter()
print(json.dumps([done - imported, sent[0], found, done - start]))
"""


def child(url: str, image: str, cache: str, limit: int = 0) -> tuple[tuple[float, int, int], str]:
    """A new process's history: from creating the service (clients included) to the answer,
    and a note of the whole process's time (Python's start and imports too)."""
    env = os.environ | ENV
    out = subprocess.run(
        [sys.executable, "-c", CHILD, url, image, cache, str(limit)],
        capture_output=True, text=True, check=True, env=env,
    )  # fmt: skip
    seconds, calls, found, whole = json.loads(out.stdout)
    return (seconds, calls, found), f"  (process incl. imports {whole:.2f} s)"


def timed(iv: ImageVersions, image: str, limit: int | None = None) -> tuple[float, int, int]:
    sent = counted(iv)
    start = time.perf_counter()
    found = len(iv.history(image, limit=limit))
    return time.perf_counter() - start, sent[0], found


def line(n: int, label: str, result: tuple[float, int, int], base_s: float, mark: str = "") -> None:
    seconds, calls, found = result
    print(
        f"N={n:<5} {label:<28} {seconds:8.2f} s {calls:6d} calls {found:5d} versions"
        f"  {base_s / seconds:6.1f}x naive{mark}",
        flush=True,
    )


def run(n: int, args: argparse.Namespace, root: Path) -> None:
    db, image = str(root / f"endpoint-{n}.sqlite"), f"bench-{n}"
    populate(db, image, n)
    latency = ["--latency-ms", str(round(args.latency_ms))]
    procs = []
    try:
        plain_proc, url = endpoint(db, *latency)
        throttle_proc, throttled_url = endpoint(db, *latency, "--throttle-rate", "0.2")
        procs = [plain_proc, throttle_proc]
        seconds, calls, seen = naive(url, image, args.naive_sample if n > args.naive_sample else 0)
        scale = n / seen
        base = (seconds * scale, round(calls * scale), n)
        line(n, "naive loop", base, base[0], " (~ scaled)" if scale != 1 else "")
        cache = str(root / f"cache-{n}.sqlite")
        iv = service(url, cache)
        cold = timed(iv, image)
        line(n, "cold", cold, base[0])
        line(n, "warm", timed(iv, image), base[0])
        iv.close()
        result, note = child(url, image, cache)
        line(n, "new process (cache file)", result, base[0], note)
        result, note = child(url, image, "off", 50)
        line(n, "first page 50, new process", result, base[0], note)
        for mode in args.modes.split(","):
            th = service(throttled_url, False, mode)
            try:
                result = timed(th, image)
            except Exception as exc:  # botocore's modes may give up: say so
                print(f"N={n:<5} 20% throttled, {mode:<14} failed: {exc}", flush=True)
                continue
            finally:
                th.close()
            line(n, f"20% throttled, {mode}", result, base[0], f"  {result[0] / cold[0]:.1f}x cold")
        if args.rate_limit:
            rl_proc, rl_url = endpoint(db, *latency, "--rate-limit", str(args.rate_limit))
            procs.append(rl_proc)
            rl = service(rl_url, False, "gate")
            result = timed(rl, image)
            ideal = n / args.rate_limit  # N describes through one operation's bucket
            note = f"  {result[0] / ideal:.2f}x N/R ({ideal:.1f} s)"
            line(n, f"rate limit {args.rate_limit:g}/s", result, base[0], note)
            rl.close()
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", default="100,300,1000")
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--naive-sample", type=int, default=0, help="0: the whole naive loop")
    parser.add_argument("--rate-limit", type=float, default=0, help="also run at R calls/s")
    parser.add_argument(
        "--modes",
        default="gate,standard,adaptive",
        help="retry configurations under 20 %% throttling (adaptive alone takes minutes)",
    )
    args = parser.parse_args()
    os.environ.update(ENV)
    print(f"latency {args.latency_ms} ms per call, {ALIASES} aliases", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        for n in (int(x) for x in args.versions.split(",")):
            run(n, args, Path(folder))


if __name__ == "__main__":
    main()
