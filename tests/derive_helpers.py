"""Wheels written by the tests (no compiler: a platform wheel is a zip whose WHEEL says its
tag) and a small Debian-like base image pushed through the local ECR layer API."""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path

from jupyter_image_versions.local.image_push import Entry, ImageSpec, Layer, push_image

PY = "3.11"
REPO = "team/base"


def make_wheel(
    folder: Path,
    name: str,
    version: str,
    tag: str = "py3-none-any",
    *,
    scripts: dict[str, str] | None = None,
    requires: list[str] | None = None,
    extra: dict[str, str] | None = None,
) -> Path:
    """A wheel named ``name-version-tag.whl`` holding ``name/__init__.py`` (with
    ``__version__``), console ``scripts`` (name -> "module:function") and ``extra`` files."""
    folder.mkdir(parents=True, exist_ok=True)
    dist = f"{name}-{version}.dist-info"
    files = {
        f"{name}/__init__.py": f'__version__ = "{version}"\n\ndef main():\n'
        f'    print("{name} says {version}")\n',
        **(extra or {}),
        f"{dist}/METADATA": "Metadata-Version: 2.1\nName: {}\nVersion: {}\n{}".format(
            name, version, "".join(f"Requires-Dist: {r}\n" for r in requires or [])
        ),
        f"{dist}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: {}\n{}".format(
            "true" if tag.endswith("any") else "false",
            "".join(f"Tag: {t}\n" for t in _expand(tag)),
        ),
    }
    if scripts:
        lines = "".join(f"{k} = {v}\n" for k, v in scripts.items())
        files[f"{dist}/entry_points.txt"] = "[console_scripts]\n" + lines
    record = []
    path = folder / f"{name}-{version}-{tag}.whl"
    with zipfile.ZipFile(path, "w") as whl:
        for arc, text in files.items():
            data = text.encode()
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            record.append(f"{arc},sha256={digest.decode()},{len(data)}")
            whl.writestr(zipfile.ZipInfo(arc, (2020, 1, 1, 0, 0, 0)), data)
        record.append(f"{dist}/RECORD,,")
        whl.writestr(zipfile.ZipInfo(f"{dist}/RECORD", (2020, 1, 1, 0, 0, 0)), "\n".join(record))
    return path


def _expand(tag: str) -> list[str]:
    py, abi, plat = tag.split("-")
    return [f"{a}-{b}-{c}" for a in py.split(".") for b in abi.split(".") for c in plat.split(".")]


def dist_info_entries(site: str, name: str, version: str, files: dict[str, str]) -> list[Entry]:
    """An installed distribution: its files, METADATA, INSTALLER and RECORD."""
    dist = f"{name}-{version}.dist-info"
    entries = [Entry(f"{site}/{path}", text.encode()) for path, text in files.items()]
    record = [f"{path},," for path in files] + [f"{dist}/METADATA,,", f"{dist}/RECORD,,"]
    entries += [
        Entry(
            f"{site}/{dist}/METADATA",
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode(),
        ),
        Entry(f"{site}/{dist}/INSTALLER", b"pip\n"),
        Entry(f"{site}/{dist}/RECORD", "\n".join(record).encode()),
    ]
    return entries


def debian_like(installed: list[Entry] | None = None, arch: str = "amd64") -> ImageSpec:
    """/usr/bin/python3.11 (a stand-in file), dpkg's libc6 2.36, Debian's dist-packages."""
    status = (
        "Package: libc6\nStatus: install ok installed\nArchitecture: amd64\n"
        "Version: 2.36-9+deb12u4\n\nPackage: python3.11\nStatus: install ok installed\n"
        "Version: 3.11.2-6\n"
    )
    entries = [
        Entry("etc/os-release", b'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian 12"\n'),
        Entry("var/lib/dpkg/status", status.encode()),
        Entry("usr/bin/python3.11", b"\x7fELF stand-in", mode=0o755),
        Entry("usr/bin/python3", kind="symlink", link="python3.11"),
        Entry("usr/lib/python3/dist-packages", kind="dir"),
        Entry("usr/lib/python3.11/os.py", b""),
    ]
    return ImageSpec(
        [Layer(entries), Layer(installed or [])],
        architecture=arch,
        config={"Env": ["PATH=/usr/local/bin:/usr/bin:/bin"], "Cmd": ["bash"]},
    )


def push_base(iv, spec: ImageSpec, tag: str = "base", repo: str = REPO) -> str:
    ecr = iv.endpoint.client("ecr")
    push_image(ecr, repo, tag, spec)
    return iv.endpoint.registry_uri(repo, tag)
