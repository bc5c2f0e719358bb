"""ImageVersionSpec validation: every field's boundaries, from botocore's model."""

from __future__ import annotations

import pytest

from jupyter_image_versions import ImageVersionSpec, SpecError
from jupyter_image_versions.core.awsmodel import input_shape
from jupyter_image_versions.core.spec import parse_ecr_uri

ECR = "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/pytorch"


def spec(**changes):
    values = {"image_name": "my-image", "base_image": f"{ECR}:2.3-gpu"}
    values.update(changes)
    return ImageVersionSpec(**values)


def max_len(member: str) -> int:
    return input_shape("sagemaker", "CreateImageVersion", member).metadata["max"]


VALID = {
    "image_name": ["a", "a" * 63, "my.image-2", "A1"],
    "base_image": [
        f"{ECR}:latest",
        f"{ECR}",
        f"{ECR}@sha256:{'a' * 64}",
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/x1:v" + "1" * 120,
        "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/repo:t",
    ],
    "aliases": [[], ["2.3.0"], ["latest", "stable_1"], ["a" * 128], ["1.0.0-rc.1"]],
    "ml_framework": ["PyTorch 2.3", "TensorFlow2.15", "X 1.0.0", "a" * 100 + " 1.2"],
    "programming_lang": ["Python 3.11", "R 4.3.2", "Scala2.13"],
    "processor": ["CPU", "GPU"],
    "job_type": ["TRAINING", "INFERENCE", "NOTEBOOK_KERNEL"],
    "horovod": [True, False],
    "release_notes": ["x", "a" * 255, "line one\nline two: 'quoted' \"too\"", "<b>ok</b>"],
    "vendor_guidance": ["NOT_PROVIDED", "STABLE", "TO_BE_ARCHIVED", "ARCHIVED"],
}

INVALID = {
    "image_name": ["", "a" * 64, "-start", "end-", "a--b", "has space", "under_score"],
    "base_image": [
        "",
        "pytorch:2.3",
        "docker.io/library/python:3.11",
        "12345.dkr.ecr.us-east-1.amazonaws.com/repo:tag",
        f"{ECR}@sha256:abc",
        f"{ECR}:bad tag",
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/UPPER:tag",
        "x" * 256,
    ],
    "aliases": [[""], ["-lead"], [".lead"], ["has space"], ["a" * 129], ["1.0", "1.0"], "latest"],
    "ml_framework": ["pytorch", "PyTorch", "PyTorch 2", "PyTorch  2.3", "2.3", "a" * 126 + " 1.2"],
    "programming_lang": ["python", "Python 3", "Python-3.11", ""],
    "processor": ["TPU", "cpu", "", 1],
    "job_type": ["training", "TRAIN", "BATCH"],
    "horovod": ["yes", 1, "true"],
    "release_notes": ["", "a" * 256, "b" * 1000],
    "vendor_guidance": ["stable", "DEPRECATED", "", "ARCHIVE"],
}


@pytest.mark.parametrize(("name", "value"), [(k, v) for k, vs in VALID.items() for v in vs])
def test_valid_values_pass(name, value):
    assert spec(**{name: value}).problems() == {}


@pytest.mark.parametrize(("name", "value"), [(k, v) for k, vs in INVALID.items() for v in vs])
def test_invalid_values_are_keyed_by_field_and_do_not_start_with_its_api_name(name, value):
    """Each front end names the field its own way (`--framework`, "ML framework")."""
    problems = spec(**{name: value}).problems()
    assert list(problems) == [name]
    assert problems[name] and not problems[name].startswith(name)


def test_every_field_has_three_invalid_values():
    assert all(len(INVALID[name]) >= 3 for name in VALID)


def test_lengths_come_from_the_model():
    assert max_len("ReleaseNotes") == 255
    ok = spec(release_notes="n" * max_len("ReleaseNotes"))
    too_long = spec(release_notes="n" * (max_len("ReleaseNotes") + 1))
    assert ok.problems() == {}
    assert "at most 255" in too_long.problems()["release_notes"]


def test_messages_say_what_was_given_and_what_is_allowed():
    problems = spec(ml_framework="pytorch", processor="TPU").problems()
    assert problems["ml_framework"] == (
        "'pytorch' must look like 'PyTorch 2.3' (letters, optional space, major.minor[.patch])"
    )
    assert problems["processor"] == "'TPU' must be one of CPU, GPU"
    dup = spec(aliases=["1.0.0", "1.0.0"]).problems()["aliases"]
    assert "'1.0.0' is given twice" in dup


def test_required_fields():
    problems = ImageVersionSpec(image_name=None, base_image=None).problems()
    assert problems == {
        "image_name": "is required",
        "base_image": "is required",
    }


def test_an_alias_with_a_space_is_named_as_such():
    """'my alias' is one alias with a space, refused with that reason, never split in two."""
    problems = spec(aliases=["my alias"]).problems()
    assert problems == {"aliases": "cannot contain a space, as in 'my alias'"}


def test_the_summary_message_leads_each_problem_with_its_label():
    error = SpecError({"ml_framework": "'x' must look like 'PyTorch 2.3'"})
    assert error.message == "ML framework 'x' must look like 'PyTorch 2.3'"
    assert error.to_dict()["problems"] == {"ml_framework": "'x' must look like 'PyTorch 2.3'"}


def test_validate_raises_with_problems():
    with pytest.raises(SpecError) as caught:
        spec(job_type="BATCH", vendor_guidance="x").validate()
    assert set(caught.value.problems) == {"job_type", "vendor_guidance"}
    assert spec().validate().image_name == "my-image"


def test_semver_warning_is_not_a_problem():
    s = spec(aliases=["latest", "2.3.0"])
    assert s.problems() == {}
    assert "'latest'" in s.warnings()["aliases"]
    assert "'2.3.0'" not in s.warnings()["aliases"]
    assert spec(aliases=["2.3.0", "1.0.0-rc.1"]).warnings() == {}


def test_request_has_only_set_fields_in_aws_casing():
    s = spec(aliases=["1.0.0"], ml_framework="PyTorch 2.3", horovod=False)
    assert s.to_request() == {
        "ImageName": "my-image",
        "BaseImage": f"{ECR}:2.3-gpu",
        "Aliases": ["1.0.0"],
        "MLFramework": "PyTorch 2.3",
        "Horovod": False,
    }


def test_client_token_is_stable_and_content_addressed():
    a, b = spec(release_notes="x"), spec(release_notes="x")
    assert a.client_token("sha256:1") == b.client_token("sha256:1")
    assert a.client_token("sha256:1") != a.client_token("sha256:2")
    assert a.client_token() != spec(release_notes="y").client_token()
    token = a.client_token()
    assert len(token) == 36
    assert input_shape("sagemaker", "CreateImageVersion", "ClientToken").metadata["max"] >= 36


def test_from_dict_rejects_unknown_and_missing_fields():
    with pytest.raises(SpecError) as caught:
        ImageVersionSpec.from_dict({"image_name": "x", "colour": "red"})
    assert set(caught.value.problems) == {"colour", "base_image"}


def test_parse_ecr_uri():
    ref = parse_ecr_uri(f"{ECR}:2.3-gpu")
    assert (ref.account, ref.region, ref.repository, ref.tag) == (
        "123456789012",
        "us-east-1",
        "team/pytorch",
        "2.3-gpu",
    )
    assert parse_ecr_uri("nginx:latest") is None
