"""The image doctor on images built in the test and pushed through the local ECR layer API."""

from __future__ import annotations

import json

import pytest

from jupyter_image_versions.core.errors import SpecError
from jupyter_image_versions.local.image_push import (
    Entry,
    ImageSpec,
    Layer,
    build_manifest,
    ensure_repository,
    push_image,
    push_index,
    put_manifest,
)
from jupyter_image_versions.local.sample_images import (
    base_layer,
    failing_image,
    jupyterlab_layer,
    kernel_entry,
    passing_image,
    studio_config,
)
from jupyter_image_versions.oci.layer_scan import BudgetExceeded

REPO = "team/doctor"


@pytest.fixture
def ecr(iv):
    return iv.endpoint.client("ecr")


def push(iv, ecr, spec, tag="t", media="oci"):
    digest = push_image(ecr, REPO, tag, spec, media=media)
    return iv.endpoint.registry_uri(REPO, tag), digest


def codes(report, severity=None):
    return sorted(f.code for f in report.findings if severity is None or f.severity == severity)


def test_passing_image_has_no_error_and_the_json_shape(iv, ecr):
    uri, digest = push(iv, ecr, passing_image())
    report = iv.doctor(uri, "JupyterLab")
    assert codes(report, "error") == []
    data = report.to_dict()
    assert data["digest"] == digest
    assert data["platform"] == {"os": "linux", "architecture": "amd64"}
    assert data["user"] == {"name": "sagemaker-user", "uid": 1000, "gid": 100}
    assert data["workdir"] == "/home/sagemaker-user"
    assert data["entrypoint"] == ["jupyter-lab"] and data["exposed_ports"] == ["8888/tcp"]
    assert data["kernels"] == [
        {"name": "python3", "display_name": "Python (python3)", "language": "python"}
    ]
    assert data["layers_scanned"] == 2 and data["bytes_read"] > 0
    assert "server" in codes(report, "info")
    json.dumps(data)


def test_docker_media_types_read_the_same(iv, ecr):
    uri, _ = push(iv, ecr, passing_image(), media="docker")
    report = iv.doctor(uri, "JupyterLab")
    assert codes(report, "error") == []
    assert report.facts["media_type"] == "application/vnd.docker.distribution.manifest.v2+json"


def test_failing_image_every_error(iv, ecr):
    uri, _ = push(iv, ecr, failing_image())
    report = iv.doctor(uri, "JupyterLab")
    assert codes(report, "error") == ["architecture", "large-id", "server", "user"]
    assert codes(report, "warning") == ["env-overridden", "no-kernels", "workdir"]
    large = next(f for f in report.findings if f.code == "large-id")
    assert "/opt/tool/data.bin in layer 2" in large.message and "70000" in large.message
    user = next(f for f in report.findings if f.code == "user")
    assert "root (uid 0, gid 0)" in user.message
    kg = iv.doctor(uri, "KernelGateway")
    assert "no-kernels" in codes(kg, "error")
    assert "user" not in codes(kg, "error")  # 0/0 is allowed for KernelGateway
    assert "server" not in codes(kg)


def test_manifest_list_takes_amd64_and_skips_attestations(iv, ecr):
    arm = push_image(
        ecr,
        REPO,
        None,
        ImageSpec(passing_image().layers, architecture="arm64", config=studio_config()),
    )
    amd = push_image(ecr, REPO, None, passing_image())
    att = push_image(ecr, REPO, None, ImageSpec([Layer([])], config={}))
    for media in ("oci", "docker"):
        push_index(
            ecr,
            REPO,
            f"multi-{media}",
            [
                ({"os": "linux", "architecture": "arm64"}, arm),
                ({"os": "unknown", "architecture": "unknown"}, att),
                ({"os": "linux", "architecture": "amd64"}, amd),
            ],
            media=media,
        )
        report = iv.doctor(iv.endpoint.registry_uri(REPO, f"multi-{media}"))
        assert report.facts["digest"] == amd
        assert codes(report, "error") == []
        assert "image-index" in codes(report, "warning")
    push_index(
        ecr,
        REPO,
        "arm-only",
        [
            ({"os": "linux", "architecture": "arm64"}, arm),
            ({"os": "unknown", "architecture": "unknown"}, att),
        ],
    )
    report = iv.doctor(iv.endpoint.registry_uri(REPO, "arm-only"))
    assert codes(report, "error") == ["architecture"]


def test_whiteout_hides_a_kernelspec_and_opaque_hides_a_folder(iv, ecr):
    kernels = "opt/conda/share/jupyter/kernels"
    hidden = ImageSpec(
        [
            base_layer(),
            jupyterlab_layer(("python3", "ir")),
            Layer([Entry(f"{kernels}/.wh.python3")]),
        ],
        config=studio_config(),
    )
    uri, _ = push(iv, ecr, hidden, "wh")
    assert [k["name"] for k in iv.doctor(uri).to_dict()["kernels"]] == ["ir"]
    opaque = ImageSpec(
        [
            base_layer(),
            jupyterlab_layer(("python3", "ir")),
            Layer([Entry(f"{kernels}/.wh..wh..opq"), kernel_entry("julia")]),
        ],
        config=studio_config(),
    )
    uri, _ = push(iv, ecr, opaque, "opq")
    report = iv.doctor(uri, "KernelGateway", kernel_names=["python3"])
    assert [k["name"] for k in report.to_dict()["kernels"]] == ["julia"]
    assert "kernel-missing" in codes(report, "error")
    gone = ImageSpec(
        [base_layer(), jupyterlab_layer(), Layer([Entry("opt/conda/share/jupyter/.wh.kernels")])],
        config=studio_config(),
    )
    uri, _ = push(iv, ecr, gone, "gone")
    assert "no-kernels" in codes(iv.doctor(uri, "KernelGateway"), "error")


def test_large_id_counts_even_when_a_later_layer_deletes_it(iv, ecr):
    spec = ImageSpec(
        [
            base_layer(),
            Layer([Entry("tmp/big", b"x", uid=1000, gid=100000)]),
            Layer([Entry("tmp/.wh.big")]),
            jupyterlab_layer(),
        ],
        config=studio_config(),
    )
    uri, _ = push(iv, ecr, spec)
    report = iv.doctor(uri)
    assert codes(report, "error") == ["large-id"]
    assert "/tmp/big in layer 2" in report.findings[0].message


def test_zstd_and_plain_layers(iv, ecr):
    spec = ImageSpec(
        [Layer(base_layer().entries, "plain"), Layer(jupyterlab_layer().entries, "zstd")],
        config=studio_config(),
    )
    uri, _ = push(iv, ecr, spec)
    report = iv.doctor(uri)
    assert codes(report, "error") == []
    assert [k["name"] for k in report.to_dict()["kernels"]] == ["python3"]


def test_symlinked_etc_passwd_and_named_group(iv, ecr):
    passwd = b"root:x:0:0::/root:/bin/sh\nsagemaker-user:x:1000:100::/home/sagemaker-user:/bin/sh\n"
    base = Layer(
        [
            Entry("usr/lib/passwd", passwd),
            Entry("etc/passwd", kind="symlink", link="../usr/lib/passwd"),
            Entry("etc/group", b"users:x:100:\nstaff:x:50:\n"),
        ]
    )
    uri, _ = push(
        iv, ecr, ImageSpec([base, jupyterlab_layer()], config=studio_config("sagemaker-user")), "ln"
    )
    assert iv.doctor(uri).to_dict()["user"] == {"name": "sagemaker-user", "uid": 1000, "gid": 100}
    uri, _ = push(
        iv,
        ecr,
        ImageSpec([base, jupyterlab_layer()], config=studio_config("sagemaker-user:staff")),
        "staff",
    )
    report = iv.doctor(uri)
    assert report.to_dict()["user"]["gid"] == 50 and "user" in codes(report, "error")
    uri, _ = push(iv, ecr, ImageSpec([base], config=studio_config("nobody")), "nobody")
    assert "user-unresolved" in codes(iv.doctor(uri), "error")


def test_uid_gid_mismatch_and_code_editor(iv, ecr):
    uri, _ = push(iv, ecr, passing_image())
    assert "uid-gid-mismatch" not in codes(iv.doctor(uri, "KernelGateway", uid=1000, gid=100))
    report = iv.doctor(uri, "KernelGateway", uid=0, gid=0)
    assert "uid-gid-mismatch" in codes(report, "error")
    editor = iv.doctor(uri, "CodeEditor")
    assert codes(editor, "error") == ["server"]
    with_editor = ImageSpec(
        [
            *passing_image().layers,
            Layer([Entry("usr/bin/sagemaker-code-editor", b"#!/bin/sh\n", mode=493)]),
        ],
        config=studio_config(),
    )
    uri, _ = push(iv, ecr, with_editor, "ce")
    assert codes(iv.doctor(uri, "CodeEditor"), "error") == []


def test_second_run_reads_no_blob(iv, ecr):
    uri, _ = push(iv, ecr, passing_image())
    blobs = iv.endpoint.handler.layers.blobs
    first = iv.doctor(uri)
    served = blobs.requests
    assert served == 3 and not first.cached  # the config and two layers
    second = iv.doctor(uri, "KernelGateway")
    assert blobs.requests == served and second.cached and second.bytes_read == 0


def test_layer_over_the_budget_stops_with_a_clear_message(iv, ecr):
    uri, _ = push(iv, ecr, passing_image())
    blobs = iv.endpoint.handler.layers.blobs
    with pytest.raises(BudgetExceeded) as err:
        iv.doctor(uri, max_bytes=200)
    assert "over the doctor's byte budget" in str(err.value) and "layer" in str(err.value)
    assert blobs.requests == 0  # refused from the manifest's sizes, before any read
    with pytest.raises(BudgetExceeded) as err:
        iv.doctor(uri, max_seconds=0)
    assert "time budget" in str(err.value)


def test_expired_urls_are_asked_for_again(iv, ecr):
    uri, _ = push(iv, ecr, passing_image())
    iv.endpoint.handler.layers.expire_next_urls(2)
    report = iv.doctor(uri)
    assert codes(report, "error") == []
    assert iv.endpoint.handler.layers.blobs.requests == 5  # two 403s, then three blobs


def test_bad_input_names_the_field(iv):
    with pytest.raises(SpecError) as err:
        iv.doctor("docker.io/library/python:3", "JupyterLab")
    assert "image" in err.value.problems
    with pytest.raises(SpecError) as err:
        iv.doctor(iv.endpoint.registry_uri(REPO, "x"), "Jupyter")
    assert "app_type" in err.value.problems
    with pytest.raises(SpecError) as err:
        iv.doctor(iv.endpoint.registry_uri(REPO, "x"), uid=70000)
    assert "uid" in err.value.problems


def test_plain_layer_skips_file_contents_with_range_requests(iv, ecr):
    import os

    big = Layer(
        [Entry("opt/big.bin", os.urandom(3 * 1024 * 1024)), kernel_entry("after-big")], "plain"
    )
    spec = ImageSpec([base_layer(), jupyterlab_layer(), big], config=studio_config())
    uri, _ = push(iv, ecr, spec)
    report = iv.doctor(uri)
    assert report.bytes_read < 1024 * 1024  # the 3 MiB file was skipped, not read
    assert [k["name"] for k in report.to_dict()["kernels"]] == ["after-big", "python3"]
    blobs = iv.endpoint.handler.layers.blobs
    assert blobs.requests == 5  # config, two layers, and one Range request past big.bin


def test_progress_is_reported(iv, ecr):
    uri, _ = push(iv, ecr, passing_image())
    seen = []
    iv.doctor(uri, on_progress=seen.append)
    assert seen[-1]["layers_done"] == 2 and seen[-1]["bytes_read"] > 0
    assert seen[-1]["bytes_total"] == sum(
        layer["size"]
        for layer in json.loads(
            ecr.batch_get_image(repositoryName=REPO, imageIds=[{"imageTag": "t"}])["images"][0][
                "imageManifest"
            ]
        )["layers"]
    )


def test_a_layer_bigger_than_its_manifest_says_stops_mid_stream(iv, ecr):
    import os

    spec = ImageSpec(
        [base_layer(), Layer([Entry("opt/noise", os.urandom(3 * 1024 * 1024))])],
        config=studio_config(),
    )
    ensure_repository(ecr, REPO)
    manifest, media_type = build_manifest(ecr, REPO, spec)
    doc = json.loads(manifest)
    for layer in doc["layers"]:
        layer["size"] = 100  # the manifest understates the layer
    put_manifest(ecr, REPO, "liar", json.dumps(doc), media_type)
    with pytest.raises(BudgetExceeded) as err:
        iv.doctor(iv.endpoint.registry_uri(REPO, "liar"), max_bytes=1024 * 1024)
    message = str(err.value)
    assert "passed the byte budget of 1.0 MiB" in message and "layer 2" in message


def test_ecr_client_follows_the_images_region_on_aws():
    from jupyter_image_versions import ImageVersions

    service = ImageVersions(region="us-east-1")
    other = service._ecr_for("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/lab:1")
    same = service._ecr_for("123456789012.dkr.ecr.us-east-1.amazonaws.com/team/lab:1")
    assert other.meta.region_name == "eu-west-1" and same.raw is service._ecr
    assert other.gate is same.gate is service.gate  # retried like every other call
    pointed = ImageVersions(region="us-east-1", endpoint_url="http://127.0.0.1:1")
    assert pointed._ecr_for("123456789012.dkr.ecr.eu-west-1.amazonaws.com/a:1").raw is pointed._ecr


def test_an_image_the_doctor_cannot_read_is_said_in_words(iv, ecr):
    ensure_repository(ecr, REPO)
    manifest, media_type = build_manifest(ecr, REPO, passing_image())
    doc = json.loads(manifest)
    del doc["config"]  # a manifest with no image configuration
    put_manifest(ecr, REPO, "broken", json.dumps(doc), media_type)
    with pytest.raises(SpecError) as err:
        iv.doctor(iv.endpoint.registry_uri(REPO, "broken"))
    message = str(err.value)
    assert "is not a complete container image" in message and "Push it again" in message
    assert "sha256" not in message and "blob" not in message
