"""The doctor's finding from the contents: a kernelspec whose Python has no ipykernel."""

from __future__ import annotations

import json

import pytest

from jupyter_image_versions.local.image_push import Entry, ImageSpec, Layer, push_image
from jupyter_image_versions.local.sample_images import base_layer, studio_config

REPO = "team/kernels"
SITE = "opt/conda/lib/python3.11/site-packages"
IPYKERNEL = Entry(
    f"{SITE}/ipykernel-6.29.5.dist-info/METADATA", b"Name: ipykernel\nVersion: 6.29.5\n"
)


def kernel(name: str, argv0: str, language: str = "python") -> Entry:
    spec = {
        "argv": [argv0, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": name,
        "language": language,
    }
    return Entry(f"opt/conda/share/jupyter/kernels/{name}/kernel.json", json.dumps(spec).encode())


def image(*extra: Layer, kernels: tuple[Entry, ...] = ()) -> ImageSpec:
    conda = Layer(
        [
            Entry("opt/conda/bin/python3.11", b"\x7fELF", mode=0o755),
            Entry("opt/conda/bin/python", kind="symlink", link="python3.11"),
            Entry(f"{SITE}/numpy-2.0.0.dist-info/METADATA", b"Name: numpy\nVersion: 2.0.0\n"),
            *kernels,
        ]
    )
    return ImageSpec([base_layer(), conda, *extra], config=studio_config())


def findings(iv, spec, app_type="KernelGateway"):
    ecr = iv.endpoint.client("ecr")
    try:
        push_image(ecr, REPO, "t", spec)
    finally:
        ecr.close()
    report = iv.doctor(iv.endpoint.registry_uri(REPO, "t"), app_type)
    return [f for f in report.findings if f.code == "kernel-no-ipykernel"]


def test_a_kernel_whose_python_has_no_ipykernel_is_an_error(iv):
    found = findings(iv, image(kernels=(kernel("py", "python"),)))
    assert [f.severity for f in found] == ["error"]
    assert "kernel 'py' runs /opt/conda/bin/python3.11" in found[0].message
    assert f"/{SITE}" in found[0].message and "cannot start" in found[0].message


def test_only_kernel_gateway_runs_the_image_kernels(iv):
    assert findings(iv, image(kernels=(kernel("py", "python"),)), "JupyterLab") == []


@pytest.mark.parametrize("argv0", ["python", "/opt/conda/bin/python", "/opt/conda/bin/python3.11"])
def test_ipykernel_beside_the_interpreter_is_fine(iv, argv0):
    assert findings(iv, image(Layer([IPYKERNEL]), kernels=(kernel("py", argv0),))) == []


def test_ipykernel_removed_by_a_later_whiteout_is_an_error(iv):
    removal = Layer([Entry(f"{SITE}/.wh.ipykernel-6.29.5.dist-info")])
    spec = image(Layer([IPYKERNEL]), removal, kernels=(kernel("py", "python"),))
    assert len(findings(iv, spec)) == 1


def test_debian_python_with_dist_packages_and_other_languages(iv):
    debian = Layer(
        [
            Entry("usr/bin/python3.11", b"\x7fELF", mode=0o755),
            Entry("usr/bin/python3", kind="symlink", link="python3.11"),
            Entry("usr/lib/python3/dist-packages/ipykernel/__init__.py", b""),
            Entry("usr/bin/R", b"\x7fELF", mode=0o755),
        ]
    )
    kernels = (kernel("sys", "/usr/bin/python3"), kernel("ir", "R", language="R"))
    assert findings(iv, image(debian, kernels=kernels)) == []
