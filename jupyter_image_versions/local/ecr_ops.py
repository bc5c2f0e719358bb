"""ECR repository and image operations over the :class:`Store` (the local registry)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Callable
from typing import Any

from .ecr_layers import referenced_digests
from .listing import one_page
from .names import LOCAL_ACCOUNT, repository_arn, repository_uri
from .protocol import ApiError
from .store import Store

Params = dict[str, Any]

DEFAULT_MEDIA_TYPE = "application/vnd.docker.distribution.manifest.v2+json"


def resolve(db: sqlite3.Connection, repo: str, tag: str | None, digest: str | None) -> str | None:
    """The digest that ``repo:tag`` or ``repo@digest`` names in the registry, or None."""
    if digest is not None:
        row = db.execute(
            "SELECT digest FROM ecr_images WHERE repository = ? AND digest = ?", (repo, digest)
        ).fetchone()
    else:
        row = db.execute(
            "SELECT digest FROM ecr_tags WHERE repository = ? AND tag = ?", (repo, tag)
        ).fetchone()
    return None if row is None else row["digest"]


def default_manifest(repo: str, tag: str) -> str:
    """A small, deterministic Docker v2 manifest for seeding ``repo:tag``."""
    seed = hashlib.sha256(f"{repo}:{tag}".encode()).hexdigest()
    layer = hashlib.sha256(f"layer:{repo}:{tag}".encode()).hexdigest()
    return json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": DEFAULT_MEDIA_TYPE,
            "config": {
                "mediaType": "application/vnd.docker.container.image.v1+json",
                "size": 1469,
                "digest": f"sha256:{seed}",
            },
            "layers": [
                {
                    "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                    "size": 31_415_926,
                    "digest": f"sha256:{layer}",
                }
            ],
        },
        indent=3,
    )


def _manifest_info(manifest: str, media_type: str | None) -> tuple[str, int]:
    """(media type, image size in bytes) read from a manifest where possible."""
    size = 0
    try:
        doc = json.loads(manifest)
    except ValueError:
        doc = None
    if isinstance(doc, dict):
        media_type = media_type or doc.get("mediaType")
        for layer in doc.get("layers") or []:
            if isinstance(layer, dict) and isinstance(layer.get("size"), int):
                size += layer["size"]
    return media_type or DEFAULT_MEDIA_TYPE, size or len(manifest.encode())


def _image_id_text(image_id: Params) -> str:
    digest = image_id.get("imageDigest")
    tag = image_id.get("imageTag")
    return f"{{imageDigest:'{digest if digest else 'null'}', imageTag:'{tag if tag else 'null'}'}}"


class EcrOps:
    """The ECR API subset the project uses; each public method is one operation."""

    def __init__(self, store: Store, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.clock = clock

    # ------------------------------------------------------------ repositories

    def CreateRepository(self, p: Params) -> Params:
        name = p["repositoryName"]
        scan = bool((p.get("imageScanningConfiguration") or {}).get("scanOnPush"))
        with self.store.transaction(write=True) as db:
            if self._repo(db, name, required=False) is not None:
                raise ApiError(
                    "RepositoryAlreadyExistsException",
                    f"The repository with name '{name}' already exists in the registry "
                    f"with id '{LOCAL_ACCOUNT}'",
                )
            db.execute(
                "INSERT INTO repositories (name, created, tag_mutability, scan_on_push)"
                " VALUES (?, ?, ?, ?)",
                (name, self.clock(), p.get("imageTagMutability") or "MUTABLE", int(scan)),
            )
            return {"repository": self._repo_out(self._repo(db, name))}

    def DescribeRepositories(self, p: Params) -> Params:
        names = p.get("repositoryNames")
        _refuse_paging_with(p, "repositoryNames")
        with self.store.transaction() as db:
            if names:
                rows = [self._repo(db, name) for name in names]
            else:
                rows = db.execute("SELECT * FROM repositories ORDER BY name").fetchall()
        page, token = _ecr_page([self._repo_out(r) for r in rows], p)
        return {"repositories": page, "nextToken": token}

    # ------------------------------------------------------------ images

    def PutImage(self, p: Params) -> Params:
        repo, manifest, tag = p["repositoryName"], p["imageManifest"], p.get("imageTag")
        digest = "sha256:" + hashlib.sha256(manifest.encode()).hexdigest()
        if p.get("imageDigest") and p["imageDigest"] != digest:
            raise ApiError(
                "ImageDigestDoesNotMatchException",
                f"Invalid parameter at 'imageDigest' failed to satisfy constraint: "
                f"'digest {p['imageDigest']} does not match the manifest digest {digest}'",
            )
        media_type, size = _manifest_info(manifest, p.get("imageManifestMediaType"))
        with self.store.transaction(write=True) as db:
            repo_row = self._repo(db, repo)
            exists = resolve(db, repo, None, digest) is not None
            current = resolve(db, repo, tag, None) if tag else None
            if exists and (tag is None or current == digest):
                raise ApiError(
                    "ImageAlreadyExistsException",
                    f"Image with digest '{digest}' and tag '{tag or 'null'}' already exists "
                    f"in the repository with name '{repo}' in registry with id '{LOCAL_ACCOUNT}'",
                )
            if current is not None and repo_row["tag_mutability"].startswith("IMMUTABLE"):
                raise ApiError(
                    "ImageTagAlreadyExistsException",
                    f"The image tag '{tag}' already exists in the '{repo}' repository and "
                    "cannot be overwritten because the repository is immutable.",
                )
            if not exists and not p.get("_seed"):
                _check_blobs(db, repo, manifest)
            if not exists:
                db.execute(
                    "INSERT INTO ecr_images"
                    " (repository, digest, manifest, media_type, size, pushed_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (repo, digest, manifest, media_type, size, self.clock()),
                )
            if tag:
                db.execute(
                    "INSERT OR REPLACE INTO ecr_tags (repository, tag, digest) VALUES (?, ?, ?)",
                    (repo, tag, digest),
                )
        return {
            "image": {
                "registryId": LOCAL_ACCOUNT,
                "repositoryName": repo,
                "imageId": {"imageDigest": digest, "imageTag": tag},
                "imageManifest": manifest,
                "imageManifestMediaType": media_type,
            }
        }

    def DescribeImages(self, p: Params) -> Params:
        repo = p["repositoryName"]
        _refuse_paging_with(p, "imageIds")
        tag_status = (p.get("filter") or {}).get("tagStatus", "ANY")
        with self.store.transaction() as db:
            self._repo(db, repo)
            if p.get("imageIds"):
                rows = []
                for image_id in p["imageIds"]:
                    row = self._find(db, repo, image_id)
                    if row is None:
                        raise ApiError(
                            "ImageNotFoundException",
                            f"The image with imageId {_image_id_text(image_id)} does not exist "
                            f"within the repository with name '{repo}' in the registry with id "
                            f"'{LOCAL_ACCOUNT}'",
                        )
                    if row["digest"] not in {r["digest"] for r in rows}:
                        rows.append(row)
            else:
                rows = db.execute(
                    "SELECT * FROM ecr_images WHERE repository = ? ORDER BY pushed_at DESC",
                    (repo,),
                ).fetchall()
            details = [self._detail(db, row) for row in rows]
        if tag_status == "TAGGED":
            details = [d for d in details if d.get("imageTags")]
        elif tag_status == "UNTAGGED":
            details = [d for d in details if not d.get("imageTags")]
        page, token = _ecr_page(details, p)
        return {"imageDetails": page, "nextToken": token}

    def ListImages(self, p: Params) -> Params:
        repo = p["repositoryName"]
        _refuse_paging_with(p, "imageIds")
        tag_status = (p.get("filter") or {}).get("tagStatus", "ANY")
        with self.store.transaction() as db:
            self._repo(db, repo)
            rows = db.execute(
                "SELECT i.digest, t.tag FROM ecr_images i LEFT JOIN ecr_tags t"
                " ON t.repository = i.repository AND t.digest = i.digest"
                " WHERE i.repository = ? ORDER BY i.pushed_at DESC, t.tag",
                (repo,),
            ).fetchall()
        ids = [{"imageDigest": r["digest"], "imageTag": r["tag"]} for r in rows]
        if tag_status == "TAGGED":
            ids = [i for i in ids if i["imageTag"]]
        elif tag_status == "UNTAGGED":
            ids = [i for i in ids if not i["imageTag"]]
        page, token = _ecr_page(ids, p)
        return {"imageIds": page, "nextToken": token}

    def BatchGetImage(self, p: Params) -> Params:
        repo = p["repositoryName"]
        images, failures = [], []
        with self.store.transaction() as db:
            self._repo(db, repo)
            for image_id in p["imageIds"]:
                if not image_id.get("imageDigest") and not image_id.get("imageTag"):
                    failures.append(
                        {
                            "imageId": image_id,
                            "failureCode": "MissingDigestAndTag",
                            "failureReason": "Invalid request parameters: image digest "
                            "and tag are both missing",
                        }
                    )
                    continue
                row = self._find(db, repo, image_id)
                if row is None:
                    failures.append(
                        {
                            "imageId": image_id,
                            "failureCode": "ImageNotFound",
                            "failureReason": "Requested image not found",
                        }
                    )
                    continue
                images.append(
                    {
                        "registryId": LOCAL_ACCOUNT,
                        "repositoryName": repo,
                        "imageId": {
                            "imageDigest": row["digest"],
                            "imageTag": image_id.get("imageTag"),
                        },
                        "imageManifest": row["manifest"],
                        "imageManifestMediaType": row["media_type"],
                    }
                )
        return {"images": images, "failures": failures}

    # ------------------------------------------------------------ helpers

    def _repo(self, db: sqlite3.Connection, name: str, required: bool = True) -> Any:
        row = db.execute("SELECT * FROM repositories WHERE name = ?", (name,)).fetchone()
        if row is None and required:
            raise ApiError(
                "RepositoryNotFoundException",
                f"The repository with name '{name}' does not exist in the registry "
                f"with id '{LOCAL_ACCOUNT}'",
            )
        return row

    def _repo_out(self, row: sqlite3.Row) -> Params:
        return {
            "repositoryArn": repository_arn(row["name"]),
            "registryId": LOCAL_ACCOUNT,
            "repositoryName": row["name"],
            "repositoryUri": repository_uri(row["name"]),
            "createdAt": row["created"],
            "imageTagMutability": row["tag_mutability"],
            "imageScanningConfiguration": {"scanOnPush": bool(row["scan_on_push"])},
            "encryptionConfiguration": {"encryptionType": "AES256"},
        }

    def _find(self, db: sqlite3.Connection, repo: str, image_id: Params) -> Any:
        digest = image_id.get("imageDigest")
        tag = image_id.get("imageTag")
        if tag:
            tagged = resolve(db, repo, tag, None)
            if tagged is None or (digest and digest != tagged):
                return None
            digest = tagged
        if not digest:
            return None
        return db.execute(
            "SELECT * FROM ecr_images WHERE repository = ? AND digest = ?", (repo, digest)
        ).fetchone()

    def _detail(self, db: sqlite3.Connection, row: sqlite3.Row) -> Params:
        tags = [
            r["tag"]
            for r in db.execute(
                "SELECT tag FROM ecr_tags WHERE repository = ? AND digest = ? ORDER BY tag",
                (row["repository"], row["digest"]),
            )
        ]
        return {
            "registryId": LOCAL_ACCOUNT,
            "repositoryName": row["repository"],
            "imageDigest": row["digest"],
            "imageTags": tags or None,
            "imageSizeInBytes": row["size"],
            "imagePushedAt": row["pushed_at"],
            "imageManifestMediaType": row["media_type"],
            "imageStatus": "ACTIVE",
        }


def _check_blobs(db: sqlite3.Connection, repo: str, manifest: str) -> None:
    """ECR refuses a manifest naming a blob the repository lacks (LayersNotFoundException). A
    repository holding no blob at all is a seeded one (the demo's and tests' manifests name
    blobs that were never uploaded): there the check is left out."""
    try:
        rows = db.execute("SELECT digest FROM ecr_blobs WHERE repository = ?", (repo,))
        held = {row["digest"] for row in rows}
    except sqlite3.OperationalError:  # no layer operations in this store
        return
    missing = [d for d in referenced_digests(manifest) if d not in held]
    if held and missing:
        raise ApiError(
            "LayersNotFoundException",
            "The specified layers could not be found, or the specified layer is not valid "
            f"for this repository: {missing[0]}",
        )


def _ecr_page(items: list[Any], p: Params) -> tuple[list[Any], str | None]:
    # ECR's members are camelCase, its default page is 100, a bad token InvalidParameterException.
    return one_page(
        items,
        p,
        100,
        token_member="nextToken",
        size_member="maxResults",
        code="InvalidParameterException",
    )


def _refuse_paging_with(p: Params, names: str) -> None:
    """ECR refuses maxResults or nextToken next to an explicit list of names or ids."""
    for member in ("maxResults", "nextToken"):
        if p.get(names) and p.get(member) is not None:
            raise ApiError(
                "InvalidParameterException",
                f"Invalid parameter at '{member}' failed to satisfy constraint: "
                f"'{member} cannot be used when {names} is specified'",
            )
