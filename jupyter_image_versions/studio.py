"""Where we run in SageMaker Studio: read from Studio's resource metadata and environment."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

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
