"""The image doctor on a 200 MB image of 20 layers against pulling every layer's bytes.

The image is built with tarfile and pushed through the local endpoint's ECR layer API (in
process; blobs are served over loopback HTTP, as ECR's pre-signed URLs are). The baseline is a
pull: GetDownloadUrlForLayer and an HTTP GET of every layer, all bytes read, one after another.
The doctor runs cold (no cache) and warm (the same digest again: its cache).

    python benchmarks/doctor.py [--layers 20] [--mb 200]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import urllib.request
from pathlib import Path

from jupyter_image_versions import ImageVersions
from jupyter_image_versions.local.image_push import push_image
from jupyter_image_versions.local.sample_images import bulky_image

REPO = "bench/doctor"


def pull_all_layers(ecr, digest: str) -> int:
    """The baseline: every layer's bytes, read and discarded."""
    image = ecr.batch_get_image(repositoryName=REPO, imageIds=[{"imageDigest": digest}])
    manifest = json.loads(image["images"][0]["imageManifest"])
    total = 0
    for layer in manifest["layers"]:
        url = ecr.get_download_url_for_layer(repositoryName=REPO, layerDigest=layer["digest"])
        with urllib.request.urlopen(url["downloadUrl"]) as response:
            while chunk := response.read(1 << 20):
                total += len(chunk)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--layers", type=int, default=20)
    parser.add_argument("--mb", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        iv = ImageVersions.local(str(Path(folder) / "bench.sqlite"), create_delay=0)
        ecr = iv.endpoint.client("ecr")
        data_layers = args.layers - 2  # a base layer and a JupyterLab layer around them
        spec = bulky_image(args.layers, layer_bytes=args.mb * 1024 * 1024 // data_layers)
        started = time.perf_counter()
        digest = push_image(ecr, REPO, "big", spec)
        print(f"built and pushed {args.layers} layers in {time.perf_counter() - started:.1f} s")
        uri = iv.endpoint.registry_uri(REPO, "big")

        started = time.perf_counter()
        pulled = pull_all_layers(ecr, digest)
        pull_s = time.perf_counter() - started

        started = time.perf_counter()
        cold = iv.doctor(uri, "JupyterLab")
        cold_s = time.perf_counter() - started

        started = time.perf_counter()
        warm = iv.doctor(uri, "KernelGateway")
        warm_s = time.perf_counter() - started
        iv.close()

    errors = [f.code for f in cold.findings if f.severity == "error"]
    print(f"image: {args.layers} layers, {pulled / 1e6:.1f} MB compressed; doctor errors: {errors}")
    print(f"{'':24}{'seconds':>10}{'MB read':>10}{'time vs pull':>14}")
    print(f"{'pull all layers':24}{pull_s:10.2f}{pulled / 1e6:10.1f}{1:14.2f}")
    rows = (("doctor, cold", cold_s, cold.bytes_read), ("doctor, warm (cache)", warm_s, 0))
    for label, seconds, read in rows:
        print(f"{label:24}{seconds:10.2f}{read / 1e6:10.1f}{seconds / pull_s:14.3f}")
    print(f"layers scanned cold: {cold.layers_scanned}; warm answered from cache: {warm.cached}")


if __name__ == "__main__":
    main()
