"""It runs: a real Debian base image (mmdebstrap, from Debian's packages) pushed to the local
endpoint, derived with wheels from the test's wheelhouse, its layers extracted in order with
whiteouts applied, and the image's own python3 importing the package and running its script."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from jupyter_image_versions.derive.request import DeriveRequest
from jupyter_image_versions.derive.resolve import PipOptions
from jupyter_image_versions.local.image_push import (
    OCI_CONFIG,
    OCI_MANIFEST,
    ensure_repository,
    put_manifest,
    sha256,
    upload_blob,
)

from .derive_helpers import make_wheel

CACHE = (
    Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "jupyter-image-versions-tests"
)
ROOTFS = CACHE / "bookworm-python3.tar"
REPO = "team/debian"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("mmdebstrap") is None, reason="needs mmdebstrap (apt)"),
    pytest.mark.skipif(os.geteuid() != 0, reason="mmdebstrap and chroot need root"),
]


def debian_rootfs() -> Path:
    """`mmdebstrap --variant=apt --include=python3 bookworm`, cached outside the tree."""
    if not ROOTFS.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = ROOTFS.with_suffix(".partial")
        subprocess.run(
            [
                "mmdebstrap",
                "--variant=apt",
                "--format=tar",
                "--include=python3",
                "bookworm",
                str(partial),
            ],
            check=True,
            capture_output=True,
            timeout=1800,
        )
        partial.rename(ROOTFS)
    return ROOTFS


def push_rootfs(iv, tar: Path) -> str:
    """The root filesystem as a one-layer OCI image (gzip), through ECR's upload API."""
    ecr = iv.endpoint.client("ecr")
    ensure_repository(ecr, REPO)
    raw = tar.read_bytes()
    blob = gzip.compress(raw, compresslevel=1, mtime=0)
    layer_digest = upload_blob(ecr, REPO, blob)
    config = json.dumps(
        {
            "architecture": "amd64",
            "os": "linux",
            "config": {
                "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]
            },
            "rootfs": {"type": "layers", "diff_ids": [sha256(raw)]},
            "history": [{"created_by": "mmdebstrap --variant=apt --include=python3 bookworm"}],
        }
    ).encode()
    manifest = {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": {
            "mediaType": OCI_CONFIG,
            "size": len(config),
            "digest": upload_blob(ecr, REPO, config),
        },
        "layers": [
            {
                "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                "size": len(blob),
                "digest": layer_digest,
            }
        ],
    }
    put_manifest(ecr, REPO, "bookworm", json.dumps(manifest), OCI_MANIFEST)
    return iv.endpoint.registry_uri(REPO, "bookworm")


def extract(iv, uri: str, root: Path) -> None:
    """Every layer in order: whiteouts delete what lower layers hold, then the entries land."""
    from jupyter_image_versions.derive.base import open_base

    base = open_base(iv, iv._ecr_for(uri), uri)
    for layer in base.manifest.layers:
        with base.reader.open_blob(layer["digest"]) as raw:
            data = gzip.decompress(raw.read())
        path = root.parent / "layer.tar"
        path.write_bytes(data)
        with tarfile.open(path) as tar:
            members = []
            for member in tar.getmembers():
                folder, name = os.path.split(member.name)
                if name == ".wh..wh..opq":
                    for child in (root / folder).iterdir():
                        shutil.rmtree(
                            child
                        ) if child.is_dir() and not child.is_symlink() else child.unlink()
                elif name.startswith(".wh."):
                    doomed = root / folder / name[4:]
                    if doomed.is_dir() and not doomed.is_symlink():
                        shutil.rmtree(doomed)
                    elif doomed.exists() or doomed.is_symlink():
                        doomed.unlink()
                elif not member.ischr() and not member.isblk():
                    members.append(member)
            tar.extractall(root, members=members, filter="fully_trusted")
        path.unlink()


def test_a_derived_debian_image_runs_the_package_and_its_script(iv, tmp_path):
    wheelhouse = tmp_path / "wheelhouse"
    make_wheel(wheelhouse, "hellodebian", "3.1.4", scripts={"hellodebian": "hellodebian:main"})
    make_wheel(
        wheelhouse, "platdebian", "0.2", "cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64"
    )
    uri = push_rootfs(iv, debian_rootfs())
    result = iv.derive(
        DeriveRequest(
            tag="with-hello",
            base_image=uri,
            pip=["hellodebian", "platdebian"],
            pip_options=PipOptions(find_links=[str(wheelhouse)], no_index=True),
        )
    )
    target = result.plan.target
    assert target.interpreter.startswith("/usr/bin/python3.")
    assert target.platforms[0] == "manylinux_2_36_x86_64"  # bookworm's glibc 2.36
    root = tmp_path / "root"
    root.mkdir()
    extract(iv, result.pushed.uri, root)

    def run(*argv: str) -> str:
        done = subprocess.run(
            ["chroot", str(root), *argv], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    code = "import hellodebian, platdebian; print(hellodebian.__version__, platdebian.__version__)"
    assert run("/usr/bin/python3", "-c", code) == "3.1.4 0.2"
    assert run("/usr/bin/hellodebian") == "hellodebian says 3.1.4"
    assert (root / "usr/bin/hellodebian").read_text().startswith(f"#!{target.interpreter}\n")
