"""`DeriveMethods.derive`: plan, download and build one layer, push, check, register."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from ..contents.diff import diff_inventories
from ..contents.notes import draft_notes
from ..core.base import ServiceBase
from ..core.errors import SpecError
from ..core.models import ImageVersion
from ..core.spec import ImageVersionSpec
from ..studio.attach_check import ImageCheckFailed
from .base import BaseImage, open_base
from .layer import (
    BuiltLayer,
    add_file,
    build_layer,
    record_paths,
    staged_paths,
    unpack_wheels,
    whiteouts,
)
from .plan import Plan, installed_pypi, make_target
from .push import Pushed, new_config, new_manifest, push
from .request import DeriveRequest
from .resolve import download, resolve

STAGES = ("planning", "downloading", "pushing", "checking", "registering", "done")
Listener = Callable[[str, dict[str, Any]], None]  # stage, details (plan, bytes, ...)
_CARRIED = ("ml_framework", "programming_lang", "processor", "job_type", "horovod")


@dataclass
class DeriveResult:
    plan: Plan
    pushed: Pushed | None = None
    layer: dict[str, Any] | None = None
    version: ImageVersion | None = None
    new_errors: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan.to_dict(),
            "pushed": self.pushed.to_dict() if self.pushed else None,
            "layer": self.layer,
            "version": self.version.to_dict() if self.version else None,
            "new_errors": list(self.new_errors),
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }


class DeriveMethods(ServiceBase):
    """derive(): a new image from a version by adding Python packages and files, no Docker."""

    def derive(self, request: DeriveRequest, on_stage: Listener | None = None) -> DeriveResult:
        request.validate()
        say = on_stage or (lambda stage, info: None)
        clock = {"start": time.monotonic()}

        def lap(name: str) -> None:
            now = time.monotonic()
            result.seconds[name] = now - clock["start"]
            clock["start"] = now

        say("planning", {})
        base_version = None
        base_uri = request.base_image
        if request.image_name is not None:
            base_version = self.get(  # type: ignore[attr-defined]
                request.image_name, version=request.version, alias=request.alias
            )
            base_uri = base_version.base_image
        if not base_uri:
            raise SpecError({"target": "the version has no base image"})
        ecr = self._ecr_for(base_uri)  # type: ignore[attr-defined]
        base = open_base(self, ecr, base_uri)
        plan = self._plan(base, request)
        result = DeriveResult(plan)
        lap("plan")
        say("planned", {"plan": plan.to_dict()})
        if request.dry_run:
            say("done", {})
            return result
        say("downloading", {})
        with tempfile.TemporaryDirectory(prefix="derive-") as tmp:
            wheels = download(plan.packages, plan.target, request.options(), Path(tmp, "wheels"))
            lap("download")
            layer = self._layer(base, plan, list(wheels.values()), Path(tmp, "root"))
        result.layer = {
            "digest": layer.digest,
            "diff_id": layer.diff_id,
            "size": len(layer.blob),
            "files": layer.files,
            "whiteouts": layer.whiteouts,
        }
        lap("build")
        say("pushing", {"layer": result.layer})
        config = new_config(base, layer, f"derive: {plan.summary()}", request.env)
        manifest, media_type = new_manifest(base, layer, config)
        repository = request.repository or base.ref.repository
        result.pushed = push(
            ecr,
            base,
            layer,
            config,
            manifest,
            media_type,
            repository,
            request.tag,
            lambda sent, total: say("pushing", {"bytes_sent": sent, "bytes_total": total}),
        )
        lap("push")
        say("checking", {"image": result.pushed.uri})
        result.new_errors = self._new_errors(base_uri, result.pushed.uri)
        lap("check")
        if result.new_errors and not request.force:
            raise ImageCheckFailed(
                f"the derived image {result.pushed.uri} has errors its base has not "
                "(--force goes on anyway)",
                [
                    dict(zip(("code", "message"), e.split(": ", 1), strict=False))
                    for e in result.new_errors
                ],
            )
        if request.register and base_version is not None:
            say("registering", {"image": result.pushed.uri})
            # the notes from the diff of the two inventories (only the new layer is read)
            derived = self.contents(result.pushed.uri)  # type: ignore[attr-defined]
            notes = draft_notes(diff_inventories(base.inventory, derived))
            result.version = self.register(  # type: ignore[attr-defined]
                self._spec(base_version, result.pushed.uri, notes, request.new_alias)
            )
            lap("register")
        say("done", {})
        return result

    def _plan(self, base: BaseImage, request: DeriveRequest) -> Plan:
        target = make_target(base.inventory, request.python)
        installed = installed_pypi(base.inventory, target)
        packages = resolve(
            target,
            request.all_requirements(),
            installed,
            request.options(),
            request.allow_upgrade,
        )
        return Plan(
            base.uri,
            base.manifest.digest,
            target,
            request.all_requirements(),
            packages,
            list(request.files),
            list(request.env),
        )

    def _layer(self, base: BaseImage, plan: Plan, wheels: list[Path], root: Path) -> BuiltLayer:
        root.mkdir(parents=True)
        unpack_wheels(wheels, plan.target, root)
        for local, path in plan.files:
            add_file(root, local, path)
        kept = staged_paths(root)
        installed = installed_pypi(base.inventory, plan.target)
        wanted = set()
        for p in plan.upgraded:
            package = installed[canonicalize_name(p.name)]
            wanted.add((package.location, canonicalize_name(package.name), package.version))
        hidden: list[str] = []
        for dist_info, (location, record) in (base.records(wanted) if wanted else {}).items():
            hidden += whiteouts(record_paths(record, location), dist_info, kept)
        return build_layer(root, sorted(set(hidden)))

    def _new_errors(self, base_uri: str, new_uri: str) -> list[str]:
        before = self.doctor(base_uri)  # type: ignore[attr-defined]
        after = self.doctor(new_uri)  # type: ignore[attr-defined]
        known = {f.code for f in before.findings if f.severity == "error"}
        return [
            f"{f.code}: {f.message}"
            for f in after.findings
            if f.severity == "error" and f.code not in known
        ]

    def _spec(
        self, base: ImageVersion, uri: str, notes: str, alias: str | None
    ) -> ImageVersionSpec:
        carried = {name: getattr(base, name) for name in _CARRIED}
        guidance = (
            base.vendor_guidance if base.vendor_guidance in ("STABLE", "NOT_PROVIDED") else None
        )
        return ImageVersionSpec(
            image_name=base.image_name,
            base_image=uri,
            aliases=[alias] if alias else [],
            release_notes=notes,
            vendor_guidance=guidance,
            **carried,
        )
