"""History of a 1,000-version image: requests and time, cold and warm, against a naive baseline.

The naive baseline is what the design rules out: one DescribeImageVersion and one
ListAliases(Version=n) per version, sequentially. All runs use the same in-process local endpoint
with the same injected latency, so the ratios compare the strategies, not the machine.

    python benchmarks/history_at_scale.py [--versions 1000] [--aliases 20] [--latency-ms 5]
"""

from __future__ import annotations

import argparse
import time

from jupyter_image_versions import ImageVersions

ROLE = "arn:aws:iam::000000000000:role/Bench"


def populate(iv: ImageVersions, image: str, versions: int, aliases: int) -> None:
    sm = iv.endpoint.client("sagemaker")
    iv.endpoint.put_ecr_image("bench/repo", "v1")
    base = iv.endpoint.registry_uri("bench/repo", "v1")
    iv.create_image(image, role_arn=ROLE)
    for n in range(1, versions + 1):
        extra = {"Aliases": [f"{n}.0.0"]} if n > versions - aliases else {}
        sm.create_image_version(
            ImageName=image, BaseImage=base, ClientToken=f"bench-{n}", ReleaseNotes=f"r{n}", **extra
        )


def naive_history(iv: ImageVersions, image: str) -> int:
    sm = iv.endpoint.client("sagemaker")
    found = 0
    for page in sm.get_paginator("list_image_versions").paginate(ImageName=image):
        for summary in page["ImageVersions"]:
            sm.describe_image_version(ImageName=image, Version=summary["Version"])
            sm.list_aliases(ImageName=image, Version=summary["Version"])
            found += 1
    return found


def measure(label: str, iv: ImageVersions, run) -> tuple[float, int]:
    before = iv.endpoint.request_count
    start = time.perf_counter()
    count = run()
    seconds = time.perf_counter() - start
    requests = iv.endpoint.request_count - before
    print(f"{label:<22} {count:>6} versions  {requests:>6} requests  {seconds:8.2f} s")
    return seconds, requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", type=int, default=1000)
    parser.add_argument("--aliases", type=int, default=20)
    parser.add_argument("--latency-ms", type=float, default=5.0)
    args = parser.parse_args()

    iv = ImageVersions.local(":memory:", create_delay=0)
    populate(iv, "bench", args.versions, args.aliases)
    iv.endpoint.set_faults(latency_ms=args.latency_ms)
    print(f"{args.versions} versions, {args.aliases} aliases, {args.latency_ms} ms per request")

    base_s, base_r = measure("naive (baseline)", iv, lambda: naive_history(iv, "bench"))
    cold_s, cold_r = measure("history, cold cache", iv, lambda: len(iv.history("bench")))
    warm_s, warm_r = measure("history, warm cache", iv, lambda: len(iv.history("bench")))
    print(f"cold vs naive: {base_s / cold_s:5.1f}x faster, {base_r / cold_r:5.1f}x fewer requests")
    print(f"warm vs naive: {base_s / warm_s:5.1f}x faster, {base_r / warm_r:5.1f}x fewer requests")


if __name__ == "__main__":
    main()
