"""Where we run in SageMaker Studio: read from Studio's resource metadata and environment."""

from __future__ import annotations

import contextlib
import copy
import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from . import awsmodel
from .aws_calls import call_aws
from .errors import Conflict, ImageVersionsError, NotFound, SpecError

METADATA_PATH = "/opt/ml/metadata/resource-metadata.json"
METADATA_ENV = "RESOURCE_METADATA_FILE"


@dataclass(frozen=True)
class StudioContext:
    """The Studio app this process runs in (None fields when unknown)."""

    domain_id: str | None = None
    user_profile: str | None = None
    space: str | None = None
    app_type: str | None = None
    resource_arn: str | None = None
    resource_name: str | None = None
    region: str | None = None
    account: str | None = None
    partition: str | None = None
    execution_role: str | None = None
    metadata_file: str | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def metadata_path() -> Path:
    return Path(os.environ.get(METADATA_ENV) or METADATA_PATH)


def read_context(path: str | Path | None = None) -> StudioContext | None:
    """The Studio context, or None outside Studio. A malformed file gives a context with `error`."""
    file = Path(path) if path is not None else metadata_path()
    env_space = os.environ.get("SAGEMAKER_SPACE_NAME")
    env_app = os.environ.get("SAGEMAKER_APP_TYPE")
    if not file.is_file():
        if env_space or env_app:
            return StudioContext(space=env_space, app_type=env_app, region=_env_region())
        return None
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("the top level is not a JSON object")
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        return StudioContext(
            space=env_space,
            app_type=env_app,
            region=_env_region(),
            metadata_file=str(file),
            error=f"Studio metadata {file} could not be read: {reason}",
        )
    arn = _text(data.get("ResourceArn"))
    partition = region = account = None
    if arn and arn.count(":") >= 5:
        _, partition, _, region, account, _ = arn.split(":", 5)
    return StudioContext(
        domain_id=_text(data.get("DomainId")),
        user_profile=_text(data.get("UserProfileName")),
        space=_text(data.get("SpaceName")) or env_space,
        app_type=_text(data.get("AppType")) or env_app,
        resource_arn=arn,
        resource_name=_text(data.get("ResourceName")),
        region=region or _env_region(),
        account=account or None,
        partition=partition or None,
        execution_role=_text(data.get("ExecutionRoleArn")),
        metadata_file=str(file),
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _env_region() -> str | None:
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")


# -- execution role --------------------------------------------------------------------------

_ASSUMED_ROLE = re.compile(r"^(.+)sts::(\d+):assumed-role/(.+?)/.*$")


def role_from_caller_arn(arn: str) -> str | None:
    """The IAM role ARN behind an STS caller ARN, as the SageMaker SDK derives it.

    ``arn:aws:sts::111122223333:assumed-role/Name/session`` becomes
    ``arn:aws:iam::111122223333:role/Name`` (``role/service-role/Name`` for the console's
    ``AmazonSageMaker-ExecutionRole-*`` roles, the SDK's fallback when IAM GetRole is not
    allowed). A role ARN is returned as it is; an IAM user is not a role: None.
    """
    if ":role/" in arn:
        return arn
    match = _ASSUMED_ROLE.match(arn)
    if match is None:
        return None
    prefix, account, name = match.groups()
    path = "service-role/" if "AmazonSageMaker-ExecutionRole" in name else ""
    return f"{prefix}iam::{account}:role/{path}{name}"


def resolve_execution_role(clients: Any, ctx: StudioContext | None) -> str | None:
    """The Studio execution role, in the order the SageMaker SDK uses.

    1. ``ExecutionRoleArn`` in the resource metadata;
    2. in a space: DescribeSpace's settings, else the domain's ``DefaultSpaceSettings``;
       for a user profile: DescribeUserProfile ``UserSettings.ExecutionRole``;
    3. the domain's ``DefaultUserSettings.ExecutionRole`` (DescribeDomain);
    4. STS GetCallerIdentity (an assumed-role ARN turned into its role ARN).

    ``clients`` is an ImageVersions (or anything with ``client(name)``). Outside Studio
    (``ctx`` None) there is no execution role: None. AWS errors in steps 2-3 fall through to
    STS, as in the SDK; an STS failure raises the project's error.
    """
    if ctx is None:
        return None
    if ctx.execution_role:
        return ctx.execution_role
    if ctx.domain_id:
        sm = _client(clients, "sagemaker")
        with contextlib.suppress(ImageVersionsError):
            if ctx.space and not ctx.user_profile:
                space = call_aws(sm, "describe_space", DomainId=ctx.domain_id, SpaceName=ctx.space)
                role = (space.get("SpaceSettings") or {}).get("ExecutionRole")
                if role:
                    return role
            elif ctx.user_profile:
                profile = call_aws(
                    sm,
                    "describe_user_profile",
                    DomainId=ctx.domain_id,
                    UserProfileName=ctx.user_profile,
                )
                role = (profile.get("UserSettings") or {}).get("ExecutionRole")
                if role:
                    return role
            domain = call_aws(sm, "describe_domain", DomainId=ctx.domain_id)
            if ctx.space and not ctx.user_profile:
                role = (domain.get("DefaultSpaceSettings") or {}).get("ExecutionRole")
                if role:
                    return role
            role = (domain.get("DefaultUserSettings") or {}).get("ExecutionRole")
            if role:
                return role
    identity = call_aws(_client(clients, "sts"), "get_caller_identity")
    return role_from_caller_arn(identity.get("Arn") or "")


def _client(clients: Any, name: str) -> Any:
    if hasattr(clients, "_client"):  # an ImageVersions: its cached, error-translating clients
        return clients._client(name)
    return clients.client(name)


# -- attaching image versions and lifecycle configs to a domain ------------------------------

APP_TYPES = ("JupyterLab", "KernelGateway")
LCC_APP_SETTINGS = {
    "JupyterLab": "JupyterLabAppSettings",
    "JupyterServer": "JupyterServerAppSettings",
}
IN_SERVICE_HELP = (
    "AWS refused to change {where} because Studio apps are running ({reason}). Stop (delete) "
    "the running {app} apps of the domain and retry, or attach at the user-profile level "
    "instead (user_profile=... / --user-profile), which applies to that profile's new apps."
)
IN_SERVICE_PROFILE_HELP = (
    "AWS refused to change {where} because Studio apps are running ({reason}). Stop (delete) "
    "the user's running {app} apps and retry."
)


def app_image_config_name(image: str, app_type: str) -> str:
    """The AppImageConfig this project creates for ``image``: ``<image>-<apptype>-config``."""
    suffix = f"-{app_type.lower()}-config"
    return image.replace(".", "-")[: 63 - len(suffix)].rstrip("-") + suffix


def _problem(operation: str, member: str, value: Any, label: str) -> str | None:
    problem = awsmodel.string_problem(awsmodel.input_shape("sagemaker", operation, member), value)
    return f"{label} {problem}" if problem else None


def _check_target(domain_id: str, user_profile: str | None) -> dict[str, str]:
    problems = {}
    if p := _problem("DescribeDomain", "DomainId", domain_id, "domain_id"):
        problems["domain_id"] = p
    if user_profile is not None and (
        p := _problem("DescribeUserProfile", "UserProfileName", user_profile, "user_profile")
    ):
        problems["user_profile"] = p
    return problems


class SettingsTarget:
    """Read-modify-write of one ``*AppSettings`` member of a domain's DefaultUserSettings or of
    a user profile's UserSettings. UpdateDomain/UpdateUserProfile replace each top-level
    member sent, so the whole member goes back with only our change."""

    def __init__(self, sm: Any, domain_id: str, user_profile: str | None = None) -> None:
        self.sm, self.domain_id, self.user_profile = sm, domain_id, user_profile

    @property
    def where(self) -> str:
        if self.user_profile:
            return f"user profile {self.user_profile} of domain {self.domain_id}"
        return f"domain {self.domain_id}"

    def read(self, member: str) -> dict[str, Any]:
        if self.user_profile:
            found = call_aws(
                self.sm,
                "describe_user_profile",
                DomainId=self.domain_id,
                UserProfileName=self.user_profile,
            )
            settings = found.get("UserSettings") or {}
        else:
            found = call_aws(self.sm, "describe_domain", DomainId=self.domain_id)
            settings = found.get("DefaultUserSettings") or {}
        return copy.deepcopy(settings.get(member) or {})

    def write(self, member: str, value: dict[str, Any], app: str) -> None:
        try:
            if self.user_profile:
                call_aws(
                    self.sm,
                    "update_user_profile",
                    DomainId=self.domain_id,
                    UserProfileName=self.user_profile,
                    UserSettings={member: value},
                )
            else:
                call_aws(
                    self.sm,
                    "update_domain",
                    DomainId=self.domain_id,
                    DefaultUserSettings={member: value},
                )
        except (Conflict, SpecError) as exc:
            if isinstance(exc, Conflict) or _mentions_running_apps(exc.message):
                text = IN_SERVICE_PROFILE_HELP if self.user_profile else IN_SERVICE_HELP
                raise Conflict(text.format(where=self.where, reason=exc.message, app=app)) from None
            raise


def _mentions_running_apps(message: str) -> bool:
    text = message.lower()
    return "inservice" in text or "in service" in text or "running app" in text


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
) -> dict[str, Any]:
    """Make ``image`` at ``version`` a custom image of the domain (or a user profile)."""
    problems = _check_target(domain_id, user_profile)
    problems |= _check_image(image, app_type)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problems["version"] = f"version must be a whole number of at least 1, not {version!r}"
    if app_type == "KernelGateway":
        kernel_name = kernel_name or "python3"
        if p := _kernel_problem(kernel_name, display_name):
            problems |= p
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

    sm = _client(clients, "sagemaker")
    call_aws(sm, "describe_image_version", ImageName=image, Version=version)  # NotFound early
    config_name = app_image_config_name(image, app_type)
    config = _image_config(app_type, kernel_name, display_name, uid, gid, mount_path)
    member = f"{app_type}ImageConfig" if app_type == "KernelGateway" else "JupyterLabAppImageConfig"
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
    return _attachment(domain_id, user_profile, app_type, image, version, config_name, images)


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
    problems = _check_target(domain_id, user_profile) | _check_image(image, app_type)
    if problems:
        raise SpecError(problems)
    target = SettingsTarget(_client(clients, "sagemaker"), domain_id, user_profile)
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
    if p := _problem("DescribeImage", "ImageName", image, "image_name"):
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
    kernel_name: str | None,
    display_name: str | None,
    uid: int | None,
    gid: int | None,
    mount_path: str | None,
) -> dict[str, Any]:
    file_system = {"MountPath": mount_path, "DefaultUid": uid, "DefaultGid": gid}
    file_system = {k: v for k, v in file_system.items() if v is not None}
    config: dict[str, Any] = {}
    if app_type == "KernelGateway":
        spec = {"Name": kernel_name}
        if display_name:
            spec["DisplayName"] = display_name
        config["KernelSpecs"] = [spec]
    if file_system:
        config["FileSystemConfig"] = file_system
    return config


def create_lifecycle_config(clients: Any, name: str, content_b64: str, app_type: str) -> str:
    """CreateStudioLifecycleConfig; returns its ARN."""
    if p := _problem(
        "CreateStudioLifecycleConfig", "StudioLifecycleConfigName", name, "--create NAME"
    ):
        raise SpecError({"name": p})
    found = call_aws(
        _client(clients, "sagemaker"),
        "create_studio_lifecycle_config",
        StudioLifecycleConfigName=name,
        StudioLifecycleConfigContent=content_b64,
        StudioLifecycleConfigAppType=app_type,
    )
    return found["StudioLifecycleConfigArn"]


def attach_lifecycle_config(
    clients: Any,
    arn: str,
    app_type: str,
    *,
    domain_id: str,
    user_profile: str | None = None,
    default: bool = False,
) -> list[str]:
    """Add ``arn`` to ``<app>AppSettings.LifecycleConfigArns`` (and, with ``default``, make it
    ``DefaultResourceSpec.LifecycleConfigArn``), changing nothing else. Returns the ARN list."""
    problems = _check_target(domain_id, user_profile)
    if app_type not in LCC_APP_SETTINGS:
        problems["app_type"] = f"app_type must be one of {', '.join(LCC_APP_SETTINGS)}"
    if problems:
        raise SpecError(problems)
    target = SettingsTarget(_client(clients, "sagemaker"), domain_id, user_profile)
    member = LCC_APP_SETTINGS[app_type]
    settings = target.read(member)
    before = copy.deepcopy(settings)
    arns = list(settings.get("LifecycleConfigArns") or [])
    if arn not in arns:
        arns.append(arn)
    settings["LifecycleConfigArns"] = arns
    if default:
        settings["DefaultResourceSpec"] = dict(settings.get("DefaultResourceSpec") or {})
        settings["DefaultResourceSpec"]["LifecycleConfigArn"] = arn
    if settings != before:
        target.write(member, settings, app_type)
    return arns
