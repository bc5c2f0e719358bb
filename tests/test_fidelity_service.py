"""The project handles what AWS does (issue 11): asynchronous deletes, images that are not
CREATED yet, lower-case ARNs, the request's region, "modified concurrently", through its API."""

from __future__ import annotations

import json

import pytest
import yaml

from jupyter_image_versions import (
    Conflict,
    DeleteFailed,
    ImageVersions,
    ImageVersionSpec,
    SpecError,
)
from jupyter_image_versions.commands.demo_data import DEMO_DOMAIN_ID, seed_domain
from jupyter_image_versions.local import LocalEndpoint

from .conftest import ROLE, finish_creating


@pytest.fixture
def iv():
    service = ImageVersions.local(":memory:", create_delay=0.2)
    service.endpoint.put_ecr_image("team/pytorch", "2.3-gpu")
    service.endpoint.put_ecr_image("team/pytorch", "2.4-gpu")
    yield service
    service.close()


def uri(iv: ImageVersions, tag: str = "2.3-gpu") -> str:
    return iv.endpoint.registry_uri("team/pytorch", tag)


def registered(iv: ImageVersions, image: str = "my-image", n: int = 2) -> list[int]:
    numbers = []
    for i in range(n):
        spec = ImageVersionSpec(image, uri(iv), release_notes=f"release {i}")
        numbers.append(iv.register(spec, create_image=True, role_arn=ROLE).version)
    return numbers


def count_answers(ep: LocalEndpoint, code: str) -> list[str]:
    """Record the operation of every answer with AWS error `code` (the handler stays real)."""
    seen: list[str] = []
    real = ep.handler.handle

    def handle(target, body, authorization=None):
        status, headers, payload = real(target, body, authorization)
        if status >= 400 and json.loads(payload).get("__type") == code:
            seen.append(target.split(".")[-1])
        return status, headers, payload

    ep.handler.handle = handle
    return seen


# ---------------------------------------------------------------- delete


def test_delete_returns_once_accepted_and_waits_with_progress_when_asked(iv):
    registered(iv, n=3)
    iv.endpoint.delete_delay = 30
    assert iv.delete("my-image", 1) == 1  # AWS accepted it; it is deleting in the background
    assert iv.get("my-image", 1).status == "DELETING"
    assert [v.status for v in iv.history("my-image")] == ["CREATED", "CREATED", "DELETING"]
    # Asking again while it is DELETING is accepted too, without a second DeleteImageVersion.
    refused = count_answers(iv.endpoint, "ResourceInUse")
    assert iv.delete("my-image", 1) == 1 and refused == []

    iv.endpoint.delete_delay = 0.3
    seen: list[str] = []
    assert iv.delete("my-image", 2, wait=True, on_status=lambda v: seen.append(v.status)) == 2
    assert seen and set(seen) == {"DELETING"}
    assert [v.version for v in iv.history("my-image")] == [3, 1]
    ops = iv.endpoint.handler.sagemaker
    clock = ops.clock
    ops.clock = lambda: clock() + 31  # as if version 1's 30 s had passed
    assert [v.version for v in iv.history("my-image")] == [3]


def test_delete_failed_raises_with_the_reason(iv):
    registered(iv, n=1)
    iv.endpoint.set_faults(delete_failure_rate=1.0)
    with pytest.raises(DeleteFailed) as info:
        iv.delete("my-image", 1, wait=True)
    assert "Unable to delete image version" in info.value.reason
    assert info.value.version.status == "DELETE_FAILED"
    assert iv.get("my-image", 1).status == "DELETE_FAILED"
    iv.endpoint.set_faults(delete_failure_rate=0.0)
    assert iv.delete("my-image", 1, wait=True) == 1  # a failed delete can be retried


@pytest.mark.parametrize("delay", [0.0, 30.0], ids=["gone-at-once", "still-deleting"])
def test_delete_whose_reply_was_lost_reports_success(iv, delay):
    """Issue 12, defect 3: the first attempt deleted the version, only its reply was lost;
    botocore's retry gets NotFound (gone) or ResourceInUse "is being deleted"."""
    registered(iv, n=2)
    iv.endpoint.delete_delay = delay
    real, lost = iv.endpoint.handler.handle, []

    def handle(target, body, authorization=None):
        answer = real(target, body, authorization)
        if target.endswith("DeleteImageVersion") and not lost:
            lost.append(answer)  # committed, but the client sees a 500 and retries
            return (
                500,
                {"Content-Type": "application/x-amz-json-1.1"},
                b'{"__type":"InternalFailure","message":"reply lost"}',
            )
        return answer

    iv.endpoint.handler.handle = handle
    assert iv.delete("my-image", 1) == 1
    assert lost and lost[0][0] == 200
    iv.endpoint.handler.handle = real
    finish_creating(iv.endpoint)
    assert [v.version for v in iv.history("my-image")] == [2]


def test_history_skips_a_version_that_finished_deleting_meanwhile(iv):
    registered(iv, n=3)
    iv.endpoint.delete_delay = 30
    iv.delete("my-image", 2)
    real = iv.endpoint.handler.handle

    def handle(target, body, authorization=None):
        answer = real(target, body, authorization)
        if target.endswith("ListImageVersions"):
            finish_creating(iv.endpoint)  # version 2 is gone before it is described
        return answer

    iv.endpoint.handler.handle = handle
    assert [v.version for v in iv.history("my-image")] == [3, 1]


# ---------------------------------------------------------------- images that are not CREATED


def test_register_with_create_image_waits_for_the_image(iv):
    iv.endpoint.create_delay = 1.0  # CreateImage is CREATING for a second, as on AWS
    version = iv.register(ImageVersionSpec("new-image", uri(iv)), create_image=True, role_arn=ROLE)
    assert (version.version, version.status) == (1, "CREATED")
    assert iv.describe_image("new-image").status == "CREATED"


def test_register_on_an_image_still_creating_names_its_state(iv):
    iv.endpoint.create_delay = 30
    assert iv.create_image("slow", role_arn=ROLE, wait=False).status == "CREATING"
    with pytest.raises(Exception) as info:
        iv.register(ImageVersionSpec("slow", uri(iv)))
    assert "is in status CREATING" in str(info.value)


# ---------------------------------------------------------------- "modified concurrently"


def test_register_and_update_retry_when_modified_concurrently(iv):
    registered(iv, n=1)
    iv.endpoint.faults.reseed(7)  # conflicts draw apart from the polls: the same each run
    # 30 %: five refusals in a row (the retry's limit) stay rare; seeded, so the run is repeatable
    iv.endpoint.set_faults(conflict_rate=0.3)
    refused = count_answers(iv.endpoint, "ResourceInUse")
    numbers = [
        iv.register(ImageVersionSpec("my-image", uri(iv, "2.4-gpu"), release_notes=str(i))).version
        for i in range(4)
    ]
    assert numbers == [2, 3, 4, 5]  # each registered once: no duplicates despite the retries
    iv.update("my-image", 5, aliases_to_add=["latest"], release_notes="final")
    iv.move_alias("my-image", "latest", 2)
    assert "CreateImageVersion" in refused and "UpdateImageVersion" in refused
    iv.endpoint.set_faults(conflict_rate=0.0)
    assert [v.version for v in iv.history("my-image")] == [5, 4, 3, 2, 1]
    assert iv.aliases("my-image") == {"latest": 2}
    assert iv.get("my-image", 5).release_notes == "final"


def test_modified_concurrently_that_persists_becomes_a_conflict(iv):
    registered(iv, n=1)
    iv.endpoint.set_faults(conflict_rate=1.0)
    with pytest.raises(Conflict) as info:
        iv.update("my-image", 1, aliases_to_add=["latest"])
    assert "modified concurrently" in info.value.message
    iv.endpoint.set_faults(conflict_rate=0.0)
    assert iv.aliases("my-image") == {}


# ---------------------------------------------------------------- names and ARNs


def test_a_mixed_case_image_name_works_end_to_end(iv):
    name = "MyImage"
    first = iv.register(
        ImageVersionSpec(name, uri(iv), aliases=["1.0.0"]), create_image=True, role_arn=ROLE
    )
    assert first.arn == "arn:aws:sagemaker:us-east-1:000000000000:image-version/myimage/1"
    assert first.image_name == name
    iv.register(ImageVersionSpec(name, uri(iv, "2.4-gpu"), aliases=["latest"]))

    history = iv.history(name)
    assert [(v.image_name, v.version, v.aliases) for v in history] == [
        (name, 2, ("latest",)),
        (name, 1, ("1.0.0",)),
    ]
    page = iv.history_page(name, limit=1)
    assert [v.version for v in page.versions] == [2] and page.aliases == {"1.0.0": 1, "latest": 2}
    assert iv.aliases(name) == {"1.0.0": 1, "latest": 2}
    assert iv.move_alias(name, "latest", 1).aliases == ("1.0.0", "latest")

    template = yaml.safe_load(iv.export(name))
    resources = template["Resources"]
    assert {r["Properties"].get("ImageName") for r in resources.values()} == {name}

    assert seed_domain(iv)
    attached = iv.attach(name, 2, domain_id=DEMO_DOMAIN_ID, app_type="JupyterLab")
    domain = iv._client("sagemaker").describe_domain(DomainId=DEMO_DOMAIN_ID)
    images = domain["DefaultUserSettings"]["JupyterLabAppSettings"]["CustomImages"]
    assert [(i["ImageName"], i["ImageVersionNumber"]) for i in images] == [(name, 2)]
    assert attached

    iv.endpoint.delete_delay = 0.2
    assert iv.delete(name, alias="1.0.0", wait=True) == 1
    assert [v.version for v in iv.history(name)] == [2]


def test_arns_carry_the_region_the_service_uses(iv):
    with iv.endpoint.serve_http() as server:
        west = ImageVersions(region="eu-west-1", endpoint_url=server.url)
        env = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local"}
        with pytest.MonkeyPatch.context() as mp:
            for key, value in env.items():
                mp.setenv(key, value)
            version = west.register(
                ImageVersionSpec("regional", uri(iv)), create_image=True, role_arn=ROLE
            )
            assert version.arn.startswith("arn:aws:sagemaker:eu-west-1:000000000000:")
            assert west.describe_image("regional").arn.split(":")[3] == "eu-west-1"
            west.close()


def test_a_client_token_reused_with_other_parameters_is_a_spec_error(iv):
    """The project's tokens derive from the whole request, so only a foreign caller can reuse
    one; AWS's refusal then reaches every front end as a 400 with AWS's message."""
    registered(iv, n=1)
    call = {"ImageName": "my-image", "BaseImage": uri(iv), "ClientToken": "0" * 36}
    first = iv._call(iv._sm, "create_image_version", **call)["ImageVersionArn"]
    assert iv._call(iv._sm, "create_image_version", **call)["ImageVersionArn"] == first
    with pytest.raises(SpecError) as info:
        iv._call(iv._sm, "create_image_version", **call, ReleaseNotes="different")
    assert "was already used to create version 2 of image my-image" in info.value.message
    assert [v.version for v in iv.history("my-image")] == [2, 1]
