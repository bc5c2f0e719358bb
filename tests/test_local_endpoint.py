"""The embedded local SageMaker + ECR endpoint, driven by real boto3 clients (and the AWS CLI)."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from jupyter_image_versions.local import LOCAL_ACCOUNT, LOCAL_REGION, LocalEndpoint, Store

from .conftest import finish_creating

ROLE = "arn:aws:iam::000000000000:role/SageMakerImageRole"
REGISTRY = f"{LOCAL_ACCOUNT}.dkr.ecr.{LOCAL_REGION}.amazonaws.com"
NO_RETRY = Config(retries={"mode": "standard", "max_attempts": 1})
MANIFEST = json.dumps(
    {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "size": 7023,
            "digest": "sha256:" + "b" * 64,
        },
        "layers": [
            {
                "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                "size": 32654,
                "digest": "sha256:" + "c" * 64,
            }
        ],
    }
)


@pytest.fixture
def ep():
    endpoint = LocalEndpoint(create_delay=0.0)
    yield endpoint
    endpoint.close()


@pytest.fixture
def sm(ep):
    return ep.client("sagemaker", config=NO_RETRY)


@pytest.fixture
def seeded(ep, sm):
    """An image ``img`` with a base image in the local registry; returns its URI."""
    ep.put_ecr_image("team/pytorch", "2.3")
    sm.create_image(ImageName="img", RoleArn=ROLE)
    return ep.registry_uri("team/pytorch", "2.3")


def code_of(excinfo: pytest.ExceptionInfo[ClientError]) -> str:
    return excinfo.value.response["Error"]["Code"]


def raw(ep: LocalEndpoint, op: str, params: dict) -> tuple[int, dict]:
    """Send a request past boto3's client-side validation."""
    status, headers, body = ep.handle(f"SageMaker.{op}", json.dumps(params).encode())
    assert headers["Content-Type"] == "application/x-amz-json-1.1"
    return status, json.loads(body)


# ---------------------------------------------------------------- the whole flow


def run_flow(sm, ecr) -> None:
    """ECR push, image, three versions, aliases, delete: the project's core path."""
    repo = ecr.create_repository(repositoryName="team/pytorch")["repository"]
    assert repo["repositoryUri"] == f"{REGISTRY}/team/pytorch"
    pushed = ecr.put_image(repositoryName="team/pytorch", imageTag="2.3", imageManifest=MANIFEST)
    digest = pushed["image"]["imageId"]["imageDigest"]
    assert digest.startswith("sha256:") and len(digest) == 71
    base = f"{REGISTRY}/team/pytorch:2.3"

    arn = sm.create_image(ImageName="img", RoleArn=ROLE, DisplayName="My image")["ImageArn"]
    assert arn == f"arn:aws:sagemaker:{LOCAL_REGION}:{LOCAL_ACCOUNT}:image/img"
    image = sm.describe_image(ImageName="img")
    assert (image["ImageStatus"], image["DisplayName"], image["RoleArn"]) == (
        "CREATED",
        "My image",
        ROLE,
    )

    arns = [
        sm.create_image_version(
            ImageName="img",
            BaseImage=base,
            Aliases=[f"2.3.{n}"],
            MLFramework="PyTorch 2.3",
            ProgrammingLang="Python 3.11",
            Processor="GPU",
            JobType="TRAINING",
            Horovod=False,
            ReleaseNotes=f"release {n}",
            VendorGuidance="STABLE",
        )["ImageVersionArn"]
        for n in (1, 2, 3)
    ]
    assert [a.rsplit("/", 1)[1] for a in arns] == ["1", "2", "3"]
    assert arns[0] == f"arn:aws:sagemaker:{LOCAL_REGION}:{LOCAL_ACCOUNT}:image-version/img/1"

    listed = sm.list_image_versions(ImageName="img")["ImageVersions"]
    assert [v["Version"] for v in listed] == [3, 2, 1]  # newest first by default
    assert {v["ImageVersionStatus"] for v in listed} == {"CREATED"}
    ascending = sm.list_image_versions(ImageName="img", SortBy="VERSION", SortOrder="ASCENDING")
    assert [v["Version"] for v in ascending["ImageVersions"]] == [1, 2, 3]

    sm.update_image_version(ImageName="img", Version=3, AliasesToAdd=["latest"])
    sm.update_image_version(
        ImageName="img", Alias="2.3.2", AliasesToDelete=["2.3.2"], VendorGuidance="TO_BE_ARCHIVED"
    )
    latest = sm.describe_image_version(ImageName="img", Alias="latest")
    assert latest["Version"] == 3
    assert latest["ContainerImage"] == f"{REGISTRY}/team/pytorch@{digest}"
    assert latest["BaseImage"] == base
    assert (latest["MLFramework"], latest["Processor"], latest["ReleaseNotes"]) == (
        "PyTorch 2.3",
        "GPU",
        "release 3",
    )
    assert latest["Horovod"] is False
    assert sm.describe_image_version(ImageName="img", Version=2)["VendorGuidance"] == (
        "TO_BE_ARCHIVED"
    )
    assert sm.describe_image_version(ImageName="img")["Version"] == 3

    aliases = sm.list_aliases(ImageName="img")["SageMakerImageVersionAliases"]
    assert sorted(aliases) == ["2.3.1", "2.3.3", "latest"]
    assert sorted(sm.list_aliases(ImageName="img", Version=3)["SageMakerImageVersionAliases"]) == [
        "2.3.3",
        "latest",
    ]

    sm.delete_image_version(ImageName="img", Alias="latest")
    assert [v["Version"] for v in sm.list_image_versions(ImageName="img")["ImageVersions"]] == [
        2,
        1,
    ]
    assert sm.list_aliases(ImageName="img")["SageMakerImageVersionAliases"] == ["2.3.1"]
    # Version numbers keep counting up after a delete, as on AWS.
    again = sm.create_image_version(ImageName="img", BaseImage=base, Aliases=["latest"])
    assert again["ImageVersionArn"].endswith("/img/4")


def test_flow_in_process(ep):
    before = ep.request_count
    run_flow(ep.client("sagemaker", config=NO_RETRY), ep.client("ecr", config=NO_RETRY))
    assert ep.request_count > before


def test_flow_over_http(ep):
    server = ep.serve_http(port=0)
    try:
        assert server.url == f"http://127.0.0.1:{server.port}"
        session = boto3.session.Session(
            aws_access_key_id="x", aws_secret_access_key="x", region_name=LOCAL_REGION
        )
        sm, ecr = (
            session.client(name, endpoint_url=server.url, config=NO_RETRY)
            for name in ("sagemaker", "ecr")
        )
        run_flow(sm, ecr)
        with urllib.request.urlopen(server.url, timeout=5) as response:
            assert json.loads(response.read())["status"] == "ok"
        with pytest.raises(ClientError) as excinfo:
            sm.describe_image(ImageName="missing")
        assert code_of(excinfo) == "ResourceNotFound"
    finally:
        server.shutdown()


# ---------------------------------------------------------------- statuses


def test_creating_becomes_created_after_the_delay(ep, sm, seeded):
    ep.create_delay = 3  # long enough to observe CREATING on a loaded machine
    sm.create_image_version(ImageName="img", BaseImage=seeded)
    first = sm.describe_image_version(ImageName="img", Version=1)
    assert first["ImageVersionStatus"] == "CREATING"
    assert "ContainerImage" not in first
    finish_creating(ep)  # as if the 3 s had passed
    done = sm.describe_image_version(ImageName="img", Version=1)
    assert done["ImageVersionStatus"] == "CREATED"
    assert done["ContainerImage"].startswith(f"{REGISTRY}/team/pytorch@sha256:")
    assert done["LastModifiedTime"] > first["LastModifiedTime"]


def test_base_image_missing_from_registry_fails_with_a_reason(ep, sm, seeded):
    missing = ep.registry_uri("team/pytorch", "9.9")
    sm.create_image_version(ImageName="img", BaseImage=missing)
    described = sm.describe_image_version(ImageName="img", Version=1)
    assert described["ImageVersionStatus"] == "CREATE_FAILED"
    assert missing in described["FailureReason"]
    assert "does not exist" in described["FailureReason"]
    summary = sm.list_image_versions(ImageName="img")["ImageVersions"][0]
    assert summary["FailureReason"] == described["FailureReason"]
    # Another account's registry is not the local one; digests resolve too.
    sm.create_image_version(
        ImageName="img", BaseImage="123456789012.dkr.ecr.us-east-1.amazonaws.com/team/pytorch:2.3"
    )
    assert sm.describe_image_version(ImageName="img")["ImageVersionStatus"] == "CREATE_FAILED"
    digest = ep.put_ecr_image("team/pytorch", "2.3")
    sm.create_image_version(ImageName="img", BaseImage=f"{REGISTRY}/team/pytorch@{digest}")
    assert sm.describe_image_version(ImageName="img")["ImageVersionStatus"] == "CREATED"


def test_client_token_makes_create_idempotent(ep, sm, seeded):
    first = sm.create_image_version(ImageName="img", BaseImage=seeded, ClientToken="token-1")
    again = sm.create_image_version(ImageName="img", BaseImage=seeded, ClientToken="token-1")
    other = sm.create_image_version(ImageName="img", BaseImage=seeded, ClientToken="token-2")
    assert first["ImageVersionArn"] == again["ImageVersionArn"]
    assert other["ImageVersionArn"].endswith("/2")
    assert len(sm.list_image_versions(ImageName="img")["ImageVersions"]) == 2


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"MLFramework": "pytorch"},
            "1 validation error detected: Value 'pytorch' at 'mLFramework' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: "
            r"^[a-zA-Z]+ ?\d+\.\d+(\.\d+)?$",
        ),
        (
            {"ImageName": "x" * 64},
            "Value '" + "x" * 64 + "' at 'imageName' failed to satisfy constraint: "
            "Member must have length less than or equal to 63",
        ),
        (
            {"Processor": "TPU"},
            "Value 'TPU' at 'processor' failed to satisfy constraint: "
            "Member must satisfy enum value set: [CPU, GPU]",
        ),
        (
            {"ReleaseNotes": "n" * 256},
            "Member must have length less than or equal to 255",
        ),
        (
            {"Aliases": ["ok", "-bad"]},
            "Value '-bad' at 'aliases.2.member' failed to satisfy constraint",
        ),
        (
            {"BaseImage": None},
            "Value null at 'baseImage' failed to satisfy constraint: Member must not be null",
        ),
        ({"Horovod": "yes"}, "at 'horovod' failed to satisfy constraint"),
        ({"ClientToken": "not valid!"}, "at 'clientToken' failed to satisfy constraint"),
    ],
)
def test_bad_input_is_a_validation_exception(ep, seeded, params, expected):
    request = {"ImageName": "img", "BaseImage": seeded, "ClientToken": "t1", **params}
    status, body = raw(ep, "CreateImageVersion", {k: v for k, v in request.items()})
    assert status == 400
    assert body["__type"] == "ValidationException"
    assert expected in body["message"]
    assert raw(ep, "ListImageVersions", {"ImageName": "img"})[1]["ImageVersions"] == []


def test_several_problems_are_counted(ep):
    status, body = raw(ep, "ListImageVersions", {"ImageName": "-", "MaxResults": 101})
    assert status == 400
    assert body["message"].startswith("2 validation errors detected: ")
    assert "Member must have value less than or equal to 100" in body["message"]


def test_error_codes(ep, sm, seeded):
    with pytest.raises(ClientError) as excinfo:
        sm.create_image(ImageName="img", RoleArn=ROLE)
    assert code_of(excinfo) == "ResourceInUse"
    for call in (
        lambda: sm.describe_image(ImageName="nope"),
        lambda: sm.list_image_versions(ImageName="nope"),
        lambda: sm.create_image_version(ImageName="nope", BaseImage=seeded),
        lambda: sm.describe_image_version(ImageName="img"),
        lambda: sm.describe_image_version(ImageName="img", Version=7),
        lambda: sm.describe_image_version(ImageName="img", Alias="nope"),
        lambda: sm.delete_image_version(ImageName="img", Version=1),
    ):
        with pytest.raises(ClientError) as excinfo:
            call()
        assert code_of(excinfo) == "ResourceNotFound"

    sm.create_image_version(ImageName="img", BaseImage=seeded, Aliases=["latest"])
    sm.create_image_version(ImageName="img", BaseImage=seeded)
    with pytest.raises(ClientError) as excinfo:  # an alias names one version
        sm.create_image_version(ImageName="img", BaseImage=seeded, Aliases=["latest"])
    assert code_of(excinfo) == "ValidationException"
    with pytest.raises(ClientError) as excinfo:
        sm.update_image_version(ImageName="img", Version=2, AliasesToAdd=["latest"])
    assert code_of(excinfo) == "ValidationException"
    assert "version 1" in excinfo.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as excinfo:
        sm.update_image_version(ImageName="img", Version=2, AliasesToDelete=["latest"])
    assert code_of(excinfo) == "ResourceNotFound"
    assert len(sm.list_image_versions(ImageName="img")["ImageVersions"]) == 2  # nothing made

    status, _, body = ep.handle("SageMaker.CreateTrainingJob", b"{}")
    assert (status, json.loads(body)["__type"]) == (400, "UnknownOperationException")
    status, _, body = ep.handle("SageMaker.ListImages", b"{not json")
    assert (status, json.loads(body)["__type"]) == (400, "SerializationException")


def test_delete_image_deletes_its_versions(ep, sm, seeded):
    sm.create_image_version(ImageName="img", BaseImage=seeded, Aliases=["latest"])
    sm.update_image(ImageName="img", Description="described")
    assert sm.describe_image(ImageName="img")["Description"] == "described"
    sm.delete_image(ImageName="img")
    assert sm.list_images()["Images"] == []
    sm.create_image(ImageName="img", RoleArn=ROLE)
    assert sm.list_image_versions(ImageName="img")["ImageVersions"] == []
    assert sm.list_aliases(ImageName="img")["SageMakerImageVersionAliases"] == []


# ---------------------------------------------------------------- paging


def test_paging_over_25_versions(ep, sm, seeded):
    for _ in range(25):
        sm.create_image_version(ImageName="img", BaseImage=seeded)
    pages, token = [], None
    while True:
        kwargs = {"NextToken": token} if token else {}
        page = sm.list_image_versions(ImageName="img", MaxResults=10, **kwargs)
        pages.append([v["Version"] for v in page["ImageVersions"]])
        token = page.get("NextToken")
        if not token:
            break
    assert [len(p) for p in pages] == [10, 10, 5]
    assert [v for page in pages for v in page] == list(range(25, 0, -1))
    paginator = sm.get_paginator("list_image_versions")
    versions = [
        v["Version"]
        for page in paginator.paginate(ImageName="img", PaginationConfig={"PageSize": 10})
        for v in page["ImageVersions"]
    ]
    assert sorted(versions) == list(range(1, 26))
    status, body = raw(ep, "ListImageVersions", {"ImageName": "img", "NextToken": "garbage"})
    assert (status, body["__type"]) == (400, "ValidationException")


def test_time_filters_and_image_listing(ep, sm, seeded):
    sm.create_image_version(ImageName="img", BaseImage=seeded)
    cut = time.time()
    time.sleep(0.01)
    sm.create_image_version(ImageName="img", BaseImage=seeded)
    after = sm.list_image_versions(ImageName="img", CreationTimeAfter=cut)["ImageVersions"]
    before = sm.list_image_versions(ImageName="img", CreationTimeBefore=cut)["ImageVersions"]
    assert ([v["Version"] for v in after], [v["Version"] for v in before]) == ([2], [1])
    sm.create_image(ImageName="other-image", RoleArn=ROLE)
    names = [i["ImageName"] for i in sm.list_images(SortBy="IMAGE_NAME")["Images"]]
    assert names == ["other-image", "img"]
    assert [i["ImageName"] for i in sm.list_images(NameContains="other")["Images"]] == [
        "other-image"
    ]


# ---------------------------------------------------------------- ECR


def test_ecr_tags_move_and_images_describe(ep):
    ecr = ep.client("ecr", config=NO_RETRY)
    ecr.create_repository(repositoryName="team/base")
    with pytest.raises(ClientError) as excinfo:
        ecr.create_repository(repositoryName="team/base")
    assert code_of(excinfo) == "RepositoryAlreadyExistsException"
    first = ep.put_ecr_image("team/base", "1.0")
    second = ecr.put_image(repositoryName="team/base", imageTag="1.0", imageManifest=MANIFEST)
    moved = second["image"]["imageId"]["imageDigest"]
    assert moved != first
    with pytest.raises(ClientError) as excinfo:
        ecr.put_image(repositoryName="team/base", imageTag="1.0", imageManifest=MANIFEST)
    assert code_of(excinfo) == "ImageAlreadyExistsException"

    details = ecr.describe_images(repositoryName="team/base")["imageDetails"]
    by_digest = {d["imageDigest"]: d for d in details}
    assert by_digest[moved]["imageTags"] == ["1.0"]
    assert "imageTags" not in by_digest[first]  # the tag moved away
    assert by_digest[moved]["imageSizeInBytes"] == 32654
    tagged = ecr.describe_images(repositoryName="team/base", imageIds=[{"imageTag": "1.0"}])
    assert tagged["imageDetails"][0]["imageDigest"] == moved
    with pytest.raises(ClientError) as excinfo:
        ecr.describe_images(repositoryName="team/base", imageIds=[{"imageTag": "nope"}])
    assert code_of(excinfo) == "ImageNotFoundException"

    got = ecr.batch_get_image(
        repositoryName="team/base", imageIds=[{"imageTag": "1.0"}, {"imageTag": "nope"}]
    )
    assert got["images"][0]["imageManifest"] == MANIFEST
    assert got["failures"][0]["failureCode"] == "ImageNotFound"
    repos = ecr.describe_repositories()["repositories"]
    assert [r["repositoryName"] for r in repos] == ["team/base"]
    with pytest.raises(ClientError) as excinfo:
        ecr.describe_repositories(repositoryNames=["missing"])
    assert code_of(excinfo) == "RepositoryNotFoundException"
    status, _, body = ep.handle(
        "AmazonEC2ContainerRegistry_V20150921.CreateRepository",
        json.dumps({"repositoryName": "Bad Name"}).encode(),
    )
    assert (status, json.loads(body)["__type"]) == (400, "InvalidParameterException")


# ---------------------------------------------------------------- fault injection


def test_throttling_and_server_errors(ep, sm):
    ep.set_faults(throttle_rate=1.0)
    with pytest.raises(ClientError) as excinfo:
        sm.list_images()
    assert code_of(excinfo) == "ThrottlingException"
    assert excinfo.value.response["Error"]["Message"] == "Rate exceeded"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400

    ep.set_faults(throttle_rate=0.0, error_rate=1.0)
    status, _, body = ep.handle("SageMaker.ListImages", b"{}")
    assert (status, json.loads(body)["__type"]) == (500, "InternalFailure")

    ep.set_faults(error_rate=0.0, latency_ms=50)
    started = time.monotonic()
    sm.list_images()
    assert time.monotonic() - started >= 0.05


def test_botocore_retries_a_throttled_request():
    # With this seed the first request is throttled and the retry is not.
    endpoint = LocalEndpoint(throttle_rate=0.5, seed=1)
    try:
        sm = endpoint.client("sagemaker", config=Config(retries={"max_attempts": 3}))
        response = sm.list_images()
        assert response["ResponseMetadata"]["RetryAttempts"] == 1
        assert endpoint.request_count == 2
    finally:
        endpoint.close()


# ---------------------------------------------------------------- many processes


def _create_versions(path: str, count: int, start, results) -> None:
    endpoint = LocalEndpoint(path, latency_ms=2)  # the latency interleaves the two writers
    sm = endpoint.client("sagemaker", config=NO_RETRY)  # a retry would hide a failed write
    base = LocalEndpoint.registry_uri("team/pytorch", "2.3")
    start.wait(30)  # both processes are up: create at the same time
    for _ in range(count):
        arn = sm.create_image_version(ImageName="shared", BaseImage=base)["ImageVersionArn"]
        results.put(int(arn.rsplit("/", 1)[1]))
    endpoint.close()


def test_two_processes_share_one_database(tmp_path):
    path = str(tmp_path / "state.db")
    ep = LocalEndpoint(path, create_delay=0.0)
    ep.put_ecr_image("team/pytorch", "2.3")
    ep.client("sagemaker").create_image(ImageName="shared", RoleArn=ROLE)

    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(2), context.Queue()
    workers = [
        context.Process(target=_create_versions, args=(path, 10, start, results)) for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    returned = sorted(results.get(timeout=60) for _ in range(20))
    for worker in workers:
        worker.join(60)
    assert [w.exitcode for w in workers] == [0, 0]
    assert returned == list(range(1, 21))  # each ARN names a version of its own

    paginator = ep.client("sagemaker").get_paginator("list_image_versions")
    versions = [
        v["Version"]
        for page in paginator.paginate(ImageName="shared", SortBy="VERSION")
        for v in page["ImageVersions"]
    ]
    assert sorted(versions) == list(range(1, 21))
    ep.close()


# ---------------------------------------------------------------- the AWS CLI


AWS_CLI = shutil.which("aws", path=str(Path(sys.executable).parent))


@pytest.mark.skipif(AWS_CLI is None, reason="the AWS CLI is not installed in this environment")
def test_aws_cli_over_http(ep, tmp_path):
    server = ep.serve_http(port=0)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID="x",
        AWS_SECRET_ACCESS_KEY="x",
        AWS_DEFAULT_REGION=LOCAL_REGION,
        AWS_CONFIG_FILE=str(tmp_path / "config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "credentials"),
        AWS_EC2_METADATA_DISABLED="true",
    )

    def aws(*args: str) -> dict:
        done = subprocess.run(
            [AWS_CLI, "--endpoint-url", server.url, "--output", "json", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout) if done.stdout.strip() else {}

    try:
        aws("ecr", "create-repository", "--repository-name", "team/pytorch")
        aws(
            "ecr",
            "put-image",
            "--repository-name",
            "team/pytorch",
            "--image-tag",
            "2.3",
            "--image-manifest",
            MANIFEST,
        )
        aws("sagemaker", "create-image", "--image-name", "img", "--role-arn", ROLE)
        created = aws(
            "sagemaker",
            "create-image-version",
            "--image-name",
            "img",
            "--base-image",
            f"{REGISTRY}/team/pytorch:2.3",
            "--aliases",
            "latest",
        )
        assert created["ImageVersionArn"].endswith("/img/1")
        listed = aws("sagemaker", "list-image-versions", "--image-name", "img")
        assert [v["Version"] for v in listed["ImageVersions"]] == [1]
        assert listed["ImageVersions"][0]["ImageVersionStatus"] == "CREATED"
    finally:
        server.shutdown()


@pytest.mark.parametrize("where", ["memory", "file"])
def test_threads_share_one_state(tmp_path, where):
    path = ":memory:" if where == "memory" else str(tmp_path / "threads.db")
    endpoint = LocalEndpoint(path, create_delay=0.0)
    endpoint.put_ecr_image("team/pytorch", "2.3")
    sm = endpoint.client("sagemaker", config=NO_RETRY)
    sm.create_image(ImageName="img", RoleArn=ROLE)
    base = endpoint.registry_uri("team/pytorch", "2.3")
    with ThreadPoolExecutor(8) as pool:
        arns = list(
            pool.map(lambda _: sm.create_image_version(ImageName="img", BaseImage=base), range(24))
        )
    assert sorted(int(a["ImageVersionArn"].rsplit("/", 1)[1]) for a in arns) == list(range(1, 25))
    endpoint.close()


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_main_http_serves_until_interrupted(tmp_path, stop):
    db = tmp_path / "served.db"
    # A shell's background job (`bash scripts/test.sh &`) starts with SIGINT ignored, and the
    # child would inherit that: it restores Ctrl-C's handler, as a foreground process has it.
    code = (
        "import signal; signal.signal(signal.SIGINT, signal.default_int_handler);"
        "from jupyter_image_versions.local import main_http;"
        f"main_http('127.0.0.1', 0, {str(db)!r}, create_delay=0)"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # no terminal's signals reach it; only the test's own
    )
    try:
        line = proc.stdout.readline().strip()
        assert line.startswith("Local SageMaker endpoint on http://127.0.0.1:")
        assert line.endswith(f"(db: {db})")
        url = line.split(" on ", 1)[1].split(" ", 1)[0]
        session = boto3.session.Session(
            aws_access_key_id="x", aws_secret_access_key="x", region_name=LOCAL_REGION
        )
        sm = session.client("sagemaker", endpoint_url=url, config=NO_RETRY)
        sm.create_image(ImageName="img", RoleArn=ROLE)
        # The state is in the file: another endpoint on it sees the image.
        with LocalEndpoint(str(db)) as other:
            assert other.client("sagemaker").describe_image(ImageName="img")["ImageName"] == "img"
    finally:
        proc.send_signal(stop)
        try:
            proc.wait(120)  # generous: the machine may be busy with other tests
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    err = proc.stderr.read()
    assert proc.returncode == 0, err
    assert "Stopped." in err


def test_write_transactions_take_the_lock_up_front(tmp_path):
    """A second writer (another process's Store) waits at BEGIN, before reading anything."""
    path = str(tmp_path / "lock.db")
    first, second = Store(path), Store(path)
    entered = []

    def writer() -> None:
        with second.transaction(write=True):
            entered.append(time.monotonic())

    with first.transaction(write=True):
        thread = threading.Thread(target=writer)
        thread.start()
        time.sleep(0.2)
        released = time.monotonic()
    thread.join(10)
    assert entered and entered[0] >= released
    first.close()
    second.close()
