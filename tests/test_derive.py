"""derive on the local endpoint with wheels written by the test into a wheelhouse
(`--no-index --find-links`): what lands where, upgrades, conflicts, reproducibility, refusals."""

from __future__ import annotations

import gzip
import io
import json
import tarfile

import pytest

from jupyter_image_versions.core.errors import Conflict, NotFound, SpecError
from jupyter_image_versions.core.spec import ImageVersionSpec
from jupyter_image_versions.derive.base import open_base, walk_layers
from jupyter_image_versions.derive.request import DeriveRequest
from jupyter_image_versions.derive.resolve import PipOptions
from jupyter_image_versions.local.image_push import push_image
from jupyter_image_versions.local.sample_images import passing_image
from jupyter_image_versions.studio.attach_check import ImageCheckFailed

from .derive_helpers import REPO, debian_like, dist_info_entries, make_wheel, push_base

SITE = "/usr/local/lib/python3.11/dist-packages"
OLD_SITE = "usr/lib/python3/dist-packages"


@pytest.fixture
def wheelhouse(tmp_path):
    folder = tmp_path / "wheelhouse"
    make_wheel(folder, "purepkg", "1.0", scripts={"purepkg-hello": "purepkg:main"})
    make_wheel(folder, "platpkg", "2.0", "cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64")
    make_wheel(folder, "upkg", "2.0")
    make_wheel(folder, "needsnew", "1.0", requires=["upkg>=2"])
    make_wheel(folder, "macpkg", "1.0", "cp311-cp311-macosx_11_0_arm64")
    make_wheel(folder, "py312pkg", "1.0", "cp312-cp312-manylinux_2_17_x86_64")
    return folder


@pytest.fixture
def base_uri(iv):
    old = dist_info_entries(OLD_SITE, "upkg", "1.0", {"upkg/__init__.py": "__version__ = '1.0'"})
    return push_base(iv, debian_like(old))


def request(wheelhouse, base_uri, *pip, **kw):
    options = PipOptions(find_links=[str(wheelhouse)], no_index=True)
    kw.setdefault("tag", "derived")
    return DeriveRequest(base_image=base_uri, pip=list(pip), pip_options=options, **kw)


def image_count(iv, repo=REPO):
    return len(iv.endpoint.client("ecr").list_images(repositoryName=repo)["imageIds"])


def layer_members(iv, uri):
    base = open_base(iv, iv._ecr_for(uri), uri)
    blob = base.reader.open_blob(base.manifest.layers[-1]["digest"]).read()
    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(blob))) as tar:
        return {m.name: m for m in tar.getmembers()}, blob, base


def test_pure_and_platform_wheels_land_with_scripts_for_the_image_interpreter(
    iv, wheelhouse, base_uri
):
    stages = []
    result = iv.derive(
        request(wheelhouse, base_uri, "purepkg", "platpkg"),
        lambda stage, info: stages.append(stage),
    )
    assert [p.name for p in result.plan.added] == ["platpkg", "purepkg"]
    assert result.plan.target.purelib == SITE
    assert stages[:2] == ["planning", "planned"] and stages[-1] == "done"
    assert {"downloading", "pushing", "checking"} <= set(stages)
    members, blob, derived = layer_members(iv, result.pushed.uri)
    assert f"{SITE.lstrip('/')}/platpkg/__init__.py" in members
    script = members["usr/bin/purepkg-hello"]
    assert script.mode == 0o755 and script.uid == 0 and script.gid == 0 and script.uname == ""
    assert all(m.mtime == 0 and m.uid == 0 and m.mode & 0o444 == 0o444 for m in members.values())
    files = walk_layers(derived.reader, derived.manifest, lambda p: p == "usr/bin/purepkg-hello")
    assert files["usr/bin/purepkg-hello"].startswith(b"#!/usr/bin/python3.11\n")
    names = {(p.name, p.version, p.location) for p in derived.inventory.packages_of("pypi")}
    assert {("purepkg", "1.0", SITE), ("platpkg", "2.0", SITE)} <= names
    assert blob[4:8] == b"\0\0\0\0" and not blob[3] & 0x08  # gzip: mtime 0, no file name
    assert derived.config["history"][-1]["created_by"].startswith("derive: Added: platpkg 2.0")
    assert derived.config["rootfs"]["diff_ids"][-1] == result.layer["diff_id"]


def test_an_upgrade_leaves_exactly_one_dist_info(iv, wheelhouse, base_uri):
    result = iv.derive(request(wheelhouse, base_uri, "upkg==2.0", allow_upgrade=True))
    assert [(p.name, p.replaces, p.version) for p in result.plan.upgraded] == [
        ("upkg", "1.0", "2.0")
    ]
    members, _, derived = layer_members(iv, result.pushed.uri)
    assert f"{OLD_SITE}/.wh.upkg-1.0.dist-info" in members
    assert f"{OLD_SITE}/upkg/.wh.__init__.py" in members
    upkg = [p for p in derived.inventory.packages_of("pypi") if p.name == "upkg"]
    assert [(p.version, p.location) for p in upkg] == [("2.0", SITE)]


def test_a_conflict_fails_before_anything_is_pushed_naming_both_versions(iv, wheelhouse, base_uri):
    before = image_count(iv)
    with pytest.raises(SpecError) as err:
        iv.derive(request(wheelhouse, base_uri, "needsnew"))
    assert "upkg 2.0" in str(err.value) and "upkg 1.0" in str(err.value)
    assert "--allow-upgrade" in str(err.value)
    assert image_count(iv) == before


@pytest.mark.parametrize("wheel", ["macpkg", "py312pkg"])
def test_a_wheel_for_the_wrong_platform_or_python_is_refused_at_planning(
    iv, wheelhouse, base_uri, wheel
):
    before = image_count(iv)
    with pytest.raises(SpecError) as err:
        iv.derive(request(wheelhouse, base_uri, wheel))
    assert wheel in str(err.value)
    path = next(wheelhouse.glob(f"{wheel}-*.whl"))
    with pytest.raises(SpecError, match="does not run on the image"):
        iv.derive(request(wheelhouse, base_uri, str(path)))
    assert image_count(iv) == before


def test_the_same_derivation_twice_is_one_image_and_one_version(iv, wheelhouse, base_uri):
    iv.create_image("derived-img", role_arn="arn:aws:iam::000000000000:role/r")
    iv.register(ImageVersionSpec("derived-img", base_uri, ml_framework="PyTorch 2.3"))
    runs = []
    for _ in range(2):
        req = request(wheelhouse, None, "purepkg", register=True, new_alias="1.1.0")
        req.base_image, req.image_name, req.version = None, "derived-img", 1
        runs.append(iv.derive(req))
    first, second = runs
    assert first.pushed.digest == second.pushed.digest and second.pushed.existed
    assert second.pushed.bytes_uploaded == 0
    assert first.version.version == second.version.version == 2
    assert first.version.base_image == first.pushed.uri
    assert first.version.ml_framework == "PyTorch 2.3"
    assert "purepkg 1.0" in first.version.release_notes  # drafted from the diff
    assert [v.version for v in iv.history("derived-img")] == [2, 1]


def test_an_immutable_tag_held_by_another_image_is_a_clear_error(iv, wheelhouse):
    ecr = iv.endpoint.client("ecr")
    ecr.create_repository(repositoryName="team/frozen", imageTagMutability="IMMUTABLE")
    uri = push_base(iv, debian_like(), tag="base", repo="team/frozen")
    iv.derive(request(wheelhouse, uri, "purepkg", tag="v1"))
    iv.derive(request(wheelhouse, uri, "purepkg", tag="v1"))  # the same manifest: success
    with pytest.raises(Conflict, match="immutable"):
        iv.derive(request(wheelhouse, uri, "platpkg", tag="v1"))


def test_files_env_and_another_repository(iv, wheelhouse, base_uri, tmp_path):
    local = tmp_path / "run.sh"
    local.write_text("#!/bin/sh\necho hi\n")
    local.chmod(0o700)
    with pytest.raises(NotFound, match="team/other does not exist"):
        iv.derive(request(wheelhouse, base_uri, "purepkg", repository="team/other"))
    iv.endpoint.client("ecr").create_repository(repositoryName="team/other")
    result = iv.derive(
        request(
            wheelhouse,
            base_uri,
            files=[(str(local), "/opt/run.sh")],
            env=["MODE=fast"],
            repository="team/other",
        )
    )
    members, _, derived = layer_members(iv, result.pushed.uri)
    assert members["opt/run.sh"].mode == 0o755 and members["opt/run.sh"].uid == 0
    assert derived.config["config"]["Env"][-1] == "MODE=fast"
    # the base's layers were copied into team/other, with the new layer and config
    assert result.pushed.blobs_uploaded == 1 + len(derived.manifest.layers)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"tag": "bad tag"}, "tag"),
        ({"env": ["1X=y"]}, "env"),
        ({"files": [("/nonexistent", "/x")]}, "file"),
        ({"new_alias": "1.0.0"}, "alias"),
        ({"register": True}, "register"),
    ],
)
def test_bad_input_names_the_field(iv, wheelhouse, base_uri, changes, field):
    with pytest.raises(SpecError) as err:
        iv.derive(request(wheelhouse, base_uri, "purepkg", **changes))
    assert field in err.value.problems


def test_dry_run_pushes_nothing(iv, wheelhouse, base_uri):
    before = image_count(iv)
    result = iv.derive(request(wheelhouse, base_uri, "purepkg", dry_run=True))
    assert result.pushed is None and [p.name for p in result.plan.added] == ["purepkg"]
    assert image_count(iv) == before


def test_an_option_among_the_requirements_is_refused(iv, wheelhouse, base_uri):
    with pytest.raises(SpecError) as err:
        iv.derive(request(wheelhouse, base_uri, "--target=/tmp/x"))
    assert "take only the --index-url" in err.value.problems["pip"]
    assert "not '--target=/tmp/x'" in err.value.problems["pip"]
    text = f"--no-index\n--find-links {wheelhouse}\npurepkg  # wanted\n"
    req = DeriveRequest(tag="t", base_image=base_uri, requirements_text=text, dry_run=True)
    assert [p.name for p in iv.derive(req).plan.added] == ["purepkg"]


def test_a_docker_base_keeps_docker_media_types(iv, wheelhouse):
    ecr = iv.endpoint.client("ecr")
    push_image(ecr, "team/docker", "base", debian_like(), media="docker")
    uri = iv.endpoint.registry_uri("team/docker", "base")
    result = iv.derive(request(wheelhouse, uri, "purepkg"))
    image = ecr.batch_get_image(
        repositoryName="team/docker", imageIds=[{"imageDigest": result.pushed.digest}]
    )["images"][0]
    doc = json.loads(image["imageManifest"])
    assert image["imageManifestMediaType"] == doc["mediaType"]
    assert doc["mediaType"] == "application/vnd.docker.distribution.manifest.v2+json"
    assert doc["config"]["mediaType"] == "application/vnd.docker.container.image.v1+json"
    assert doc["layers"][-1]["mediaType"] == "application/vnd.docker.image.rootfs.diff.tar.gzip"


def test_new_doctor_errors_stop_before_registering_unless_forced(iv, wheelhouse, tmp_path):
    spec = passing_image()
    spec.layers.insert(0, debian_like().layers[0])  # python3.11 and libc6 under the Studio image
    ecr = iv.endpoint.client("ecr")
    push_image(ecr, "team/studio", "ok", spec)
    uri = iv.endpoint.registry_uri("team/studio", "ok")
    assert iv.doctor(uri).ok
    passwd = tmp_path / "passwd"
    passwd.write_text("root:x:0:0:root:/root:/bin/bash\n")  # sagemaker-user is gone
    req = request(wheelhouse, uri, files=[(str(passwd), "/etc/passwd")], tag="no-user")
    with pytest.raises(ImageCheckFailed) as err:
        iv.derive(req)
    assert "user-unresolved" in json.dumps(err.value.to_dict()["problems"])
    req.force = True
    assert iv.derive(req).new_errors[0].startswith("user-unresolved")


def test_the_local_endpoint_refuses_a_manifest_naming_a_missing_blob_as_ecr_does(iv, base_uri):
    ecr = iv.endpoint.client("ecr")
    image = ecr.batch_get_image(repositoryName=REPO, imageIds=[{"imageTag": "base"}])["images"][0]
    doc = json.loads(image["imageManifest"])
    doc["layers"].append(
        {"mediaType": doc["layers"][0]["mediaType"], "size": 1, "digest": "sha256:" + "0" * 64}
    )
    with pytest.raises(ecr.exceptions.LayersNotFoundException):
        ecr.put_image(repositoryName=REPO, imageTag="broken", imageManifest=json.dumps(doc))
