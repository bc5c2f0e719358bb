"""A refused command's problems, each named by the option the user typed (`--framework`)."""

from __future__ import annotations

from ..core.errors import ImageVersionsError, SpecError

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
}


def problem_text(exc: ImageVersionsError) -> str:
    """One line: 'OPTION: message; OPTION: message'; the error's message when it has none."""
    if not isinstance(exc, SpecError) or not exc.problems:
        return exc.message
    lines = []
    for field, message in exc.problems.items():
        name = FIELD_OPTIONS.get(field, field)
        # Messages outside the spec (export, paging) may still name their field first.
        lines.append(message if message.startswith(f"{field} ") else f"{name}: {message}")
    return "; ".join(lines)
