"""Release notes drafted from a diff, and the MLFramework / ProgrammingLang an image suggests.

The note fits ReleaseNotes' length limit, read from botocore's model, and names the largest
changes first: the OS, the default Python and CUDA, a framework's major or minor move, other
major moves, added packages, removed ones, then minor, patch and other moves ("torch 2.2.1 →
2.3.0, +lightning 2.2.0, (minus)tensorboard, and 12 more"). A name that several ecosystems record (a
conda package and its dist-info) is named once. Suggestions are checked against the model's
pattern and length; one that does not fit is not suggested.
"""

from __future__ import annotations

from itertools import accumulate
from typing import Any

from packaging.utils import canonicalize_name

from ..core import awsmodel
from ..core.spec import field_problem
from .diff import FRAMEWORKS, Change, InventoryDiff, ValueChange, is_framework
from .model import Inventory, Package
from .versions import major_minor

SEPARATOR = ", "
ARROW = " → "
MINUS = "\u2212"  # U+2212 MINUS SIGN before a removed name (a hyphen reads as part of it)
NO_CHANGES = "No changes in packages, OS, Python or CUDA."
#: Display names of the frameworks, and the distributions that provide them.
FRAMEWORK_NAMES = {"torch": "PyTorch", "tensorflow": "TensorFlow", "jax": "JAX", "mxnet": "MXNet"}
FRAMEWORK_DISTRIBUTIONS = {
    "torch": ("torch",),
    "tensorflow": ("tensorflow", "tensorflow-cpu", "tensorflow-gpu", "tensorflow-intel"),
    "jax": ("jax",),
    "mxnet": ("mxnet", "mxnet-mkl", "mxnet-cu112", "mxnet-cu117"),
}


def release_notes_limit() -> int:
    """ReleaseNotes' maximum length in botocore's SageMaker model (CreateImageVersion)."""
    shape = awsmodel.input_shape("sagemaker", "CreateImageVersion", "ReleaseNotes")
    return int(shape.metadata["max"])


def _os_label(os: dict[str, str]) -> str:
    name = os.get("id", "").capitalize() or "unknown OS"
    return f"{name} {os.get('version_id', '')}".strip()


def _value_item(label: str, change: ValueChange) -> str:
    if change.old is None:
        return f"+{label} {change.new}"
    if change.new is None:
        return f"{MINUS}{label}"
    return f"{label} {change.old}{ARROW}{change.new}"


def _change_item(change: Change) -> str:
    return f"{change.name} {change.old}{ARROW}{change.new}"


def note_items(diff: InventoryDiff) -> list[str]:
    """Every change as a short phrase, the most significant first, each name once."""
    ordered: list[tuple[str, str]] = []  # (name compared, phrase)
    if diff.os is not None:
        old, new = diff.os.old, diff.os.new
        same = old.get("id") == new.get("id")
        phrase = (
            f"{_os_label(old)}{ARROW}{new.get('version_id', '')}"
            if same
            else f"{_os_label(old)}{ARROW}{_os_label(new)}"
        )
        ordered.append(("os", phrase))
    if diff.python is not None:
        ordered.append(("python", _value_item("Python", diff.python)))
    if diff.cuda is not None:
        ordered.append(("cuda", _value_item("CUDA", diff.cuda)))
    big = [c for c in diff.changed if c.kind == "major" or (is_framework(c) and c.kind == "minor")]
    rest = [c for c in diff.changed if c not in big]
    ordered += [(c.name, _change_item(c)) for c in big]
    ordered += [(p.name, f"+{p.name} {p.version}") for p in diff.added]
    ordered += [(p.name, f"{MINUS}{p.name}") for p in diff.removed]
    ordered += [(c.name, _change_item(c)) for c in rest]
    seen: set[str] = set()
    items = []
    for name, phrase in ordered:
        key = canonicalize_name(name)
        if key not in seen:
            seen.add(key)
            items.append(phrase)
    return items


def fit(items: list[str], limit: int) -> str:
    """As many items as fit in `limit` characters with ", and N more" for the rest; when not
    even the first fits, the first shortened with '…'."""
    if not items:
        return NO_CHANGES[:limit]
    count = len(items)
    # length of the first k items joined: sum of lengths plus separators
    lengths = list(accumulate(len(item) + len(SEPARATOR) for item in items))
    for k in range(count, 0, -1):
        more = f"{SEPARATOR}and {count - k} more" if k < count else ""
        if lengths[k - 1] - len(SEPARATOR) + len(more) <= limit:
            return SEPARATOR.join(items[:k]) + more
    more = f"{SEPARATOR}and {count - 1} more" if count > 1 else ""
    room = limit - len(more)
    if room < 2:
        return items[0][: max(limit - 1, 0)] + "…" if limit > 0 else ""
    return items[0][: room - 1] + "…" + more


def draft_notes(diff: InventoryDiff, limit: int | None = None) -> str:
    """The ReleaseNotes draft of `diff`, at most `limit` (the model's) characters."""
    return fit(note_items(diff), release_notes_limit() if limit is None else limit)


def _default_site_packages(inventory: Inventory) -> tuple[str, ...]:
    default = inventory.default_python
    return default.site_packages if default is not None else ()


def main_framework(inventory: Inventory) -> tuple[str, Package] | None:
    """(framework, its package): the first of torch, tensorflow, jax, mxnet installed, the
    default Python's site-packages preferred over any other place."""
    site = _default_site_packages(inventory)
    pypi = inventory.packages_of("pypi") + inventory.packages_of("conda")
    for preferred in (True, False):
        for framework in FRAMEWORKS:
            names = FRAMEWORK_DISTRIBUTIONS[framework]
            for package in pypi:
                if canonicalize_name(package.name) not in names:
                    continue
                if preferred and site and package.location not in site:
                    continue
                return framework, package
    return None


def _checked(field: str, value: str | None) -> str | None:
    return value if value and field_problem(field, value) is None else None


def suggest_metadata(inventory: Inventory) -> dict[str, Any]:
    """`{ml_framework, programming_lang, processor, reasons: {field: why}}`, each None when the
    image does not say (or the value would not fit the model)."""
    reasons: dict[str, str] = {}
    framework = None
    found = main_framework(inventory)
    if found is not None:
        name, package = found
        number = major_minor(package.version)
        framework = _checked(
            "ml_framework", f"{FRAMEWORK_NAMES[name]} {number}" if number else None
        )
        if framework:
            where = f" in {package.location}" if package.location else ""
            reasons["ml_framework"] = f"{package.name} {package.version}{where}"
    language = None
    python = inventory.default_python or (
        inventory.python[0] if len(inventory.python) == 1 else None
    )
    if python is not None:
        number = major_minor(python.version)
        language = _checked("programming_lang", f"Python {number}" if number else None)
        if language:
            default = "the default Python" if python.default else "the only Python"
            reasons["programming_lang"] = f"{python.path} {python.version} ({default})"
    processor = "GPU" if inventory.cuda else "CPU"
    reasons["processor"] = f"CUDA {inventory.cuda}" if inventory.cuda else "no CUDA in the image"
    return {
        "ml_framework": framework,
        "programming_lang": language,
        "processor": processor,
        "reasons": reasons,
    }
