"""Realistic demo images of a PyTorch training image's history: metadata files only, no code.

Each version has an Ubuntu base (os-release, a dpkg status), CUDA on the GPU ones, a conda
prefix (conda-meta) with Python 3.11 and a site-packages of a few dozen dist-info folders, and
what Studio's JupyterLab needs (sagemaker-user 1000/100, jupyter-lab on PATH, a kernelspec with
ipykernel). Versions share their base layers and differ as real ones do: torch 2.1 -> 2.2 ->
2.3, numpy 1.26 -> 2.0, lightning added, tensorboard removed.
"""

from __future__ import annotations

import json

from .image_push import Entry, ImageSpec, Layer
from .sample_images import GROUP, HOME, PASSWD, kernel_entry, studio_config

SITE = "opt/conda/lib/python3.11/site-packages"
UBUNTU = (
    b'PRETTY_NAME="Ubuntu 22.04.4 LTS"\nNAME="Ubuntu"\nVERSION_ID="22.04"\n'
    b'VERSION="22.04.4 LTS (Jammy Jellyfish)"\nID=ubuntu\nID_LIKE=debian\n'
)
DEBS = (
    ("base-files", "12ubuntu4.6", "amd64", ""),
    ("bash", "5.1-6ubuntu1.1", "amd64", ""),
    ("ca-certificates", "20230311ubuntu0.22.04.1", "all", ""),
    ("coreutils", "8.32-4.1ubuntu1.2", "amd64", ""),
    ("curl", "7.81.0-1ubuntu1.16", "amd64", ""),
    ("git", "1:2.34.1-1ubuntu1.11", "amd64", ""),
    ("libc6", "2.35-0ubuntu3.7", "amd64", "glibc"),
    ("libgomp1", "12.3.0-1ubuntu1~22.04", "amd64", "gcc-12"),
    ("libssl3", "3.0.2-0ubuntu1.15", "amd64", "openssl"),
    ("libstdc++6", "12.3.0-1ubuntu1~22.04", "amd64", "gcc-12"),
    ("openssh-client", "1:8.9p1-3ubuntu0.7", "amd64", "openssh"),
    ("openssl", "3.0.2-0ubuntu1.15", "amd64", ""),
    ("tzdata", "2024a-0ubuntu0.22.04", "all", ""),
    ("unzip", "6.0-26ubuntu3.2", "amd64", ""),
    ("wget", "1.21.2-2ubuntu1", "amd64", ""),
    ("zlib1g", "1:1.2.11.dfsg-2ubuntu9.2", "amd64", "zlib"),
)
#: (name, version) from conda (a conda-meta record and a dist-info with INSTALLER conda).
CONDA_PYTHON = (
    ("python", "3.11.9"),
    ("pip", "24.0"),
    ("setuptools", "69.5.1"),
    ("wheel", "0.43.0"),
)
JUPYTER = (
    ("jupyterlab", "4.1.8"),
    ("jupyter_server", "2.14.0"),
    ("ipykernel", "6.29.4"),
    ("ipython", "8.24.0"),
    ("traitlets", "5.14.3"),
    ("tornado", "6.4"),
    ("pyzmq", "26.0.3"),
    ("jinja2", "3.1.4"),
    ("MarkupSafe", "2.1.5"),
    ("packaging", "24.0"),
    ("requests", "2.31.0"),
    ("urllib3", "2.2.1"),
    ("certifi", "2024.2.2"),
    ("idna", "3.7"),
    ("charset-normalizer", "3.3.2"),
    ("PyYAML", "6.0.1"),
    ("typing_extensions", "4.11.0"),
    ("boto3", "1.34.101"),
    ("botocore", "1.34.101"),
    ("s3transfer", "0.10.1"),
    ("sagemaker", "2.218.0"),
    ("tqdm", "4.66.4"),
    ("python-dateutil", "2.9.0.post0"),
    ("six", "1.16.0"),
    ("pytz", "2024.1"),
)
#: Per version: CUDA, then the framework layer's pip packages ((name, version), ...).
FRAMEWORKS: dict[str, tuple[str | None, tuple[tuple[str, str], ...]]] = {
    "2.1-gpu": (
        "11.8.0",
        (
            ("torch", "2.1.2"),
            ("torchvision", "0.16.2"),
            ("triton", "2.1.0"),
            ("numpy", "1.26.2"),
            ("pandas", "2.1.4"),
            ("scipy", "1.11.4"),
            ("scikit-learn", "1.3.2"),
            ("matplotlib", "3.8.2"),
            ("pillow", "10.1.0"),
            ("tensorboard", "2.15.1"),
            ("filelock", "3.13.1"),
            ("sympy", "1.12"),
            ("networkx", "3.2.1"),
            ("fsspec", "2023.12.2"),
        ),
    ),
    "2.2-gpu": (
        "12.1.1",
        (
            ("torch", "2.2.1"),
            ("torchvision", "0.17.1"),
            ("triton", "2.2.0"),
            ("nvidia-nccl-cu12", "2.19.3"),
            ("numpy", "1.26.4"),
            ("pandas", "2.2.0"),
            ("scipy", "1.12.0"),
            ("scikit-learn", "1.4.1.post1"),
            ("matplotlib", "3.8.3"),
            ("pillow", "10.2.0"),
            ("tensorboard", "2.16.2"),
            ("filelock", "3.13.1"),
            ("sympy", "1.12"),
            ("networkx", "3.2.1"),
            ("fsspec", "2024.2.0"),
        ),
    ),
    "2.3-gpu": (
        "12.1.1",
        (
            ("torch", "2.3.0"),
            ("torchvision", "0.18.0"),
            ("triton", "2.3.0"),
            ("nvidia-nccl-cu12", "2.20.5"),
            ("lightning", "2.2.4"),
            ("numpy", "2.0.0"),
            ("pandas", "2.2.2"),
            ("scipy", "1.13.1"),
            ("scikit-learn", "1.5.0"),
            ("matplotlib", "3.9.0"),
            ("pillow", "10.3.0"),
            ("filelock", "3.14.0"),
            ("sympy", "1.12"),
            ("networkx", "3.3"),
            ("fsspec", "2024.5.0"),
        ),
    ),
    "2.3-cpu": (
        None,
        (
            ("torch", "2.3.0+cpu"),
            ("torchvision", "0.18.0+cpu"),
            ("lightning", "2.2.4"),
            ("numpy", "2.0.0"),
            ("pandas", "2.2.2"),
            ("scipy", "1.13.1"),
            ("scikit-learn", "1.5.0"),
            ("matplotlib", "3.9.0"),
            ("pillow", "10.3.0"),
            ("filelock", "3.14.0"),
            ("sympy", "1.12"),
            ("networkx", "3.3"),
            ("fsspec", "2024.5.0"),
        ),
    ),
}
SAMPLE_TAGS = tuple(FRAMEWORKS)


def dist_info(name: str, version: str, installer: str = "pip", site: str = SITE) -> list[Entry]:
    """A `.dist-info` folder's METADATA and INSTALLER (headers only)."""
    folder = f"{site}/{name.replace('-', '_')}-{version}.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    return [
        Entry(f"{folder}/METADATA", metadata.encode()),
        Entry(f"{folder}/INSTALLER", f"{installer}\n".encode()),
    ]


def conda_meta(name: str, version: str, build: str = "h2ab0000_0") -> Entry:
    doc = {
        "name": name,
        "version": version,
        "build": build,
        "channel": "https://conda.anaconda.org/conda-forge",
        "subdir": "linux-64",
    }
    return Entry(f"opt/conda/conda-meta/{name}-{version}-{build}.json", json.dumps(doc).encode())


def dpkg_status(packages: tuple[tuple[str, str, str, str], ...]) -> bytes:
    paragraphs = []
    for name, version, arch, source in packages:
        lines = [f"Package: {name}", "Status: install ok installed", "Priority: optional"]
        lines += [f"Architecture: {arch}"] + ([f"Source: {source}"] if source else [])
        lines += [f"Version: {version}", f"Description: {name} (demo metadata)"]
        paragraphs.append("\n".join(lines) + "\n")
    return "\n".join(paragraphs).encode()


def os_layer() -> Layer:
    """Ubuntu 22.04's metadata, the Studio user, merged /usr (shared by every version)."""
    return Layer(
        [
            Entry("etc/os-release", UBUNTU),
            Entry("etc/passwd", PASSWD),
            Entry("etc/group", GROUP),
            Entry("usr/bin/bash", b"\x7fELF bash", mode=0o755),
            Entry("bin", kind="symlink", link="usr/bin"),
            Entry("var/lib/dpkg/status", dpkg_status(DEBS)),
            Entry(HOME.lstrip("/"), kind="dir", uid=1000, gid=100),
        ]
    )


def cuda_layer(version: str) -> Layer:
    short = ".".join(version.split(".")[:2])
    doc = {"cuda": {"name": "CUDA SDK", "version": version}}
    return Layer(
        [
            Entry(f"usr/local/cuda-{short}/version.json", json.dumps(doc).encode()),
            Entry("usr/local/cuda", kind="symlink", link=f"cuda-{short}"),
        ]
    )


def conda_layer() -> Layer:
    """Python 3.11 in /opt/conda, JupyterLab and the kernel (shared by every version)."""
    entries = [
        Entry("opt/conda/bin/python3.11", b"\x7fELF python", mode=0o755),
        Entry("opt/conda/bin/python3", kind="symlink", link="python3.11"),
        Entry("opt/conda/bin/python", kind="symlink", link="python3.11"),
        Entry("opt/conda/bin/jupyter-lab", b"#!/opt/conda/bin/python3.11\n", mode=0o755),
        kernel_entry("python3", display="Python 3 (ipykernel)"),
    ]
    for name, version in CONDA_PYTHON:
        entries.append(conda_meta(name, version))
        if name != "python":
            entries += dist_info(name, version, installer="conda")
    for name, version in JUPYTER:
        entries += dist_info(name, version)
    return Layer(entries)


def framework_layer(tag: str) -> Layer:
    _, packages = FRAMEWORKS[tag]
    entries: list[Entry] = []
    for name, version in packages:
        entries += dist_info(name, version)
    return Layer(entries)


def pytorch_image(tag: str) -> ImageSpec:
    """The demo's `pytorch-training` image of ``tag`` (2.1-gpu, 2.2-gpu, 2.3-gpu, 2.3-cpu)."""
    cuda, _ = FRAMEWORKS[tag]
    layers = [os_layer()]
    if cuda:
        layers.append(cuda_layer(cuda))
    layers += [conda_layer(), framework_layer(tag)]
    config = studio_config("sagemaker-user")
    if cuda:
        config["Env"] = [*config["Env"], f"CUDA_VERSION={cuda}"]
    return ImageSpec(layers, config=config)
