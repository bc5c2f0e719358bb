"""What Studio needs per app type, as findings about an image's facts.

The facts per app type are in ../shared/STUDIO-IMAGES.md, with their sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..oci.layer_scan import size_text

APP_TYPES = ("JupyterLab", "CodeEditor", "KernelGateway")
HOME = "/home/sagemaker-user"
#: Env names Studio sets itself, overriding the image's.
OVERRIDDEN_ENV = (
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ACCOUNT_ID",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "SAGEMAKER_SPACE_NAME",
    "SAGEMAKER_APP_TYPE",
)
#: The documented KernelGateway image size limit (35 GB on the current page).
KERNEL_GATEWAY_MAX_BYTES = 35 * 10**9
SERVER = {"JupyterLab": "jupyter-lab", "CodeEditor": "sagemaker-code-editor"}
#: Large-ID findings listed one by one before a summary.
MAX_LISTED = 10


@dataclass(frozen=True)
class Finding:
    severity: str  # error | warning | info
    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"severity": self.severity, "code": self.code, "message": self.message}


def supported_ids(app_type: str) -> list[tuple[int, int]]:
    return [(1000, 100), (0, 0)] if app_type == "KernelGateway" else [(1000, 100)]


def findings(
    facts: dict[str, Any],
    app_type: str,
    uid: int | None = None,
    gid: int | None = None,
    kernel_names: list[str] | None = None,
) -> list[Finding]:
    """Every finding for running the image (``facts``, from the doctor) as ``app_type``."""
    out: list[Finding] = []
    out += _platform(facts)
    out += _user(facts, app_type, uid, gid)
    out += _large_ids(facts)
    out += _kernels(facts, app_type, kernel_names)
    out += _server(facts, app_type)
    out += _workdir_env_size(facts, app_type)
    for problem in facts.get("unreadable_layers") or []:
        out.append(Finding("error", "layer-unreadable", problem))
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(out, key=lambda f: order[f.severity])


def _platform(facts: dict[str, Any]) -> list[Finding]:
    platform = facts["platform"]
    out = []
    if platform.get("os") != "linux" or platform.get("architecture") != "amd64":
        shown = f"{platform.get('os')}/{platform.get('architecture')}"
        out.append(
            Finding(
                "error",
                "architecture",
                f"the image is built for {shown}; Studio runs linux/amd64 only (the app fails "
                "with 'exec format error'): build with --platform=linux/amd64",
            )
        )
    if facts.get("index_digest"):
        out.append(
            Finding(
                "warning",
                "image-index",
                "the tag is a multi-platform index; whether SageMaker accepts an index as "
                "BaseImage is unverified: push a single manifest "
                "(docker buildx --provenance=false)",
            )
        )
    return out


def _user(facts: dict[str, Any], app_type: str, uid: int | None, gid: int | None) -> list[Finding]:
    user = facts["user"]
    if user.get("problem"):
        return [Finding("error", "user-unresolved", user["problem"] + "; the app cannot start")]
    ids = (user["uid"], user["gid"])
    allowed = supported_ids(app_type)
    out = []
    shown = f"{user.get('name') or user['uid']} (uid {ids[0]}, gid {ids[1]})"
    if ids not in allowed:
        wanted = " or ".join(f"{u}/{g}" for u, g in allowed)
        out.append(
            Finding(
                "error",
                "user",
                f"the default user is {shown}; {app_type} supports uid/gid {wanted} only: "
                "set USER in the Dockerfile",
            )
        )
    else:
        out.append(Finding("info", "user", f"the default user is {shown}"))
    if (uid is not None and uid != ids[0]) or (gid is not None and gid != ids[1]):
        asked = f"{uid if uid is not None else ids[0]}/{gid if gid is not None else ids[1]}"
        out.append(
            Finding(
                "error",
                "uid-gid-mismatch",
                f"the uid/gid {asked} given for the AppImageConfig differ from the image's "
                f"default user {ids[0]}/{ids[1]}: the app fails to launch",
            )
        )
    return out


def _large_ids(facts: dict[str, Any]) -> list[Finding]:
    large = facts.get("large_ids") or []
    out = [
        Finding(
            "error",
            "large-id",
            f"/{item['path']} in layer {item['layer']} ({item['digest'][:19]}) is owned by "
            f"uid {item['uid']}, gid {item['gid']}: IDs above 65535 break Studio, even when a "
            "later layer deletes the file",
        )
        for item in large[:MAX_LISTED]
    ]
    if len(large) > MAX_LISTED:
        out.append(
            Finding(
                "error",
                "large-id",
                f"{len(large) - MAX_LISTED} more files are owned by IDs above 65535",
            )
        )
    return out


def _kernels(facts: dict[str, Any], app_type: str, kernel_names: list[str] | None) -> list[Finding]:
    names = [k["name"] for k in facts.get("kernels") or []]
    out = []
    if not names:
        severity = "error" if app_type == "KernelGateway" else "warning"
        out.append(
            Finding(
                severity,
                "no-kernels",
                "the image has no Jupyter kernelspec (…/share/jupyter/kernels/NAME/kernel.json)"
                + ("; KernelGateway needs at least one" if severity == "error" else ""),
            )
        )
    else:
        out.append(Finding("info", "kernels", "kernelspecs: " + ", ".join(names)))
    if app_type == "KernelGateway":
        out += _kernel_pythons(facts)
    for name in kernel_names or []:
        if name not in names:
            out.append(
                Finding(
                    "error",
                    "kernel-missing",
                    f"kernel '{name}' is not a kernelspec in the image (names are case-"
                    f"sensitive; the image has: {', '.join(names) or 'none'}); Studio fails with "
                    "'kernel does not exist in image'",
                )
            )
    return out


def _kernel_pythons(facts: dict[str, Any]) -> list[Finding]:
    """A kernel whose Python has no ipykernel in its site-packages cannot start."""
    out = []
    for kernel in facts.get("kernels") or []:
        python = kernel.get("python")
        if python and not python["ipykernel"]:
            where = ", ".join(python["site_packages"]) or "none in the image"
            out.append(
                Finding(
                    "error",
                    "kernel-no-ipykernel",
                    f"kernel '{kernel['name']}' runs {python['interpreter']} (argv[0] "
                    f"'{kernel['argv0']}'), whose site-packages ({where}) has no ipykernel: "
                    "the kernel cannot start",
                )
            )
    return out


def _server(facts: dict[str, Any], app_type: str) -> list[Finding]:
    program = SERVER.get(app_type)
    if program is None:
        return []
    where = (facts.get("programs") or {}).get(program)
    if where:
        return [Finding("info", "server", f"{program} is on PATH at {where}")]
    return [
        Finding(
            "error",
            "server",
            f"{program} is not on the image's PATH; {app_type} starts it to serve the app",
        )
    ]


def _workdir_env_size(facts: dict[str, Any], app_type: str) -> list[Finding]:
    out = []
    workdir = facts.get("workdir") or "/"
    if not (workdir == HOME or workdir.startswith(HOME + "/")):
        out.append(
            Finding(
                "warning",
                "workdir",
                f"WORKDIR {workdir} is outside {HOME}, where Studio mounts the user's home "
                "volume; files written there are lost when the app stops",
            )
        )
    overridden = [name for name in facts.get("env_names") or [] if name in OVERRIDDEN_ENV]
    if overridden:
        out.append(
            Finding(
                "warning",
                "env-overridden",
                f"Studio sets {', '.join(overridden)} itself; the image's values are replaced",
            )
        )
    size = facts.get("size") or 0
    if app_type == "KernelGateway" and size > KERNEL_GATEWAY_MAX_BYTES:
        out.append(
            Finding(
                "error",
                "image-size",
                f"the image is {size_text(size)} compressed, over KernelGateway's documented "
                f"limit of {KERNEL_GATEWAY_MAX_BYTES // 10**9} GB",
            )
        )
    else:
        out.append(Finding("info", "image-size", f"the image is {size_text(size)} compressed"))
    return out
