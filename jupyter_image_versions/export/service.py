"""The export part of ImageVersions: gather an image and its history, then render them."""

from __future__ import annotations

from collections.abc import Iterable

from ..core.history import HistoryMixin
from ..core.images import ImagesMixin
from .plan import check_format, parse_versions
from .plan import plan as make_plan
from .render import render


class ExportMethods(HistoryMixin, ImagesMixin):
    """export(): CloudFormation or CDK code for an image's live versions."""

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
        check_format(format)
        parse_versions(versions)  # bad options fail before any request
        image = self.describe_image(image_name)
        plan = make_plan(
            image,
            self.history(image_name),
            versions=versions,
            pin_digests=pin_digests,
            include_archived=include_archived,
        )
        return render(plan, format, as_json=as_json)
