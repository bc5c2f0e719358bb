"""Images and the ECR base-image picker."""

from __future__ import annotations

import time
from typing import Any

from . import awsmodel
from .base import ServiceBase
from .errors import AwsError, NotFound, SpecError
from .models import Image


class ImagesMixin(ServiceBase):
    """List, describe, create and delete images; browse ECR repositories and tags."""

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

        Without `role_arn`, the service's default role is used (in SageMaker Studio, the
        execution role); elsewhere the role is required.
        """
        if role_arn is None:
            role_arn = self._default_role_arn()
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
                    problems[label] = "is required to create an image"
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
        return self.wait_image(name) if wait else self.describe_image(name)

    def wait_image(self, name: str, timeout: float | None = None) -> Image:
        """Poll while the image is CREATING or UPDATING (AWS does both asynchronously)."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        interval = self.poll_interval
        image = self.describe_image(name)
        while image.status in ("CREATING", "UPDATING"):
            if time.monotonic() > deadline:
                raise AwsError(
                    f"Image {name} is still {image.status} after waiting", code="Timeout"
                )
            time.sleep(interval)
            interval = min(interval * 1.5, 5.0)
            image = self.describe_image(name)
        return image

    def delete_image(self, name: str, *, wait: bool = False) -> None:
        """Delete the image and its versions; AWS does it in the background (DELETING), so
        with `wait` this polls until the image is gone."""
        self._check_image_name(name)
        self._call(self._sm, "delete_image", ImageName=name)
        deadline = time.monotonic() + self.timeout
        while wait:
            try:
                image = self.describe_image(name)
            except NotFound:
                return
            if time.monotonic() > deadline:
                message = f"Image {name} is still {image.status} after waiting"
                raise AwsError(message, code="Timeout")
            time.sleep(self.poll_interval)

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
