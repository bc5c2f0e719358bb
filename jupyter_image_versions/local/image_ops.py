"""SageMaker images: CreateImage, DescribeImage, ListImages, UpdateImage, DeleteImage."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from typing import Any

from . import lifecycle
from .listing import one_page, sort_items, time_filter
from .names import image_arn
from .protocol import ApiError
from .store import Store

Params = dict[str, Any]

# The image APIs spell the sort enums in capitals.
SAGEMAKER_SORT = {"default_by": "CREATION_TIME", "descending": "DESCENDING"}


def _not_found(message: str) -> ApiError:
    return ApiError("ResourceNotFound", message)


def _invalid(message: str) -> ApiError:
    return ApiError("ValidationException", message)


class ImageOps:
    """Images, and the state the version operations share (store, clock, delays, faults)."""

    def __init__(
        self,
        store: Store,
        create_delay: float = 0.5,
        clock: Callable[[], float] = time.time,
        *,
        delete_delay: float | None = None,
        faults: Any = None,
    ) -> None:
        self.store = store
        self.create_delay = create_delay
        self.clock = clock
        self._delete_delay = delete_delay
        self.faults = faults  # draws injected DELETE_FAILED outcomes (handler.Faults)

    @property
    def delete_delay(self) -> float:
        """Seconds a deleted image or version stays DELETING (default: the create delay)."""
        return self.create_delay if self._delete_delay is None else self._delete_delay

    @delete_delay.setter
    def delete_delay(self, seconds: float | None) -> None:
        self._delete_delay = seconds

    def _write(self) -> Any:
        """A write transaction that first removes what finished deleting."""
        return lifecycle.write_transaction(self.store, self.clock)

    # ------------------------------------------------------------ images

    def CreateImage(self, p: Params) -> Params:
        name, now = p["ImageName"], self.clock()
        ready = now + self.create_delay
        with self._write() as db:
            # ARNs are lower-case, so names differing only in case would share one ARN.
            same = db.execute("SELECT 1 FROM images WHERE lower(name) = lower(?)", (name,))
            if same.fetchone() is not None:
                raise ApiError("ResourceInUse", f"Image {image_arn(name)} already exists.")
            db.execute(
                "INSERT INTO images (name, display_name, description, role_arn, created, modified,"
                " ready_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (name, p.get("DisplayName"), p.get("Description"), p["RoleArn"], now, now, ready),
            )
        return {"ImageArn": image_arn(name)}

    def DescribeImage(self, p: Params) -> Params:
        with self.store.transaction() as db:
            return self._image_out(self._image(db, p["ImageName"]), full=True)

    def ListImages(self, p: Params) -> Params:
        with self.store.transaction() as db:
            rows = db.execute("SELECT * FROM images").fetchall()
        now = self.clock()
        images = [self._image_out(row) for row in rows if not lifecycle.image_gone(row, now)]
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
        with self._write() as db:
            row = self._image(db, name)
            status = lifecycle.image_status(row, self.clock())
            if status != "CREATED":
                raise ApiError(
                    "ResourceInUse", f"Image {image_arn(name)} is {status} and cannot be updated."
                )
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
                "UPDATE images SET display_name = ?, description = ?, role_arn = ?, modified = ?,"
                " update_done_at = ? WHERE name = ?",
                (*values.values(), self.clock(), self.clock() + self.create_delay, name),
            )
        return {"ImageArn": image_arn(name)}

    def DeleteImage(self, p: Params) -> Params:
        name = p["ImageName"]
        with self._write() as db:
            if self._image(db, name)["gone_at"] is not None:
                raise ApiError("ResourceInUse", f"Image {image_arn(name)} is being deleted.")
            gone_at = self.clock() + self.delete_delay
            db.execute("UPDATE images SET gone_at = ? WHERE name = ?", (gone_at, name))
            db.execute(
                "UPDATE versions SET gone_at = ?, delete_failure = NULL WHERE image = ?",
                (gone_at, name),
            )
        return {}

    # ------------------------------------------------------------ helpers

    def _image(self, db: sqlite3.Connection, name: str, required: bool = True) -> Any:
        row = db.execute("SELECT * FROM images WHERE name = ?", (name,)).fetchone()
        if row is not None and lifecycle.image_gone(row, self.clock()):
            row = None
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
            "ImageStatus": lifecycle.image_status(row, self.clock()),
            "LastModifiedTime": row["modified"],
        }
        if full:
            out["RoleArn"] = row["role_arn"]
        return out
