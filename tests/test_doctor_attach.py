"""Attach runs the doctor: defaults from the image, refusal before UpdateDomain, CodeEditor."""

from __future__ import annotations

import json

import pytest

from jupyter_image_versions import ImageVersions, ImageVersionSpec
from jupyter_image_versions.commands import cli
from jupyter_image_versions.commands.demo_data import DEMO_DOMAIN_ID, seed
from jupyter_image_versions.commands.demo_images import FAILING_TAG, PASSING_TAG, seed_images
from jupyter_image_versions.core.aws_calls import call_aws
from jupyter_image_versions.core.errors import NotFound
from jupyter_image_versions.local.image_push import ImageSpec, push_image
from jupyter_image_versions.local.sample_images import (
    base_layer,
    jupyterlab_layer,
    studio_config,
)
from jupyter_image_versions.studio import lcc_script
from jupyter_image_versions.studio.attach_check import ImageCheckFailed

ROLE = "arn:aws:iam::000000000000:role/R"


@pytest.fixture
def studio(tmp_path, monkeypatch):
    db = str(tmp_path / "local.sqlite")
    monkeypatch.setenv("JUPYTER_IMAGE_VERSIONS_LOCAL_DB", db)
    monkeypatch.setenv("JUPYTER_IMAGE_VERSIONS_LOCAL_CREATE_DELAY", "0")
    service = ImageVersions.local(db, create_delay=0.0)
    seed(service)
    uris = seed_images(service)
    two = ImageSpec(
        [base_layer(), jupyterlab_layer(("python3", "conda-env-r"))], config=studio_config()
    )
    push_image(service.endpoint.client("ecr"), "ml-platform/studio-images", "two-kernels", two)
    uris["two"] = service.endpoint.registry_uri("ml-platform/studio-images", "two-kernels")
    for name, uri in (
        ("good", uris[PASSING_TAG]),
        ("bad", uris[FAILING_TAG]),
        ("kernels", uris["two"]),
    ):
        service.register(
            ImageVersionSpec(image_name=name, base_image=uri),
            create_image=True,
            role_arn=ROLE,
            wait=True,
        )
    yield service
    service.close()


def sm(service):
    return service._client("sagemaker")


def domain_settings(service) -> dict:
    return sm(service).describe_domain(DomainId=DEMO_DOMAIN_ID)["DefaultUserSettings"]


def test_kernel_gateway_defaults_to_the_images_kernels_and_user(studio):
    result = studio.attach("kernels", 1, domain_id=DEMO_DOMAIN_ID, app_type="KernelGateway")
    assert result["doctor"]["checked"] is True
    config = sm(studio).describe_app_image_config(AppImageConfigName="kernels-kernelgateway-config")
    assert config["KernelGatewayImageConfig"] == {
        "KernelSpecs": [
            {"Name": "conda-env-r", "DisplayName": "Python (conda-env-r)"},
            {"Name": "python3", "DisplayName": "Python (python3)"},
        ],
        "FileSystemConfig": {"DefaultUid": 1000, "DefaultGid": 100},
    }


def test_error_findings_refuse_before_anything_changes(studio):
    before = json.dumps(domain_settings(studio), sort_keys=True, default=str)
    with pytest.raises(ImageCheckFailed) as err:
        studio.attach("bad", 1, domain_id=DEMO_DOMAIN_ID)
    text = err.value.message
    assert "architecture" in text and "large-id" in text and "--force" in text
    assert json.dumps(domain_settings(studio), sort_keys=True, default=str) == before
    with pytest.raises(NotFound):  # no AppImageConfig was created either
        call_aws(
            sm(studio), "describe_app_image_config", AppImageConfigName="bad-jupyterlab-config"
        )
    forced = studio.attach("bad", 1, domain_id=DEMO_DOMAIN_ID, force=True)
    assert any(f["code"] == "architecture" for f in forced["doctor"]["findings"])
    images = domain_settings(studio)["JupyterLabAppSettings"]["CustomImages"]
    assert {
        "ImageName": "bad",
        "ImageVersionNumber": 1,
        "AppImageConfigName": "bad-jupyterlab-config",
    } in images


def test_uid_gid_mismatch_needs_force(studio):
    with pytest.raises(ImageCheckFailed) as err:
        studio.attach("good", 1, domain_id=DEMO_DOMAIN_ID, app_type="KernelGateway", uid=0, gid=0)
    assert "uid-gid-mismatch" in err.value.message
    with pytest.raises(ImageCheckFailed) as err:
        studio.attach(
            "good", 1, domain_id=DEMO_DOMAIN_ID, app_type="KernelGateway", kernel_name="Python3"
        )
    assert "kernel-missing" in err.value.message


def test_code_editor_attach(studio):
    with pytest.raises(ImageCheckFailed) as err:  # no sagemaker-code-editor in the image
        studio.attach("good", 1, domain_id=DEMO_DOMAIN_ID, app_type="CodeEditor")
    assert "sagemaker-code-editor" in err.value.message
    result = studio.attach("good", 1, domain_id=DEMO_DOMAIN_ID, app_type="CodeEditor", force=True)
    assert result["app_image_config"] == "good-codeeditor-config"
    config = sm(studio).describe_app_image_config(AppImageConfigName="good-codeeditor-config")
    assert "CodeEditorAppImageConfig" in config
    images = domain_settings(studio)["CodeEditorAppSettings"]["CustomImages"]
    assert images == [
        {
            "ImageName": "good",
            "ImageVersionNumber": 1,
            "AppImageConfigName": "good-codeeditor-config",
        }
    ]


def test_cli_attach_refuses_then_force(studio, capsys):
    argv = ["attach", "bad:1", "--domain", DEMO_DOMAIN_ID, "--backend", "local"]
    assert cli.main(argv) == 1
    err = capsys.readouterr().err
    assert "not fit for JupyterLab" in err and "--force" in err
    assert cli.main([*argv, "--force"]) == 0
    out = capsys.readouterr().out
    assert "Attached bad:1" in out and "error:" in out and "linux/arm64" in out


def test_code_editor_lifecycle_config(studio):
    script = lcc_script.lifecycle_script("CodeEditor", "jupyter-image-versions")
    assert "Code Editor terminal" in script and "/opt/conda/bin/python" in script
    arn = studio.create_lifecycle_config("ce-install", lcc_script.encode(script), "CodeEditor")
    arns = studio.attach_lifecycle_config(arn, "CodeEditor", domain_id=DEMO_DOMAIN_ID)
    assert arns == [arn]
    assert domain_settings(studio)["CodeEditorAppSettings"]["LifecycleConfigArns"] == [arn]


def test_panel_checks_the_picked_base_image(studio):
    from jupyter_image_versions.commands.demo_images import DEMO_IMAGES_REPOSITORY
    from jupyter_image_versions.notebook.widgets import ImageVersionPanel

    panel = ImageVersionPanel("good", service=studio)
    try:
        assert panel.wait_idle(20)
        panel.form.ecr_repository.value = DEMO_IMAGES_REPOSITORY
        assert panel.wait_idle(20)
        bad = studio.endpoint.registry_uri(DEMO_IMAGES_REPOSITORY, FAILING_TAG)
        panel.form.ecr_tag.value = bad  # picking a tag checks it
        assert panel.wait_idle(20)
        assert panel.doctor.image.value == bad
        html = panel.doctor.report_text()
        assert "Studio will not start it" in html and "/opt/tool/data.bin" in html
        panel.doctor.app_type.value = "KernelGateway"
        assert panel.wait_idle(20)
        assert "KernelGateway" in panel.doctor.report_text()
        panel.form.base_image.value = studio.endpoint.registry_uri(
            DEMO_IMAGES_REPOSITORY, PASSING_TAG
        )
        panel.doctor.app_type.value = "JupyterLab"
        assert panel.wait_idle(20)
        assert "no problems" in panel.doctor.report_text()
    finally:
        panel.close()


def test_panel_checks_a_versions_image_on_demand(studio):
    from jupyter_image_versions.notebook.widgets import ImageVersionPanel

    panel = ImageVersionPanel("bad", service=studio)
    try:
        assert panel.wait_idle(20)
        h = panel.history
        h.version.value = 1
        assert not h.check_image_button.disabled
        before = panel.doctor.report_text()
        h.check_image_button.click()
        assert panel.wait_idle(20)
        assert panel.doctor.image.value == h.selected.base_image
        html = panel.doctor.report_text()
        assert html != before and "Studio will not start it" in html
        assert "/opt/tool/data.bin" in html
    finally:
        panel.close()


def test_panel_attach_is_refused_then_forced(studio):
    from jupyter_image_versions.notebook.widgets import ImageVersionPanel

    panel = ImageVersionPanel("bad", service=studio)
    try:
        assert panel.wait_idle(20)
        h = panel.history
        h.version.value = 1
        h.attach_domain.value = DEMO_DOMAIN_ID
        panel._act("attach")
        assert panel.wait_idle(20)
        assert "not fit for JupyterLab" in panel.status.value
        assert "CustomImages" not in domain_settings(studio)["JupyterLabAppSettings"]
        h.attach_force.value = True
        panel._act("attach")
        assert panel.wait_idle(20)
        assert "Attached bad version 1" in panel.status.value
    finally:
        panel.close()
