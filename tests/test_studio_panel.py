"""The panel's Studio pieces: attach a version to a domain, prefilled domain and role."""

from __future__ import annotations

import json

import pytest

from jupyter_image_versions import ImageVersions
from jupyter_image_versions.commands.demo_data import (
    DEMO_DOMAIN_ID,
    DEMO_IMAGE,
    DEMO_USER_PROFILE,
    seed,
)
from jupyter_image_versions.notebook.widgets import ImageVersionPanel


@pytest.fixture
def demo():
    service = ImageVersions.local(":memory:", create_delay=0.0)
    seed(service)
    yield service
    service.close()


def _custom_images(service) -> list[dict]:
    domain = service._client("sagemaker").describe_domain(DomainId=DEMO_DOMAIN_ID)
    return domain["DefaultUserSettings"]["JupyterLabAppSettings"].get("CustomImages", [])


def test_attach_from_the_panel(demo):
    panel = ImageVersionPanel(DEMO_IMAGE, service=demo)
    try:
        assert panel.wait_idle(20)
        h = panel.history
        h.version.value = 2
        assert h.attach_button.disabled  # no domain yet
        h.attach_domain.value = "not a domain"
        h.attach_button.click()
        assert panel.wait_idle(10)
        assert "Domain id" in panel.status.value and _custom_images(demo) == []
        h.attach_domain.value = DEMO_DOMAIN_ID
        h.attach_button.click()
        assert panel.wait_idle(10)
        assert f"Attached {DEMO_IMAGE} version 2 to Studio domain" in panel.status.value
        assert [(i["ImageName"], i["ImageVersionNumber"]) for i in _custom_images(demo)] == [
            (DEMO_IMAGE, 2)
        ]
    finally:
        panel.close()


def test_domain_and_resolved_role_are_prefilled_in_studio(demo, tmp_path, monkeypatch):
    meta = tmp_path / "resource-metadata.json"
    meta.write_text(
        json.dumps(
            {
                "AppType": "JupyterLab",
                "DomainId": DEMO_DOMAIN_ID,
                "UserProfileName": DEMO_USER_PROFILE,
            }
        )
    )
    monkeypatch.setenv("RESOURCE_METADATA_FILE", str(meta))
    panel = ImageVersionPanel(service=demo)
    try:
        assert panel.wait_idle(20)
        assert panel.history.attach_domain.value == DEMO_DOMAIN_ID
        # the profile names no role: the domain's default, as the SageMaker SDK resolves it
        assert panel.new_image_role.value.endswith(":role/SageMakerStudioExecutionRole")
    finally:
        panel.close()


def test_magic_attach_and_studio_lcc(tmp_path):
    from IPython.core.interactiveshell import InteractiveShell

    db = str(tmp_path / "state.sqlite")
    service = ImageVersions.local(db, create_delay=0.0)
    seed(service)
    shell = InteractiveShell.instance()
    shell.extension_manager.load_extension("jupyter_image_versions")
    shell.run_line_magic("config", 'ImageVersionsMagic.backend = "local"')
    shell.run_line_magic("config", f"ImageVersionsMagic.local_db = {db!r}")
    try:
        result = shell.run_line_magic(
            "imageversion",
            f"attach {DEMO_IMAGE}:2 --domain {DEMO_DOMAIN_ID} --app-type KernelGateway",
        )
        assert result["custom_images"][0]["image_name"] == DEMO_IMAGE
        domain = service._client("sagemaker").describe_domain(DomainId=DEMO_DOMAIN_ID)
        kg = domain["DefaultUserSettings"]["KernelGatewayAppSettings"]
        assert kg["CustomImages"][0]["AppImageConfigName"] == f"{DEMO_IMAGE}-kernelgateway-config"
        script = shell.run_line_magic(
            "imageversion", "studio lcc --app-type JupyterLab --install 'pkg $(id)'"
        )
        assert "SPEC='pkg $(id)'" in str(script)
    finally:
        shell.run_line_magic("config", "ImageVersionsMagic.local_db = None")
        service.close()
