"""Version ordering per ecosystem: PEP 440 for Python (and conda when it parses), dpkg's rules for
Debian, and the kind of a change (major, minor, patch, other)."""

from __future__ import annotations

import re
from functools import cmp_to_key
from typing import Any

from packaging.version import InvalidVersion, Version

KINDS = ("major", "minor", "patch", "other")
_RELEASE = re.compile(r"[0-9]+(?:\.[0-9]+)*")


def _digit(text: str, i: int) -> bool:
    """An ASCII digit at `i` (str.isdigit() would take '²'; dpkg knows only 0-9)."""
    return i < len(text) and "0" <= text[i] <= "9"


def _order(text: str, i: int) -> int:
    """dpkg's weight of the character at `i` of a non-digit run: '~' before the end (0), then
    letters, then everything else (verrevcmp's `order`)."""
    if i >= len(text) or _digit(text, i):
        return 0
    char = text[i]
    if char == "~":
        return -1
    if char.isascii() and char.isalpha():
        return ord(char)
    return ord(char) + 256


def _compare_part(a: str, b: str) -> int:
    """dpkg's verrevcmp of one upstream version or revision."""
    i = j = 0
    while i < len(a) or j < len(b):
        first_diff = 0
        while (i < len(a) and not _digit(a, i)) or (j < len(b) and not _digit(b, j)):
            ac, bc = _order(a, i), _order(b, j)
            if ac != bc:
                return -1 if ac < bc else 1
            i += 1
            j += 1
        while i < len(a) and a[i] == "0":
            i += 1
        while j < len(b) and b[j] == "0":
            j += 1
        while _digit(a, i) and _digit(b, j):
            if not first_diff:
                first_diff = ord(a[i]) - ord(b[j])
            i += 1
            j += 1
        if _digit(a, i):
            return 1
        if _digit(b, j):
            return -1
        if first_diff:
            return -1 if first_diff < 0 else 1
    return 0


def split_deb(version: str) -> tuple[int, str, str]:
    """`[epoch:]upstream[-revision]` -> (epoch, upstream, revision)."""
    epoch = 0
    if ":" in version:
        head, rest = version.split(":", 1)
        if head.isdigit():
            epoch, version = int(head), rest
    upstream, _, revision = version.rpartition("-") if "-" in version else (version, "", "")
    return epoch, upstream, revision


def compare_deb(a: str, b: str) -> int:
    """-1, 0 or 1 as Debian orders two versions (dpkg --compare-versions)."""
    ea, ua, ra = split_deb(a)
    eb, ub, rb = split_deb(b)
    if ea != eb:
        return -1 if ea < eb else 1
    return _compare_part(ua, ub) or _compare_part(ra, rb)


def _pep440(version: str) -> Version | None:
    try:
        return Version(version)
    except InvalidVersion:
        return None


def compare(ecosystem: str, a: str, b: str) -> int:
    """-1, 0 or 1: deb (and apk, close enough) by dpkg's rules; pypi and conda by PEP 440 when
    both parse; otherwise as text."""
    if ecosystem in ("deb", "apk"):
        return compare_deb(a, b)
    va, vb = _pep440(a), _pep440(b)
    if va is not None and vb is not None:
        return (va > vb) - (va < vb)
    return (a > b) - (a < b)


def sort_key(ecosystem: str) -> Any:
    """A key ordering versions of `ecosystem` oldest first."""
    return cmp_to_key(lambda a, b: compare(ecosystem, a, b))


def release(ecosystem: str, version: str) -> tuple[int, ...] | None:
    """The numeric release (2, 3, 0): PEP 440's, or the leading dotted digits of a Debian or
    Alpine upstream version (epoch left out); None when there are none."""
    if ecosystem not in ("deb", "apk"):
        parsed = _pep440(version)
        if parsed is not None:
            return parsed.release
    if ecosystem == "deb":
        version = split_deb(version)[1]
    match = _RELEASE.match(version)
    return tuple(int(x) for x in match.group().split(".")) if match else None


def change_kind(ecosystem: str, old: str, new: str) -> str:
    """major, minor or patch: the first of the release's first three numbers that differs;
    other when they are equal (a pre/post/local release, a Debian revision) or unknown."""
    ra, rb = release(ecosystem, old), release(ecosystem, new)
    if ra is None or rb is None:
        return "other"
    ra, rb = (*ra, 0, 0, 0)[:3], (*rb, 0, 0, 0)[:3]
    for kind, x, y in zip(KINDS, ra, rb, strict=False):
        if x != y:
            return kind
    return "other"


def major_minor(version: str) -> str | None:
    """'2.3.0+cu121' -> '2.3'; None when the version has no major.minor."""
    parsed = _pep440(version)
    numbers = parsed.release if parsed is not None else release("apk", version)
    if not numbers:
        return None
    return f"{numbers[0]}.{numbers[1] if len(numbers) > 1 else 0}"
