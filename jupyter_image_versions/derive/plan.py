"""What a derivation will do: the target interpreter and its paths, the platform tags, and the
packages to add or upgrade (resolved by `resolve.py`)."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import Any

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from ..contents.model import Inventory, Package, PythonInterpreter
from ..core.errors import SpecError

ARCHITECTURES = {"amd64": "x86_64", "x86_64": "x86_64", "arm64": "aarch64", "aarch64": "aarch64"}
#: The legacy manylinux names (PEP 513, 571, 599) and the glibc each stands for.
_LEGACY = {(2, 17): "manylinux2014", (2, 12): "manylinux2010", (2, 5): "manylinux1"}


@dataclass(frozen=True)
class Target:
    """The interpreter the packages are installed for, and where its scheme puts files."""

    interpreter: str
    version: str  # "3.11"
    purelib: str
    scripts: str
    data: str
    platforms: tuple[str, ...]
    site_packages: tuple[str, ...] = ()  # every directory the interpreter imports from

    @property
    def abi(self) -> str:
        return "cp" + self.version.replace(".", "")

    def scheme(self) -> dict[str, str]:
        """The `installer` scheme (absolute paths in the image)."""
        return {
            "purelib": self.purelib,
            "platlib": self.purelib,
            "headers": posixpath.join(self.data, "include", f"python{self.version}"),
            "scripts": self.scripts,
            "data": self.data,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "interpreter": self.interpreter,
            "python_version": self.version,
            "site_packages": self.purelib,
            "scripts": self.scripts,
            "platforms": list(self.platforms),
        }


@dataclass(frozen=True)
class Planned:
    """One wheel to install: its name, version, where pip found it, and what it replaces."""

    name: str
    version: str
    url: str = ""
    sha256: str = ""
    replaces: str | None = None  # the installed version it upgrades

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "url": self.url,
            "sha256": self.sha256,
            "replaces": self.replaces,
        }


@dataclass
class Plan:
    """Everything decided before anything is downloaded or pushed."""

    base_image: str
    base_digest: str
    target: Target
    requirements: list[str]
    packages: list[Planned] = field(default_factory=list)
    files: list[tuple[str, str]] = field(default_factory=list)  # (local, path in image)
    env: list[str] = field(default_factory=list)

    @property
    def added(self) -> list[Planned]:
        return [p for p in self.packages if p.replaces is None]

    @property
    def upgraded(self) -> list[Planned]:
        return [p for p in self.packages if p.replaces is not None]

    def summary(self) -> str:
        """'Added: a 1.0, b 2.0; upgraded: c 1.0 -> 2.0; files: /x'."""
        parts = []
        if self.added:
            parts.append("Added: " + ", ".join(f"{p.name} {p.version}" for p in self.added))
        if self.upgraded:
            parts.append(
                "upgraded: "
                + ", ".join(f"{p.name} {p.replaces} -> {p.version}" for p in self.upgraded)
            )
        if self.files:
            parts.append("files: " + ", ".join(path for _, path in self.files))
        if self.env:
            parts.append("env: " + ", ".join(e.split("=", 1)[0] for e in self.env))
        return "; ".join(parts) or "nothing"

    def to_dict(self) -> dict[str, Any]:
        return {
            "base_image": self.base_image,
            "base_digest": self.base_digest,
            "target": self.target.to_dict(),
            "requirements": list(self.requirements),
            "add": [p.to_dict() for p in self.added],
            "upgrade": [p.to_dict() for p in self.upgraded],
            "files": [{"local": local, "path": path} for local, path in self.files],
            "env": list(self.env),
            "summary": self.summary(),
        }


def glibc_version(inventory: Inventory) -> tuple[int, int] | None:
    """glibc's (major, minor) from dpkg's libc6 (Debian, Ubuntu), or None."""
    for package in inventory.packages_of("deb"):
        if package.name == "libc6":
            match = re.match(r"(?:\d+:)?(\d+)\.(\d+)", package.version)
            if match:
                return int(match[1]), int(match[2])
    return None


def musl_version(inventory: Inventory) -> tuple[int, int] | None:
    for package in inventory.packages_of("apk"):
        if package.name == "musl":
            match = re.match(r"(\d+)\.(\d+)", package.version)
            if match:
                return int(match[1]), int(match[2])
    return None


def platform_tags(
    architecture: str, glibc: tuple[int, int] | None, musl: tuple[int, int] | None
) -> tuple[str, ...]:
    """The wheel platform tags the image runs, best first (PEP 600, 599, 656)."""
    arch = ARCHITECTURES.get(architecture)
    if arch is None:
        raise SpecError(
            {
                "image": f"the image's architecture {architecture or '(none)'} is not one derive "
                f"knows ({', '.join(sorted(ARCHITECTURES))})"
            }
        )
    if musl is not None:
        return tuple(f"musllinux_{musl[0]}_{minor}_{arch}" for minor in range(musl[1], -1, -1))
    if glibc is None:
        raise SpecError(
            {
                "image": "cannot tell the image's C library: no libc6 in dpkg's status and no musl "
                "in apk's database, so no wheel platform can be chosen"
            }
        )
    tags = []
    for minor in range(glibc[1], 4, -1):
        tags.append(f"manylinux_{glibc[0]}_{minor}_{arch}")
        legacy = _LEGACY.get((glibc[0], minor))
        if legacy and (arch == "x86_64" or legacy == "manylinux2014"):
            tags.append(f"{legacy}_{arch}")
    return tuple(tags)


def choose_interpreter(inventory: Inventory, python: str | None) -> PythonInterpreter:
    if not inventory.python:
        raise SpecError(
            {"python": f"the image {inventory.uri} has no Python interpreter (bin/python3.X)"}
        )
    if python is None:
        return inventory.default_python or inventory.python[0]
    for interpreter in inventory.python:
        if interpreter.path == python:
            return interpreter
    known = ", ".join(p.path for p in inventory.python)
    raise SpecError({"python": f"--python {python} is not an interpreter of the image ({known})"})


def make_target(inventory: Inventory, python: str | None) -> Target:
    """The interpreter, its install paths and the platform tags."""
    interpreter = choose_interpreter(inventory, python)
    prefix = posixpath.dirname(posixpath.dirname(interpreter.path))
    version = ".".join(interpreter.version.split(".")[:2])  # 3.11.2 -> 3.11
    if prefix == "/usr" and any("dist-packages" in s for s in interpreter.site_packages):
        # Debian's python3: what its pip installs into (site.py puts it on sys.path)
        purelib = f"/usr/local/lib/python{version}/dist-packages"
        data = "/usr/local"
    else:
        own = f"{prefix}/lib/python{version}/site-packages"
        purelib = next((s for s in interpreter.site_packages if s == own), own)
        data = prefix
    musl = musl_version(inventory)
    platforms = platform_tags(inventory.architecture, glibc_version(inventory), musl)
    scripts = posixpath.dirname(interpreter.path)
    seen = tuple(dict.fromkeys((*interpreter.site_packages, purelib)))
    return Target(interpreter.path, version, purelib, scripts, data, platforms, seen)


def installed_pypi(inventory: Inventory, target: Target) -> dict[str, Package]:
    """The Python packages the target interpreter sees, by normalised name."""
    out: dict[str, Package] = {}
    for package in inventory.packages_of("pypi"):
        if package.name and package.location in target.site_packages:
            out.setdefault(canonicalize_name(package.name), package)
    return out


def constraints(installed: dict[str, Package]) -> list[str]:
    """`name==version` for every installed package with a PEP 440 version."""
    lines = []
    for name, package in sorted(installed.items()):
        try:
            Version(package.version)
        except InvalidVersion:
            continue
        lines.append(f"{name}=={package.version}")
    return lines
