"""Attaching versions and lifecycle configs to a Studio domain: read-modify-write, nothing else."""

from __future__ import annotations

import base64
import copy
import json

import boto3
import pytest
from botocore.stub import Stubber

from jupyter_image_versions import Conflict, ImageVersions, NotFound, SpecError
from jupyter_image_versions.commands import cli
from jupyter_image_versions.commands.demo_data import DEMO_DOMAIN_ID, DEMO_IMAGE, seed

OTHER_IMAGE = {
    "ImageName": "team-r-image",
    "ImageVersionNumber": 3,
    "AppImageConfigName": "team-r-config",
}


@pytest.fixture
def demo():
    service = ImageVersions.local(":memory:", create_delay=0.0)
    seed(service)
    sm = service._client("sagemaker")
    # another team's image is attached already: it must survive our changes untouched
    settings = sm.describe_domain(DomainId=DEMO_DOMAIN_ID)["DefaultUserSettings"]
    lab = settings["JupyterLabAppSettings"] | {"CustomImages": [OTHER_IMAGE]}
    sm.update_domain(DomainId=DEMO_DOMAIN_ID, DefaultUserSettings={"JupyterLabAppSettings": lab})
    yield service
    service.close()


def _domain(service) -> dict:
    found = service._client("sagemaker").describe_domain(DomainId=DEMO_DOMAIN_ID)
    found.pop("ResponseMetadata")
    found.pop("LastModifiedTime")
    return found


def _without_custom_images(domain: dict, app: str) -> str:
    domain = copy.deepcopy(domain)
    domain["DefaultUserSettings"].get(f"{app}AppSettings", {}).pop("CustomImages", None)
    return json.dumps(domain, sort_keys=True, default=str)


@pytest.mark.parametrize("app", ["JupyterLab", "KernelGateway"])
def test_attach_changes_only_the_custom_images(demo, app):
    before = _domain(demo)
    result = demo.attach(DEMO_IMAGE, 2, domain_id=DEMO_DOMAIN_ID, app_type=app)
    after = _domain(demo)
    assert _without_custom_images(after, app) == _without_custom_images(before, app)
    images = after["DefaultUserSettings"][f"{app}AppSettings"]["CustomImages"]
    ours = {
        "ImageName": DEMO_IMAGE,
        "ImageVersionNumber": 2,
        "AppImageConfigName": f"{DEMO_IMAGE}-{app.lower()}-config",
    }
    assert images == ([OTHER_IMAGE, ours] if app == "JupyterLab" else [ours])
    assert result["app_image_config"] == ours["AppImageConfigName"]


def test_attach_twice_leaves_one_entry_and_reuses_the_config(demo):
    demo.attach(DEMO_IMAGE, 2, domain_id=DEMO_DOMAIN_ID)
    demo.attach(DEMO_IMAGE, 2, domain_id=DEMO_DOMAIN_ID)
    result = demo.attach(DEMO_IMAGE, 4, domain_id=DEMO_DOMAIN_ID)
    images = _domain(demo)["DefaultUserSettings"]["JupyterLabAppSettings"]["CustomImages"]
    assert [(i["ImageName"], i["ImageVersionNumber"]) for i in images] == [
        ("team-r-image", 3),
        (DEMO_IMAGE, 4),
    ]
    assert [c["image_name"] for c in result["custom_images"]] == ["team-r-image", DEMO_IMAGE]
    configs = demo._client("sagemaker").list_app_image_configs()["AppImageConfigs"]
    assert [c["AppImageConfigName"] for c in configs] == [f"{DEMO_IMAGE}-jupyterlab-config"]


def test_detach_removes_only_ours(demo):
    before = _domain(demo)
    demo.attach(DEMO_IMAGE, 2, domain_id=DEMO_DOMAIN_ID)
    demo.detach(DEMO_IMAGE, domain_id=DEMO_DOMAIN_ID)
    after = _domain(demo)
    assert json.dumps(after, sort_keys=True, default=str) == json.dumps(
        before, sort_keys=True, default=str
    )
    with pytest.raises(NotFound) as info:
        demo.detach(DEMO_IMAGE, domain_id=DEMO_DOMAIN_ID)
    assert "is not attached to domain" in info.value.message


def test_kernel_gateway_config_has_kernel_spec_and_file_system(demo):
    demo.attach(
        DEMO_IMAGE,
        2,
        domain_id=DEMO_DOMAIN_ID,
        app_type="KernelGateway",
        kernel_name="conda-env-py",
        display_name="PyTorch 2.2 (custom)",
        uid=1000,
        gid=100,
        mount_path="/home/sagemaker-user",
        force=True,  # the demo image's kernelspec is python3: the doctor would refuse this name
    )
    config = demo._client("sagemaker").describe_app_image_config(
        AppImageConfigName=f"{DEMO_IMAGE}-kernelgateway-config"
    )
    assert config["KernelGatewayImageConfig"] == {
        "KernelSpecs": [{"Name": "conda-env-py", "DisplayName": "PyTorch 2.2 (custom)"}],
        "FileSystemConfig": {
            "MountPath": "/home/sagemaker-user",
            "DefaultUid": 1000,
            "DefaultGid": 100,
        },
    }
    # attaching with other options updates the reused config
    demo.attach(DEMO_IMAGE, 2, domain_id=DEMO_DOMAIN_ID, app_type="KernelGateway")
    config = demo._client("sagemaker").describe_app_image_config(
        AppImageConfigName=f"{DEMO_IMAGE}-kernelgateway-config"
    )
    # the demo image is real: its kernelspec and its user fill what was not given
    assert config["KernelGatewayImageConfig"] == {
        "KernelSpecs": [{"Name": "python3", "DisplayName": "Python 3 (ipykernel)"}],
        "FileSystemConfig": {"DefaultUid": 1000, "DefaultGid": 100},
    }


def test_user_profile_attach_leaves_the_domain_alone(demo):
    before = _domain(demo)
    demo.attach(DEMO_IMAGE, 2, domain_id=DEMO_DOMAIN_ID, user_profile="data-scientist")
    assert _domain(demo) == before
    profile = demo._client("sagemaker").describe_user_profile(
        DomainId=DEMO_DOMAIN_ID, UserProfileName="data-scientist"
    )
    assert profile["UserSettings"]["JupyterLabAppSettings"]["CustomImages"][0]["ImageName"] == (
        DEMO_IMAGE
    )


def test_bad_input_names_the_field_and_changes_nothing(demo):
    before = _domain(demo)
    with pytest.raises(SpecError) as info:
        demo.attach(
            DEMO_IMAGE,
            0,
            domain_id="D_BAD",
            app_type="Canvas",
            uid=70000,
            mount_path="relative/path",
        )
    assert set(info.value.problems) == {"domain_id", "version", "app_type", "uid", "mount_path"}
    with pytest.raises(NotFound):
        demo.attach(DEMO_IMAGE, 99, domain_id=DEMO_DOMAIN_ID)
    with pytest.raises(NotFound):
        demo.attach(DEMO_IMAGE, 2, domain_id="d-000000000000")
    assert _domain(demo) == before


# -- the exact request, and AWS refusing while apps run --------------------------------------

DOMAIN_ID = "d-abc123def456"
DESCRIBED = {
    "DomainId": DOMAIN_ID,
    "DomainName": "prod",
    "DefaultUserSettings": {
        "ExecutionRole": "arn:aws:iam::111122223333:role/Studio",
        "JupyterLabAppSettings": {
            "DefaultResourceSpec": {"InstanceType": "ml.t3.medium"},
            "LifecycleConfigArns": [
                "arn:aws:sagemaker:us-east-1:111122223333:studio-lifecycle-config/x"
            ],
            "CustomImages": [OTHER_IMAGE],
        },
    },
}


def _stubbed():
    sm = boto3.client(
        "sagemaker", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    service = ImageVersions(region="us-east-1")
    service._client_cache["sagemaker"] = sm
    stubber = Stubber(sm)
    stubber.add_response(
        "describe_image_version",
        {"Version": 7, "ImageVersionStatus": "CREATED"},
        {"ImageName": "my-image", "Version": 7},
    )
    stubber.add_client_error(
        "describe_app_image_config",
        service_error_code="ResourceNotFound",
        expected_params={"AppImageConfigName": "my-image-jupyterlab-config"},
    )
    stubber.add_response(
        "create_app_image_config",
        {"AppImageConfigArn": "arn:aws:sagemaker:us-east-1:111122223333:app-image-config/c"},
        {"AppImageConfigName": "my-image-jupyterlab-config", "JupyterLabAppImageConfig": {}},
    )
    stubber.add_response("describe_domain", DESCRIBED, {"DomainId": DOMAIN_ID})
    return service, stubber


EXPECTED_UPDATE = {
    "DomainId": DOMAIN_ID,
    "DefaultUserSettings": {
        "JupyterLabAppSettings": {
            "DefaultResourceSpec": {"InstanceType": "ml.t3.medium"},
            "LifecycleConfigArns": [
                "arn:aws:sagemaker:us-east-1:111122223333:studio-lifecycle-config/x"
            ],
            "CustomImages": [
                OTHER_IMAGE,
                {
                    "ImageName": "my-image",
                    "ImageVersionNumber": 7,
                    "AppImageConfigName": "my-image-jupyterlab-config",
                },
            ],
        }
    },
}


def test_stubbed_update_domain_request_is_exact():
    service, stubber = _stubbed()
    stubber.add_response(
        "update_domain",
        {"DomainArn": f"arn:aws:sagemaker:us-east-1:111122223333:domain/{DOMAIN_ID}"},
        EXPECTED_UPDATE,
    )
    with stubber:
        result = service.attach("my-image", 7, domain_id=DOMAIN_ID)
    stubber.assert_no_pending_responses()  # the UpdateDomain above was sent, exactly
    assert (result["image_name"], result["version"], result["domain_id"]) == (
        "my-image",
        7,
        DOMAIN_ID,
    )
    assert result["app_image_config"] == "my-image-jupyterlab-config"
    assert [item["image_name"] for item in result["custom_images"]] == [
        OTHER_IMAGE["ImageName"],
        "my-image",
    ]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("ResourceInUse", "Domain is in use"),
        (
            "ValidationException",
            "Unable to update the domain: there are InService apps. Delete them and retry.",
        ),
    ],
)
def test_refused_while_apps_run_says_what_to_do(code, message):
    service, stubber = _stubbed()
    stubber.add_client_error(
        "update_domain",
        service_error_code=code,
        service_message=message,
        expected_params=EXPECTED_UPDATE,
    )
    # The config this attach created is removed again: nothing is left half-done.
    stubber.add_response(
        "delete_app_image_config", {}, {"AppImageConfigName": "my-image-jupyterlab-config"}
    )
    with stubber, pytest.raises(Conflict) as info:
        service.attach("my-image", 7, domain_id=DOMAIN_ID)
    stubber.assert_no_pending_responses()
    text = info.value.message
    assert "apps are running" in text and message in text
    assert "Stop (delete) the running JupyterLab apps" in text
    assert "user-profile level" in text


# -- lifecycle configs, through the CLI -------------------------------------------------------


@pytest.fixture
def local_db(tmp_path, monkeypatch):
    db = str(tmp_path / "local.sqlite")
    monkeypatch.setenv("JUPYTER_IMAGE_VERSIONS_LOCAL_DB", db)
    monkeypatch.setenv("JUPYTER_IMAGE_VERSIONS_LOCAL_CREATE_DELAY", "0")
    service = ImageVersions.local(db, create_delay=0.0)
    seed(service)
    yield service
    service.close()


def test_cli_lcc_create_and_attach_domain(local_db, capsys):
    before = _domain(local_db)
    argv = ["studio", "lcc", "--app-type", "JupyterLab", "--install", "jupyter-image-versions"]
    argv += ["--create", "install-image-versions", "--attach-domain", DEMO_DOMAIN_ID]
    assert cli.main([*argv, "--backend", "local", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    sm = local_db._client("sagemaker")
    stored = sm.describe_studio_lifecycle_config(StudioLifecycleConfigName="install-image-versions")
    script = base64.b64decode(stored["StudioLifecycleConfigContent"]).decode()
    assert "SPEC=jupyter-image-versions" in script
    assert stored["StudioLifecycleConfigAppType"] == "JupyterLab"
    after = _domain(local_db)
    lab_after = after["DefaultUserSettings"]["JupyterLabAppSettings"]
    assert lab_after.pop("LifecycleConfigArns") == [data["arn"]]
    assert after == before
    # again, as the default, for another config: the list grows, the rest stays
    argv[argv.index("--create") + 1] = "second"
    assert cli.main([*argv, "--default", "--backend", "local"]) == 0
    lab = _domain(local_db)["DefaultUserSettings"]["JupyterLabAppSettings"]
    assert [a.rsplit("/", 1)[1] for a in lab["LifecycleConfigArns"]] == [
        "install-image-versions",
        "second",
    ]
    assert lab["DefaultResourceSpec"] == {
        "InstanceType": "ml.t3.medium",
        "LifecycleConfigArn": lab["LifecycleConfigArns"][1],
    }


def test_cli_lcc_user_profile_and_errors(local_db, capsys, tmp_path):
    out = tmp_path / "lcc.sh"
    argv = [
        "studio",
        "lcc",
        "--app-type",
        "JupyterServer",
        "--install",
        "pkg",
        "--backend",
        "local",
    ]
    assert cli.main([*argv, "--output", str(out)]) == 0
    assert out.read_text().startswith("#!/bin/bash") and out.stat().st_mode & 0o111
    assert "Wrote" in capsys.readouterr().out
    assert cli.main([*argv, "--attach-domain", DEMO_DOMAIN_ID]) == 2
    assert "need --create" in capsys.readouterr().err
    target = ["--create", "classic", "--attach-user-profile", f"{DEMO_DOMAIN_ID}/data-scientist"]
    assert cli.main([*argv, *target]) == 0
    profile = local_db._client("sagemaker").describe_user_profile(
        DomainId=DEMO_DOMAIN_ID, UserProfileName="data-scientist"
    )
    arns = profile["UserSettings"]["JupyterServerAppSettings"]["LifecycleConfigArns"]
    assert arns[0].endswith("studio-lifecycle-config/classic")
    assert cli.main([*argv, "--create", "bad name!"]) == 1
    assert "--create NAME" in capsys.readouterr().err


def test_cli_attach_and_detach(local_db, capsys):
    args = ["--domain", DEMO_DOMAIN_ID, "--backend", "local", "--json"]
    assert cli.main(["attach", f"{DEMO_IMAGE}@latest", *args]) == 0
    data = json.loads(capsys.readouterr().out)
    latest = local_db.aliases(DEMO_IMAGE)["latest"]
    assert (data["image_name"], data["version"]) == (DEMO_IMAGE, latest)
    assert cli.main(["detach", DEMO_IMAGE, *args]) == 0
    assert json.loads(capsys.readouterr().out)["custom_images"] == []
    assert cli.main(["attach", f"{DEMO_IMAGE}:2", "--domain", "nope", "--backend", "local"]) == 1
    assert "--domain: 'nope'" in capsys.readouterr().err
