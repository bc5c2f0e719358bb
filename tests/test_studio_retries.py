"""Studio and doctor calls go through the service's CallGate: retried while AWS throttles."""

from __future__ import annotations

import pytest

from jupyter_image_versions import ImageVersions
from jupyter_image_versions.commands.demo_data import DEMO_DOMAIN_ID, DEMO_IMAGE, seed
from jupyter_image_versions.commands.demo_images import PASSING_TAG
from jupyter_image_versions.local.handler import Faults


@pytest.fixture
def throttled_demo():
    """The demo state, then an endpoint throttling 40 % of the calls (seeded: the same each run)."""
    service = ImageVersions.local(":memory:", create_delay=0.0)
    seed(service)
    service.endpoint.handler.faults = Faults(throttle_rate=0.4, seed=20261202)
    yield service
    service.close()


def test_attach_and_detach_are_retried_while_throttled(throttled_demo):
    iv = throttled_demo
    result = iv.attach(DEMO_IMAGE, 2, domain_id=DEMO_DOMAIN_ID, force=True)
    assert result["app_image_config"] == f"{DEMO_IMAGE}-jupyterlab-config"
    iv.detach(DEMO_IMAGE, domain_id=DEMO_DOMAIN_ID)
    assert iv.gate.throttled > 0
    iv.endpoint.handler.faults = Faults()
    settings = iv._client("sagemaker").describe_domain(DomainId=DEMO_DOMAIN_ID)
    lab = settings["DefaultUserSettings"].get("JupyterLabAppSettings", {})
    assert all(i["ImageName"] != DEMO_IMAGE for i in lab.get("CustomImages", []))


def test_lifecycle_config_calls_are_retried_while_throttled(throttled_demo):
    iv = throttled_demo
    arn = iv.create_lifecycle_config("retried-lcc", "ZWNobyBoaQo=", "JupyterLab")
    allowed = iv.attach_lifecycle_config(arn, "JupyterLab", domain_id=DEMO_DOMAIN_ID)
    assert arn in allowed
    assert iv.gate.throttled > 0


def test_doctor_reads_are_retried_while_throttled(throttled_demo):
    iv = throttled_demo
    uri = iv.endpoint.registry_uri("ml-platform/studio-images", PASSING_TAG)
    report = iv.doctor(uri, "JupyterLab")
    assert not [f for f in report.findings if f.severity == "error"]
    assert iv.gate.throttled > 0
