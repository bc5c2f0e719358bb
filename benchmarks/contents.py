"""The contents (inventory) of a 1 GB image of 8 gzip layers against two baselines.

The image (about 1 GB uncompressed: bulk files, and 500 Python distributions with their
dist-info, a dpkg status and conda-meta records among them) is built with tarfile, streamed
through gzip, and pushed through the local endpoint's ECR layer API into a SQLite file; its
blobs are served over loopback HTTP, as ECR's pre-signed URLs are. Each measurement runs in a
fresh process on that file (so memory and caches are its own):

- pull and extract: every layer downloaded to disk, then extracted to a folder, one after
  another (what syft or container-diff do first);
- decompress only: every layer's bytes inflated to nowhere, one after another (the floor for
  gzip: every byte of a gzip layer must be inflated to reach its last file);
- contents, cold (empty layer cache; layers read in parallel), then warm in the same process;
  the floor and the cold read run ``--repeat`` times, interleaved, and the best of each counts
  (the machine is shared: a busy moment would otherwise decide the ratio);
- contents of a second version that shares 7 of the 8 layers (the cache holds the first);
- contents, warm in a new process (the cache file only).

    python benchmarks/contents.py [--mb 1000] [--dists 500] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
import zlib
from pathlib import Path

REPO = "bench/contents"
#: Uncompressed sizes of the 8 layers, in parts of the total (the top one is the smallest).
SHARES = (100, 200, 200, 150, 125, 100, 75, 50)
SITE = "opt/conda/lib/python3.11/site-packages"


class _Sink:
    """A write-only file: the tar's sha256 (its diff_id) and its gzip, in memory."""

    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.size = 0
        self.out = io.BytesIO()
        self.gzip = gzip.GzipFile(fileobj=self.out, mode="wb", compresslevel=1, mtime=0)

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        return self.gzip.write(data)


def _add(tar: tarfile.TarFile, path: str, data: bytes) -> None:
    info = tarfile.TarInfo(path)
    info.size, info.mode, info.mtime = len(data), 0o644, 0
    tar.addfile(info, io.BytesIO(data))


def _dist(tar: tarfile.TarFile, rng: random.Random, name: str, version: str) -> None:
    folder = f"{SITE}/{name}-{version}.dist-info"
    words = " ".join(rng.choice(("data", "model", "tensor", "fast", "tool")) for _ in range(300))
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: x\n\n{words}\n"
    _add(tar, f"{folder}/METADATA", metadata.encode())
    _add(tar, f"{folder}/INSTALLER", b"pip\n")
    _add(tar, f"{folder}/RECORD", f"{name}/__init__.py,sha256=x,4096\n".encode() * 20)
    for module in ("__init__", "core", "utils"):
        _add(tar, f"{SITE}/{name}/{module}.py", (f"# {name}\n" + words[:2000]).encode() * 2)


def build_layer(number: int, size: int, dists: list[tuple[str, str]], seed: int) -> tuple:
    """(gzip bytes, diff_id, uncompressed size) of one layer: ``dists`` among bulk files."""
    rng = random.Random(seed)
    sink = _Sink()
    with tarfile.open(fileobj=sink, mode="w|", format=tarfile.PAX_FORMAT) as tar:
        if number == 0:
            _add(tar, "etc/os-release", b'ID=ubuntu\nVERSION_ID="22.04"\nPRETTY_NAME="Ubuntu"\n')
            status = "".join(
                f"Package: lib{i}\nStatus: install ok installed\nVersion: 1.{i}\n"
                f"Architecture: amd64\nDescription: x\n long\n\n"
                for i in range(300)
            )
            _add(tar, "var/lib/dpkg/status", status.encode())
            _add(tar, "opt/conda/bin/python3.11", b"\x7fELF")
            for i in range(30):
                doc = {"name": f"c{i}", "version": "1.0", "build": "0", "channel": "c"}
                _add(tar, f"opt/conda/conda-meta/c{i}-1.0-0.json", json.dumps(doc).encode())
        for index, (name, version) in enumerate(dists):
            _dist(tar, rng, name, version)
            # bulk files between the distributions, so that records sit all along the stream
            share = (size - sink.size) // max(1, len(dists) - index)
            while share > 0:
                chunk = min(share, rng.randint(1, 8) << 20)
                half = chunk // 2  # half random, half zeros: gzip halves it, as real layers
                blob = rng.randbytes(half) + bytes(chunk - half)
                _add(tar, f"opt/bulk/{number}/{index}-{share}.bin", blob)
                share -= chunk
    sink.gzip.close()
    return sink.out.getvalue(), "sha256:" + sink.digest.hexdigest(), sink.size


def build(ecr, total_mb: int, count: int) -> dict[str, str]:
    """Push version a (8 layers) and version b (a's first 7 and its own top layer)."""
    from jupyter_image_versions.local.image_push import (
        LAYER_TYPES,
        OCI_CONFIG,
        OCI_MANIFEST,
        ensure_repository,
        put_manifest,
        upload_blob,
    )

    ensure_repository(ecr, REPO)
    names = [(f"pkg{i:03d}", f"1.{i % 7}.0") for i in range(count)]
    per = [names[i::8] for i in range(8)]
    sizes = [total_mb * share * 1024 * 1024 // sum(SHARES) for share in SHARES]
    built = [build_layer(n, sizes[n], per[n], seed=n) for n in range(8)]
    newer = [(name, version.replace("1.", "2.", 1)) for name, version in per[7]]
    top_b = build_layer(7, sizes[7], newer, seed=99)
    digests = {}
    for tag, layers in (("a", built), ("b", [*built[:7], top_b])):
        entries = []
        for blob, _, _ in layers:
            digest = upload_blob(ecr, REPO, blob)
            kind = LAYER_TYPES[("oci", "gzip")]
            entries.append({"mediaType": kind, "size": len(blob), "digest": digest})
        config = {
            "architecture": "amd64",
            "os": "linux",
            "config": {"Env": ["PATH=/opt/conda/bin:/usr/bin:/bin"]},
            "rootfs": {"type": "layers", "diff_ids": [d for _, d, _ in layers]},
        }
        config_blob = json.dumps(config).encode()
        manifest = {
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "config": {
                "mediaType": OCI_CONFIG,
                "size": len(config_blob),
                "digest": upload_blob(ecr, REPO, config_blob),
            },
            "layers": entries,
        }
        digests[tag] = put_manifest(ecr, REPO, tag, json.dumps(manifest), OCI_MANIFEST)
    print(
        f"image a: 8 gzip layers, {sum(s for _, _, s in built) / 1e6:.0f} MB uncompressed, "
        f"{sum(len(b) for b, _, _ in built) / 1e6:.0f} MB compressed, {count} distributions; "
        f"b shares 7 layers, its own is {len(top_b[0]) / 1e6:.0f} MB compressed"
    )
    return digests


# -- the measurements, each in its own process ------------------------------------------------


def _layers(iv, tag: str) -> list[dict]:
    ecr = iv.endpoint.client("ecr")
    image = ecr.batch_get_image(repositoryName=REPO, imageIds=[{"imageTag": tag}])["images"][0]
    ecr.close()
    return json.loads(image["imageManifest"])["layers"]


def _open(iv, digest: str):
    ecr = iv.endpoint.client("ecr")
    url = ecr.get_download_url_for_layer(repositoryName=REPO, layerDigest=digest)["downloadUrl"]
    ecr.close()
    return urllib.request.urlopen(url)


def floor(iv, folder: str) -> dict:
    read = 0
    for layer in _layers(iv, "a"):
        inflate = zlib.decompressobj(wbits=31)
        with _open(iv, layer["digest"]) as response:
            while chunk := response.read(1 << 20):
                read += len(chunk)
                inflate.decompress(chunk)
    return {"bytes_read": read}


def extract(iv, folder: str) -> dict:
    read = 0
    for number, layer in enumerate(_layers(iv, "a")):
        blob = Path(folder) / f"layer{number}.tar.gz"
        with _open(iv, layer["digest"]) as response, open(blob, "wb") as out:
            while chunk := response.read(1 << 20):
                read += len(chunk)
                out.write(chunk)
        with tarfile.open(blob, "r:gz") as tar:
            tar.extractall(Path(folder) / "rootfs", filter="data")
    return {"bytes_read": read}


def contents(iv, folder: str, tags: tuple[str, ...] = ("a",)) -> dict:
    uri = iv.endpoint.registry_uri(REPO, tags[0])
    started = time.perf_counter()
    inventory = iv.contents(uri)
    out = {
        "bytes_read": inventory.bytes_read,
        "packages": len(inventory.packages),
        "seconds": time.perf_counter() - started,
    }
    started = time.perf_counter()
    again = iv.contents(uri)
    out["warm_seconds"] = time.perf_counter() - started
    out["warm_bytes"] = again.bytes_read
    return out


def peak_rss_mb() -> float:
    """This process's peak resident memory since it started (VmHWM: ru_maxrss would count the
    parent's memory from before the exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


MODES = {"floor": floor, "extract": extract, "contents": contents}


def child(mode: str, db: str) -> None:
    from jupyter_image_versions import ImageVersions

    iv = ImageVersions.local(db, create_delay=0)
    with tempfile.TemporaryDirectory(dir=os.path.dirname(db)) as folder:
        tag = mode.partition(":")[2] or "a"
        started = time.perf_counter()
        if mode.startswith("contents"):
            out = contents(iv, folder, (tag,))
        else:
            out = MODES[mode](iv, folder)
        out.setdefault("seconds", time.perf_counter() - started)
    out["rss_mb"] = peak_rss_mb()
    iv.close()
    print(json.dumps(out))


def run(mode: str, db: str, cache: str) -> dict:
    env = {**os.environ, "JUPYTER_IMAGE_VERSIONS_LAYER_CACHE": cache}
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, db],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=int, default=1000, help="uncompressed size (MB)")
    parser.add_argument("--dists", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3, help="runs of floor and cold (best)")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child)
    from jupyter_image_versions import ImageVersions

    folder = tempfile.mkdtemp(prefix="contents-bench-")
    try:
        db = str(Path(folder) / "bench.sqlite")
        iv = ImageVersions.local(db, create_delay=0)
        ecr = iv.endpoint.client("ecr")
        started = time.perf_counter()
        build(ecr, args.mb, args.dists)
        print(f"built and pushed in {time.perf_counter() - started:.0f} s")
        ecr.close()
        iv.close()
        pulled = run("extract", db, "off")
        floors, colds = [], []
        for attempt in range(args.repeat):  # interleaved: a busy moment hurts both alike
            floors.append(run("floor", db, "off"))
            colds.append(run("contents", db, str(Path(folder) / f"layers{attempt}.sqlite")))
        print("decompress only, s:", " ".join(f"{r['seconds']:.2f}" for r in floors))
        print("contents cold, s:  ", " ".join(f"{r['seconds']:.2f}" for r in colds))
        inflated = min(floors, key=lambda r: r["seconds"])
        cold = min(colds, key=lambda r: r["seconds"])
        cache = str(Path(folder) / f"layers{colds.index(cold)}.sqlite")
        second = run("contents:b", db, cache)
        new_process = run("contents", db, cache)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    base = inflated["seconds"]
    print(f"{'':34}{'seconds':>9}{'MB read':>9}{'vs floor':>10}{'peak RSS MB':>13}")
    rows = (
        ("pull and extract (baseline)", pulled["seconds"], pulled["bytes_read"], pulled),
        ("decompress only (floor)", base, inflated["bytes_read"], inflated),
        ("contents, cold", cold["seconds"], cold["bytes_read"], cold),
        ("contents, warm (same process)", cold["warm_seconds"], cold["warm_bytes"], None),
        ("contents, 2nd version (7 of 8)", second["seconds"], second["bytes_read"], second),
        ("contents, warm (new process)", new_process["seconds"], new_process["bytes_read"], None),
    )
    for label, seconds, read, proc in rows:
        rss = f"{proc['rss_mb']:13.0f}" if proc else f"{'':13}"
        print(f"{label:34}{seconds:9.3f}{read / 1e6:9.1f}{seconds / base:10.2f}{rss}")
    print(
        f"packages found: {cold['packages']}; cold / floor {cold['seconds'] / base:.2f} "
        f"(goal <= 1.3), cold / pull-and-extract {cold['seconds'] / pulled['seconds']:.2f} "
        f"(goal < 1), warm {cold['warm_seconds'] * 1000:.0f} ms (goal <= 50 ms, 0 bytes), "
        f"cold / second version {cold['seconds'] / second['seconds']:.1f}x (goal >= 5x), "
        f"peak RSS {cold['rss_mb']:.0f} MB (goal <= 200)"
    )


if __name__ == "__main__":
    main()
