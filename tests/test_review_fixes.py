"""Review fixes: no half-done change at AWS when a later step fails; a clear bad-delay message."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from botocore.awsrequest import AWSResponse

from jupyter_image_versions import Conflict, ImageVersions, ImageVersionsError, NotFound
from jupyter_image_versions.commands.demo_data import DEMO_DOMAIN_ID, DEMO_IMAGE, seed

from .conftest import ROLE, make_spec

CONFIG = f"{DEMO_IMAGE}-jupyterlab-config"
IN_SERVICE = "Unable to update the domain: there are InService apps. Delete them and retry."


@pytest.fixture
def demo():
    service = ImageVersions.local(":memory:", create_delay=0.0)
    seed(service)
    yield service
    service.close()


def _refuse(sm, operation: str, code: str, message: str) -> None:
    """AWS refuses `operation` as it does while apps run; every other call is the real endpoint.

    The local endpoint has no running apps, so the refusal is injected the way botocore's
    Stubber does it: a ``before-call`` handler answering with AWS's error shape.
    """

    def answer(**_: object) -> tuple[AWSResponse, dict]:
        error = {"Error": {"Code": code, "Message": message}}
        return AWSResponse(None, 400, {}, None), error | {"ResponseMetadata": {}}

    sm.meta.events.register(f"before-call.sagemaker.{operation}", answer)


def _config(service) -> dict:
    found = service._client("sagemaker").describe_app_image_config(AppImageConfigName=CONFIG)
    return found["JupyterLabAppImageConfig"]


def _custom_images(service) -> list:
    found = service._client("sagemaker").describe_domain(DomainId=DEMO_DOMAIN_ID)
    return found["DefaultUserSettings"]["JupyterLabAppSettings"].get("CustomImages", [])


def test_refused_domain_write_leaves_the_shared_config_unchanged(demo):
    demo.attach(DEMO_IMAGE, 2, domain_id=DEMO_DOMAIN_ID, uid=1000, gid=100)
    before_config, before_images = _config(demo), _custom_images(demo)
    _refuse(demo._client("sagemaker"), "UpdateDomain", "ValidationException", IN_SERVICE)
    with pytest.raises(Conflict) as info:
        # force: the demo image's user is 1000/100; the doctor would refuse 2000/200 first
        demo.attach(DEMO_IMAGE, 4, domain_id=DEMO_DOMAIN_ID, uid=2000, gid=200, force=True)
    assert "apps are running" in info.value.message
    assert _config(demo) == before_config
    assert before_config["FileSystemConfig"]["DefaultUid"] == 1000
    assert _custom_images(demo) == before_images


def test_missing_user_profile_leaves_the_shared_config_unchanged(demo):
    demo.attach(DEMO_IMAGE, 2, domain_id=DEMO_DOMAIN_ID, uid=1000)
    before = _config(demo)
    with pytest.raises(NotFound):
        demo.attach(
            DEMO_IMAGE, 2, domain_id=DEMO_DOMAIN_ID, user_profile="nobody", uid=2000, force=True
        )
    assert _config(demo) == before


def test_refused_write_removes_the_config_it_just_created(demo):
    _refuse(demo._client("sagemaker"), "UpdateDomain", "ResourceInUse", "Domain is in use")
    with pytest.raises(Conflict):
        demo.attach(DEMO_IMAGE, 2, domain_id=DEMO_DOMAIN_ID)
    configs = demo._client("sagemaker").list_app_image_configs()["AppImageConfigs"]
    assert [c["AppImageConfigName"] for c in configs] == []


def test_successful_attach_updates_the_existing_config_after_the_write(demo):
    demo.attach(DEMO_IMAGE, 2, domain_id=DEMO_DOMAIN_ID, uid=1000)
    demo.attach(DEMO_IMAGE, 4, domain_id=DEMO_DOMAIN_ID, uid=2000, force=True)  # not the image's
    assert _config(demo)["FileSystemConfig"]["DefaultUid"] == 2000
    assert [i["ImageVersionNumber"] for i in _custom_images(demo)] == [4]


# -- register(create_image=True): a failed version create leaves no empty image ----------------


@pytest.fixture
def iv():
    # One attempt: the injected server error reaches us at once instead of after retries.
    service = ImageVersions.local(":memory:", create_delay=0.0, max_attempts=1)
    service.endpoint.put_ecr_image("team/pytorch", "2.3-gpu")
    yield service
    service.close()


def _fail_create_image_version(service) -> None:
    """The endpoint answers the next CreateImageVersion (only) with InternalFailure."""
    events = service._client("sagemaker").meta.events
    left = [1]

    def before(**_: object) -> None:
        if left[0]:
            service.endpoint.set_faults(error_rate=1.0)
        left[0] = 0

    events.register("before-call.sagemaker.CreateImageVersion", before)
    events.register(
        "after-call.sagemaker.CreateImageVersion",
        lambda **_: service.endpoint.set_faults(error_rate=0.0),
    )


def test_failed_version_create_deletes_the_image_register_created(iv):
    spec = make_spec(iv.endpoint.registry_uri("team/pytorch", "2.3-gpu"), image_name="fresh")
    _fail_create_image_version(iv)
    with pytest.raises(ImageVersionsError) as info:
        iv.register(spec, create_image=True, role_arn=ROLE)
    assert not isinstance(info.value, NotFound)
    assert iv.images() == []
    with pytest.raises(NotFound):
        iv.describe_image("fresh")


def test_failed_version_create_keeps_an_image_that_was_there(iv):
    iv.create_image("kept", role_arn=ROLE)
    spec = make_spec(iv.endpoint.registry_uri("team/pytorch", "2.3-gpu"), image_name="kept")
    _fail_create_image_version(iv)
    with pytest.raises(ImageVersionsError):
        iv.register(spec, create_image=True, role_arn=ROLE)
    assert [i.name for i in iv.images()] == ["kept"]
    assert iv.register(spec, create_image=True, role_arn=ROLE).version == 1


# -- a malformed local create delay: one clear line, exit 1 ----------------------------------


@pytest.mark.parametrize("delay", ["x", "-1", "nan"])
def test_bad_local_create_delay_is_one_line_on_stderr(tmp_path, delay):
    env = os.environ | {
        "JUPYTER_IMAGE_VERSIONS_BACKEND": "local",
        "JUPYTER_IMAGE_VERSIONS_LOCAL_DB": str(tmp_path / "local.sqlite"),
        "JUPYTER_IMAGE_VERSIONS_LOCAL_CREATE_DELAY": delay,
    }
    done = subprocess.run(
        [sys.executable, "-m", "jupyter_image_versions.commands.cli", "images"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    expected = f"JUPYTER_IMAGE_VERSIONS_LOCAL_CREATE_DELAY={delay!r} must be a number of seconds"
    assert expected in lines[0] and ">= 0" in lines[0]
    assert done.stdout == ""
