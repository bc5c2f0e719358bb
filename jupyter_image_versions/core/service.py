"""ImageVersionsCore: the one user of boto3, assembled from its parts (one file each)."""

from __future__ import annotations

from .changes import ChangesMixin
from .registration import RegistrationMixin


class ImageVersionsCore(RegistrationMixin, ChangesMixin):
    """Manage the versions of SageMaker images: register, list, alias, update, delete, wait.

    The public ``ImageVersions`` (``jupyter_image_versions.api``) adds Studio and export.
    """
