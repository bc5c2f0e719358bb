"""Registering a version: validation, the idempotent ClientToken, creating, waiting."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import Any

from .base import TERMINAL_STATUSES, version_from_arn
from .errors import (
    AwsError,
    Conflict,
    CreateFailed,
    ImageVersionsError,
    NoCredentials,
    NotFound,
    SpecError,
)
from .history import HistoryMixin
from .images import ImagesMixin
from .models import ImageVersion
from .spec import ImageVersionSpec, parse_ecr_uri

# ECR answers meaning "you may not read this digest": stable, unlike a failed read.
UNREADABLE_CODES = frozenset({"AccessDeniedException", "AccessDenied", "UnauthorizedOperation"})


class RegistrationMixin(HistoryMixin, ImagesMixin):
    """register() and wait()."""

    def register(
        self,
        spec: ImageVersionSpec,
        wait: bool = True,
        create_image: bool = False,
        role_arn: str | None = None,
        *,
        on_status: Callable[[ImageVersion], None] | None = None,
    ) -> ImageVersion:
        """Register `spec` as a new version; idempotent for an identical spec and image digest.

        Nothing is sent to AWS when the spec has problems. With `create_image`, the parent image
        is created first when missing (needs `role_arn`). With `wait`, returns once the version is
        CREATED, or raises CreateFailed with AWS's FailureReason.
        """
        spec.validate()
        created = create_image and self._ensure_image(spec.image_name, role_arn)
        token = spec.client_token(self._digest_of(spec.base_image))
        request = spec.to_request()
        try:
            with self._image_lock(spec.image_name):
                response = self._create_with_retry(ClientToken=token, **request)
        except ImageVersionsError:
            if created:
                self._remove_if_empty(spec.image_name)
            raise
        version = version_from_arn(response["ImageVersionArn"])
        if wait:
            return self.wait(spec.image_name, version, on_status=on_status)
        return self.get(spec.image_name, version)

    def _create_with_retry(self, **params: Any) -> dict:
        # Another process may be creating a version of the same image: AWS refuses with
        # ResourceInUse, and the same ClientToken makes a retry safe.
        for attempt in range(5):
            try:
                return self._call(self._sm, "create_image_version", **params)
            except SpecError as exc:  # AWS refused a value: an alias held by another version?
                if "alias" not in exc.message.lower():
                    raise
                raise exc.naming("aliases") from None
            except Conflict:
                if attempt == 4:
                    raise
                time.sleep(0.2 * 2**attempt)
        raise AssertionError("unreachable")

    def _ensure_image(self, name: str, role_arn: str | None) -> bool:
        """Create the image `name` when missing; whether this call created it."""
        try:
            self.wait_image(name)  # one being created (by anyone) takes versions once CREATED
            return False
        except NotFound:
            role_arn = role_arn or self._default_role_arn()
            if not role_arn:
                raise SpecError({"role_arn": f"is required to create the image '{name}'"}) from None
            self.create_image(name, role_arn)
            return True

    def _remove_if_empty(self, name: str) -> None:
        """Best effort: delete the image we just created, unless a version made it in after all."""
        with contextlib.suppress(ImageVersionsError):
            listed = self._call(self._sm, "list_image_versions", ImageName=name, MaxResults=1)
            if not listed.get("ImageVersions"):
                self._call(self._sm, "delete_image", ImageName=name)

    def _digest_of(self, base_image: str) -> str | None:
        """The digest behind `base_image`, through ECR when the caller may read it."""
        ref = parse_ecr_uri(base_image)
        if ref is None:
            return None
        if ref.digest:
            return ref.digest
        try:
            response = self._call(
                self._ecr,
                "describe_images",
                registryId=ref.account,
                repositoryName=ref.repository,
                imageIds=[{"imageTag": ref.tag or "latest"}],
            )
        except (NotFound, NoCredentials, SpecError):
            # Not readable here (not pushed, no permission, another account): a stable answer,
            # so the token depends on the spec alone and retries stay idempotent.
            return None
        except AwsError as exc:
            if exc.code in UNREADABLE_CODES:
                return None
            # A failed read (throttled, 5xx, unreachable) must not change the token: a retry
            # that read the digest would then create a second version. Refuse instead.
            raise AwsError(
                f"Could not read the digest of base_image '{base_image}' from ECR "
                f"({exc.code}: {exc.message}); nothing was registered, try again",
                code=exc.code,
            ) from None
        details = response.get("imageDetails") or [{}]
        return details[0].get("imageDigest")

    def wait(
        self,
        image_name: str,
        version: int,
        *,
        timeout: float | None = None,
        on_status: Callable[[ImageVersion], None] | None = None,
    ) -> ImageVersion:
        """Poll until the version is CREATED; CREATE_FAILED raises CreateFailed with the reason."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        interval = self.poll_interval
        while True:
            current = self.get(image_name, version)
            if on_status is not None:
                on_status(current)
            if current.status == "CREATE_FAILED":
                raise CreateFailed(
                    f"{image_name} version {version} failed: {current.failure_reason}",
                    reason=current.failure_reason or "",
                    version=current,
                )
            if current.status in TERMINAL_STATUSES:
                return current
            if time.monotonic() > deadline:
                raise AwsError(
                    f"{image_name} version {version} is still {current.status} after waiting",
                    code="Timeout",
                )
            time.sleep(interval)
            interval = min(interval * 1.5, 5.0)
