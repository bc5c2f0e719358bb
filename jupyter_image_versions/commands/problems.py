"""A refused command's problems, each named by the option the user typed (`--framework`)."""

from __future__ import annotations

from ..core.errors import ImageVersionsError, SpecError
from ..core.labels import field_label

# Spec/REST field -> how the CLI and the magic name it. Positional arguments are in capitals.
FIELD_OPTIONS: dict[str, str] = {
    "image_name": "IMAGE",
    "base_image": "BASE_IMAGE",
    "aliases": "--alias",
    "alias": "--alias",
    "aliases_to_add": "ALIAS",
    "aliases_to_delete": "ALIAS",
    "move_aliases": "ALIAS",
    "ml_framework": "--framework",
    "programming_lang": "--lang",
    "processor": "--processor",
    "job_type": "--job-type",
    "horovod": "--horovod",
    "release_notes": "--notes",
    "vendor_guidance": "--guidance",
    "role_arn": "--role",
    "requirement": "REQUIREMENT",
    "against": "--notes-from-diff",
    "create_image": "--create-image",
    "version": "IMAGE:VERSION",
    "versions": "--versions",
    "format": "--format",
    "domain_id": "--domain",
    "user_profile": "--user-profile",
    "app_type": "--app-type",
    "kernel_name": "--kernel-name",
    "display_name": "--display-name",
    "uid": "--uid",
    "gid": "--gid",
    "mount_path": "--mount-path",
    "force": "--force",
}


def problem_text(exc: ImageVersionsError) -> str:
    """One line: 'OPTION: message; OPTION: message'; the error's message when it has none."""
    if not isinstance(exc, SpecError) or not exc.problems:
        return exc.message
    # SpecError's problems never start with the API key (core/labels.py): each is led here by
    # the option the user typed, else the field's label.
    return "; ".join(
        f"{FIELD_OPTIONS.get(field) or field_label(field)}: {message}"
        for field, message in exc.problems.items()
    )
