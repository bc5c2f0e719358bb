"""The doctor before an attach: defaults from the image, and a refusal on error findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core.errors import Conflict, ImageVersionsError
from ..core.labels import count

#: KernelSpecs holds 1 to 5 entries (botocore's model: KernelSpecs max 5).
MAX_KERNEL_SPECS = 5


class ImageCheckFailed(Conflict):
    """The doctor found errors in the image: nothing was changed; ``force`` attaches anyway."""

    code = "ImageCheckFailed"

    def __init__(self, message: str, findings: list[dict[str, str]]) -> None:
        super().__init__(message)
        self.findings = findings

    def to_dict(self) -> dict:
        problems = {
            f"finding.{i + 1}.{f['code']}": f["message"] for i, f in enumerate(self.findings)
        }
        return {"message": self.message, "code": self.code, "problems": problems}


@dataclass
class Preflight:
    """What the doctor said about the version's base image before attaching."""

    checked: bool
    reason: str | None = None
    report: dict[str, Any] = field(default_factory=dict)

    def kernel_specs(self) -> list[dict[str, str]]:
        specs = []
        for kernel in (self.report.get("kernels") or [])[:MAX_KERNEL_SPECS]:
            spec = {"Name": kernel["name"]}
            if kernel.get("display_name"):
                spec["DisplayName"] = kernel["display_name"][:1024]
            specs.append(spec)
        return specs

    def user_ids(self) -> tuple[int | None, int | None]:
        user = self.report.get("user") or {}
        return user.get("uid"), user.get("gid")

    def errors(self) -> list[dict[str, str]]:
        return [f for f in self.report.get("findings") or [] if f["severity"] == "error"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "reason": self.reason,
            "digest": self.report.get("digest"),
            "findings": self.report.get("findings") or [],
        }


def preflight(
    service: Any,
    base_image: str | None,
    app_type: str,
    *,
    kernel_names: list[str] | None,
    uid: int | None,
    gid: int | None,
) -> Preflight:
    """Run the doctor on ``base_image``; an image it cannot read is reported, not refused."""
    if not base_image or not hasattr(service, "doctor"):
        return Preflight(False, "the version names no base image the doctor can read")
    try:
        report = service.doctor(base_image, app_type, uid=uid, gid=gid, kernel_names=kernel_names)
    except ImageVersionsError as exc:
        return Preflight(False, f"the doctor could not read {base_image}: {exc.message}")
    return Preflight(True, report=report.to_dict())


def refuse_on_errors(check: Preflight, image: str, version: int, app_type: str) -> None:
    """Raise :class:`ImageCheckFailed` when the doctor found errors."""
    errors = check.errors()
    if not errors:
        return
    listed = "; ".join(f"{f['code']}: {f['message']}" for f in errors)
    raise ImageCheckFailed(
        f"{image}:{version} is not fit for {app_type} ({count(len(errors), 'problem')}: {listed}). "
        "Nothing was changed; fix the image, or attach anyway with --force (force=true).",
        errors,
    )
