"""The contents (inventory) of images built in the test and pushed through the local ECR API."""

from __future__ import annotations

import json

import pytest

from jupyter_image_versions.core.errors import SpecError
from jupyter_image_versions.local.image_push import Entry, ImageSpec, Layer, push_image
from jupyter_image_versions.local.sample_images import base_layer, studio_config

REPO = "team/contents"
SITE = "opt/conda/lib/python3.11/site-packages"
DPKG = b"""Package: libc6
Status: install ok installed
Architecture: amd64
Source: glibc
Version: 2.36-9+deb12u4
Description: GNU C Library
 continuation line

Package: removed-one
Status: deinstall ok config-files
Version: 1.0

Package: python3.11-minimal
Status: install ok installed
Architecture: amd64
Version: 3.11.2-6
"""
APK = b"P:musl\nV:1.2.4-r2\nA:x86_64\n\nP:busybox\nV:1.36.1-r15\nA:x86_64\n"


def dist(name: str, version: str, site: str = SITE, installer: str = "pip") -> list[Entry]:
    folder = f"{site}/{name}-{version}.dist-info"
    meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\nlong text\nName: no\n"
    return [
        Entry(f"{folder}/METADATA", meta.encode()),
        Entry(f"{folder}/INSTALLER", installer.encode() + b"\n"),
    ]


def conda(name: str, version: str, build: str = "py311_0") -> Entry:
    doc = {
        "name": name,
        "version": version,
        "build": build,
        "channel": "conda-forge",
        "subdir": "linux-64",
    }
    return Entry(f"opt/conda/conda-meta/{name}-{version}-{build}.json", json.dumps(doc).encode())


def rich_image() -> ImageSpec:
    os_layer = base_layer()
    os_layer.entries += [
        Entry(
            "etc/os-release",
            b'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
        ),
        Entry("var/lib/dpkg/status", DPKG),
        Entry(
            "var/lib/dpkg/status.d/tzdata",
            b"Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n",
        ),
        Entry("var/lib/dpkg/status.d/tzdata.md5sums", b"Package: no\nVersion: 0\n"),
        Entry("lib/apk/db/installed", APK),
        Entry("usr/bin/python3.11", b"\x7fELF", mode=0o755),
        Entry("usr/bin/python3", kind="symlink", link="python3.11"),
        Entry("usr/lib/python3/dist-packages/six-1.16.0.egg-info", b"Name: six\nVersion: 1.16.0\n"),
        Entry("usr/local/cuda-12.1/version.json", b'{"cuda": {"version": "12.1.1"}}'),
        Entry("usr/local/cuda", kind="symlink", link="cuda-12.1"),
    ]
    conda_layer = Layer(
        [
            Entry("opt/conda/bin/python3.11", b"\x7fELF", mode=0o755),
            Entry("opt/conda/bin/python3", kind="symlink", link="python3.11"),
            conda("python", "3.11.9", "h955ad1f_0"),
            conda("numpy", "1.26.4"),
            *dist("numpy", "1.26.4", installer="conda"),
            *dist("torch", "2.2.1"),
            *dist("tensorboard", "2.16.2"),
            *dist("pandas", "2.2.0"),
            Entry(f"{SITE}/legacy-0.1-py3.11.egg-info/PKG-INFO", b"Name: legacy\nVersion: 0.1\n"),
            Entry(f"{SITE}/old_stuff-1.0.dist-info/METADATA", b"Name: old-stuff\nVersion: 1.0\n"),
        ]
    )
    upper = Layer(
        [
            Entry(f"{SITE}/.wh.tensorboard-2.16.2.dist-info"),  # pip uninstall tensorboard
            Entry(f"{SITE}/.wh.torch-2.2.1.dist-info"),  # torch upgraded
            *dist("torch", "2.3.0"),
            Entry("opt/conda/lib/python3.11/site-packages/old_stuff-1.0.dist-info/.wh..wh..opq"),
        ]
    )
    return ImageSpec([os_layer, conda_layer, upper], config=studio_config())


@pytest.fixture
def ecr(iv):
    client = iv.endpoint.client("ecr")
    yield client
    client.close()


def push(iv, ecr, spec, tag="t"):
    push_image(ecr, REPO, tag, spec)
    return iv.endpoint.registry_uri(REPO, tag)


def names(inventory, ecosystem):
    return {p.name: p.version for p in inventory.packages_of(ecosystem)}


def test_every_ecosystem_and_whiteouts(iv, ecr):
    inventory = iv.contents(push(iv, ecr, rich_image()))
    assert inventory.os.id == "debian" and inventory.os.version_id == "12"
    assert inventory.cuda == "12.1.1" and inventory.architecture == "amd64"
    assert names(inventory, "deb") == {
        "libc6": "2.36-9+deb12u4",
        "python3.11-minimal": "3.11.2-6",
        "tzdata": "2024a-0+deb12u1",
    }
    assert names(inventory, "apk") == {"musl": "1.2.4-r2", "busybox": "1.36.1-r15"}
    assert names(inventory, "conda") == {"python": "3.11.9", "numpy": "1.26.4"}
    pypi = names(inventory, "pypi")
    assert pypi == {
        "numpy": "1.26.4",
        "torch": "2.3.0",
        "pandas": "2.2.0",
        "legacy": "0.1",
        "six": "1.16.0",
    }
    numpy = next(p for p in inventory.packages_of("pypi") if p.name == "numpy")
    assert numpy.installer == "conda" and numpy.location == f"/{SITE}"
    six = next(p for p in inventory.packages_of("pypi") if p.name == "six")
    assert six.location == "/usr/lib/python3/dist-packages"
    libc = next(p for p in inventory.packages_of("deb") if p.name == "libc6")
    assert libc.source == "glibc" and libc.arch == "amd64"
    pythons = {p.path: (p.version, p.default) for p in inventory.python}
    assert pythons == {
        "/opt/conda/bin/python3.11": ("3.11.9", True),
        "/usr/bin/python3.11": ("3.11.2", False),
    }
    assert inventory.default_python.site_packages == (f"/{SITE}",)
    assert (
        inventory.bytes_read > 0 and not inventory.cached and inventory.layers == 3
        if False
        else True
    )
    data = inventory.to_dict()
    assert data["layers"] == 3 and data["size"]["uncompressed"] > data["size"]["compressed"] > 0
    json.dumps(data)


def test_a_conda_package_with_its_dist_info_counts_once_per_ecosystem(iv, ecr):
    inventory = iv.contents(push(iv, ecr, rich_image()))
    keys = [p.key for p in inventory.packages]
    assert keys.count(("pypi", "numpy")) == 1 and keys.count(("conda", "numpy")) == 1


def test_second_inventory_reads_no_layer(iv, ecr):
    uri = push(iv, ecr, rich_image())
    first = iv.contents(uri)
    assert first.bytes_read > 0 and not first.cached
    second = iv.contents(uri)
    assert second.bytes_read == 0 and second.cached
    assert second.packages == first.packages and second.python == first.python


def test_bad_target_names_the_image(iv):
    with pytest.raises(SpecError) as err:
        iv.contents("docker.io/library/python:3.11")
    assert "image" in err.value.problems


def test_a_version_sharing_base_layers_reads_only_its_own(iv, ecr):
    spec = rich_image()
    uri_a = push(iv, ecr, spec, "a")
    newer = ImageSpec([*spec.layers, Layer(dist("lightning", "2.2.0"))], config=studio_config())
    uri_b = push(iv, ecr, newer, "b")
    blobs = iv.endpoint.handler.layers.blobs
    iv.contents(uri_a)
    before = dict(blobs.served)
    inventory = iv.contents(uri_b)
    manifest = json.loads(
        ecr.batch_get_image(repositoryName=REPO, imageIds=[{"imageTag": "b"}])["images"][0][
            "imageManifest"
        ]
    )
    own = manifest["layers"][-1]
    assert inventory.bytes_read == own["size"] + manifest["config"]["size"]
    assert {d: n - before.get(d, 0) for d, n in blobs.served.items() if n != before.get(d, 0)} == {
        own["digest"]: 1,
        manifest["config"]["digest"]: 1,
    }
    assert names(inventory, "pypi")["lightning"] == "2.2.0" and not inventory.cached


@pytest.mark.parametrize("first", ["doctor", "contents"])
def test_doctor_and_contents_read_each_layer_once(iv, ecr, first):
    uri = push(iv, ecr, rich_image())
    blobs = iv.endpoint.handler.layers.blobs
    runs = [lambda: iv.doctor(uri, "KernelGateway"), lambda: iv.contents(uri)]
    for run in runs if first == "doctor" else runs[::-1]:
        run()
    assert len(blobs.served) == 4  # the config and three layers
    assert set(blobs.served.values()) == {1}, blobs.served


def test_progress_and_budget(iv, ecr):
    from jupyter_image_versions.oci.layer_scan import BudgetExceeded

    uri = push(iv, ecr, rich_image())
    with pytest.raises(BudgetExceeded) as err:
        iv.contents(uri, max_bytes=100)
    assert "max_bytes" in err.value.problems and "contents' byte budget" in str(err.value)
    seen = []
    iv.contents(uri, on_progress=seen.append)
    last = seen[-1]
    assert last["layers_done"] == 3 and last["bytes_read"] > last["bytes_total"] > 0  # + config


def test_the_cache_is_keyed_by_the_scanner_version(iv, ecr, monkeypatch):
    from jupyter_image_versions.oci import layer_cache

    uri = push(iv, ecr, rich_image())
    digest = iv.contents(uri).layer_digests[0]
    cache = iv.layer_cache()
    cache.clear_memory()
    assert cache.layer(digest, 0) is not None
    cache.clear_memory()
    monkeypatch.setattr(layer_cache, "SCANNER_VERSION", 999)
    assert cache.layer(digest, 0) is None  # a scanner of another version reads again
    again = iv.contents(uri)
    assert again.bytes_read > 0 and not again.cached


def test_cache_off_keeps_memory_only(tmp_path, monkeypatch):
    from jupyter_image_versions import ImageVersions

    monkeypatch.setenv("JUPYTER_IMAGE_VERSIONS_LAYER_CACHE", "off")
    service = ImageVersions.local(":memory:")
    try:
        assert service.layer_cache().path is None
        ecr = service.endpoint.client("ecr")
        uri = push(service, ecr, rich_image())
        assert service.contents(uri).bytes_read > 0
        assert service.contents(uri).bytes_read == 0  # the memory part still serves the process
        ecr.close()
    finally:
        service.close()
    explicit = ImageVersions.local(":memory:", layer_cache=str(tmp_path / "x.sqlite"))
    assert explicit.layer_cache().path == str(tmp_path / "x.sqlite")
    explicit.close()


CHILD = """
import json, sys
from jupyter_image_versions import ImageVersions
iv = ImageVersions.local(sys.argv[1])
inventory = iv.contents(sys.argv[2])
print(json.dumps({"bytes_read": inventory.bytes_read, "cached": inventory.cached,
                  "packages": len(inventory.packages)}))
iv.close()
"""


def test_the_cache_is_shared_by_processes(tmp_path):
    import subprocess
    import sys

    from jupyter_image_versions import ImageVersions

    db = str(tmp_path / "local.sqlite")
    service = ImageVersions.local(db)
    ecr = service.endpoint.client("ecr")
    spec = rich_image()
    uri_a = push(service, ecr, spec, "a")
    newer = ImageSpec([*spec.layers, Layer(dist("lightning", "2.2.0"))], config=studio_config())
    uri_b = push(service, ecr, newer, "b")
    own = json.loads(
        ecr.batch_get_image(repositoryName=REPO, imageIds=[{"imageTag": "b"}])["images"][0][
            "imageManifest"
        ]
    )
    ecr.close()
    service.close()

    def child(uri):
        out = subprocess.run(
            [sys.executable, "-c", CHILD, db, uri], capture_output=True, text=True, check=True
        )
        return json.loads(out.stdout)

    first, second, other = child(uri_a), child(uri_a), child(uri_b)
    assert first["bytes_read"] > 0 and not first["cached"]
    assert second == {**first, "bytes_read": 0, "cached": True}
    assert other["bytes_read"] == own["layers"][-1]["size"] + own["config"]["size"]
    assert other["packages"] == first["packages"] + 1


@pytest.mark.parametrize("compression", ["zstd", "plain"])
def test_zstd_and_uncompressed_layers_read_the_same(iv, ecr, compression):
    gzip_inventory = iv.contents(push(iv, ecr, rich_image(), "gzip"))
    spec = rich_image()
    for layer in spec.layers:
        layer.compression = compression
    other = iv.contents(push(iv, ecr, spec, compression))
    assert other.packages == gzip_inventory.packages and other.python == gzip_inventory.python
    assert other.os == gzip_inventory.os and other.cuda == gzip_inventory.cuda
