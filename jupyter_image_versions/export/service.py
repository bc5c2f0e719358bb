"""The export part of ImageVersions: gather an image and its history, then render them."""

from __future__ import annotations

from collections.abc import Iterable

from ..core.history import HistoryMixin
from ..core.images import ImagesMixin
from .plan import check_format, parse_versions
from .plan import plan as make_plan
from .render import render
from .terraform import check_imports


class ExportMethods(HistoryMixin, ImagesMixin):
    """export(): CloudFormation, CDK or Terraform code for an image's live versions."""

    def export(
        self,
        image_name: str,
        format: str = "cloudformation",
        versions: str | Iterable[int] | None = None,
        pin_digests: bool = False,
        include_archived: bool = True,
        as_json: bool = False,
        imports: bool | None = None,
    ) -> str:
        """The image and its live versions as CloudFormation (YAML, or JSON), a CDK app, or a
        Terraform configuration.

        `format`: cloudformation | cdk-python | cdk-typescript | terraform | terraform-json.
        `versions`: '3-7', '1,4,9-12' or numbers. `pin_digests` uses the digest-pinned
        ContainerImage as BaseImage. `imports` (Terraform only, default True): import blocks that
        adopt the live image and versions; False gives a plain configuration for a new account.
        """
        check_format(format)
        parse_versions(versions)  # bad options fail before any request
        with_imports = check_imports(format, imports, pin_digests)
        image = self.describe_image(image_name)
        plan = make_plan(
            image,
            self.history(image_name),
            versions=versions,
            pin_digests=pin_digests,
            include_archived=include_archived,
        )
        return render(plan, format, as_json=as_json, imports=with_imports)
