"""pip, run as a subprocess of this interpreter, resolves and downloads wheels for the image's
platform (not this machine's): `install --dry-run --report` and `download`, binary wheels only."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from packaging.tags import Tag, compatible_tags, cpython_tags
from packaging.utils import canonicalize_name, parse_wheel_filename

from ..contents.model import Package
from ..core.errors import SpecError
from .plan import Planned, Target, constraints

PIP_TIMEOUT = 900.0


@dataclass
class PipOptions:
    """Where pip looks; pip's own configuration (pip.conf, PIP_*) applies beneath these."""

    index_url: str | None = None
    extra_index_urls: list[str] = field(default_factory=list)
    find_links: list[str] = field(default_factory=list)
    no_index: bool = False
    cwd: str | None = None  # pip's working directory: relative --find-links paths

    def args(self) -> list[str]:
        out = ["--index-url", self.index_url] if self.index_url else []
        for url in self.extra_index_urls:
            out += ["--extra-index-url", url]
        for link in self.find_links:
            out += ["--find-links", link]
        return out + (["--no-index"] if self.no_index else [])


def platform_args(target: Target) -> list[str]:
    out = ["--only-binary=:all:"]
    for tag in target.platforms:
        out += ["--platform", tag]
    version = ["--python-version", target.version, "--implementation", "cp", "--abi", target.abi]
    return [*out, *version]


def supported_tags(target: Target) -> set[Tag]:
    version = tuple(int(x) for x in target.version.split("."))
    tags = set(cpython_tags(version, [target.abi], list(target.platforms)))
    return tags | set(
        compatible_tags(version, f"cp{version[0]}{version[1]}", list(target.platforms))
    )


def check_wheel(filename: str, target: Target) -> None:
    """Refuse a wheel that cannot run on the image's platform and Python."""
    name = Path(filename.split("#")[0].split("?")[0]).name
    try:
        _, _, _, tags = parse_wheel_filename(name)
    except Exception:
        raise SpecError({"pip": f"{name} is not a wheel file name"}) from None
    if not tags & supported_tags(target):
        shown = ", ".join(sorted(str(t) for t in tags))
        raise SpecError(
            {
                "pip": f"{name} ({shown}) does not run on the image: Python {target.version} "
                f"({target.abi}) on {target.platforms[0]}"
            }
        )


def run_pip(args: list[str], cwd: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
    try:
        return subprocess.run(
            [sys.executable, "-m", "pip", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=cwd,
            timeout=PIP_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise SpecError({"pip": f"pip took longer than {PIP_TIMEOUT:.0f} s"}) from None


def _pip_error(result: subprocess.CompletedProcess[str]) -> str:
    lines = [ln.strip() for ln in result.stderr.splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith("ERROR:")] or lines[-3:]
    return " ".join(e.removeprefix("ERROR: ") for e in errors)[:2000] or "pip failed"


def _report(
    target: Target, requirements: list[str], options: PipOptions, pins: list[str]
) -> tuple[list[dict], str | None]:
    with tempfile.TemporaryDirectory(prefix="derive-plan-") as tmp:
        report = Path(tmp, "report.json")
        args = ["install", "--dry-run", "--ignore-installed", "--quiet", "--report", str(report)]
        args += ["--target", str(Path(tmp, "target"))]  # pip's condition for --platform
        args += platform_args(target) + options.args()
        if pins:
            Path(tmp, "constraints.txt").write_text("\n".join(pins) + "\n")
            args += ["-c", str(Path(tmp, "constraints.txt"))]
        result = run_pip(args + requirements, options.cwd)
        if result.returncode != 0:
            return [], _pip_error(result)
        return json.loads(report.read_text()).get("install", []), None


def _planned(item: dict, installed: dict[str, Package]) -> Planned:
    meta = item["metadata"]
    info = item.get("download_info") or {}
    hashes = (info.get("archive_info") or {}).get("hashes") or {}
    current = installed.get(canonicalize_name(meta["name"]))
    return Planned(
        meta["name"],
        meta["version"],
        info.get("url", ""),
        hashes.get("sha256", ""),
        current.version if current else None,
    )


def resolve(
    target: Target,
    requirements: list[str],
    installed: dict[str, Package],
    options: PipOptions,
    allow_upgrade: bool = False,
) -> list[Planned]:
    """The wheels to add (and, with ``allow_upgrade``, to upgrade); nothing installed changes
    otherwise: a requirement that needs a change fails naming the package and both versions."""
    if not requirements:
        return []
    for spec in requirements:
        if spec.endswith(".whl"):
            check_wheel(spec, target)
    pins = [] if allow_upgrade else constraints(installed)
    items, error = _report(target, requirements, options, pins)
    if error and pins:
        free, _ = _report(target, requirements, options, [])
        changed = [p for p in (_planned(i, installed) for i in free) if _changes(p)]
        if changed:
            raise SpecError({"pip": _conflict_text(changed)})
    if error:
        raise SpecError({"pip": error})
    planned = [_planned(item, installed) for item in items]
    changed = [p for p in planned if _changes(p)]
    if changed and not allow_upgrade:
        raise SpecError({"pip": _conflict_text(changed)})
    for p in planned:
        if p.url:
            check_wheel(p.url, target)
    kept = [p for p in planned if p.replaces is None or _changes(p)]
    return sorted(kept, key=lambda p: canonicalize_name(p.name))


def _changes(p: Planned) -> bool:
    return p.replaces is not None and p.replaces != p.version


def _conflict_text(changed: list[Planned]) -> str:
    shown = "; ".join(
        f"{p.name} {p.version} is needed but the image has {p.name} {p.replaces}" for p in changed
    )
    return f"{shown} (--allow-upgrade lets derive change it)"


def download(
    planned: list[Planned], target: Target, options: PipOptions, folder: Path
) -> dict[str, Path]:
    """Download the planned wheels into ``folder``: normalised name -> wheel, hashes checked."""
    if not planned:
        return {}
    specs = [p.url if p.url.startswith("file:") else f"{p.name}=={p.version}" for p in planned]
    args = ["download", "--no-deps", "--quiet", "-d", str(folder)]
    result = run_pip(args + platform_args(target) + options.args() + specs, options.cwd)
    if result.returncode != 0:
        raise SpecError({"pip": _pip_error(result)})
    wheels = {}
    for path in folder.glob("*.whl"):
        name, version, _, _ = parse_wheel_filename(path.name)
        wheels[canonicalize_name(name)] = (path, str(version))
    out = {}
    for p in planned:
        key = canonicalize_name(p.name)
        if key not in wheels:
            raise SpecError({"pip": f"pip download gave no wheel for {p.name} {p.version}"})
        path = wheels[key][0]
        if p.sha256 and hashlib.sha256(path.read_bytes()).hexdigest() != p.sha256:
            raise SpecError({"pip": f"{path.name} does not match the hash pip resolved"})
        out[key] = path
    return out
