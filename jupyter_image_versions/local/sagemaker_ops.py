"""SageMaker image and image-version operations over the :class:`Store`."""

from __future__ import annotations

import sqlite3
from typing import Any

from . import lifecycle
from .ecr_ops import resolve
from .image_ops import SAGEMAKER_SORT, ImageOps, _invalid, _not_found
from .listing import one_page, sort_items, time_filter
from .names import REGISTRY, image_arn, parse_image_uri, version_arn
from .protocol import ApiError

Params = dict[str, Any]

#: API member name -> column of the ``versions`` table, for the metadata fields.
METADATA = {
    "VendorGuidance": "vendor_guidance",
    "JobType": "job_type",
    "MLFramework": "ml_framework",
    "ProgrammingLang": "programming_lang",
    "Processor": "processor",
    "Horovod": "horovod",
    "ReleaseNotes": "release_notes",
}


class SageMakerOps(ImageOps):
    """The SageMaker image API; each public method is one operation (``params`` -> response)."""

    # ------------------------------------------------------------ versions

    def CreateImageVersion(self, p: Params) -> Params:
        name, token, base = p["ImageName"], p["ClientToken"], p["BaseImage"]
        aliases = list(p.get("Aliases") or [])
        if len(set(aliases)) != len(aliases):
            raise _invalid(f"Aliases must be unique: {aliases}")
        now, digest = self.clock(), lifecycle.request_digest(p)
        with self._write() as db:
            image = self._image(db, name)
            status = lifecycle.image_status(image, now)
            if status != "CREATED":
                raise _invalid(
                    f"Image {image_arn(name)} is in status {status}: an image version can be "
                    "created only when the image is CREATED."
                )
            same = db.execute(
                "SELECT version, request_digest FROM versions WHERE image = ? AND client_token = ?",
                (name, token),
            ).fetchone()
            if same is not None:
                if same["request_digest"] not in (None, digest):
                    raise _invalid(
                        f"ClientToken {token} was already used to create version "
                        f"{same['version']} of image {name} with different parameters; "
                        "a different request needs a new ClientToken."
                    )
                return {"ImageVersionArn": version_arn(name, same["version"])}
            self._check_aliases_free(db, name, aliases, version=None)
            container, reason = self._resolve(db, base)
            version = image["next_version"]
            db.execute("UPDATE images SET next_version = ? WHERE name = ?", (version + 1, name))
            columns = {
                "image": name,
                "version": version,
                "client_token": token,
                "request_digest": digest,
                "base_image": base,
                "container_image": container,
                "outcome": "CREATED" if reason is None else "CREATE_FAILED",
                "failure_reason": reason,
                "ready_at": now + self.create_delay,
                "created": now,
                "modified": now,
            }
            columns.update({col: p.get(member) for member, col in METADATA.items()})
            db.execute(
                f"INSERT INTO versions ({', '.join(columns)})"
                f" VALUES ({', '.join('?' * len(columns))})",
                tuple(columns.values()),
            )
            db.executemany(
                "INSERT INTO aliases (image, alias, version) VALUES (?, ?, ?)",
                [(name, alias, version) for alias in aliases],
            )
        return {"ImageVersionArn": version_arn(name, version)}

    def DescribeImageVersion(self, p: Params) -> Params:
        with self.store.transaction() as db:
            row = self._target(db, p, latest=True)
        out = self._summary(row)
        created = row["outcome"] == "CREATED" and self.clock() >= row["ready_at"]
        out.update(
            {
                "BaseImage": row["base_image"],
                "ContainerImage": row["container_image"] if created else None,
                "VendorGuidance": row["vendor_guidance"],
                "JobType": row["job_type"],
                "MLFramework": row["ml_framework"],
                "ProgrammingLang": row["programming_lang"],
                "Processor": row["processor"],
                "Horovod": None if row["horovod"] is None else bool(row["horovod"]),
                "ReleaseNotes": row["release_notes"],
            }
        )
        return out

    def ListImageVersions(self, p: Params) -> Params:
        name = p["ImageName"]
        with self.store.transaction() as db:
            self._image(db, name)
            rows = db.execute("SELECT * FROM versions WHERE image = ?", (name,)).fetchall()
        now = self.clock()
        rows = [row for row in rows if not lifecycle.version_gone(row, now)]
        items = time_filter([self._summary(row) for row in rows], p)
        by = {"LAST_MODIFIED_TIME": "LastModifiedTime", "VERSION": "Version"}
        items = sort_items(items, p, by, "CreationTime", "Version", **SAGEMAKER_SORT)
        page, token = one_page(items, p)
        return {"ImageVersions": page, "NextToken": token}

    def UpdateImageVersion(self, p: Params) -> Params:
        name = p["ImageName"]
        add = list(p.get("AliasesToAdd") or [])
        delete = list(p.get("AliasesToDelete") or [])
        both = set(add) & set(delete)
        if both:
            raise _invalid(f"Aliases cannot be both added and deleted: {sorted(both)}")
        with self._write() as db:
            row = self._target(db, p, latest=False)
            version = row["version"]
            if row["gone_at"] is not None and not row["delete_failure"]:
                raise ApiError(
                    "ResourceInUse", f"Image version {version_arn(name, version)} is being deleted."
                )
            current = self._aliases_of(db, name, version)
            for alias in delete:
                if alias not in current:
                    raise _not_found(
                        f"Alias '{alias}' is not associated with version {version} "
                        f"of image '{name}'."
                    )
            self._check_aliases_free(db, name, add, version=version)
            db.executemany(
                "DELETE FROM aliases WHERE image = ? AND alias = ?", [(name, a) for a in delete]
            )
            db.executemany(
                "INSERT OR IGNORE INTO aliases (image, alias, version) VALUES (?, ?, ?)",
                [(name, a, version) for a in add],
            )
            changes = {col: p[m] for m, col in METADATA.items() if p.get(m) is not None}
            changes["modified"] = max(self.clock(), row["modified"])
            db.execute(
                f"UPDATE versions SET {', '.join(f'{c} = ?' for c in changes)}"
                " WHERE image = ? AND version = ?",
                (*changes.values(), name, version),
            )
        return {"ImageVersionArn": version_arn(name, version)}

    def DeleteImageVersion(self, p: Params) -> Params:
        name = p["ImageName"]
        with self._write() as db:
            row = self._target(db, p, latest=False)
            version, now = row["version"], self.clock()
            if row["gone_at"] is not None and (now < row["gone_at"] or not row["delete_failure"]):
                raise ApiError(
                    "ResourceInUse", f"Image version {version_arn(name, version)} is being deleted."
                )
            fails = self.faults is not None and self.faults.chance(self.faults.delete_failure_rate)
            failure = lifecycle.DELETE_FAILURE if fails else None
            db.execute(
                "UPDATE versions SET gone_at = ?, delete_failure = ?"
                " WHERE image = ? AND version = ?",
                (now + self.delete_delay, failure, name, version),
            )
        return {}

    def ListAliases(self, p: Params) -> Params:
        name = p["ImageName"]
        with self.store.transaction() as db:
            self._image(db, name)
            if p.get("Version") is not None:
                self._target(db, {"ImageName": name, "Version": p["Version"]}, latest=False)
                aliases = self._aliases_of(db, name, p["Version"])
            else:
                gone = {
                    r["version"]
                    for r in db.execute(
                        f"SELECT version FROM versions WHERE image = ? AND {lifecycle.GONE}",
                        (name, self.clock()),
                    )
                }
                aliases = [
                    r["alias"]
                    for r in db.execute(
                        "SELECT alias, version FROM aliases WHERE image = ? ORDER BY alias", (name,)
                    )
                    if r["version"] not in gone
                ]
        if p.get("Alias") is not None:
            if p["Alias"] not in aliases:
                raise _not_found(f"Alias '{p['Alias']}' does not exist for image '{name}'.")
            aliases = [p["Alias"]]
        page, token = one_page(aliases, p)
        return {"SageMakerImageVersionAliases": page, "NextToken": token}

    # ------------------------------------------------------------ helpers

    def _target(self, db: sqlite3.Connection, p: Params, latest: bool) -> sqlite3.Row:
        """The version named by ``Version`` or ``Alias`` (or the latest, if allowed)."""
        name = p["ImageName"]
        self._image(db, name)
        version, alias = p.get("Version"), p.get("Alias")
        if version is not None and alias is not None:
            raise _invalid("Specify either Version or Alias, not both.")
        if alias is not None:
            found = db.execute(
                "SELECT version FROM aliases WHERE image = ? AND alias = ?", (name, alias)
            ).fetchone()
            if found is None:
                raise _not_found(f"Alias '{alias}' does not exist for image '{name}'.")
            version = found["version"]
        elif version is None:
            if not latest:
                raise _invalid("Either Version or Alias is required.")
            found = db.execute(
                f"SELECT MAX(version) AS v FROM versions WHERE image = ? AND NOT {lifecycle.GONE}",
                (name, self.clock()),
            ).fetchone()
            if found["v"] is None:
                raise _not_found(f"Latest ImageVersion with ImageName {name} does not exist.")
            version = found["v"]
        row = db.execute(
            "SELECT * FROM versions WHERE image = ? AND version = ?", (name, version)
        ).fetchone()
        if row is not None and lifecycle.version_gone(row, self.clock()):
            row = None
        if row is None:
            raise _not_found(f"Image version {version_arn(name, version)} does not exist.")
        return row

    def _summary(self, row: sqlite3.Row) -> Params:
        """An ``ImageVersion`` summary, with the status computed from the clock."""
        status, modified, reason = lifecycle.version_state(row, self.clock())
        return {
            "CreationTime": row["created"],
            "FailureReason": reason,
            "ImageArn": image_arn(row["image"]),
            "ImageVersionArn": version_arn(row["image"], row["version"]),
            "ImageVersionStatus": status,
            "LastModifiedTime": modified,
            "Version": row["version"],
        }

    def _aliases_of(self, db: sqlite3.Connection, name: str, version: int) -> list[str]:
        return [
            r["alias"]
            for r in db.execute(
                "SELECT alias FROM aliases WHERE image = ? AND version = ? ORDER BY alias",
                (name, version),
            )
        ]

    def _check_aliases_free(
        self, db: sqlite3.Connection, name: str, aliases: list[str], version: int | None
    ) -> None:
        for alias in aliases:
            owner = db.execute(
                "SELECT version FROM aliases WHERE image = ? AND alias = ?", (name, alias)
            ).fetchone()
            if owner is not None and owner["version"] != version:
                raise _invalid(
                    f"Alias '{alias}' is already associated with version {owner['version']} "
                    f"of image '{name}'. An alias can name only one version of an image."
                )

    def _resolve(self, db: sqlite3.Connection, base: str) -> tuple[str | None, str | None]:
        """(digest-pinned ContainerImage, None) or (None, FailureReason) for a BaseImage."""
        parts = parse_image_uri(base)
        failure = (
            f"Unable to pull image {base}: the image does not exist in the repository "
            "or the role cannot access it."
        )
        if parts is None:
            return None, (
                f"Unable to pull image {base}: SageMaker images must be based on an image "
                "in Amazon ECR (<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>)."
            )
        if f"{parts['account']}.dkr.ecr.{parts['region']}.amazonaws.com" != REGISTRY:
            return None, failure
        digest = resolve(db, parts["repo"] or "", parts["tag"], parts["digest"])
        if digest is None:
            return None, failure
        return f"{REGISTRY}/{parts['repo']}@{digest}", None
