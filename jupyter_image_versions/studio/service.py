"""The Studio part of ImageVersions: context, execution role, domains, attach, lifecycle configs."""

from __future__ import annotations

import contextlib
from typing import Any

from ..core.errors import ImageVersionsError
from ..oci.service import OciMethods
from .attach import attach_image, detach_image
from .context import StudioContext, read_context, resolve_execution_role
from .doctor import DoctorReport, FactsCache, diagnose
from .lifecycle import attach_lifecycle_config, create_lifecycle_config


class StudioMethods(OciMethods):
    """Studio methods of ImageVersions; in Studio, new images default to the execution role."""

    def context(self) -> dict[str, Any]:
        """Backend, region, account (STS on AWS) and the Studio context, for UIs to show."""

        studio = read_context()
        info: dict[str, Any] = {"backend": self.backend, "region": self.region, "account": None}
        if self.backend == "local":
            from ..local import LOCAL_ACCOUNT

            info["account"] = LOCAL_ACCOUNT
            info["local_db"] = getattr(getattr(self, "endpoint", None), "path", None)
        else:
            identity = self._call(self._client("sts"), "get_caller_identity")
            info["account"] = identity.get("Account")
            info["caller_arn"] = identity.get("Arn")
        info["studio"] = studio.to_dict() if studio else None
        if studio is not None and not studio.execution_role:
            # unknown when it cannot be resolved: the UIs then ask for a role
            with contextlib.suppress(ImageVersionsError):
                info["studio"]["execution_role"] = self.execution_role()
        return info

    def _default_role_arn(self) -> str | None:
        if self.studio_context() is None:
            return None
        with contextlib.suppress(ImageVersionsError):
            return self.execution_role()
        return None

    # -- SageMaker Studio (the logic is in attach.py, context.py and lifecycle.py) --------------

    def studio_context(self) -> StudioContext | None:
        """The Studio app we run in, or None outside Studio."""
        return read_context()

    def execution_role(self) -> str | None:
        """The Studio execution role, resolved as the SageMaker SDK does; None outside Studio."""

        cached = getattr(self, "_execution_role", None)
        if cached is None:
            cached = self._execution_role = resolve_execution_role(self, self.studio_context())
        return cached

    def attach(
        self,
        image_name: str,
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
        """Make a version a custom Studio image of a domain (or one user profile).

        Creates or reuses the AppImageConfig ``<image>-<apptype>-config`` and puts the image
        in ``<app_type>AppSettings.CustomImages``, replacing an earlier entry for the image.
        """

        return attach_image(
            self,
            image_name,
            version,
            domain_id=domain_id,
            app_type=app_type,
            user_profile=user_profile,
            kernel_name=kernel_name,
            display_name=display_name,
            uid=uid,
            gid=gid,
            mount_path=mount_path,
            force=force,
        )

    def domains(self) -> list[dict[str, Any]]:
        """The Studio domains of the account and region (ListDomains), for UIs to offer."""
        sm = self._client("sagemaker")
        return [
            {"domain_id": d.get("DomainId"), "name": d.get("DomainName"), "status": d.get("Status")}
            for page in self._paginate(sm, "list_domains")
            for d in page.get("Domains", [])
        ]

    def detach(
        self,
        image_name: str,
        *,
        domain_id: str,
        app_type: str = "JupyterLab",
        user_profile: str | None = None,
    ) -> dict[str, Any]:
        """Remove an image from a domain's (or user profile's) custom images."""

        return detach_image(
            self, image_name, domain_id=domain_id, app_type=app_type, user_profile=user_profile
        )

    def create_lifecycle_config(self, name: str, content_b64: str, app_type: str) -> str:
        """CreateStudioLifecycleConfig; returns the config's ARN."""

        return create_lifecycle_config(self, name, content_b64, app_type)

    def attach_lifecycle_config(
        self,
        arn: str,
        app_type: str,
        *,
        domain_id: str,
        user_profile: str | None = None,
        default: bool = False,
    ) -> list[str]:
        """Allow a lifecycle config on a domain (or user profile); see studio.py."""

        return attach_lifecycle_config(
            self, arn, app_type, domain_id=domain_id, user_profile=user_profile, default=default
        )

    # -- the image doctor (doctor.py) -----------------------------------------------------------

    def doctor(
        self,
        base_image: str,
        app_type: str = "JupyterLab",
        *,
        uid: int | None = None,
        gid: int | None = None,
        kernel_names: list[str] | None = None,
        max_bytes: int | None = None,
        max_seconds: float | None = None,
        on_progress: Any = None,
    ) -> DoctorReport:
        """Read an ECR image without pulling it and say what stops ``app_type`` from starting it.

        Facts are cached by manifest digest per service, so a second call reads no blob.
        """
        cache = getattr(self, "_doctor_cache", None)
        if cache is None:
            cache = self._doctor_cache = FactsCache()
        limits: dict[str, Any] = {}
        if max_bytes is not None:
            limits["max_bytes"] = max_bytes
        if max_seconds is not None:
            limits["max_seconds"] = max_seconds
        return diagnose(
            self._ecr_for(base_image),
            base_image,
            app_type,
            uid=uid,
            gid=gid,
            kernel_names=kernel_names,
            cache=cache,
            on_progress=on_progress,
            workers=min(4, self.max_workers),
            layer_cache=self.layer_cache(),
            **limits,
        )
