"""SageMaker image and image-version operations over the :class:`Store`."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from typing import Any

from .ecr_ops import resolve
from .listing import one_page, sort_items, time_filter
from .names import REGISTRY, image_arn, parse_image_uri, version_arn
from .protocol import ApiError
from .store import Store

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


def _not_found(message: str) -> ApiError:
    return ApiError("ResourceNotFound", message)


def _invalid(message: str) -> ApiError:
    return ApiError("ValidationException", message)


# The image APIs spell the sort enums in capitals.
SAGEMAKER_SORT = {"default_by": "CREATION_TIME", "descending": "DESCENDING"}


class SageMakerOps:
    """The SageMaker image API; each public method is one operation (``params`` -> response)."""

    def __init__(
        self, store: Store, create_delay: float = 0.5, clock: Callable[[], float] = time.time
    ) -> None:
        self.store = store
        self.create_delay = create_delay
        self.clock = clock

    # ------------------------------------------------------------ images

    def CreateImage(self, p: Params) -> Params:
        name, now = p["ImageName"], self.clock()
        with self.store.transaction(write=True) as db:
            if self._image(db, name, required=False) is not None:
                raise ApiError("ResourceInUse", f"Image {image_arn(name)} already exists.")
            db.execute(
                "INSERT INTO images (name, display_name, description, role_arn, created, modified)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (name, p.get("DisplayName"), p.get("Description"), p["RoleArn"], now, now),
            )
        return {"ImageArn": image_arn(name)}

    def DescribeImage(self, p: Params) -> Params:
        with self.store.transaction() as db:
            return self._image_out(self._image(db, p["ImageName"]), full=True)

    def ListImages(self, p: Params) -> Params:
        with self.store.transaction() as db:
            rows = db.execute("SELECT * FROM images").fetchall()
        images = [self._image_out(row) for row in rows]
        if p.get("NameContains"):
            images = [i for i in images if p["NameContains"] in i["ImageName"]]
        images = time_filter(images, p)
        by = {"CREATION_TIME": "CreationTime", "LAST_MODIFIED_TIME": "LastModifiedTime"}
        images = sort_items(images, p, by, "ImageName", "ImageName", **SAGEMAKER_SORT)
        page, token = one_page(images, p)
        return {"Images": page, "NextToken": token}

    def UpdateImage(self, p: Params) -> Params:
        name = p["ImageName"]
        deletes = set(p.get("DeleteProperties") or [])
        unknown = deletes - {"DisplayName", "Description"}
        if unknown:
            raise _invalid(f"DeleteProperties may only name DisplayName or Description: {unknown}")
        for prop in deletes:
            if p.get(prop) is not None:
                raise _invalid(f"{prop} cannot be both set and deleted.")
        with self.store.transaction(write=True) as db:
            row = self._image(db, name)
            values = {
                "display_name": None if "DisplayName" in deletes else row["display_name"],
                "description": None if "Description" in deletes else row["description"],
                "role_arn": row["role_arn"],
            }
            for member, column in (
                ("DisplayName", "display_name"),
                ("Description", "description"),
                ("RoleArn", "role_arn"),
            ):
                if p.get(member) is not None:
                    values[column] = p[member]
            db.execute(
                "UPDATE images SET display_name = ?, description = ?, role_arn = ?, modified = ?"
                " WHERE name = ?",
                (*values.values(), self.clock(), name),
            )
        return {"ImageArn": image_arn(name)}

    def DeleteImage(self, p: Params) -> Params:
        name = p["ImageName"]
        with self.store.transaction(write=True) as db:
            self._image(db, name)
            for table, column in (("aliases", "image"), ("versions", "image"), ("images", "name")):
                db.execute(f"DELETE FROM {table} WHERE {column} = ?", (name,))
        return {}

    # ------------------------------------------------------------ versions

    def CreateImageVersion(self, p: Params) -> Params:
        name, token, base = p["ImageName"], p["ClientToken"], p["BaseImage"]
        aliases = list(p.get("Aliases") or [])
        if len(set(aliases)) != len(aliases):
            raise _invalid(f"Aliases must be unique: {aliases}")
        now = self.clock()
        with self.store.transaction(write=True) as db:
            image = self._image(db, name)
            same = db.execute(
                "SELECT version FROM versions WHERE image = ? AND client_token = ?", (name, token)
            ).fetchone()
            if same is not None:
                return {"ImageVersionArn": version_arn(name, same["version"])}
            self._check_aliases_free(db, name, aliases, version=None)
            container, reason = self._resolve(db, base)
            version = image["next_version"]
            db.execute("UPDATE images SET next_version = ? WHERE name = ?", (version + 1, name))
            columns = {
                "image": name,
                "version": version,
                "client_token": token,
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
        status = out["ImageVersionStatus"]
        out.update(
            {
                "BaseImage": row["base_image"],
                "ContainerImage": row["container_image"] if status == "CREATED" else None,
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
        with self.store.transaction(write=True) as db:
            row = self._target(db, p, latest=False)
            version = row["version"]
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
        with self.store.transaction(write=True) as db:
            version = self._target(db, p, latest=False)["version"]
            for table in ("aliases", "versions"):
                db.execute(f"DELETE FROM {table} WHERE image = ? AND version = ?", (name, version))
        return {}

    def ListAliases(self, p: Params) -> Params:
        name = p["ImageName"]
        with self.store.transaction() as db:
            self._image(db, name)
            if p.get("Version") is not None:
                self._target(db, {"ImageName": name, "Version": p["Version"]}, latest=False)
                aliases = self._aliases_of(db, name, p["Version"])
            else:
                aliases = [
                    r["alias"]
                    for r in db.execute(
                        "SELECT alias FROM aliases WHERE image = ? ORDER BY alias", (name,)
                    )
                ]
        if p.get("Alias") is not None:
            if p["Alias"] not in aliases:
                raise _not_found(f"Alias '{p['Alias']}' does not exist for image '{name}'.")
            aliases = [p["Alias"]]
        page, token = one_page(aliases, p)
        return {"SageMakerImageVersionAliases": page, "NextToken": token}

    # ------------------------------------------------------------ helpers

    def _image(self, db: sqlite3.Connection, name: str, required: bool = True) -> Any:
        row = db.execute("SELECT * FROM images WHERE name = ?", (name,)).fetchone()
        if row is None and required:
            raise _not_found(f"Image {image_arn(name)} does not exist.")
        return row

    def _image_out(self, row: sqlite3.Row, full: bool = False) -> Params:
        out = {
            "CreationTime": row["created"],
            "Description": row["description"],
            "DisplayName": row["display_name"],
            "ImageArn": image_arn(row["name"]),
            "ImageName": row["name"],
            "ImageStatus": "CREATED",
            "LastModifiedTime": row["modified"],
        }
        if full:
            out["RoleArn"] = row["role_arn"]
        return out

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
                "SELECT MAX(version) AS v FROM versions WHERE image = ?", (name,)
            ).fetchone()
            if found["v"] is None:
                raise _not_found(f"Image {image_arn(name)} has no versions.")
            version = found["v"]
        row = db.execute(
            "SELECT * FROM versions WHERE image = ? AND version = ?", (name, version)
        ).fetchone()
        if row is None:
            raise _not_found(f"Image version {version_arn(name, version)} does not exist.")
        return row

    def _summary(self, row: sqlite3.Row) -> Params:
        """An ``ImageVersion`` summary, with the status computed from the clock."""
        now = self.clock()
        if now < row["ready_at"]:
            status, modified, reason = "CREATING", row["modified"], None
        else:
            status = row["outcome"]
            modified = max(row["modified"], row["ready_at"])
            reason = row["failure_reason"]
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
