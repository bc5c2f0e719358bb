"""ImageVersions: the one module that talks to SageMaker and ECR through boto3."""

from __future__ import annotations

import contextlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, NamedTuple

from . import awsmodel
from .aws_calls import call_aws, translate_error
from .backend import AwsClients, LocalClients, backend_from_env, default_local_db
from .errors import (
    AwsError,
    Conflict,
    CreateFailed,
    ImageVersionsError,
    NotFound,
    SpecError,
)
from .models import Image, ImageVersion
from .spec import (
    METADATA_FIELDS,
    REQUEST_MEMBERS,
    ImageVersionSpec,
    alias_problem,
    field_problem,
    parse_ecr_uri,
)

TERMINAL_STATUSES = {"CREATED", "CREATE_FAILED", "DELETE_FAILED"}

# Creates and deletes of one image are serialized within a process (AWS answers concurrent ones
# with ResourceInUse "modified concurrently").
_IMAGE_LOCKS: dict[str, threading.Lock] = {}
_IMAGE_LOCKS_GUARD = threading.Lock()


def _image_lock(key: str) -> threading.Lock:
    with _IMAGE_LOCKS_GUARD:
        return _IMAGE_LOCKS.setdefault(key, threading.Lock())


class HistoryPage(NamedTuple):
    """One page of an image's history and the image's whole {alias: version} map."""

    versions: list[ImageVersion]
    next_token: str | None
    aliases: dict[str, int]


def version_from_arn(arn: str) -> int:
    """The version number at the end of an image-version ARN."""
    return int(arn.rsplit("/", 1)[1])


class ImageVersions:
    """Manage the versions of SageMaker images: register, list, alias, update, delete, wait."""

    def __init__(
        self,
        region: str | None = None,
        profile: str | None = None,
        endpoint_url: str | None = None,
        *,
        clients: AwsClients | LocalClients | None = None,
        max_workers: int = 8,
        max_attempts: int = 8,
        poll_interval: float = 0.5,
        timeout: float = 900.0,
    ) -> None:
        self._clients = clients or AwsClients(region, profile, endpoint_url, max_attempts)
        self.backend: str = self._clients.backend
        self.max_workers = max_workers
        self.poll_interval = poll_interval
        self.timeout = timeout
        self._client_cache: dict[str, Any] = {}
        self._client_guard = threading.Lock()
        self._describe_cache: OrderedDict[tuple, ImageVersion] = OrderedDict()
        self._cache_guard = threading.Lock()
        self._cache_size = 20_000

    # -- construction ------------------------------------------------------------------------

    @classmethod
    def local(
        cls,
        path: str | None = None,
        *,
        max_workers: int = 8,
        max_attempts: int = 8,
        **endpoint_options: Any,
    ) -> ImageVersions:
        """On the embedded local endpoint; `path` is its SQLite file (":memory:" for tests)."""
        from .local import LocalEndpoint

        endpoint = LocalEndpoint(path=path or default_local_db(), **endpoint_options)
        clients = LocalClients(endpoint, max_attempts=max_attempts)
        service = cls(clients=clients, max_workers=max_workers, poll_interval=0.1)
        service.endpoint = endpoint
        return service

    @classmethod
    def from_settings(
        cls,
        backend: str | None = None,
        *,
        region: str | None = None,
        profile: str | None = None,
        endpoint_url: str | None = None,
        local_db: str | None = None,
        max_workers: int = 8,
        max_attempts: int = 8,
    ) -> ImageVersions:
        """The backend named (or $JUPYTER_IMAGE_VERSIONS_BACKEND), as every front end chooses."""
        backend = backend or backend_from_env()
        sizes = {"max_workers": max_workers, "max_attempts": max_attempts}
        if backend == "local":
            return cls.local(local_db, **sizes, **_local_options_from_env())
        return cls(region, profile, endpoint_url, **sizes)

    @property
    def region(self) -> str | None:
        return self._clients.region or self._sm.meta.region_name

    @property
    def _sm(self) -> Any:
        return self._client("sagemaker")

    @property
    def _ecr(self) -> Any:
        return self._client("ecr")

    def _client(self, service: str) -> Any:
        with self._client_guard:
            if service not in self._client_cache:
                try:
                    self._client_cache[service] = self._clients.client(service)
                except Exception as exc:
                    raise translate_error(exc) from None
            return self._client_cache[service]

    def _call(self, client: Any, operation: str, **params: Any) -> dict:
        return call_aws(client, operation, **params)

    def _paginate(self, client: Any, operation: str, **params: Any) -> Iterable[dict]:
        try:
            yield from client.get_paginator(operation).paginate(**params)
        except ImageVersionsError:
            raise
        except Exception as exc:
            raise translate_error(exc) from None

    def context(self) -> dict[str, Any]:
        """Backend, region, account (STS on AWS) and the Studio context, for UIs to show."""
        from .studio import read_context

        studio = read_context()
        info: dict[str, Any] = {"backend": self.backend, "region": self.region, "account": None}
        if self.backend == "local":
            from .local import LOCAL_ACCOUNT

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

    # -- SageMaker Studio (the logic is in studio.py) -----------------------------------------

    def studio_context(self) -> Any:
        """The Studio app we run in (a ``studio.StudioContext``), or None outside Studio."""
        from .studio import read_context

        return read_context()

    def execution_role(self) -> str | None:
        """The Studio execution role, resolved as the SageMaker SDK does; None outside Studio."""
        from .studio import resolve_execution_role

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
    ) -> dict[str, Any]:
        """Make a version a custom Studio image of a domain (or one user profile).

        Creates or reuses the AppImageConfig ``<image>-<apptype>-config`` and puts the image
        in ``<app_type>AppSettings.CustomImages``, replacing an earlier entry for the image.
        """
        from .studio import attach_image

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
        from .studio import detach_image

        return detach_image(
            self, image_name, domain_id=domain_id, app_type=app_type, user_profile=user_profile
        )

    def create_lifecycle_config(self, name: str, content_b64: str, app_type: str) -> str:
        """CreateStudioLifecycleConfig; returns the config's ARN."""
        from .studio import create_lifecycle_config

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
        from .studio import attach_lifecycle_config

        return attach_lifecycle_config(
            self, arn, app_type, domain_id=domain_id, user_profile=user_profile, default=default
        )

    # -- images ------------------------------------------------------------------------------

    def images(self) -> list[Image]:
        """Every SageMaker image in the account and region, newest first."""
        found = []
        for page in self._paginate(self._sm, "list_images", SortBy="CREATION_TIME"):
            found += [Image.from_aws(summary) for summary in page.get("Images", [])]
        return found

    def describe_image(self, name: str) -> Image:
        self._check_image_name(name)
        return Image.from_aws(self._call(self._sm, "describe_image", ImageName=name))

    def create_image(
        self,
        name: str,
        role_arn: str | None = None,
        display_name: str | None = None,
        description: str | None = None,
        *,
        wait: bool = True,
    ) -> Image:
        """Create the parent image; `role_arn` is the role SageMaker uses to pull from ECR.

        Without `role_arn`, in SageMaker Studio the execution role is used (see
        `execution_role()`); elsewhere the role is required.
        """
        if role_arn is None and self.studio_context() is not None:
            try:
                role_arn = self.execution_role()
            except ImageVersionsError:
                role_arn = None
        params = {
            "ImageName": name,
            "RoleArn": role_arn,
            "DisplayName": display_name,
            "Description": description,
        }
        labels = {"ImageName": "image_name", "RoleArn": "role_arn"}
        labels |= {"DisplayName": "display_name", "Description": "description"}
        problems = {}
        for member, value in params.items():
            label = labels[member]
            if value is None:
                if member in ("ImageName", "RoleArn"):
                    problems[label] = f"{label} is required to create an image"
                    if member == "RoleArn":
                        problems[label] += " (it is resolved automatically only in Studio)"
                continue
            shape = awsmodel.input_shape("sagemaker", "CreateImage", member)
            problem = awsmodel.string_problem(shape, value)
            if problem:
                problems[label] = f"{label} {problem}"
        if problems:
            raise SpecError(problems)
        self._call(self._sm, "create_image", **{k: v for k, v in params.items() if v is not None})
        image = self.describe_image(name)
        deadline = time.monotonic() + self.timeout
        while wait and image.status == "CREATING" and time.monotonic() < deadline:
            time.sleep(self.poll_interval)
            image = self.describe_image(name)
        return image

    def delete_image(self, name: str) -> None:
        self._check_image_name(name)
        self._call(self._sm, "delete_image", ImageName=name)

    # -- registering -------------------------------------------------------------------------

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
            with _image_lock(f"{self.backend}:{self.region}:{spec.image_name}"):
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
            except Conflict:
                if attempt == 4:
                    raise
                time.sleep(0.2 * 2**attempt)
        raise AssertionError("unreachable")

    def _ensure_image(self, name: str, role_arn: str | None) -> bool:
        """Create the image `name` when missing; whether this call created it."""
        try:
            self.describe_image(name)
            return False
        except NotFound:
            if not role_arn and self.studio_context() is not None:
                with contextlib.suppress(ImageVersionsError):
                    role_arn = self.execution_role()
            if not role_arn:
                raise SpecError(
                    {"role_arn": f"role_arn is required to create the image '{name}'"}
                ) from None
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
            response = self._ecr.describe_images(
                registryId=ref.account,
                repositoryName=ref.repository,
                imageIds=[{"imageTag": ref.tag or "latest"}],
            )
        except Exception:
            # Not readable here (other account, no permission, not pushed yet): the token then
            # depends on the spec alone, which still makes retries idempotent.
            return None
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

    # -- reading -----------------------------------------------------------------------------

    def history(self, image_name: str, limit: int | None = None) -> list[ImageVersion]:
        """Every version of the image (or the newest `limit`), newest first, with aliases."""
        self._check_image_name(image_name)
        pagination = {"PageSize": 100} | ({"MaxItems": limit} if limit else {})
        summaries = []
        for page in self._paginate(
            self._sm,
            "list_image_versions",
            ImageName=image_name,
            SortBy="VERSION",
            SortOrder="DESCENDING",
            PaginationConfig=pagination,
        ):
            summaries += page.get("ImageVersions", [])
        return self._expand(image_name, summaries).versions

    def history_page(
        self, image_name: str, limit: int = 25, next_token: str | None = None
    ) -> HistoryPage:
        """One page of history, newest first, the next page's token, and the image's aliases."""
        self._check_image_name(image_name)
        params = {"ImageName": image_name, "SortBy": "VERSION", "SortOrder": "DESCENDING"}
        params["MaxResults"] = limit
        if next_token:
            params["NextToken"] = next_token
        page = self._call(self._sm, "list_image_versions", **params)
        expanded = self._expand(image_name, page.get("ImageVersions", []))
        return expanded._replace(next_token=page.get("NextToken"))

    def _expand(self, image_name: str, summaries: list[dict]) -> HistoryPage:
        """Describe the summarized versions (cached, bounded pool) and attach their aliases."""
        if not summaries:
            return HistoryPage([], None, {})
        with ThreadPoolExecutor(self.max_workers) as pool:
            alias_map = pool.submit(self._alias_versions, image_name)
            described = list(pool.map(self._describe_summary, summaries))
            aliases = alias_map.result()
        by_version: dict[int, list[str]] = {}
        for alias, number in aliases.items():
            by_version.setdefault(number, []).append(alias)
        out = []
        for v in described:
            names = tuple(sorted(by_version.get(v.version, []), key=_alias_sort_key))
            out.append(_replace(v, aliases=names))
        return HistoryPage(out, None, aliases)

    def _describe_summary(self, summary: dict) -> ImageVersion:
        key = (
            summary["ImageVersionArn"],
            summary.get("LastModifiedTime"),
            summary.get("ImageVersionStatus"),
        )
        with self._cache_guard:
            if key in self._describe_cache:
                self._describe_cache.move_to_end(key)
                return self._describe_cache[key]
        arn = summary["ImageVersionArn"]
        image_name = arn.rsplit("/", 2)[1]
        response = self._call(
            self._sm, "describe_image_version", ImageName=image_name, Version=summary["Version"]
        )
        version = ImageVersion.from_aws(image_name, response)
        if version.status in TERMINAL_STATUSES | {"CREATED"}:
            with self._cache_guard:
                self._describe_cache[key] = version
                while len(self._describe_cache) > self._cache_size:
                    self._describe_cache.popitem(last=False)
        return version

    def _alias_versions(self, image_name: str) -> dict[str, int]:
        names = []
        for page in self._paginate(
            self._sm, "list_aliases", ImageName=image_name, PaginationConfig={"PageSize": 100}
        ):
            names += page.get("SageMakerImageVersionAliases", [])
        if not names:
            return {}

        def version_of(alias: str) -> int:
            found = self._call(
                self._sm, "describe_image_version", ImageName=image_name, Alias=alias
            )
            return found["Version"]

        with ThreadPoolExecutor(self.max_workers) as pool:
            return dict(zip(names, pool.map(version_of, names), strict=True))

    def get(
        self, image_name: str, version: int | None = None, alias: str | None = None
    ) -> ImageVersion:
        """One version, by number or alias (exactly one of them), with its aliases."""
        selector = self._selector(image_name, version, alias)
        response = self._call(self._sm, "describe_image_version", ImageName=image_name, **selector)
        found = ImageVersion.from_aws(image_name, response)
        names = []
        for page in self._paginate(
            self._sm, "list_aliases", ImageName=image_name, Version=found.version
        ):
            names += page.get("SageMakerImageVersionAliases", [])
        return _replace(found, aliases=tuple(sorted(names, key=_alias_sort_key)))

    def aliases(self, image_name: str) -> dict[str, int]:
        """{alias: version} for the image."""
        self._check_image_name(image_name)
        return self._alias_versions(image_name)

    # -- changing ----------------------------------------------------------------------------

    def update(
        self,
        image_name: str,
        version: int | None = None,
        alias: str | None = None,
        *,
        aliases_to_add: Iterable[str] = (),
        aliases_to_delete: Iterable[str] = (),
        move_aliases: Iterable[str] = (),
        **metadata: Any,
    ) -> ImageVersion:
        """Change aliases and metadata of one version; only what differs is sent.

        `move_aliases` are taken from the versions holding them first. Everything is checked
        before the first change, and when a later step fails the moved aliases go back, so a
        refused update changes nothing.
        """
        selector = self._selector(image_name, version, alias)
        to_add, to_delete = list(aliases_to_add), list(aliases_to_delete)
        to_move = list(dict.fromkeys(move_aliases))
        problems = {}
        unknown = [k for k in metadata if k not in METADATA_FIELDS]
        for name in unknown:
            problems[name] = f"{name} is not a field that can be updated"
        for name, value in metadata.items():
            if name in METADATA_FIELDS:
                problem = field_problem(name, value)
                if problem:
                    problems[name] = problem
        lists = (("aliases_to_add", to_add), ("aliases_to_delete", to_delete))
        for label, names in (*lists, ("move_aliases", to_move)):
            for a in names:
                problem = alias_problem(a)
                if problem:
                    problems[label] = f"{label}: {problem}"
        both = sorted(set(to_move) & set(to_delete))
        if both and "move_aliases" not in problems:
            problems["move_aliases"] = f"move_aliases: {', '.join(both)} also in aliases_to_delete"
        if problems:
            raise SpecError(problems)
        current = self.get(image_name, **_selector_kwargs(selector))
        missing = [a for a in to_delete if a not in current.aliases]
        if missing:
            names = ", ".join(f"'{a}'" for a in missing)
            message = f"aliases_to_delete: {names} not on version {current.version}"
            raise SpecError({"aliases_to_delete": message})
        request: dict[str, Any] = {}
        add = [a for a in dict.fromkeys(to_add) if a not in current.aliases]
        if add:
            request["AliasesToAdd"] = add
        if to_delete:
            request["AliasesToDelete"] = list(dict.fromkeys(to_delete))
        for name, value in metadata.items():
            if value is not None and getattr(current, name) != value:
                request[REQUEST_MEMBERS[name]] = value
        to_move = [a for a in to_move if a not in current.aliases]
        if not (request or to_move):
            return current
        holders = self._alias_versions(image_name) if to_move else {}
        moved: list[str] = []
        try:
            for name in to_move:
                self.move_alias(image_name, name, current.version)
                moved.append(name)
            if request:
                self._call(
                    self._sm,
                    "update_image_version",
                    ImageName=image_name,
                    Version=current.version,
                    **request,
                )
        except ImageVersionsError:
            for name in reversed(moved):  # put each moved alias back where it was
                if name in holders:
                    self.move_alias(image_name, name, holders[name])
                else:
                    self._alias_change(image_name, current.version, "AliasesToDelete", name)
            raise
        return self.get(image_name, current.version)

    def move_alias(self, image_name: str, alias: str, to_version: int) -> ImageVersion:
        """Point `alias` at `to_version`, removing it from the version that has it."""
        problem = alias_problem(alias)
        if problem:
            raise SpecError({"alias": problem})
        target = self.get(image_name, to_version)
        if alias in target.aliases:
            return target
        try:
            holder = self.get(image_name, alias=alias).version
        except NotFound:
            holder = None
        if holder is not None:
            self._alias_change(image_name, holder, "AliasesToDelete", alias)
        try:
            self._alias_change(image_name, to_version, "AliasesToAdd", alias)
        except ImageVersionsError:
            if holder is not None:  # put it back: never leave the alias half-moved
                self._alias_change(image_name, holder, "AliasesToAdd", alias)
            raise
        return self.get(image_name, to_version)

    def _alias_change(self, image_name: str, version: int, change: str, alias: str) -> None:
        self._call(
            self._sm,
            "update_image_version",
            ImageName=image_name,
            Version=version,
            **{change: [alias]},
        )

    def delete(
        self,
        image_name: str,
        version: int | None = None,
        alias: str | None = None,
        *,
        wait: bool = True,
    ) -> int:
        """Delete a version (by number or alias) and wait until it is gone; returns its number."""
        selector = self._selector(image_name, version, alias)
        number = version if version is not None else self.get(image_name, alias=alias).version
        with _image_lock(f"{self.backend}:{self.region}:{image_name}"):
            self._call(self._sm, "delete_image_version", ImageName=image_name, **selector)
        deadline = time.monotonic() + self.timeout
        while wait:
            try:
                current = self._call(
                    self._sm, "describe_image_version", ImageName=image_name, Version=number
                )
            except NotFound:
                break
            if current.get("ImageVersionStatus") == "DELETE_FAILED":
                raise AwsError(
                    f"Deleting {image_name} version {number} failed: "
                    f"{current.get('FailureReason')}",
                    code="DeleteFailed",
                )
            if time.monotonic() > deadline:
                raise AwsError(f"{image_name} version {number} is still deleting", code="Timeout")
            time.sleep(self.poll_interval)
        return number

    # -- export ------------------------------------------------------------------------------

    def export(
        self,
        image_name: str,
        format: str = "cloudformation",
        versions: str | Iterable[int] | None = None,
        pin_digests: bool = False,
        include_archived: bool = True,
        as_json: bool = False,
    ) -> str:
        """The image and its live versions as CloudFormation (YAML, or JSON) or a CDK app.

        `format`: cloudformation | cdk-python | cdk-typescript. `versions`: '3-7', '1,4,9-12'
        or numbers. `pin_digests` uses the digest-pinned ContainerImage as BaseImage.
        """
        from . import export as exporting

        exporting.check_format(format)
        exporting.parse_versions(versions)  # bad options fail before any request
        image = self.describe_image(image_name)
        plan = exporting.plan(
            image,
            self.history(image_name),
            versions=versions,
            pin_digests=pin_digests,
            include_archived=include_archived,
        )
        return exporting.render(plan, format, as_json=as_json)

    # -- ECR (the base-image picker) ---------------------------------------------------------

    def ecr_repositories(self) -> list[dict[str, Any]]:
        """ECR repositories of the account: name and URI."""
        repos = []
        for page in self._paginate(self._ecr, "describe_repositories"):
            for r in page.get("repositories", []):
                repos.append({"name": r["repositoryName"], "uri": r["repositoryUri"]})
        return sorted(repos, key=lambda r: r["name"])

    def ecr_images(self, repository: str) -> list[dict[str, Any]]:
        """Tagged images of one repository, newest push first, each with its full URI."""
        uri = None
        for r in self.ecr_repositories():
            if r["name"] == repository:
                uri = r["uri"]
        if uri is None:
            raise NotFound(f"ECR repository '{repository}' not found", code="RepositoryNotFound")
        images = []
        for page in self._paginate(self._ecr, "describe_images", repositoryName=repository):
            for d in page.get("imageDetails", []):
                pushed = d.get("imagePushedAt")
                for tag in d.get("imageTags", []) or []:
                    images.append(
                        {
                            "tag": tag,
                            "digest": d.get("imageDigest"),
                            "uri": f"{uri}:{tag}",
                            "pushed": pushed.isoformat() if pushed else None,
                            "size": d.get("imageSizeInBytes"),
                        }
                    )
        return sorted(images, key=lambda i: i["pushed"] or "", reverse=True)

    # -- helpers -----------------------------------------------------------------------------

    def _check_image_name(self, name: str) -> None:
        problem = field_problem("image_name", name)
        if problem:
            raise SpecError({"image_name": problem})

    def _selector(self, image_name: str, version: int | None, alias: str | None) -> dict:
        problems = {}
        problem = field_problem("image_name", image_name)
        if problem:
            problems["image_name"] = problem
        if (version is None) == (alias is None):
            problems["version"] = "give either a version number or an alias"
        elif version is not None and (
            isinstance(version, bool) or not isinstance(version, int) or version < 1
        ):
            problems["version"] = f"version {version!r} must be a whole number of at least 1"
        elif alias is not None:
            problem = alias_problem(alias)
            if problem:
                problems["alias"] = problem
        if problems:
            raise SpecError(problems)
        return {"Version": version} if version is not None else {"Alias": alias}

    def close(self) -> None:
        for client in self._client_cache.values():
            client.close()
        self._client_cache.clear()


def _local_options_from_env() -> dict[str, Any]:
    import os

    from .backend import LOCAL_DELAY_ENV

    delay = os.environ.get(LOCAL_DELAY_ENV)
    if not delay:
        return {}
    try:
        seconds = float(delay)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0 or seconds == float("inf"):
        problem = f"{LOCAL_DELAY_ENV}={delay!r} must be a number of seconds >= 0"
        raise SpecError({"local_create_delay": problem})
    return {"create_delay": seconds}


def _selector_kwargs(selector: dict) -> dict:
    return (
        {"version": selector["Version"]} if "Version" in selector else {"alias": selector["Alias"]}
    )


def _alias_sort_key(alias: str) -> tuple:
    return (not alias[:1].isdigit(), alias)


def _replace(v: ImageVersion, **changes: Any) -> ImageVersion:
    from dataclasses import replace

    return replace(v, **changes)
