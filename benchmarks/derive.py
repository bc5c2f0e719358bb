"""derive --register on a 1 GB base: three wheels of about 20 MB each, against uploading the
whole image (what a Docker push of a new build without layer reuse sends).

The base (a Debian-like layer with python3.11 and dpkg's libc6, N data layers of incompressible
bytes, a JupyterLab layer) is pushed through the local endpoint's ECR layer API (in process, a
SQLite file; blobs served over loopback HTTP). derive runs with `--no-index --find-links` on a
wheelhouse written here, then registers the next version; its phases are timed by the service.
The baseline uploads every layer of the derived image, config and manifest into a fresh
repository with the same API.

    python benchmarks/derive.py [--base-mb 1024] [--wheel-mb 20]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import random
import tempfile
import time
import zipfile
from pathlib import Path

from jupyter_image_versions import ImageVersions, ImageVersionSpec
from jupyter_image_versions.derive.request import DeriveRequest
from jupyter_image_versions.derive.resolve import PipOptions
from jupyter_image_versions.local.image_push import (
    Entry,
    ImageSpec,
    Layer,
    ensure_repository,
    push_image,
    put_manifest,
    upload_blob,
)
from jupyter_image_versions.local.sample_images import jupyterlab_layer, studio_config
from jupyter_image_versions.oci.layer_cache import CACHE_ENV

REPO = "bench/derive"
ROLE = "arn:aws:iam::000000000000:role/bench"


def wheel(folder: Path, name: str, size: int, rng: random.Random) -> Path:
    """A pure wheel of ``size`` incompressible bytes (stored, as a compiled extension is)."""
    dist = f"{name}-1.0.dist-info"
    files = {
        f"{name}/__init__.py": b'__version__ = "1.0"\n',
        f"{name}/data.bin": rng.randbytes(size),
        f"{dist}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n".encode(),
        f"{dist}/WHEEL": b"Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    path = folder / f"{name}-1.0-py3-none-any.whl"
    record = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as whl:
        for arc, data in files.items():
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            record.append(f"{arc},sha256={digest.decode()},{len(data)}")
            whl.writestr(arc, data)
        whl.writestr(f"{dist}/RECORD", "\n".join([*record, f"{dist}/RECORD,,"]))
    return path


def base_image(total_mb: int, rng: random.Random) -> ImageSpec:
    status = b"Package: libc6\nStatus: install ok installed\nVersion: 2.36-9\n"
    system = [
        Entry("etc/os-release", b"ID=debian\nVERSION_ID=12\n"),
        Entry("var/lib/dpkg/status", status),
        Entry("usr/bin/python3.11", b"stand-in", mode=0o755),
        Entry("usr/bin/python3", kind="symlink", link="python3.11"),
        Entry("usr/lib/python3/dist-packages", kind="dir"),
    ]
    layers = [Layer(system)]
    count = max(1, total_mb // 100)
    for number in range(count):
        size = total_mb * 1024 * 1024 // count // 4
        files = [Entry(f"opt/data/{number}/{i}.bin", rng.randbytes(size)) for i in range(4)]
        layers.append(Layer(files, compression="plain"))
    layers.append(jupyterlab_layer())
    return ImageSpec(layers, config=studio_config())


def upload_whole(ecr, source: str, uri_digest: str, iv) -> tuple[float, int]:
    """Every blob of the derived image, config and manifest into a fresh repository."""
    image = ecr.batch_get_image(repositoryName=source, imageIds=[{"imageDigest": uri_digest}])
    manifest = json.loads(image["images"][0]["imageManifest"])
    target = "bench/whole"
    ensure_repository(ecr, target)
    layers = iv.endpoint.handler.layers
    reader_blobs = [manifest["config"]["digest"]] + [
        layer["digest"] for layer in manifest["layers"]
    ]
    blobs = [layers.read_part(source, d, 0, layers.blob_size(source, d)) for d in reader_blobs]
    started = time.perf_counter()
    sent = 0
    for data in blobs:
        upload_blob(ecr, target, data)
        sent += len(data)
    text = image["images"][0]["imageManifest"]
    put_manifest(ecr, target, "whole", text, manifest["mediaType"])
    return time.perf_counter() - started, sent + len(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base-mb", type=int, default=1024)
    parser.add_argument("--wheel-mb", type=int, default=20)
    args = parser.parse_args()
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as folder:
        os.environ[CACHE_ENV] = str(Path(folder, "layers.sqlite"))  # cold: no layer read before
        iv = ImageVersions.local(str(Path(folder) / "bench.sqlite"), create_delay=0)
        ecr = iv.endpoint.client("ecr")
        started = time.perf_counter()
        push_image(ecr, REPO, "base", base_image(args.base_mb, rng))
        uri = iv.endpoint.registry_uri(REPO, "base")
        print(f"base: {args.base_mb} MB pushed in {time.perf_counter() - started:.1f} s")
        iv.register(ImageVersionSpec("bench", uri), create_image=True, role_arn=ROLE)
        wheels = Path(folder, "wheels")
        wheels.mkdir()
        for name in ("alpha", "beta", "gamma"):
            wheel(wheels, name, args.wheel_mb * 1024 * 1024, rng)
        request = DeriveRequest(
            tag="derived",
            image_name="bench",
            version=1,
            pip=["alpha", "beta", "gamma"],
            register=True,
            pip_options=PipOptions(find_links=[str(wheels)], no_index=True),
        )
        started = time.perf_counter()
        result = iv.derive(request)
        total = time.perf_counter() - started
        assert result.version is not None and result.version.status == "CREATED"
        manifest_bytes = len(
            ecr.batch_get_image(
                repositoryName=REPO, imageIds=[{"imageDigest": result.pushed.digest}]
            )["images"][0]["imageManifest"]
        )
        print(f"derive --register -> CREATED: {total:.1f} s")
        for phase, seconds in result.seconds.items():
            print(f"  {phase:<9} {seconds:6.2f} s")
        uploaded = result.pushed.bytes_uploaded + manifest_bytes
        print(
            f"  uploaded {uploaded / 1e6:.1f} MB (layer {result.layer['size'] / 1e6:.1f} MB, "
            f"config, manifest {manifest_bytes} B)"
        )
        whole_s, whole_bytes = upload_whole(ecr, REPO, result.pushed.digest, iv)
        print(
            f"whole image upload (no layer reuse): {whole_s:.1f} s, {whole_bytes / 1e6:.1f} MB "
            f"({whole_bytes / uploaded:.0f}x the bytes, "
            f"{whole_s / result.seconds['push']:.0f}x the time of derive's push)"
        )
        iv.close()


if __name__ == "__main__":
    main()
