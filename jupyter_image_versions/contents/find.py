"""Requirements on an image's contents, and whether an inventory meets them.

`torch>=2.3`, `numpy<2`: PEP 508 names with PEP 440 specifiers (packaging), against the pypi
packages; `deb:libc6>=2.35` (or Debian's `deb:libc6 (>= 2.35)`, with dpkg's `>>`, `<<`) against
the Debian packages by dpkg's ordering (`apk:NAME...` likewise for Alpine); `conda:numpy>=1.26`
or conda's `conda:python=3.11` (`=` is a prefix: 3.11.*) against the conda packages. An
installed pre-release counts: `torch>=2.3` matches 2.4.0rc1, while `torch<2.4` does not (PEP
440's exclusive ordered comparison).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from ..core.errors import SpecError
from .model import Inventory, Package
from .versions import compare_deb

MAX_REQUIREMENT = 200
MAX_REQUIREMENTS = 20
_DEB_NAME = re.compile(r"[a-z0-9][a-z0-9+._-]*", re.IGNORECASE)
_CONDA_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
_CONSTRAINT = re.compile(r"\s*(>>|<<|>=|<=|==|!=|=|>|<)\s*([^\s,]+)\s*")
_DEB_OPS = {
    ">>": lambda c: c > 0,
    ">": lambda c: c > 0,
    "<<": lambda c: c < 0,
    "<": lambda c: c < 0,
    ">=": lambda c: c >= 0,
    "<=": lambda c: c <= 0,
    "=": lambda c: c == 0,
    "==": lambda c: c == 0,
    "!=": lambda c: c != 0,
}
FORMS = (
    "a Python requirement like 'torch>=2.3' or 'numpy<2', 'deb:NAME[OP VERSION]' or "
    "'conda:NAME[OP VERSION]'"
)


@dataclass(frozen=True)
class ContentsRequirement:
    """One parsed requirement: ecosystem, name as compared, and the version constraints."""

    text: str
    ecosystem: str
    name: str
    specifier: SpecifierSet | None = None  # pypi, conda
    constraints: tuple[tuple[str, str], ...] = ()  # deb: (operator, version)

    def matches(self, package: Package) -> bool:
        """`package` is this requirement's name and its version meets the constraints."""
        if package.key != (self.ecosystem, self.name):
            return False
        if self.ecosystem in ("deb", "apk"):
            return all(_DEB_OPS[op](compare_deb(package.version, v)) for op, v in self.constraints)
        if self.specifier is None or not str(self.specifier):
            return True
        try:
            version = Version(package.version)
        except InvalidVersion:  # compare as text: only == and != can say anything
            return all(_text_meets(s.operator, package.version, s.version) for s in self.specifier)
        return self.specifier.contains(version, prereleases=True)


def _text_meets(operator: str, version: str, wanted: str) -> bool:
    if operator in ("==", "==="):
        return version == wanted
    if operator == "!=":
        return version != wanted
    return False


def _problem(text: str, why: str) -> SpecError:
    return SpecError(
        {"requirement": f"'{text}' is not a valid requirement: {why}; give {FORMS}"},
        message=f"requirement '{text}': {why}",
    )


def _split_name(text: str, rest: str, pattern: re.Pattern[str]) -> tuple[str, str]:
    match = pattern.match(rest)
    if not match:
        raise _problem(text, "it must start with a package name")
    return match.group(), rest[match.end() :].strip()


def _constraints(text: str, rest: str) -> list[tuple[str, str]]:
    """`>= 2.35, << 3` or `(>= 2.35)` -> [(op, version), ...]."""
    if rest.startswith("(") and rest.endswith(")"):
        rest = rest[1:-1]
    found = []
    for part in rest.split(",") if rest else []:
        match = _CONSTRAINT.fullmatch(part)
        if not match:
            raise _problem(text, f"'{part.strip()}' is not an operator and a version")
        found.append((match[1], match[2]))
    return found


def _parse_deb(text: str, rest: str, ecosystem: str = "deb") -> ContentsRequirement:
    """deb: (and apk:, whose order is close to dpkg's) NAME and constraints."""
    name, rest = _split_name(text, rest, _DEB_NAME)
    constraints = tuple(_constraints(text, rest))
    return ContentsRequirement(text, ecosystem, name.lower(), constraints=constraints)


def _parse_conda(text: str, rest: str) -> ContentsRequirement:
    name, rest = _split_name(text, rest, _CONDA_NAME)
    if rest and rest[0] not in "<>=!(":  # conda's `numpy 1.26.*`: a space and a version
        rest = "==" + rest
    specs = []
    for op, version in _constraints(text, rest):
        if op == "=":  # conda's fuzzy `=1.26`: 1.26.*
            op, version = "==", version if version.endswith("*") else version + ".*"
        if op in (">>", "<<"):
            raise _problem(text, f"'{op}' is Debian's operator; conda uses > and <")
        specs.append(f"{op}{version}")
    try:
        specifier = SpecifierSet(",".join(specs))
    except InvalidSpecifier as exc:
        raise _problem(text, str(exc)) from None
    return ContentsRequirement(text, "conda", name.lower(), specifier=specifier)


def _parse_pypi(text: str) -> ContentsRequirement:
    try:
        requirement = Requirement(text)
    except InvalidRequirement as exc:
        raise _problem(text, str(exc).splitlines()[0]) from None
    if requirement.url:
        raise _problem(text, "a URL cannot be found in an image")
    if requirement.marker is not None:
        raise _problem(text, "environment markers (after ';') are not supported")
    name = canonicalize_name(requirement.name)
    return ContentsRequirement(text, "pypi", name, specifier=requirement.specifier)


def parse_requirement(text: Any) -> ContentsRequirement:
    """One requirement, or SpecError (field `requirement`) naming it and the rule."""
    if not isinstance(text, str) or not text.strip():
        raise SpecError({"requirement": f"a requirement must not be empty; give {FORMS}"})
    text = text.strip()
    if len(text) > MAX_REQUIREMENT:
        raise SpecError(
            {"requirement": f"a requirement must be at most {MAX_REQUIREMENT} characters"}
        )
    prefix, colon, rest = text.partition(":")
    if colon and prefix.lower() == "deb":
        return _parse_deb(text, rest.strip())
    if colon and prefix.lower() == "apk":
        return _parse_deb(text, rest.strip(), "apk")
    if colon and prefix.lower() == "conda":
        return _parse_conda(text, rest.strip())
    if colon and prefix.lower() in ("pypi", "pip"):
        return _parse_pypi(rest.strip())
    if colon and re.fullmatch(r"[A-Za-z]+", prefix):
        raise _problem(text, f"'{prefix}:' is not an ecosystem (pypi:, deb:, conda: or apk:)")
    return _parse_pypi(text)


def parse_requirements(texts: list[str]) -> list[ContentsRequirement]:
    """Every requirement parsed; at least one, at most MAX_REQUIREMENTS."""
    if not texts:
        raise SpecError({"requirement": f"give at least one requirement: {FORMS}"})
    if len(texts) > MAX_REQUIREMENTS:
        raise SpecError({"requirement": f"give at most {MAX_REQUIREMENTS} requirements"})
    return [parse_requirement(text) for text in texts]


def match_inventory(
    inventory: Inventory, requirements: list[ContentsRequirement]
) -> list[Package] | None:
    """The packages meeting each requirement when every one is met by at least one package
    (several when a name is installed in several places); None when one is not met."""
    matches: list[Package] = []
    for requirement in requirements:
        found = [p for p in inventory.packages if requirement.matches(p)]
        if not found:
            return None
        matches += [p for p in found if p not in matches]
    return matches
