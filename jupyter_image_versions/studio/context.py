"""Where we run in SageMaker Studio: read from Studio's resource metadata and environment,
and the execution role resolved as the SageMaker SDK does."""

from __future__ import annotations

import contextlib
import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..core.aws_calls import call_aws
from ..core.errors import ImageVersionsError
from .settings import client_of

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
        sm = client_of(clients, "sagemaker")
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
    identity = call_aws(client_of(clients, "sts"), "get_caller_identity")
    return role_from_caller_arn(identity.get("Arn") or "")
