"""The image reader's part of the service: ECR in the image's region, the shared layer cache,
and targets (an ECR URI, IMAGE:VERSION or IMAGE@ALIAS) resolved to an image URI."""

from __future__ import annotations

import re
import threading
from dataclasses import replace
from typing import Any

from ..core.aws_calls import translate_error
from ..core.base import ServiceBase
from ..core.errors import SpecError
from ..core.spec import ECR_URI_FORM, parse_ecr_uri
from ..core.throttle import GatedClient
from .layer_cache import LayerCache, default_layer_cache_path

#: IMAGE:VERSION or IMAGE@ALIAS (an ECR URI is told apart by its `.dkr.ecr.`).
SELECTOR = re.compile(r"(?P<image>[^:@/]+)(?::(?P<version>[0-9]{1,9})|@(?P<alias>[^:@]+))")
TARGET_FORMS = f"an ECR URI ({ECR_URI_FORM}), IMAGE:VERSION or IMAGE@ALIAS"
_GUARD = threading.Lock()


def target_problem(target: str) -> str | None:
    """Why ``target`` is not an ECR URI, IMAGE:VERSION or IMAGE@ALIAS (None when it is)."""
    target = target.strip()
    if not target:
        return f"the image is required: {TARGET_FORMS}"
    if ".dkr.ecr." in target:
        return None if parse_ecr_uri(target) else f"'{target}' must be {TARGET_FORMS}"
    return None if SELECTOR.fullmatch(target) else f"'{target}' must be {TARGET_FORMS}"


def version_image(version: Any) -> str | None:
    """The image a version holds: its digest-pinned ContainerImage (what SageMaker resolved when
    it was created, unchanged by a later push of the tag) when it is an ECR URI, else BaseImage."""
    pinned = version.container_image
    return pinned if pinned and parse_ecr_uri(pinned) else version.base_image


class OciMethods(ServiceBase):
    """What every feature reading images shares: ECR clients, the layer cache, targets."""

    def layer_cache(self) -> LayerCache:
        """The layer cache (memory, plus the SQLite file unless its setting is off)."""
        with _GUARD:
            cache = getattr(self, "_layer_cache_instance", None)
            if cache is None:
                setting = getattr(self, "_layer_cache_setting", None)
                cache = self._layer_cache_instance = LayerCache(default_layer_cache_path(setting))
            return cache

    def resolve_target(self, target: str) -> str:
        """An ECR URI as given, or the image IMAGE:VERSION / IMAGE@ALIAS holds (`version_image`)."""
        problem = target_problem(target)
        if problem:
            raise SpecError({"image": problem})
        target = target.strip()
        if ".dkr.ecr." in target:
            return target
        match = SELECTOR.fullmatch(target)
        assert match is not None
        version = int(match["version"]) if match["version"] else None
        # ImageVersionsCore.get, in the composed ImageVersions
        found = self.get(match["image"], version=version, alias=match["alias"])  # type: ignore[attr-defined]
        return version_image(found) or found.base_image

    def _ecr_for(self, base_image: str) -> Any:
        """ECR in the image's region (on AWS without an endpoint URL), else the service's."""
        ref = parse_ecr_uri(base_image.strip())
        clients = self._clients
        if (
            ref is None
            or self.backend != "aws"
            or getattr(clients, "endpoint_url", None)
            or ref.region == self.region
        ):
            return GatedClient(self._ecr, self.gate)
        key = f"ecr:{ref.region}"
        with self._client_guard:
            if key not in self._client_cache:
                try:
                    self._client_cache[key] = replace(clients, region=ref.region).client("ecr")
                except Exception as exc:
                    raise translate_error(exc) from None
            return GatedClient(self._client_cache[key], self.gate)
