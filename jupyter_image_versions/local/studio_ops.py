"""Studio operations of the local endpoint: app image configs, domains, user profiles and
Studio lifecycle configurations, kept as JSON documents in the :class:`Store`.

Inputs are validated against botocore's shapes by the handler before they get here.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import sqlite3
import time
from collections.abc import Callable
from typing import Any

from .listing import one_page, sort_items, time_filter
from .names import current_region, sagemaker_arn
from .protocol import ApiError
from .store import Store

Params = dict[str, Any]

OPERATIONS = frozenset(
    {
        "CreateAppImageConfig",
        "DescribeAppImageConfig",
        "ListAppImageConfigs",
        "UpdateAppImageConfig",
        "DeleteAppImageConfig",
        "CreateDomain",
        "DescribeDomain",
        "UpdateDomain",
        "ListDomains",
        "CreateUserProfile",
        "DescribeUserProfile",
        "UpdateUserProfile",
        "CreateStudioLifecycleConfig",
        "DescribeStudioLifecycleConfig",
        "ListStudioLifecycleConfigs",
        "DeleteStudioLifecycleConfig",
    }
)


_IMAGE_CONFIG_KINDS = ("KernelGatewayImageConfig", "JupyterLabAppImageConfig")
_IMAGE_CONFIG_KINDS += ("CodeEditorAppImageConfig",)
# CreateDomain members stored as given; everything else of DescribeDomain is computed.
_DOMAIN_MEMBERS = (
    "DomainName",
    "AuthMode",
    "DefaultUserSettings",
    "DomainSettings",
    "SubnetIds",
    "VpcId",
    "AppNetworkAccessType",
    "HomeEfsFileSystemKmsKeyId",
    "KmsKeyId",
    "AppSecurityGroupManagement",
    "HomeEfsFileSystemCreation",
    "TagPropagation",
    "DefaultSpaceSettings",
)


# Studio list operations spell SortBy as CreationTime / LastModifiedTime, else a name.
STUDIO_SORT = {"CreationTime": "CreationTime", "LastModifiedTime": "LastModifiedTime"}


def _arn(kind: str, name: str) -> str:
    return sagemaker_arn(kind, name)


def domain_id_for(name: str) -> str:
    """The domain id the local endpoint gives a domain name (stable, so demos can name it)."""
    return "d-" + hashlib.sha256(name.encode()).hexdigest()[:12]


def merge_settings(current: Params | None, sent: Params | None) -> Params | None:
    """UpdateDomain/UpdateUserProfile: each top-level member sent replaces that member whole;
    members not sent are kept exactly as they were."""
    if sent is None:
        return current
    merged = dict(current or {})
    merged.update(sent)
    return merged


def _not_found(message: str) -> ApiError:
    return ApiError("ResourceNotFound", message)


class StudioOps:
    """The Studio operations; each public method is one operation (``params`` -> response)."""

    def __init__(
        self,
        store: Store,
        clock: Callable[[], float] = time.time,
        ready: Callable[[], float] = lambda: 0.0,
    ) -> None:
        self.store = store
        self.clock = clock
        self.ready = ready  # seconds a new domain stays Pending before InService

    def _domain_status(self, row: Any) -> str:
        return "Pending" if self.clock() < row["created"] + self.ready() else "InService"

    # ------------------------------------------------------------ app image configs

    def CreateAppImageConfig(self, p: Params) -> Params:
        name, now = p["AppImageConfigName"], self.clock()
        body = {k: p[k] for k in _IMAGE_CONFIG_KINDS if p.get(k) is not None}
        with self.store.transaction(write=True) as db:
            if self._row(db, "app_image_configs", "name", name) is not None:
                raise ApiError(
                    "ResourceInUse", f"AppImageConfig {_arn('app-image-config', name)} exists."
                )
            db.execute(
                "INSERT INTO app_image_configs (name, body, created, modified) VALUES (?, ?, ?, ?)",
                (name, json.dumps(body), now, now),
            )
        return {"AppImageConfigArn": _arn("app-image-config", name)}

    def DescribeAppImageConfig(self, p: Params) -> Params:
        with self.store.transaction() as db:
            return self._image_config_out(self._image_config(db, p["AppImageConfigName"]))

    def ListAppImageConfigs(self, p: Params) -> Params:
        with self.store.transaction() as db:
            rows = db.execute("SELECT * FROM app_image_configs").fetchall()
        items = [self._image_config_out(row) for row in rows]
        if p.get("NameContains"):
            items = [i for i in items if p["NameContains"] in i["AppImageConfigName"]]
        items = time_filter(items, p, modified="ModifiedTime")
        items = sort_items(items, p, STUDIO_SORT, "AppImageConfigName", "AppImageConfigName")
        page, token = one_page(items, p)
        return {"AppImageConfigs": page, "NextToken": token}

    def UpdateAppImageConfig(self, p: Params) -> Params:
        name = p["AppImageConfigName"]
        with self.store.transaction(write=True) as db:
            row = self._image_config(db, name)
            body = json.loads(row["body"])
            body.update({k: p[k] for k in _IMAGE_CONFIG_KINDS if p.get(k) is not None})
            db.execute(
                "UPDATE app_image_configs SET body = ?, modified = ? WHERE name = ?",
                (json.dumps(body), max(self.clock(), row["modified"]), name),
            )
        return {"AppImageConfigArn": _arn("app-image-config", name)}

    def DeleteAppImageConfig(self, p: Params) -> Params:
        with self.store.transaction(write=True) as db:
            self._image_config(db, p["AppImageConfigName"])
            db.execute("DELETE FROM app_image_configs WHERE name = ?", (p["AppImageConfigName"],))
        return {}

    # ------------------------------------------------------------ domains

    def CreateDomain(self, p: Params) -> Params:
        name, now = p["DomainName"], self.clock()
        domain_id = domain_id_for(name)
        body = {k: p[k] for k in _DOMAIN_MEMBERS if p.get(k) is not None}
        with self.store.transaction(write=True) as db:
            if self._row(db, "domains", "id", domain_id) is not None:
                raise ApiError("ResourceInUse", f"Domain {name} ({domain_id}) already exists.")
            db.execute(
                "INSERT INTO domains (id, name, body, created, modified) VALUES (?, ?, ?, ?, ?)",
                (domain_id, name, json.dumps(body), now, now),
            )
        return {
            "DomainArn": _arn("domain", domain_id),
            "DomainId": domain_id,
            "Url": _url(domain_id),
        }

    def DescribeDomain(self, p: Params) -> Params:
        with self.store.transaction() as db:
            row = self._domain(db, p["DomainId"])
        return {
            "DomainArn": _arn("domain", row["id"]),
            "DomainId": row["id"],
            "HomeEfsFileSystemId": "fs-" + row["id"][2:10],
            "Status": self._domain_status(row),
            "CreationTime": row["created"],
            "LastModifiedTime": row["modified"],
            "Url": _url(row["id"]),
            **json.loads(row["body"]),
        }

    def UpdateDomain(self, p: Params) -> Params:
        domain_id = p["DomainId"]
        with self.store.transaction(write=True) as db:
            row = self._domain(db, domain_id)
            body = json.loads(row["body"])
            for member in ("DefaultUserSettings", "DefaultSpaceSettings"):
                merged = merge_settings(body.get(member), p.get(member))
                if merged is not None:
                    body[member] = merged
            merged = merge_settings(body.get("DomainSettings"), p.get("DomainSettingsForUpdate"))
            if merged is not None:
                body["DomainSettings"] = merged
            for member in ("AppSecurityGroupManagement", "SubnetIds", "AppNetworkAccessType"):
                if p.get(member) is not None:
                    body[member] = p[member]
            for member in ("TagPropagation", "HomeEfsFileSystemCreation", "VpcId"):
                if p.get(member) is not None:
                    body[member] = p[member]
            db.execute(
                "UPDATE domains SET body = ?, modified = ? WHERE id = ?",
                (json.dumps(body), max(self.clock(), row["modified"]), domain_id),
            )
        return {"DomainArn": _arn("domain", domain_id)}

    def ListDomains(self, p: Params) -> Params:
        with self.store.transaction() as db:
            rows = db.execute("SELECT * FROM domains ORDER BY created DESC, id").fetchall()
        items = [
            {
                "DomainArn": _arn("domain", r["id"]),
                "DomainId": r["id"],
                "DomainName": r["name"],
                "Status": self._domain_status(r),
                "CreationTime": r["created"],
                "LastModifiedTime": r["modified"],
                "Url": _url(r["id"]),
            }
            for r in rows
        ]
        page, token = one_page(items, p)
        return {"Domains": page, "NextToken": token}

    # ------------------------------------------------------------ user profiles

    def CreateUserProfile(self, p: Params) -> Params:
        domain_id, name, now = p["DomainId"], p["UserProfileName"], self.clock()
        body = {"UserSettings": p["UserSettings"]} if p.get("UserSettings") else {}
        with self.store.transaction(write=True) as db:
            self._domain(db, domain_id)
            if self._profile(db, domain_id, name, required=False) is not None:
                raise ApiError("ResourceInUse", f"User profile {name} already exists.")
            db.execute(
                "INSERT INTO user_profiles (domain_id, name, body, created, modified)"
                " VALUES (?, ?, ?, ?, ?)",
                (domain_id, name, json.dumps(body), now, now),
            )
        return {"UserProfileArn": _arn("user-profile", f"{domain_id}/{name}")}

    def DescribeUserProfile(self, p: Params) -> Params:
        domain_id, name = p["DomainId"], p["UserProfileName"]
        with self.store.transaction() as db:
            row = self._profile(db, domain_id, name)
        return {
            "DomainId": domain_id,
            "UserProfileArn": _arn("user-profile", f"{domain_id}/{name}"),
            "UserProfileName": name,
            "HomeEfsFileSystemUid": "200001",
            "Status": "InService",
            "CreationTime": row["created"],
            "LastModifiedTime": row["modified"],
            **json.loads(row["body"]),
        }

    def UpdateUserProfile(self, p: Params) -> Params:
        domain_id, name = p["DomainId"], p["UserProfileName"]
        with self.store.transaction(write=True) as db:
            row = self._profile(db, domain_id, name)
            body = json.loads(row["body"])
            merged = merge_settings(body.get("UserSettings"), p.get("UserSettings"))
            if merged is not None:
                body["UserSettings"] = merged
            db.execute(
                "UPDATE user_profiles SET body = ?, modified = ? WHERE domain_id = ? AND name = ?",
                (json.dumps(body), max(self.clock(), row["modified"]), domain_id, name),
            )
        return {"UserProfileArn": _arn("user-profile", f"{domain_id}/{name}")}

    # ------------------------------------------------------------ Studio lifecycle configs

    def CreateStudioLifecycleConfig(self, p: Params) -> Params:
        name, content = p["StudioLifecycleConfigName"], p["StudioLifecycleConfigContent"]
        try:
            base64.b64decode(content, validate=True)
        except (binascii.Error, ValueError):
            raise ApiError(
                "ValidationException", "StudioLifecycleConfigContent must be base64-encoded."
            ) from None
        now = self.clock()
        with self.store.transaction(write=True) as db:
            if self._row(db, "studio_lifecycle_configs", "name", name) is not None:
                raise ApiError(
                    "ResourceInUse",
                    f"Studio lifecycle config {_arn('studio-lifecycle-config', name)} exists.",
                )
            db.execute(
                "INSERT INTO studio_lifecycle_configs (name, app_type, content, created, modified)"
                " VALUES (?, ?, ?, ?, ?)",
                (name, p["StudioLifecycleConfigAppType"], content, now, now),
            )
        return {"StudioLifecycleConfigArn": _arn("studio-lifecycle-config", name)}

    def DescribeStudioLifecycleConfig(self, p: Params) -> Params:
        with self.store.transaction() as db:
            row = self._lifecycle_config(db, p["StudioLifecycleConfigName"])
        return self._lifecycle_out(row) | {"StudioLifecycleConfigContent": row["content"]}

    def ListStudioLifecycleConfigs(self, p: Params) -> Params:
        with self.store.transaction() as db:
            rows = db.execute("SELECT * FROM studio_lifecycle_configs").fetchall()
        items = [self._lifecycle_out(row) for row in rows]
        if p.get("NameContains"):
            items = [i for i in items if p["NameContains"] in i["StudioLifecycleConfigName"]]
        if p.get("AppTypeEquals"):
            items = [i for i in items if i["StudioLifecycleConfigAppType"] == p["AppTypeEquals"]]
        items = time_filter(items, p, modified="ModifiedTime")
        items = sort_items(
            items, p, STUDIO_SORT, "StudioLifecycleConfigName", "StudioLifecycleConfigName"
        )
        page, token = one_page(items, p)
        return {"StudioLifecycleConfigs": page, "NextToken": token}

    def DeleteStudioLifecycleConfig(self, p: Params) -> Params:
        name = p["StudioLifecycleConfigName"]
        with self.store.transaction(write=True) as db:
            self._lifecycle_config(db, name)
            db.execute("DELETE FROM studio_lifecycle_configs WHERE name = ?", (name,))
        return {}

    # ------------------------------------------------------------ helpers

    @staticmethod
    def _row(db: sqlite3.Connection, table: str, key: str, value: str) -> Any:
        return db.execute(f"SELECT * FROM {table} WHERE {key} = ?", (value,)).fetchone()

    def _image_config(self, db: sqlite3.Connection, name: str) -> Any:
        row = self._row(db, "app_image_configs", "name", name)
        if row is None:
            raise _not_found(f"AppImageConfig {_arn('app-image-config', name)} does not exist.")
        return row

    def _domain(self, db: sqlite3.Connection, domain_id: str) -> Any:
        row = self._row(db, "domains", "id", domain_id)
        if row is None:
            raise _not_found(f"Domain {_arn('domain', domain_id)} does not exist.")
        return row

    def _profile(
        self, db: sqlite3.Connection, domain_id: str, name: str, required: bool = True
    ) -> Any:
        row = db.execute(
            "SELECT * FROM user_profiles WHERE domain_id = ? AND name = ?", (domain_id, name)
        ).fetchone()
        if row is None and required:
            raise _not_found(
                f"User profile {_arn('user-profile', f'{domain_id}/{name}')} does not exist."
            )
        return row

    def _lifecycle_config(self, db: sqlite3.Connection, name: str) -> Any:
        row = self._row(db, "studio_lifecycle_configs", "name", name)
        if row is None:
            raise _not_found(
                f"Studio lifecycle config {_arn('studio-lifecycle-config', name)} does not exist."
            )
        return row

    @staticmethod
    def _image_config_out(row: sqlite3.Row) -> Params:
        return {
            "AppImageConfigArn": _arn("app-image-config", row["name"]),
            "AppImageConfigName": row["name"],
            "CreationTime": row["created"],
            "LastModifiedTime": row["modified"],
            **json.loads(row["body"]),
        }

    @staticmethod
    def _lifecycle_out(row: sqlite3.Row) -> Params:
        return {
            "StudioLifecycleConfigArn": _arn("studio-lifecycle-config", row["name"]),
            "StudioLifecycleConfigName": row["name"],
            "CreationTime": row["created"],
            "LastModifiedTime": row["modified"],
            "StudioLifecycleConfigAppType": row["app_type"],
        }


def _url(domain_id: str) -> str:
    return f"https://{domain_id}.studio.{current_region()}.sagemaker.aws"
