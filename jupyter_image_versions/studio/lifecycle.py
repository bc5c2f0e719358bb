"""Studio lifecycle configurations: create one, and allow it on a domain or user profile."""

from __future__ import annotations

import copy
from typing import Any

from ..core.aws_calls import call_aws
from ..core.errors import SpecError
from .settings import LCC_APP_SETTINGS, SettingsTarget, check_target, client_of, problem_of


def create_lifecycle_config(clients: Any, name: str, content_b64: str, app_type: str) -> str:
    """CreateStudioLifecycleConfig; returns its ARN."""
    if p := problem_of(
        "CreateStudioLifecycleConfig", "StudioLifecycleConfigName", name, "--create NAME"
    ):
        raise SpecError({"name": p})
    found = call_aws(
        client_of(clients, "sagemaker"),
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
    problems = check_target(domain_id, user_profile)
    if app_type not in LCC_APP_SETTINGS:
        problems["app_type"] = f"app_type must be one of {', '.join(LCC_APP_SETTINGS)}"
    if problems:
        raise SpecError(problems)
    target = SettingsTarget(client_of(clients, "sagemaker"), domain_id, user_profile)
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
