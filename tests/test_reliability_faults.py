"""The fault matrix (30 % throttling, 10 % server errors, 5 % resets after commit) over
register, update, move_alias, update(move_aliases), history and delete.

Quick by default: 4 workers for 8 s (one delete each) on botocore's standard retry mode (the
adaptive mode's rate limiter makes one operation under 30 % throttling take tens of seconds:
defect 10, issue 13).
The long variant (IMAGE_VERSIONS_LONG=1) runs longer, on the product's own retry configuration.
Every operation is done correctly or fails with one project error; afterwards no duplicate
version and no alias on two versions or on none.
"""

from __future__ import annotations

import pytest

from .fault_matrix import run_matrix
from .reliability_helpers import long_variant, rig


def _report(figures, label: str) -> None:
    done = sum(figures.operations.values())
    failed = sum(figures.errors.values())
    print(
        f"\n{label}: {done} operations in {figures.seconds:.0f} s "
        f"({dict(figures.operations)}), {failed} ended in a project error "
        f"({dict(figures.errors)}); {figures.deletes} deletes, "
        f"{figures.misreported_deletes} misreported; violations: {len(figures.violations)}"
    )


def _check(r, figures) -> None:
    stats = r.proxy.stats
    print(f"proxy: {stats.requests} requests, {stats.resets_after_commit} resets after commit")
    assert not figures.violations, figures.violations[:10]
    assert sum(figures.operations.values()) >= 10
    assert stats.resets_after_commit > 0  # the faults did happen
    assert figures.misreported_deletes == 0  # a delete whose reply was lost is still done


@pytest.mark.timeout(120)
def test_fault_matrix_quick(monkeypatch):
    with rig(monkeypatch, seed=12) as r:  # the product's own retry configuration
        figures = run_matrix(r, workers=4, seconds=8, deletes=1)
        _report(figures, "fault matrix (quick)")
        _check(r, figures)


@long_variant
@pytest.mark.timeout(1800)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fault_matrix_long(monkeypatch, seed):
    with rig(monkeypatch, seed=seed) as r:
        figures = run_matrix(r, workers=6, seconds=240, seed=seed)
        _report(figures, f"fault matrix (long, seed {seed})")
        _check(r, figures)
