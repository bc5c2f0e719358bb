"""Which Python a kernelspec's `argv[0]` runs in the image, and whether ipykernel is in its
site-packages (read from the contents' records of the same layer scans)."""

from __future__ import annotations

import posixpath
import re
from typing import Any

from packaging.utils import canonicalize_name

from ..oci.image_fs import FinalView

_PYTHON = re.compile(r"python(?P<version>3(?:\.[0-9]+)?)?")


def kernel_python(view: FinalView, argv0: str, path_value: str | None) -> dict[str, Any] | None:
    """{interpreter, site_packages, ipykernel} when ``argv0`` is a Python interpreter in the
    image; None when it is not one (or is not in the image: another finding says so)."""
    if not argv0:
        return None
    where = argv0 if argv0.startswith("/") else view.which(argv0, path_value)
    real = view.resolve(where) if where else None
    if where is None or real is None or view.entries[real].kind not in ("file", "hardlink"):
        return None
    names = [posixpath.basename(real), posixpath.basename(where)]
    matches = [m for m in (_PYTHON.fullmatch(n) for n in names) if m]
    if not matches:
        return None
    version = next((m["version"] for m in matches if m["version"] and "." in m["version"]), None)
    prefix = posixpath.dirname(posixpath.dirname(real))
    lib = posixpath.join(prefix, "lib")
    folders = [f"python{version}"] if version else _pythons_in(view, lib)
    sites = [posixpath.join(lib, f, "site-packages") for f in folders]
    sites.append(posixpath.join(lib, "python3", "dist-packages"))
    sites = [s for s in sites if view.exists(s)]
    return {
        "interpreter": "/" + real,
        "site_packages": ["/" + s for s in sites],
        "ipykernel": any(_has_ipykernel(view, s) for s in sites),
    }


def _pythons_in(view: FinalView, lib: str) -> list[str]:
    prefix = lib + "/python3."
    return sorted({p[len(lib) + 1 :].split("/")[0] for p in view.entries if p.startswith(prefix)})


def _has_ipykernel(view: FinalView, site: str) -> bool:
    if view.exists(f"{site}/ipykernel"):
        return True
    return any(
        record.get("t") == "dist"
        and canonicalize_name(record.get("name", "")) == "ipykernel"
        and path.startswith(site + "/")
        for path, record in view.records.items()
    )
