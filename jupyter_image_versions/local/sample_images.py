"""Small real images for the demo, the tests and the benchmark (built with ``tarfile``)."""

from __future__ import annotations

import json
import random

from .image_push import Entry, ImageSpec, Layer

PASSWD = (
    b"root:x:0:0:root:/root:/bin/bash\nsagemaker-user:x:1000:100::/home/sagemaker-user:/bin/bash\n"
)
GROUP = b"root:x:0:\nusers:x:100:sagemaker-user\n"
HOME = "/home/sagemaker-user"


def kernel_entry(
    name: str, display: str = "Python 3", language: str = "python", prefix: str = "/opt/conda"
) -> Entry:
    spec = {
        "argv": ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": display,
        "language": language,
    }
    return Entry(f"{prefix}/share/jupyter/kernels/{name}/kernel.json", json.dumps(spec).encode())


def base_layer() -> Layer:
    """A tiny distribution: /etc/passwd and /etc/group, /bin -> usr/bin (merged /usr)."""
    return Layer(
        [
            Entry("etc", kind="dir"),
            Entry("etc/passwd", PASSWD),
            Entry("etc/group", GROUP),
            Entry("usr/bin", kind="dir"),
            Entry("usr/bin/bash", b"\x7fELF bash", mode=0o755),
            Entry("bin", kind="symlink", link="usr/bin"),
            Entry("home/sagemaker-user", kind="dir", uid=1000, gid=100),
        ]
    )


def jupyterlab_layer(kernels: tuple[str, ...] = ("python3",)) -> Layer:
    entries = [
        Entry("opt/conda/bin/jupyter-lab", b"#!/opt/conda/bin/python\n", mode=0o755),
        Entry("opt/conda/bin/python", b"\x7fELF python", mode=0o755),
        Entry("usr/local/bin/jupyter-lab", kind="symlink", link="/opt/conda/bin/jupyter-lab"),
        Entry(
            "opt/conda/lib/python3.11/site-packages/ipykernel-6.29.5.dist-info/METADATA",
            b"Metadata-Version: 2.1\nName: ipykernel\nVersion: 6.29.5\n",
        ),
    ]
    entries += [kernel_entry(name, display=f"Python ({name})") for name in kernels]
    return Layer(entries)


def studio_config(user: str = "1000:100", workdir: str = HOME) -> dict:
    return {
        "User": user,
        "WorkingDir": workdir,
        "Env": [
            "PATH=/opt/conda/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "SHELL=/bin/bash",
        ],
        "Entrypoint": ["jupyter-lab"],
        "Cmd": ["--ServerApp.ip=0.0.0.0", "--ServerApp.port=8888"],
        "ExposedPorts": {"8888/tcp": {}},
    }


def passing_image() -> ImageSpec:
    """An image Studio's JupyterLab starts: sagemaker-user 1000/100, jupyter-lab, a kernel."""
    return ImageSpec([base_layer(), jupyterlab_layer()], config=studio_config("sagemaker-user"))


def failing_image() -> ImageSpec:
    """Root user, arm64, a file owned by UID 70000, no kernels, no jupyter-lab."""
    extra = Layer([Entry("opt/tool/data.bin", b"owned by a big uid", uid=70000, gid=70000)])
    config = {
        "User": "root",
        "WorkingDir": "/opt/tool",
        "Env": ["AWS_REGION=eu-west-1"],
        "Cmd": ["bash"],
    }
    return ImageSpec([base_layer(), extra], architecture="arm64", config=config)


def bulky_image(layers: int = 20, layer_bytes: int = 10 * 1024 * 1024, seed: int = 7) -> ImageSpec:
    """``layers`` layers of ``layer_bytes`` incompressible bytes each (the benchmark's image)."""
    rng = random.Random(seed)
    built = [base_layer()]
    for number in range(1, layers - 1):
        files = [
            Entry(f"opt/data/{number}/part{i}.bin", rng.randbytes(layer_bytes // 4))
            for i in range(4)
        ]
        built.append(Layer(files, compression="plain" if number % 2 else "gzip"))
    built.append(jupyterlab_layer())
    return ImageSpec(built, config=studio_config())
