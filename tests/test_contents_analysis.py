"""diff, find, drafted notes, suggestions and the SBOM over inventories built in the test."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_image_versions.contents.diff import diff_inventories
from jupyter_image_versions.contents.find import match_inventory, parse_requirements
from jupyter_image_versions.contents.model import Inventory, OsRelease, Package, PythonInterpreter
from jupyter_image_versions.contents.notes import (
    MINUS,
    draft_notes,
    note_items,
    release_notes_limit,
    suggest_metadata,
)
from jupyter_image_versions.contents.sbom import sbom_json
from jupyter_image_versions.contents.versions import change_kind, compare_deb
from jupyter_image_versions.core import awsmodel
from jupyter_image_versions.core.errors import SpecError

SITE = "/opt/conda/lib/python3.11/site-packages"
URI = "123456789012.dkr.ecr.us-east-1.amazonaws.com/ml-platform/pytorch:2.3-gpu"
STATUS = "/var/lib/dpkg/status"


def pypi(name: str, version: str, site: str = SITE) -> Package:
    return Package("pypi", name, version, site, "pip")


def deb(name: str, version: str) -> Package:
    return Package("deb", name, version, STATUS, arch="amd64")


def conda(name: str, version: str) -> Package:
    return Package("conda", name, version, "/opt/conda", "", "", "h1_0", "conda-forge", "linux-64")


def inventory(
    *packages: Package, python="3.11.9", cuda="12.1.1", os_version="22.04", layers=("a", "b")
):
    interpreters = (PythonInterpreter("/opt/conda/bin/python3.11", python, True, (SITE,)),)
    return Inventory(
        digest="sha256:" + "1" * 64,
        uri=URI,
        os=OsRelease("ubuntu", os_version, f"Ubuntu {os_version} LTS"),
        architecture="amd64",
        python=interpreters if python else (),
        packages=packages,
        cuda=cuda,
        size_compressed=1_000,
        size_uncompressed=3_000,
        layer_digests=tuple(f"sha256:{x}" for x in layers),
        bytes_read=10,
    )


OLD = inventory(
    pypi("torch", "2.2.1"),
    pypi("numpy", "1.26.4"),
    pypi("tensorboard", "2.16.2"),
    pypi("requests", "2.31.0"),
    pypi("pandas", "2.2.1"),
    deb("libc6", "2.35-0ubuntu3.7"),
    deb("openssl", "3.0.2-0ubuntu1.15"),
    conda("python", "3.11.9"),
)
NEW = inventory(
    pypi("torch", "2.3.0"),
    pypi("numpy", "2.0.0"),
    pypi("lightning", "2.2.0"),
    pypi("Requests", "2.32.3"),
    pypi("pandas", "2.2.1.post1"),
    deb("libc6", "2.35-0ubuntu3.8"),
    deb("openssl", "3.0.2-0ubuntu1.10"),
    conda("python", "3.11.9"),
    cuda="12.4.1",
    layers=("a", "c"),
)


# -- versions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "order"),
    [
        ("1.0~rc1", "1.0", -1),
        ("1:1.0", "2.0", 1),
        ("2.35-0ubuntu3.7", "2.35-0ubuntu3.10", -1),  # PEP 440 cannot read these
        ("1.0.1", "1.0a", 1),  # '.' sorts after letters in dpkg
        ("1.0+b1", "1.0", 1),
        ("1.001", "1.1", 0),
        ("1~~", "1~", -1),
    ],
)
def test_debian_versions_order_as_dpkg(a, b, order):
    assert compare_deb(a, b) == order
    assert compare_deb(b, a) == -order


DEB_VERSION = st.from_regex(r"([0-9]:)?[0-9][0-9a-z.+~]{0,6}(-[0-9a-z.+~]{1,5})?", fullmatch=True)


@pytest.mark.skipif(shutil.which("dpkg") is None, reason="needs dpkg to compare with")
@settings(max_examples=60, deadline=None)
@given(DEB_VERSION, DEB_VERSION)
def test_debian_order_is_dpkgs_on_random_versions(a, b):
    def dpkg(op: str) -> bool:
        return subprocess.run(["dpkg", "--compare-versions", a, op, b]).returncode == 0

    expected = -1 if dpkg("lt") else (0 if dpkg("eq") else 1)
    assert compare_deb(a, b) == expected


@pytest.mark.parametrize(
    ("ecosystem", "old", "new", "kind"),
    [
        ("pypi", "1.26.4", "2.0.0", "major"),
        ("pypi", "2.2.1", "2.3.0", "minor"),
        ("pypi", "2.31.0", "2.31.1", "patch"),
        ("pypi", "2.2.1", "2.2.1.post1", "other"),
        ("pypi", "2.3.0", "2.3.0+cu121", "other"),
        ("deb", "2.35-0ubuntu3.7", "2.35-0ubuntu3.8", "other"),  # only the Debian revision
        ("deb", "1:8.9p1-3", "1:9.0p1-1", "major"),
    ],
)
def test_change_kinds(ecosystem, old, new, kind):
    assert change_kind(ecosystem, old, new) == kind


# -- diff --------------------------------------------------------------------------------------


def test_diff_per_ecosystem_sorted_most_significant_first():
    diff = diff_inventories(OLD, NEW, "img:1", "img:2")
    data = diff.to_dict()
    assert data["a"] == {"target": "img:1", "digest": OLD.digest, "layers": 2}
    changed = [(c["ecosystem"], c["name"], c["from"], c["to"], c["kind"]) for c in data["changed"]]
    assert changed == [
        ("pypi", "torch", "2.2.1", "2.3.0", "minor"),  # a framework's move comes first
        ("pypi", "numpy", "1.26.4", "2.0.0", "major"),
        ("pypi", "Requests", "2.31.0", "2.32.3", "minor"),  # names compared as PEP 503
        ("pypi", "pandas", "2.2.1", "2.2.1.post1", "other"),
        ("deb", "libc6", "2.35-0ubuntu3.7", "2.35-0ubuntu3.8", "other"),
        ("deb", "openssl", "3.0.2-0ubuntu1.15", "3.0.2-0ubuntu1.10", "other"),
    ]
    downgrades = {c["name"]: c["downgrade"] for c in data["changed"]}
    assert downgrades["openssl"] is True and downgrades["libc6"] is False  # dpkg's order
    assert [p["name"] for p in data["added"]] == ["lightning"]
    assert [p["name"] for p in data["removed"]] == ["tensorboard"]
    assert data["cuda"] == {"from": "12.1.1", "to": "12.4.1", "kind": "minor"}
    assert data["os"] is None and data["python"] is None
    assert data["layers_shared"] == 1 and data["bytes_read"] == 20
    assert data["size"]["change"] == {"compressed": 0, "uncompressed": 0}
    json.dumps(data)  # the JSON shape is plain JSON


def test_diff_of_the_os_and_python_and_of_identical_images():
    old = inventory(python="3.10.14", os_version="20.04")
    diff = diff_inventories(old, inventory(python="3.11.9")).to_dict()
    assert diff["python"] == {"from": "3.10.14", "to": "3.11.9", "kind": "minor"}
    assert diff["os"]["from"]["version_id"] == "20.04" and diff["os"]["kind"] == "major"
    same = diff_inventories(OLD, OLD)
    assert same.empty and not same.changed and same.layers_shared == 2


# -- find --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("requirements", "old", "new"),
    [
        (["torch>=2.3"], False, True),
        (["torch>=2.3", "numpy<2"], False, False),
        (["torch<2.3", "numpy<2"], True, False),
        (["requests==2.32.*"], False, True),
        (["REQUESTS"], True, True),  # PEP 503 names
        (["lightning"], False, True),
        (["deb:libc6>=2.35-0ubuntu3.8"], False, True),
        (["deb:libc6 (>> 2.35-0ubuntu3.7)"], False, True),
        (["deb:libc6<<2.36,>=2.35"], True, True),
        (["deb:openssl=3.0.2-0ubuntu1.15"], True, False),
        (["conda:python=3.11"], True, True),  # conda's '=' is a prefix
        (["conda:python>=3.12"], False, False),
        (["conda:numpy"], False, False),  # numpy is pypi, not conda, here
        (["deb:LIBC6"], True, True),  # Debian names are lower case
    ],
)
def test_find_requirements_on_one_inventory(requirements, old, new):
    parsed = parse_requirements(requirements)
    assert (match_inventory(OLD, parsed) is not None) == old
    assert (match_inventory(NEW, parsed) is not None) == new


def test_find_apk_packages_by_dpkg_like_order():
    alpine = inventory(Package("apk", "musl", "1.2.4-r2", "/lib/apk/db/installed", arch="x86_64"))
    assert match_inventory(alpine, parse_requirements(["apk:musl>=1.2.4-r1"])) is not None
    assert match_inventory(alpine, parse_requirements(["apk:musl>=1.2.5"])) is None


def test_find_returns_the_matching_packages_and_takes_installed_prereleases():
    found = match_inventory(NEW, parse_requirements(["torch>=2.3", "deb:libc6"]))
    assert [(p.ecosystem, p.name) for p in found] == [("pypi", "torch"), ("deb", "libc6")]
    rc = inventory(pypi("torch", "2.4.0rc1"))
    assert match_inventory(rc, parse_requirements(["torch>=2.3"])) is not None
    assert match_inventory(rc, parse_requirements(["torch<2.4"])) is None  # PEP 440


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("torch>>2", "torch>>2"),
        ("", "must not be empty"),
        ("deb:", "package name"),
        ("deb:libc6 ~ 2", "operator"),
        ("rpm:glibc", "'rpm:' is not an ecosystem"),
        ("torch; python_version<'3.12'", "markers"),
        ("torch @ https://example.com/t.whl", "URL"),
        ("conda:numpy>>1", "Debian's operator"),
        ("x" * 201, "at most 200"),
    ],
)
def test_a_bad_requirement_is_named(text, says):
    with pytest.raises(SpecError) as caught:
        parse_requirements([text])
    assert set(caught.value.problems) == {"requirement"}
    assert says in caught.value.problems["requirement"]


# -- notes -------------------------------------------------------------------------------------


def test_the_limit_is_the_models():
    shape = awsmodel.input_shape("sagemaker", "CreateImageVersion", "ReleaseNotes")
    assert release_notes_limit() == shape.metadata["max"]


def test_note_names_the_largest_changes_first_and_counts_the_rest():
    diff = diff_inventories(OLD, NEW)
    note = draft_notes(diff)
    assert note.startswith("CUDA 12.1.1 → 12.4.1, torch 2.2.1 → 2.3.0, numpy 1.26.4 → 2.0.0, ")
    assert f"+lightning 2.2.0, {MINUS}tensorboard" in note
    assert draft_notes(diff, limit=60) == "CUDA 12.1.1 → 12.4.1, torch 2.2.1 → 2.3.0, and 7 more"
    assert draft_notes(diff_inventories(OLD, OLD)).startswith("No changes")


def test_a_name_in_two_ecosystems_is_named_once():
    old = inventory(pypi("torch", "2.2.1"), conda("pytorch", "2.2.1"), conda("torch", "2.2.1"))
    new = inventory(pypi("torch", "2.3.0"), conda("pytorch", "2.3.0"), conda("torch", "2.3.0"))
    assert note_items(diff_inventories(old, new)) == [
        "torch 2.2.1 → 2.3.0",
        "pytorch 2.2.1 → 2.3.0",
    ]


NAMES = st.one_of(
    st.sampled_from(["torch", "tensorflow", "jax", "numpy", "pandas", "lightning"]),
    st.from_regex(r"[a-z][a-z0-9-]{0,80}", fullmatch=True),
)
VERSIONS = st.from_regex(r"[0-9]{1,3}(\.[0-9]{1,4}){0,3}", fullmatch=True)
PACKAGE_SETS = st.dictionaries(NAMES, VERSIONS, max_size=40)
CUDAS = st.sampled_from([None, "11.8.0", "12.1.1", "12.4.1"])


def expected_first(old: dict, new: dict, old_cuda, new_cuda) -> str:
    """The largest change, by the rule the note promises (written apart from notes.py)."""
    from packaging.version import Version

    if old_cuda != new_cuda:
        if old_cuda is None:
            return f"+CUDA {new_cuda}"
        return "\u2212CUDA" if new_cuda is None else f"CUDA {old_cuda} → {new_cuda}"

    def kind(a: str, b: str) -> int:  # 0 major, 1 minor, 2 patch, 3 other
        ra, rb = ((*Version(v).release, 0, 0, 0)[:3] for v in (a, b))
        return next((i for i in range(3) if ra[i] != rb[i]), 3)

    moves = {
        n: (old[n], new[n]) for n in old.keys() & new.keys() if Version(old[n]) != Version(new[n])
    }
    frameworks = ("torch", "tensorflow", "jax", "mxnet")
    ranked = sorted(
        ((0 if n in frameworks and kind(*v) < 2 else 1, kind(*v), n) for n, v in moves.items())
    )
    if ranked and (ranked[0][0] == 0 or ranked[0][1] == 0):
        name = ranked[0][2]
        return f"{name} {moves[name][0]} → {moves[name][1]}"
    added = sorted(new.keys() - old.keys(), key=lambda n: (n not in frameworks, n))
    if added:
        return f"+{added[0]} {new[added[0]]}"
    removed = sorted(old.keys() - new.keys(), key=lambda n: (n not in frameworks, n))
    if removed:
        return f"\u2212{removed[0]}"
    if ranked:
        name = ranked[0][2]
        return f"{name} {moves[name][0]} → {moves[name][1]}"
    return "No changes"


@settings(max_examples=200, deadline=None)
@given(PACKAGE_SETS, PACKAGE_SETS, CUDAS, CUDAS, st.sampled_from([None, 12, 40, 80]))
def test_a_drafted_note_fits_the_limit_and_starts_with_the_largest_change(
    old_packages, new_packages, old_cuda, new_cuda, limit
):
    old = inventory(*(pypi(n, v) for n, v in old_packages.items()), cuda=old_cuda)
    new = inventory(*(pypi(n, v) for n, v in new_packages.items()), cuda=new_cuda)
    note = draft_notes(diff_inventories(old, new), limit)
    assert 0 < len(note) <= (limit or release_notes_limit())
    first = expected_first(old_packages, new_packages, old_cuda, new_cuda)
    cut = note.split(", and ")[0]
    assert note.startswith(first) or (cut.endswith("…") and first.startswith(cut[:-1]))
    field = awsmodel.input_shape("sagemaker", "CreateImageVersion", "ReleaseNotes")
    assert awsmodel.string_problem(field, note) is None


def test_suggested_metadata_fits_the_model():
    suggested = suggest_metadata(NEW)
    assert suggested["ml_framework"] == "PyTorch 2.3"
    assert suggested["programming_lang"] == "Python 3.11"
    assert suggested["processor"] == "GPU"
    assert "torch 2.3.0" in suggested["reasons"]["ml_framework"]
    jax = inventory(pypi("jax", "0.4.30"), pypi("tensorflow-cpu", "2.16.1"), cuda=None, python="")
    assert suggest_metadata(jax) == {
        "ml_framework": "TensorFlow 2.16",  # tensorflow ranks before jax
        "programming_lang": None,
        "processor": "CPU",
        "reasons": {
            "ml_framework": f"tensorflow-cpu 2.16.1 in {SITE}",
            "processor": "no CUDA in the image",
        },
    }
    odd = inventory(pypi("torch", "nightly"))
    assert suggest_metadata(odd)["ml_framework"] is None  # 'PyTorch nightly' breaks the pattern


# -- SBOM --------------------------------------------------------------------------------------


def test_sbom_passes_the_strict_cyclonedx_16_validator_with_a_purl_everywhere():
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    twice = inventory(*NEW.packages, pypi("torch", "2.3.0", "/usr/lib/python3/dist-packages"))
    text = sbom_json(twice)
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    bom = json.loads(text)
    assert bom["specVersion"] == "1.6"
    image = bom["metadata"]["component"]
    assert image["type"] == "container"
    assert image["purl"].startswith(f"pkg:oci/pytorch@sha256:{'1' * 64}?")  # packageurl's form
    assert (
        "repository_url=123456789012.dkr.ecr.us-east-1.amazonaws.com/ml-platform/pytorch"
        in image["purl"]
    )
    components = bom["components"]
    assert len(components) == len(twice.packages)
    assert all(c["type"] == "library" and c["purl"] for c in components)
    purls = {c["purl"] for c in components}
    assert "pkg:pypi/requests@2.32.3" in purls
    assert "pkg:deb/ubuntu/libc6@2.35-0ubuntu3.8?arch=amd64&distro=ubuntu-22.04" in purls
    assert "pkg:conda/python@3.11.9?build=h1_0&channel=conda-forge&subdir=linux-64" in purls
    assert len({c["bom-ref"] for c in components}) == len(components)  # torch twice, two refs
