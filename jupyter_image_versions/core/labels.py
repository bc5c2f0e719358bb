"""What people read for the API's names: a field's label ("Domain id") and an enum value in words
("To be archived"). The API's names stay the data (REST keys, AWS values); messages and views
use these. The sidebar keeps the same table in labextension/src/labels.ts."""

from __future__ import annotations

import re

#: field key (REST, spec, AWS member in snake_case) -> its label, as the forms show it.
FIELD_LABELS: dict[str, str] = {
    "image_name": "Image",
    "name": "Image name",
    "image": "Image",
    "version": "Version",
    "versions": "Versions",
    "status": "Status",
    "alias": "Alias",
    "aliases": "Aliases",
    "aliases_to_add": "Aliases to add",
    "aliases_to_delete": "Aliases to remove",
    "move_aliases": "Aliases to move",
    "base_image": "Base image",
    "container_image": "Resolved image",
    "ml_framework": "ML framework",
    "programming_lang": "Language",
    "processor": "Processor",
    "job_type": "Job type",
    "horovod": "Horovod",
    "release_notes": "Release notes",
    "vendor_guidance": "Guidance",
    "role_arn": "Role ARN",
    "create_image": "Create the image",
    "domain_id": "Domain id",
    "user_profile": "User profile",
    "app_type": "App type",
    "kernel_name": "Kernel name",
    "display_name": "Display name",
    "mount_path": "Mount path",
    "uid": "UID",
    "gid": "GID",
    "force": "Attach anyway",
    "format": "Format",
    "json": "JSON",
    "include_archived": "Archived versions",
    "repository": "Repository",
    "limit": "Limit",
    "next": "Page",
    "body": "Request",
    "target": "Base",
    "pip": "Requirements",
    "requirements": "Requirements file",
    "requirement": "Requirement",
    "file": "File",
    "env": "Environment",
    "tag": "Tag",
    "register": "Register",
    "python": "Python",
    "import": "Import blocks",
    "imports": "Import blocks",
    "pin_digests": "Pin digests",
    "against": "Compared with",
    "ecosystem": "Ecosystem",
    "filter": "Filter",
    "id": "Job id",
}

# A known snake_case key inside a message ("kernel_name applies to..."), not a quoted value.
_KEYS = re.compile(
    r"(?<!['\"/\w])("
    + "|".join(sorted((k for k in FIELD_LABELS if "_" in k), key=len, reverse=True))
    + r")(?![\w'\"])"
)


def field_label(field: str) -> str:
    """The label of `field`: from the table, else its words ('foo_bar' -> 'Foo bar')."""
    return FIELD_LABELS.get(field) or field.replace("_", " ").capitalize()


def message_words(field: str, message: str) -> str:
    """A problem's message without the API key it may start with ('domain_id is required' ->
    'is required', 'uid: must…' -> 'must…'), and any other key in it as its label."""
    for prefix in (f"{field}: ", f"{field} "):
        if message.startswith(prefix):
            message = message[len(prefix) :]
            break
    return _KEYS.sub(lambda m: _lower(field_label(m.group(1))), message)


def _lower(label: str) -> str:
    """A label inside a sentence: 'Kernel name' -> 'kernel name'; 'UID', 'ML framework' kept."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def labelled(field: str, message: str) -> str:
    """'Domain id is required': the field's label, then its message in words."""
    return f"{field_label(field)} {message_words(field, message)}"


def enum_words(value: str | None) -> str:
    """An AWS enum value in words: 'TO_BE_ARCHIVED' -> 'To be archived'; CPU and GPU kept;
    none -> 'Not provided'."""
    if not value:
        return "Not provided"
    if value in ("CPU", "GPU"):
        return value
    words = value.lower().replace("_", " ")
    return words[:1].upper() + words[1:]


def count(n: int, noun: str) -> str:
    """'1 problem', '4 problems': a count as people say it, never 'problem(s)'."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
