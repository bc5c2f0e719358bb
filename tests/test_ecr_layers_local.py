"""The local endpoint's ECR layer operations, through real boto3 clients (in-process and HTTP)."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request

import pytest
from botocore.exceptions import ClientError

from jupyter_image_versions.local import LocalEndpoint
from jupyter_image_versions.local.image_push import (
    PART_SIZE,
    push_image,
    sha256,
    upload_blob,
)
from jupyter_image_versions.local.sample_images import passing_image

REPO = "team/layers"


@pytest.fixture
def ep():
    endpoint = LocalEndpoint(":memory:")
    endpoint.client("ecr").create_repository(repositoryName=REPO)
    yield endpoint
    endpoint.close()


@pytest.fixture
def ecr(ep):
    return ep.client("ecr")


def code(exc_info) -> str:
    return exc_info.value.response["Error"]["Code"]


def test_multipart_upload_over_5_mib_round_trips(ecr):
    data = bytes(range(256)) * (23 * 1024)  # 5.75 MiB: two parts
    assert len(data) > PART_SIZE
    digest = upload_blob(ecr, REPO, data)
    assert digest == sha256(data)
    check = ecr.batch_check_layer_availability(repositoryName=REPO, layerDigests=[digest])
    assert check["layers"][0]["layerSize"] == len(data)
    assert check["layers"][0]["layerAvailability"] == "AVAILABLE"
    # uploaded but no image references it yet: ECR refuses a download URL
    with pytest.raises(ClientError) as err:
        ecr.get_download_url_for_layer(repositoryName=REPO, layerDigest=digest)
    assert code(err) == "LayerInaccessibleException"
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": digest,
            "size": len(data),
        },
        "layers": [],
    }
    ecr.put_image(repositoryName=REPO, imageTag="t", imageManifest=json.dumps(manifest))
    url = ecr.get_download_url_for_layer(repositoryName=REPO, layerDigest=digest)["downloadUrl"]
    assert url.startswith("http://127.0.0.1:")
    with urllib.request.urlopen(url) as response:
        assert response.read() == data


def test_parts_must_be_consecutive(ecr):
    upload = ecr.initiate_layer_upload(repositoryName=REPO)["uploadId"]
    ecr.upload_layer_part(
        repositoryName=REPO, uploadId=upload, partFirstByte=0, partLastByte=2, layerPartBlob=b"abc"
    )
    with pytest.raises(ClientError) as err:  # a gap
        ecr.upload_layer_part(
            repositoryName=REPO,
            uploadId=upload,
            partFirstByte=4,
            partLastByte=6,
            layerPartBlob=b"def",
        )
    assert code(err) == "InvalidLayerPartException"
    with pytest.raises(ClientError) as err:  # last byte not first + size - 1
        ecr.upload_layer_part(
            repositoryName=REPO,
            uploadId=upload,
            partFirstByte=3,
            partLastByte=9,
            layerPartBlob=b"def",
        )
    assert code(err) == "InvalidLayerPartException"
    out = ecr.upload_layer_part(
        repositoryName=REPO, uploadId=upload, partFirstByte=3, partLastByte=5, layerPartBlob=b"def"
    )
    assert out["lastByteReceived"] == 5
    with pytest.raises(ClientError) as err:
        ecr.complete_layer_upload(
            repositoryName=REPO, uploadId=upload, layerDigests=[sha256(b"abcdeX")]
        )
    assert code(err) == "LayerPartTooSmallException"  # the first part is under 5 MiB


def test_complete_checks_the_digest_and_emptiness(ecr):
    upload = ecr.initiate_layer_upload(repositoryName=REPO)["uploadId"]
    with pytest.raises(ClientError) as err:
        ecr.complete_layer_upload(repositoryName=REPO, uploadId=upload, layerDigests=[sha256(b"x")])
    assert code(err) == "EmptyUploadException"
    ecr.upload_layer_part(
        repositoryName=REPO,
        uploadId=upload,
        partFirstByte=0,
        partLastByte=4,
        layerPartBlob=b"hello",
    )
    with pytest.raises(ClientError) as err:
        ecr.complete_layer_upload(
            repositoryName=REPO, uploadId=upload, layerDigests=[sha256(b"other")]
        )
    assert code(err) == "InvalidLayerException"
    out = ecr.complete_layer_upload(
        repositoryName=REPO, uploadId=upload, layerDigests=[sha256(b"hello")]
    )
    assert out["layerDigest"] == sha256(b"hello")
    with pytest.raises(ClientError) as err:  # the upload is finished
        ecr.upload_layer_part(
            repositoryName=REPO,
            uploadId=upload,
            partFirstByte=5,
            partLastByte=5,
            layerPartBlob=b"!",
        )
    assert code(err) == "UploadNotFoundException"
    again = ecr.initiate_layer_upload(repositoryName=REPO)["uploadId"]
    ecr.upload_layer_part(
        repositoryName=REPO, uploadId=again, partFirstByte=0, partLastByte=4, layerPartBlob=b"hello"
    )
    with pytest.raises(ClientError) as err:
        ecr.complete_layer_upload(
            repositoryName=REPO, uploadId=again, layerDigests=[sha256(b"hello")]
        )
    assert code(err) == "LayerAlreadyExistsException"


def test_availability_failures_and_unknown_layers(ecr):
    missing = sha256(b"never uploaded")
    out = ecr.batch_check_layer_availability(
        repositoryName=REPO, layerDigests=[missing, "sha256:zz"]
    )
    assert [f["failureCode"] for f in out["failures"]] == [
        "MissingLayerDigest",
        "InvalidLayerDigest",
    ]
    with pytest.raises(ClientError) as err:
        ecr.get_download_url_for_layer(repositoryName=REPO, layerDigest=missing)
    assert code(err) == "LayersNotFoundException"
    with pytest.raises(ClientError) as err:
        ecr.initiate_layer_upload(repositoryName="no-such-repo")
    assert code(err) == "RepositoryNotFoundException"


def test_manifest_without_uploaded_blobs_is_still_accepted(ep, ecr):
    digest = ep.put_ecr_image(REPO, "seeded")  # the generated manifest names absent blobs
    got = ecr.batch_get_image(repositoryName=REPO, imageIds=[{"imageTag": "seeded"}])
    assert got["images"][0]["imageId"]["imageDigest"] == digest


def test_download_urls_expire_and_are_signed(ep, ecr):
    digest = push_image(ecr, REPO, "ok", passing_image())
    manifest = json.loads(
        ecr.batch_get_image(repositoryName=REPO, imageIds=[{"imageDigest": digest}])["images"][0][
            "imageManifest"
        ]
    )
    layer = manifest["layers"][0]["digest"]
    ep.handler.layers.expire_next_urls(1)
    expired = ecr.get_download_url_for_layer(repositoryName=REPO, layerDigest=layer)
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(expired["downloadUrl"])
    assert err.value.code == 403
    fresh = ecr.get_download_url_for_layer(repositoryName=REPO, layerDigest=layer)["downloadUrl"]
    forged = fresh.replace("signature=", "signature=0")
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(forged)
    assert err.value.code == 403
    with urllib.request.urlopen(fresh) as response:
        assert sha256(response.read()) == layer


def test_layer_operations_over_http(tmp_path):
    endpoint = LocalEndpoint(str(tmp_path / "db.sqlite"))
    server = endpoint.serve_http()
    try:
        import boto3

        ecr = boto3.client(
            "ecr",
            endpoint_url=server.url,
            region_name="us-east-1",
            aws_access_key_id="x",
            aws_secret_access_key="x",
        )
        digest = push_image(ecr, "web/img", "v1", passing_image(), media="docker")
        doc = json.loads(
            ecr.batch_get_image(repositoryName="web/img", imageIds=[{"imageDigest": digest}])[
                "images"
            ][0]["imageManifest"]
        )
        url = ecr.get_download_url_for_layer(
            repositoryName="web/img", layerDigest=doc["config"]["digest"]
        )["downloadUrl"]
        with urllib.request.urlopen(url) as response:
            assert json.loads(response.read())["architecture"] == "amd64"
    finally:
        server.shutdown()
        endpoint.close()


def test_part_blob_is_base64_on_the_wire(ep):
    status, _, body = ep.handle(
        "AmazonEC2ContainerRegistry_V20150921.UploadLayerPart",
        json.dumps(
            {
                "repositoryName": REPO,
                "uploadId": "00000000-0000-0000-0000-000000000000",
                "partFirstByte": 0,
                "partLastByte": 0,
                "layerPartBlob": base64.b64encode(b"x").decode(),
            }
        ).encode(),
    )
    assert status == 400 and json.loads(body)["__type"] == "UploadNotFoundException"


def test_download_urls_answer_range_requests(ep, ecr):
    digest = push_image(ecr, REPO, "r", passing_image())
    layer = json.loads(
        ecr.batch_get_image(repositoryName=REPO, imageIds=[{"imageDigest": digest}])["images"][0][
            "imageManifest"
        ]
    )["layers"][0]["digest"]
    url = ecr.get_download_url_for_layer(repositoryName=REPO, layerDigest=layer)["downloadUrl"]
    with urllib.request.urlopen(url) as response:
        whole = response.read()
    ranged = urllib.request.Request(url, headers={"Range": "bytes=10-19"})
    with urllib.request.urlopen(ranged) as response:
        assert response.status == 206
        assert response.headers["Content-Range"] == f"bytes 10-19/{len(whole)}"
        assert response.read() == whole[10:20]
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Range": "bytes=5-"})) as r:
        assert r.read() == whole[5:]
    past = urllib.request.Request(url, headers={"Range": f"bytes={len(whole)}-"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(past)
    assert err.value.code == 416
