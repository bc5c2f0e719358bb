"""The panel's Derive section: from the version chosen in the history, the plan, the upload's
progress, then the new version in the reloaded history; a refusal as a message naming it."""

from __future__ import annotations

import pytest

from jupyter_image_versions import ImageVersions, ImageVersionSpec
from jupyter_image_versions.notebook.widgets.panel import ImageVersionPanel

from .derive_helpers import debian_like, make_wheel, push_base


@pytest.fixture
def panel(tmp_path):
    service = ImageVersions.local(":memory:", create_delay=0.0)
    uri = push_base(service, debian_like())
    service.register(
        ImageVersionSpec("lab", uri), create_image=True, role_arn="arn:aws:iam::000000000000:role/R"
    )
    make_wheel(tmp_path / "wh", "purepkg", "1.0", scripts={"purepkg-hello": "purepkg:main"})
    p = ImageVersionPanel("lab", service=service)
    assert p.wait_idle()
    p.wheelhouse = tmp_path / "wh"
    yield p
    p.worker.shutdown()
    service.close()


def test_derive_from_the_chosen_version_to_a_new_row(panel):
    panel.history.version.value = 1
    d = panel.derive
    d.requirements.value = f"--no-index\n--find-links {panel.wheelhouse}\npurepkg\n"
    d.tag.value = "from-panel"
    d.alias.value = "1.1.0"
    d.derive_button.click()
    assert panel.wait_idle(120)
    assert "add purepkg 1.0" in d.plan.value
    assert "Registered v2" in d.status.value
    assert d.progress.value == d.progress.max > 1
    assert panel.wait_idle()
    assert [v.version for v in panel.history.versions][:1] == [2]
    assert panel.history.versions[0].aliases == ("1.1.0",)


def test_a_refusal_names_the_field_and_a_plan_escapes_names(panel):
    panel.history.version.value = 1
    d = panel.derive
    d.requirements.value = "purepkg"
    d.tag.value = "bad tag"
    d.derive_button.click()
    assert panel.wait_idle()
    assert "tag" in d.status.value and not d.derive_button.disabled
    d._on_stage(
        "planned",
        {
            "plan": {
                "add": [{"name": "<img src=x>", "version": "1"}],
                "upgrade": [],
                "target": {"site_packages": "/x"},
            }
        },
    )
    assert "<img" not in d.plan.value and "&lt;img" in d.plan.value
