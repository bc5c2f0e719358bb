"""What an image holds: the inventory's model, shared by contents, diff, find, SBOM and derive.

The JSON shape (`Inventory.to_dict()`) is what `contents --json` prints and `GET /contents`
answers: `{digest, os: {id, version_id, pretty_name}, architecture, python: [{path, version,
default}], packages: [{ecosystem, name, version, location, installer}], cuda, size:
{compressed, uncompressed}, layers, bytes_read, cached}`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from packaging.utils import canonicalize_name

ECOSYSTEMS = ("pypi", "conda", "deb", "apk")


@dataclass(frozen=True)
class OsRelease:
    """`etc/os-release` (or `usr/lib/os-release`): ID, VERSION_ID, PRETTY_NAME."""

    id: str = ""
    version_id: str = ""
    pretty_name: str = ""


@dataclass(frozen=True)
class PythonInterpreter:
    """A Python interpreter in the image (`*/bin/python3.X`) and the site-packages beside it."""

    path: str
    version: str
    default: bool = False
    site_packages: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "version": self.version,
            "default": self.default,
            "site_packages": list(self.site_packages),
        }


@dataclass(frozen=True)
class Package:
    """One installed package of one ecosystem.

    `location`: pypi, the site-packages (or dist-packages) directory; conda, the prefix; deb,
    the status file; apk, the installed database. `installer`: pypi's INSTALLER (pip, conda,
    uv...), empty elsewhere. `arch`, `build`, `channel`, `subdir`, `source` are the PURL
    qualifiers the ecosystem records (empty when it does not).
    """

    ecosystem: str
    name: str
    version: str
    location: str = ""
    installer: str = ""
    arch: str = ""
    build: str = ""
    channel: str = ""
    subdir: str = ""
    source: str = ""

    @property
    def key(self) -> tuple[str, str]:
        """(ecosystem, name as compared): PEP 503 for pypi, lower case elsewhere."""
        if self.ecosystem == "pypi":
            return (self.ecosystem, canonicalize_name(self.name))
        return (self.ecosystem, self.name.lower())

    def to_dict(self) -> dict[str, Any]:
        out = {
            "ecosystem": self.ecosystem,
            "name": self.name,
            "version": self.version,
            "location": self.location,
            "installer": self.installer,
        }
        for name in ("arch", "build", "channel", "subdir", "source"):
            if getattr(self, name):
                out[name] = getattr(self, name)
        return out


@dataclass(frozen=True)
class Inventory:
    """Everything the contents report of one image (its final filesystem, whiteouts applied)."""

    digest: str
    os: OsRelease = field(default_factory=OsRelease)
    architecture: str = ""
    python: tuple[PythonInterpreter, ...] = ()
    packages: tuple[Package, ...] = ()
    cuda: str | None = None
    size_compressed: int = 0
    size_uncompressed: int | None = None
    layer_digests: tuple[str, ...] = ()
    bytes_read: int = 0
    cached: bool = False
    uri: str = ""
    env: tuple[str, ...] = ()

    @property
    def default_python(self) -> PythonInterpreter | None:
        return next((p for p in self.python if p.default), None)

    def packages_of(self, ecosystem: str) -> list[Package]:
        return [p for p in self.packages if p.ecosystem == ecosystem]

    def to_dict(self) -> dict[str, Any]:
        return {
            "digest": self.digest,
            "uri": self.uri,
            "os": asdict(self.os),
            "architecture": self.architecture,
            "python": [p.to_dict() for p in self.python],
            "packages": [p.to_dict() for p in self.packages],
            "cuda": self.cuda,
            "size": {"compressed": self.size_compressed, "uncompressed": self.size_uncompressed},
            "layers": len(self.layer_digests),
            "layer_digests": list(self.layer_digests),
            "bytes_read": self.bytes_read,
            "cached": self.cached,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Inventory:
        size = data.get("size") or {}
        return cls(
            digest=data["digest"],
            uri=data.get("uri", ""),
            os=OsRelease(**(data.get("os") or {})),
            architecture=data.get("architecture", ""),
            python=tuple(
                PythonInterpreter(
                    path=p["path"],
                    version=p["version"],
                    default=bool(p.get("default")),
                    site_packages=tuple(p.get("site_packages", ())),
                )
                for p in data.get("python", ())
            ),
            packages=tuple(Package(**p) for p in data.get("packages", ())),
            cuda=data.get("cuda"),
            size_compressed=size.get("compressed", 0),
            size_uncompressed=size.get("uncompressed"),
            layer_digests=tuple(data.get("layer_digests", ())),
            bytes_read=data.get("bytes_read", 0),
            cached=bool(data.get("cached")),
        )
