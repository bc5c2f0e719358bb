"""Reading an image from ECR without pulling it: the manifest, and blobs as HTTP streams."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from ..core.aws_calls import call_aws
from ..core.errors import AwsError, NotFound, SpecError
from ..core.spec import EcrReference

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
ACCEPTED = [OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST]
INDEX_TYPES = {OCI_INDEX, DOCKER_LIST}
#: Times a blob URL is asked for again after a 403 (pre-signed URLs expire quickly).
URL_RETRIES = 3


@dataclass
class Manifest:
    """The image manifest chosen for linux/amd64, and what the index offered."""

    digest: str
    doc: dict[str, Any]
    media_type: str
    index_digest: str | None = None
    platforms: list[dict[str, str]] = field(default_factory=list)

    @property
    def layers(self) -> list[dict[str, Any]]:
        return [layer for layer in self.doc.get("layers") or [] if isinstance(layer, dict)]

    @property
    def config_digest(self) -> str:
        config = self.doc.get("config") or {}
        digest = config.get("digest") if isinstance(config, dict) else None
        if not isinstance(digest, str):
            raise unreadable("its manifest has no image configuration")
        return digest


def unreadable(why: str) -> SpecError:
    """An image the check cannot read, said as a user understands it (no digests, no blobs):
    what is wrong in a few words and what to do."""
    return SpecError(
        {
            "image": f"cannot be checked: it is not a complete container image ({why}). "
            "Push it again with docker push or docker buildx, then check again."
        }
    )


def _is_attestation(entry: dict[str, Any]) -> bool:
    annotations = entry.get("annotations") or {}
    platform = entry.get("platform") or {}
    return "vnd.docker.reference.type" in annotations or platform.get("os") == "unknown"


class ImageReader:
    """One image's manifest and blobs through BatchGetImage and GetDownloadUrlForLayer."""

    def __init__(self, ecr: Any, ref: EcrReference, timeout: float = 30.0) -> None:
        self.ecr = ecr
        self.ref = ref
        self.timeout = timeout
        self.url_requests = 0
        self._urls: dict[str, str] = {}  # a URL is used until it answers 403

    def _get(self, image_id: dict[str, str]) -> tuple[str, dict[str, Any], str]:
        out = call_aws(
            self.ecr,
            "batch_get_image",
            registryId=self.ref.account,
            repositoryName=self.ref.repository,
            imageIds=[image_id],
            acceptedMediaTypes=ACCEPTED,
        )
        images = out.get("images") or []
        if not images:
            failure = (out.get("failures") or [{}])[0]
            shown = self.ref.tag or self.ref.digest or image_id
            raise NotFound(
                f"image {self.ref.repository}:{shown} is not in ECR "
                f"({failure.get('failureCode', 'ImageNotFound')}: "
                f"{failure.get('failureReason', 'not found')})"
            )
        image = images[0]
        try:
            doc = json.loads(image["imageManifest"])
        except ValueError:
            raise unreadable("its manifest is damaged") from None
        if not isinstance(doc, dict):
            raise unreadable("its manifest is damaged")
        media_type = image.get("imageManifestMediaType") or doc.get("mediaType") or ""
        if not media_type and "manifests" in doc:
            media_type = OCI_INDEX
        return image["imageId"]["imageDigest"], doc, media_type or OCI_MANIFEST

    def manifest(self) -> Manifest:
        """The manifest (from an index: linux/amd64, attestation entries skipped)."""
        image_id = (
            {"imageDigest": self.ref.digest} if self.ref.digest else {"imageTag": self.ref.tag}
        )
        digest, doc, media_type = self._get(image_id)
        if media_type not in INDEX_TYPES and "manifests" not in doc:
            return Manifest(digest, doc, media_type)
        entries = [e for e in doc.get("manifests") or [] if isinstance(e, dict)]
        images = [e for e in entries if not _is_attestation(e)]
        platforms = [
            {"os": str(p.get("os", "")), "architecture": str(p.get("architecture", ""))}
            for p in ((e.get("platform") or {}) for e in images)
        ]
        if not images:
            raise unreadable("it lists no image for any platform")
        chosen = next(
            (
                e
                for e in images
                if (e.get("platform") or {}).get("os") == "linux"
                and (e.get("platform") or {}).get("architecture") == "amd64"
            ),
            images[0],  # none for linux/amd64: the first, so its architecture is reported
        )
        child_digest, child, child_type = self._get({"imageDigest": chosen["digest"]})
        return Manifest(child_digest, child, child_type, index_digest=digest, platforms=platforms)

    def blob_url(self, digest: str) -> str:
        out = call_aws(
            self.ecr,
            "get_download_url_for_layer",
            registryId=self.ref.account,
            repositoryName=self.ref.repository,
            layerDigest=digest,
        )
        self.url_requests += 1
        return out["downloadUrl"]

    def open_blob(self, digest: str, start: int = 0) -> BinaryIO:
        """An HTTP response streaming the blob from byte ``start`` (a Range request); a 403
        (an expired URL) asks for a new URL."""
        for attempt in range(URL_RETRIES + 1):
            url = self._urls.get(digest) or self.blob_url(digest)
            self._urls[digest] = url
            headers = {"Range": f"bytes={start}-"} if start else {}
            try:
                response = urllib.request.urlopen(
                    urllib.request.Request(url, headers=headers), timeout=self.timeout
                )
                if start and response.status != 206:  # the server ignored the Range
                    _discard(response, start)
                return response
            except urllib.error.HTTPError as err:
                err.close()
                self._urls.pop(digest, None)
                if err.code == 403 and attempt < URL_RETRIES:
                    continue
                raise AwsError(
                    f"downloading blob {digest} failed with HTTP {err.code}",
                    code="BlobDownloadFailed",
                ) from None
            except OSError as err:
                raise AwsError(
                    f"downloading blob {digest} failed: {err}", code="BlobDownloadFailed"
                ) from None
        raise AssertionError("unreachable")


def _discard(response: BinaryIO, count: int) -> None:
    while count > 0:
        chunk = response.read(min(count, 1 << 20))
        if not chunk:
            return
        count -= len(chunk)
