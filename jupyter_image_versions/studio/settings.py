"""Read-modify-write of a domain's or user profile's app settings, and the checks shared by
attach and the lifecycle configs."""

from __future__ import annotations

import copy
from typing import Any

from ..core import awsmodel
from ..core.aws_calls import call_aws
from ..core.errors import Conflict, SpecError
from ..core.throttle import GatedClient

LCC_APP_SETTINGS = {
    "JupyterLab": "JupyterLabAppSettings",
    "JupyterServer": "JupyterServerAppSettings",
    "CodeEditor": "CodeEditorAppSettings",
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


def client_of(clients: Any, name: str) -> Any:
    if hasattr(clients, "_client"):  # an ImageVersions: its cached clients, through its gate
        return GatedClient(clients._client(name), clients.gate)
    return clients.client(name)


def problem_of(operation: str, member: str, value: Any, label: str) -> str | None:
    problem = awsmodel.string_problem(awsmodel.input_shape("sagemaker", operation, member), value)
    return f"{label} {problem}" if problem else None


def check_target(domain_id: str, user_profile: str | None) -> dict[str, str]:
    problems = {}
    if p := problem_of("DescribeDomain", "DomainId", domain_id, "domain_id"):
        problems["domain_id"] = p
    if user_profile is not None and (
        p := problem_of("DescribeUserProfile", "UserProfileName", user_profile, "user_profile")
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
