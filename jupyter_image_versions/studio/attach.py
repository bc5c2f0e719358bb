"""Attach an image version to a Studio domain or user profile as a custom image, and detach it."""

from __future__ import annotations

import contextlib
from typing import Any

from ..core import awsmodel
from ..core.aws_calls import call_aws
from ..core.errors import ImageVersionsError, NotFound, SpecError
from .attach_check import Preflight, preflight, refuse_on_errors
from .settings import SettingsTarget, check_target, client_of, problem_of

APP_TYPES = ("JupyterLab", "KernelGateway", "CodeEditor")
#: The AppImageConfig member per app type.
CONFIG_MEMBERS = {
    "JupyterLab": "JupyterLabAppImageConfig",
    "KernelGateway": "KernelGatewayImageConfig",
    "CodeEditor": "CodeEditorAppImageConfig",
}


def app_image_config_name(image: str, app_type: str) -> str:
    """The AppImageConfig this project creates for ``image``: ``<image>-<apptype>-config``."""
    suffix = f"-{app_type.lower()}-config"
    return image.replace(".", "-")[: 63 - len(suffix)].rstrip("-") + suffix


def attach_image(
    clients: Any,
    image: str,
    version: int,
    *,
    domain_id: str,
    app_type: str = "JupyterLab",
    user_profile: str | None = None,
    kernel_name: str | None = None,
    display_name: str | None = None,
    uid: int | None = None,
    gid: int | None = None,
    mount_path: str | None = None,
    force: bool = False,
) -> dict[str, Any]:
    """Make ``image`` at ``version`` a custom image of the domain (or a user profile).

    The doctor reads the version's base image first: KernelGateway kernel specs and uid/gid
    default to the image's; error findings refuse the attach (``ImageCheckFailed``) before
    anything changes, unless ``force``.
    """
    problems = check_target(domain_id, user_profile)
    problems |= _check_image(image, app_type)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problems["version"] = f"version must be a whole number of at least 1, not {version!r}"
    if app_type == "KernelGateway" and (kernel_name is not None or display_name is not None):
        problems |= _kernel_problem(kernel_name or "python3", display_name)
    for label, value in (("uid", uid), ("gid", gid)):
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 65535
        ):
            problems[label] = f"{label} must be a whole number from 0 to 65535, not {value!r}"
    if mount_path is not None and (
        p := _problem_shape("MountPath", mount_path, "mount_path", "must be an absolute path")
    ):
        problems["mount_path"] = p
    if problems:
        raise SpecError(problems)

    sm = client_of(clients, "sagemaker")
    described = call_aws(sm, "describe_image_version", ImageName=image, Version=version)
    kernels = [kernel_name] if kernel_name else None
    check = preflight(
        clients, described.get("BaseImage"), app_type, kernel_names=kernels, uid=uid, gid=gid
    )
    if not force:
        refuse_on_errors(check, image, version, app_type)
    specs = _kernel_specs(app_type, kernel_name, display_name, check)
    if app_type == "KernelGateway" and check.checked and uid is None and gid is None:
        uid, gid = check.user_ids()
    config_name = app_image_config_name(image, app_type)
    config = _image_config(app_type, specs, uid, gid, mount_path)
    member = CONFIG_MEMBERS[app_type]
    # The config may be shared with other domains: create it when missing (the settings entry
    # refers to it), but change an existing one only once the settings write has succeeded.
    created = False
    try:
        existing = call_aws(sm, "describe_app_image_config", AppImageConfigName=config_name)
    except NotFound:
        call_aws(sm, "create_app_image_config", AppImageConfigName=config_name, **{member: config})
        created = True
    try:
        images = _attach_entry(sm, domain_id, user_profile, app_type, image, version, config_name)
    except ImageVersionsError:
        if created:
            with contextlib.suppress(ImageVersionsError):
                call_aws(sm, "delete_app_image_config", AppImageConfigName=config_name)
        raise
    if not created and existing.get(member) != config:
        call_aws(sm, "update_app_image_config", AppImageConfigName=config_name, **{member: config})
    result = _attachment(domain_id, user_profile, app_type, image, version, config_name, images)
    result["doctor"] = check.to_dict()
    return result


def _kernel_specs(
    app_type: str, kernel_name: str | None, display_name: str | None, check: Preflight
) -> list[dict[str, str]]:
    """The KernelSpecs: the one given, else the image's kernels, else python3."""
    if app_type != "KernelGateway":
        return []
    if kernel_name:
        spec = {"Name": kernel_name}
        if display_name:
            spec["DisplayName"] = display_name
        return [spec]
    return check.kernel_specs() or [{"Name": "python3"}]


def _attach_entry(
    sm: Any,
    domain_id: str,
    user_profile: str | None,
    app_type: str,
    image: str,
    version: int,
    config_name: str,
) -> list[dict[str, Any]]:
    """Put ``image`` at ``version`` into the custom images of the settings; the new list."""
    target = SettingsTarget(sm, domain_id, user_profile)
    settings_member = f"{app_type}AppSettings"
    settings = target.read(settings_member)
    entry = {"ImageName": image, "ImageVersionNumber": version, "AppImageConfigName": config_name}
    images = list(settings.get("CustomImages") or [])
    positions = [i for i, item in enumerate(images) if item.get("ImageName") == image]
    if positions:
        images[positions[0]] = entry
        images = [item for i, item in enumerate(images) if i not in positions[1:]]
    else:
        images.append(entry)
    if settings.get("CustomImages") != images:
        settings["CustomImages"] = images
        target.write(settings_member, settings, app_type)
    return images


def detach_image(
    clients: Any,
    image: str,
    *,
    domain_id: str,
    app_type: str = "JupyterLab",
    user_profile: str | None = None,
) -> dict[str, Any]:
    """Remove ``image`` from the custom images; the AppImageConfig is left for other users."""
    problems = check_target(domain_id, user_profile) | _check_image(image, app_type)
    if problems:
        raise SpecError(problems)
    target = SettingsTarget(client_of(clients, "sagemaker"), domain_id, user_profile)
    settings_member = f"{app_type}AppSettings"
    settings = target.read(settings_member)
    images = list(settings.get("CustomImages") or [])
    kept = [item for item in images if item.get("ImageName") != image]
    if kept == images:
        raise NotFound(f"{image} is not attached to {target.where} as a {app_type} image")
    settings["CustomImages"] = kept
    target.write(settings_member, settings, app_type)
    return _attachment(domain_id, user_profile, app_type, image, None, None, kept)


def _attachment(
    domain_id: str,
    user_profile: str | None,
    app_type: str,
    image: str,
    version: int | None,
    config: str | None,
    images: list[dict[str, Any]],
) -> dict[str, Any]:
    return {
        "domain_id": domain_id,
        "user_profile": user_profile,
        "app_type": app_type,
        "image_name": image,
        "version": version,
        "app_image_config": config,
        "custom_images": [
            {
                "image_name": item.get("ImageName"),
                "version": item.get("ImageVersionNumber"),
                "app_image_config": item.get("AppImageConfigName"),
            }
            for item in images
        ],
    }


def _check_image(image: str, app_type: str) -> dict[str, str]:
    problems = {}
    if p := problem_of("DescribeImage", "ImageName", image, "image_name"):
        problems["image_name"] = p
    if app_type not in APP_TYPES:
        problems["app_type"] = f"app_type {app_type!r} must be one of {', '.join(APP_TYPES)}"
    return problems


def _problem_shape(shape: str, value: Any, label: str, hint: str | None = None) -> str | None:
    found = awsmodel.service_model("sagemaker").shape_for(shape)
    problem = awsmodel.string_problem(found, value, pattern_hint=hint)
    return f"{label} {problem}" if problem else None


def _kernel_problem(kernel_name: str, display_name: str | None) -> dict[str, str]:
    problems = {}
    if p := _problem_shape("KernelName", kernel_name, "kernel_name"):
        problems["kernel_name"] = p
    if display_name is not None and (
        p := _problem_shape("KernelDisplayName", display_name, "display_name")
    ):
        problems["display_name"] = p
    return problems


def _image_config(
    app_type: str,
    kernel_specs: list[dict[str, str]],
    uid: int | None,
    gid: int | None,
    mount_path: str | None,
) -> dict[str, Any]:
    file_system = {"MountPath": mount_path, "DefaultUid": uid, "DefaultGid": gid}
    file_system = {k: v for k, v in file_system.items() if v is not None}
    config: dict[str, Any] = {}
    if app_type == "KernelGateway":
        config["KernelSpecs"] = kernel_specs
    if file_system:
        config["FileSystemConfig"] = file_system
    return config
