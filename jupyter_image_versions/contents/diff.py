"""The difference between two inventories: packages added, removed and changed per ecosystem,
OS, default Python and CUDA, sizes and shared layers, the most significant first.

`InventoryDiff.to_dict()` is what `diff --json` prints and `GET /diff` answers: `{a: {target,
digest}, b: {...}, added: [package], removed: [package], changed: [{ecosystem, name, from, to,
kind}], os, python, cuda, size, layers_shared, bytes_read}`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from .model import ECOSYSTEMS, Inventory, Package
from .versions import KINDS, change_kind, compare

#: The frameworks a change of which matters most (a minor torch move outranks a new package).
FRAMEWORKS = ("torch", "tensorflow", "jax", "mxnet")


@dataclass(frozen=True)
class Change:
    """One package whose version differs: `kind` is major, minor, patch or other;
    `downgrade` when the new version orders before the old."""

    ecosystem: str
    name: str
    old: str
    new: str
    kind: str
    downgrade: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "ecosystem": self.ecosystem,
            "name": self.name,
            "from": self.old,
            "to": self.new,
            "kind": self.kind,
            "downgrade": self.downgrade,
        }


@dataclass(frozen=True)
class ValueChange:
    """The OS, the default Python or CUDA: from and to (None when absent), and the kind."""

    old: Any
    new: Any
    kind: str = "other"

    def to_dict(self) -> dict[str, Any]:
        return {"from": self.old, "to": self.new, "kind": self.kind}


@dataclass(frozen=True)
class InventoryDiff:
    a_target: str
    a_digest: str
    b_target: str
    b_digest: str
    added: tuple[Package, ...]
    removed: tuple[Package, ...]
    changed: tuple[Change, ...]
    os: ValueChange | None
    python: ValueChange | None
    cuda: ValueChange | None
    size: dict[str, Any]
    layers_shared: int
    layers: tuple[int, int]
    bytes_read: int

    @property
    def empty(self) -> bool:
        """Nothing a release note would mention changed."""
        return not (self.added or self.removed or self.changed or self.os or self.python) and (
            self.cuda is None
        )

    def to_dict(self) -> dict[str, Any]:
        def side(target: str, digest: str, layers: int) -> dict[str, Any]:
            return {"target": target, "digest": digest, "layers": layers}

        return {
            "a": side(self.a_target, self.a_digest, self.layers[0]),
            "b": side(self.b_target, self.b_digest, self.layers[1]),
            "added": [p.to_dict() for p in self.added],
            "removed": [p.to_dict() for p in self.removed],
            "changed": [c.to_dict() for c in self.changed],
            "os": self.os.to_dict() if self.os else None,
            "python": self.python.to_dict() if self.python else None,
            "cuda": self.cuda.to_dict() if self.cuda else None,
            "size": self.size,
            "layers_shared": self.layers_shared,
            "bytes_read": self.bytes_read,
        }


def _ecosystem_rank(ecosystem: str) -> int:
    return ECOSYSTEMS.index(ecosystem) if ecosystem in ECOSYSTEMS else len(ECOSYSTEMS)


def is_framework(package: Package | Change) -> bool:
    return package.ecosystem in ("pypi", "conda") and package.name.lower() in FRAMEWORKS


def change_rank(change: Change) -> tuple[int, int, int, str]:
    """Sort key, most significant first: a framework's major or minor move, then by kind
    (major, minor, patch, other), Python packages before conda, deb, apk; then by name."""
    framework = 0 if is_framework(change) and change.kind in ("major", "minor") else 1
    return (framework, KINDS.index(change.kind), _ecosystem_rank(change.ecosystem), change.name)


def package_rank(package: Package) -> tuple[int, int, str]:
    """Added and removed packages: frameworks first, then per ecosystem, then by name."""
    return (0 if is_framework(package) else 1, _ecosystem_rank(package.ecosystem), package.name)


def _index(inventory: Inventory) -> dict[tuple[str, str], list[Package]]:
    found: dict[tuple[str, str], list[Package]] = {}
    for package in inventory.packages:
        found.setdefault(package.key, []).append(package)
    return found


def _newest(packages: list[Package]) -> Package:
    """Of one name's installs (several site-packages), the highest version."""
    best = packages[0]
    for package in packages[1:]:
        if compare(package.ecosystem, package.version, best.version) > 0:
            best = package
    return best


def _value_change(old: Any, new: Any, ecosystem: str = "pypi") -> ValueChange | None:
    if old == new:
        return None
    kind = change_kind(ecosystem, old, new) if old and new else "other"
    return ValueChange(old, new, kind)


def _os_change(a: Inventory, b: Inventory) -> ValueChange | None:
    if (a.os.id, a.os.version_id) == (b.os.id, b.os.version_id):
        return None
    kind = change_kind("deb", a.os.version_id, b.os.version_id) if a.os.id == b.os.id else "major"
    return ValueChange(asdict(a.os), asdict(b.os), kind)


def _size(a: Inventory, b: Inventory) -> dict[str, Any]:
    def change(old: int | None, new: int | None) -> int | None:
        return None if old is None or new is None else new - old

    return {
        "from": {"compressed": a.size_compressed, "uncompressed": a.size_uncompressed},
        "to": {"compressed": b.size_compressed, "uncompressed": b.size_uncompressed},
        "change": {
            "compressed": change(a.size_compressed, b.size_compressed),
            "uncompressed": change(a.size_uncompressed, b.size_uncompressed),
        },
    }


def diff_inventories(
    a: Inventory, b: Inventory, a_target: str = "", b_target: str = ""
) -> InventoryDiff:
    """What changed from `a` (the older) to `b`. A name installed in several places is compared
    by its highest version."""
    old, new = _index(a), _index(b)
    added = sorted((_newest(new[k]) for k in new.keys() - old.keys()), key=package_rank)
    removed = sorted((_newest(old[k]) for k in old.keys() - new.keys()), key=package_rank)
    changed = []
    for key in old.keys() & new.keys():
        before, after = _newest(old[key]), _newest(new[key])
        if before.version != after.version:
            order = compare(key[0], before.version, after.version)
            if order == 0:  # the same version spelled otherwise ('1.0' and '1.0.0')
                continue
            kind = change_kind(key[0], before.version, after.version)
            changed.append(
                Change(key[0], after.name, before.version, after.version, kind, order > 0)
            )
    changed.sort(key=change_rank)
    pa, pb = a.default_python, b.default_python
    shared = set(a.layer_digests) & set(b.layer_digests)
    return InventoryDiff(
        a_target=a_target or a.uri,
        a_digest=a.digest,
        b_target=b_target or b.uri,
        b_digest=b.digest,
        added=tuple(added),
        removed=tuple(removed),
        changed=tuple(changed),
        os=_os_change(a, b),
        python=_value_change(pa.version if pa else None, pb.version if pb else None),
        cuda=_value_change(a.cuda, b.cuda),
        size=_size(a, b),
        layers_shared=len(shared),
        layers=(len(a.layer_digests), len(b.layer_digests)),
        bytes_read=a.bytes_read + b.bytes_read,
    )
