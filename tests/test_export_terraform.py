"""Export to Terraform: HCL (python-hcl2) and JSON round trips, the provider's schema from
@cdktf/provider-aws, import blocks, the depends_on chain, and every front end."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import hcl2
import pytest

from jupyter_image_versions import ImageVersions, ImageVersionSpec, export
from jupyter_image_versions.commands import demo_data as demo
from jupyter_image_versions.core.errors import CreateFailed, SpecError

from .conftest import ROLE

PROVIDER = Path(__file__).parent / ".cdk-ts" / "node_modules" / "@cdktf" / "provider-aws"
CDKTF = Path(__file__).parent / ".cdk-ts" / "node_modules" / "cdktf"
WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
GAPPY = "gappy-image"
GAPPY_REPO = "team/gappy"
DELETED = (2, 6)
FAILED = 4  # its tag was never pushed: CREATE_FAILED
NOTES = (
    "He said \"hi\" and 'bye'",
    "a ${var.secret} template and $${already} doubled",
    "a %{if true}directive%{endif} and %%{doubled}",
    "back\\slash \\n not a newline \\\\ two",
    "line one\nline two\n\tindented\r\nwindows\n",
    "ends with a dollar $",
    "ends with a percent %",
    "$$${three}",
    "émoji 🚀 \u2013 ünïcödé 中文, DEL \x7f, separator \u2028, bell \x07",
)
FIELDS = ("ml_framework", "programming_lang", "processor", "job_type", "horovod", "vendor_guidance")


@pytest.fixture(scope="module")
def source():
    """The demo image, and an image whose history has deletions, a failure, aliases and release
    notes that need every kind of escape."""
    iv = ImageVersions.local(":memory:", create_delay=0)
    demo.seed(iv)
    for tag in range(3):
        iv.endpoint.put_ecr_image(GAPPY_REPO, f"t{tag}")
    iv.create_image(GAPPY, role_arn=ROLE, display_name='Gappy "${x}"', description="a\\b %{y}")
    notes = iter(NOTES)
    last = len(NOTES) + len(DELETED) + 1
    for n in range(1, last + 1):
        gap = n in DELETED or n == FAILED
        spec = ImageVersionSpec(
            image_name=GAPPY,
            base_image=iv.endpoint.registry_uri(
                GAPPY_REPO, "missing" if n == FAILED else f"t{n % 3}"
            ),
            aliases=[f"1.{n}.0"] + (["latest"] if n == last else []),
            ml_framework=f"PyTorch 2.{n}",
            programming_lang="Python 3.11",
            processor="GPU" if n % 2 else "CPU",
            job_type="TRAINING",
            horovod=n % 3 == 0,
            release_notes="doomed" if gap else next(notes),
            vendor_guidance="STABLE",
        )
        with contextlib.suppress(CreateFailed):
            iv.register(spec, wait=True)
    for n in DELETED:
        iv.delete(GAPPY, n)
    yield iv
    iv.close()


def _render(iv: ImageVersions, image: str, fmt: str, **options) -> str:
    imports = options.pop("imports", True)
    p = export.plan(iv.describe_image(image), iv.history(image), exported_at=WHEN, **options)
    return export.render(p, fmt, imports=imports)


# -- decoding what Terraform reads -----------------------------------------------------------

_HCL_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def template_literal(text: str, *, backslashes: bool) -> str:
    """What Terraform reads from a template holding only literal text: `$${` is `${`, `%%{` is
    `%{`; in an HCL quoted string also `\\n`, `\\"`, `\\\\`, `\\uXXXX`, `\\UXXXXXXXX`. An unescaped
    `${` or `%{` (an interpolation) fails."""
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if backslashes and c == "\\":
            kind = text[i + 1]
            if kind in _HCL_ESCAPES:
                out.append(_HCL_ESCAPES[kind])
                i += 2
            else:
                digits = {"u": 4, "U": 8}[kind]
                out.append(chr(int(text[i + 2 : i + 2 + digits], 16)))
                i += 2 + digits
        elif text.startswith(("$${", "%%{"), i):
            out.append(c + "{")
            i += 3
        elif text.startswith(("${", "%{"), i):
            raise AssertionError(f"a template sequence in a literal: {text!r}")
        else:
            assert c != '"' or not backslashes, f"an unescaped quote in {text!r}"
            out.append(c)
            i += 1
    return "".join(out)


def hcl_value(token):
    """A value as python-hcl2 gives it: strings keep their quotes and escapes, references are
    `${...}`."""
    if isinstance(token, list):
        return [hcl_value(item) for item in token]
    if isinstance(token, str) and token.startswith("${") and token.endswith("}"):
        return ("ref", token[2:-1])
    if token in ("string", "number", "bool"):  # a variable's type: a keyword
        return ("ref", token)
    if isinstance(token, str):
        assert len(token) >= 2 and token[0] == token[-1] == '"', f"not a string literal: {token}"
        return template_literal(token[1:-1], backslashes=True)
    return token


def from_hcl(text: str) -> dict:
    """The configuration as {"resource": {type: {name: args}}, "import": [...], ...}, every
    string decoded as Terraform reads it, references as ("ref", text)."""
    parsed = hcl2.loads(text)
    out: dict = {"resource": {}, "import": [], "variable": {}, "output": {}}
    for block in parsed.get("resource", []):
        for rtype, named in block.items():
            for name, body in named.items():
                args = {k: hcl_value(v) for k, v in body.items() if not k.startswith("__")}
                out["resource"].setdefault(hcl_value(rtype), {})[hcl_value(name)] = args
    for block in parsed.get("import", []):
        out["import"].append({k: hcl_value(v) for k, v in block.items() if k != "__is_block__"})
    for kind in ("variable", "output"):
        for block in parsed.get(kind, []):
            for name, body in block.items():
                args = {k: hcl_value(v) for k, v in body.items() if not k.startswith("__")}
                out[kind][hcl_value(name)] = args
    (terraform,) = parsed["terraform"]
    out["required_version"] = hcl_value(terraform["required_version"])
    (providers,) = terraform["required_providers"]
    out["aws"] = {k: hcl_value(v) for k, v in providers["aws"].items()}
    return out


def json_value(value, key: str = ""):
    if isinstance(value, list):
        return [json_value(item, key) for item in value]
    if isinstance(value, str) and key in ("depends_on", "to", "type"):
        return ("ref", value)  # static references and type expressions
    if isinstance(value, str) and re.fullmatch(r"\$\{[^${}]+\}", value):
        return ("ref", value[2:-1])
    if isinstance(value, str):
        return template_literal(value, backslashes=False)  # JSON strings are templates
    return value


def from_json(text: str) -> dict:
    """The JSON syntax in the same shape as from_hcl()."""
    data = json.loads(text)
    decode = lambda body: {k: json_value(v, k) for k, v in body.items() if k != "//"}  # noqa: E731
    return {
        "resource": {
            rtype: {name: decode(body) for name, body in named.items()}
            for rtype, named in data["resource"].items()
        },
        "import": [decode(body) for body in data.get("import", [])],
        "variable": {name: decode(body) for name, body in data["variable"].items()},
        "output": {name: decode(body) for name, body in data["output"].items()},
        "required_version": data["terraform"]["required_version"],
        "aws": data["terraform"]["required_providers"]["aws"],
    }


def _parse(text: str, fmt: str) -> dict:
    return from_json(text) if fmt == "terraform-json" else from_hcl(text)


# -- round trips -----------------------------------------------------------------------------


def _expected_version(image: str, v) -> dict:
    """The history's values of one version, under the provider's argument names."""
    args = {"image_name": image, "base_image": v.base_image}
    if v.aliases:
        args["aliases"] = sorted(v.aliases)
    args |= {name: getattr(v, name) for name in FIELDS if getattr(v, name) is not None}
    if v.release_notes is not None:
        args["release_notes"] = v.release_notes
    return args


@pytest.mark.parametrize("fmt", ["terraform", "terraform-json"])
@pytest.mark.parametrize("image", [demo.DEMO_IMAGE, GAPPY])
def test_round_trip_gives_back_the_history(source, image, fmt):
    found = source.describe_image(image)
    history = source.history(image)
    live = sorted((v for v in history if v.status == "CREATED"), key=lambda v: v.version)
    assert len(live) < len(history) or image == demo.DEMO_IMAGE  # the gaps are there
    config = _parse(_render(source, image, fmt), fmt)

    assert config["required_version"] == ">= 1.5"
    assert config["aws"] == {"source": "hashicorp/aws", "version": ">= 6.0"}
    (image_name, image_args), *_ = config["resource"]["aws_sagemaker_image"].items()
    role = ("ref", "var.image_role_arn")
    expected_image = {"image_name": image, "role_arn": role}
    expected_image |= {"display_name": found.display_name} if found.display_name else {}
    expected_image |= {"description": found.description} if found.description else {}
    assert image_args == expected_image
    assert config["variable"]["image_role_arn"]["default"] == found.role_arn

    versions = config["resource"]["aws_sagemaker_image_version"]
    assert len(versions) == len(live)
    previous = f"aws_sagemaker_image.{image_name}"
    chain = []
    for (name, args), v in zip(versions.items(), live, strict=True):
        depends = args.pop("depends_on")
        if "aliases" in args:
            args["aliases"] = sorted(args["aliases"])
        assert args == _expected_version(image, v), f"{name} is not version {v.version}"
        chain.append((depends, f"aws_sagemaker_image_version.{name}"))
        assert depends == [("ref", previous)]  # each after the one before, in version order
        previous = f"aws_sagemaker_image_version.{name}"

    imports = [(i["to"], i["id"]) for i in config["import"]]
    assert imports == [(("ref", f"aws_sagemaker_image.{image_name}"), image)] + [
        (("ref", f"aws_sagemaker_image_version.{name}"), f"{image},{v.version}")
        for name, v in zip(versions, live, strict=True)
    ]
    assert config["output"]["image_arn"]["value"] == (
        "ref",
        f"aws_sagemaker_image.{image_name}.arn",
    )


def test_every_awkward_string_round_trips_in_both_syntaxes(source):
    """Each of NOTES is a live version's release notes and comes back exactly."""
    live = [v for v in source.history(GAPPY) if v.status == "CREATED"]
    kept = {v.release_notes for v in live}
    assert kept == set(NOTES)
    for fmt in ("terraform", "terraform-json"):
        config = _parse(_render(source, GAPPY, fmt), fmt)
        notes = {
            a["release_notes"] for a in config["resource"]["aws_sagemaker_image_version"].values()
        }
        assert notes == kept
        image = config["resource"]["aws_sagemaker_image"]["gappy_image"]
        assert (image["display_name"], image["description"]) == ('Gappy "${x}"', "a\\b %{y}")


def test_hcl_string_escapes():
    cases = {
        'a "q" \\ b': '"a \\"q\\" \\\\ b"',
        "${x} %{y} $${z}": '"$${x} %%{y} $$${z}"',
        "l1\nl2\r\tt": '"l1\\nl2\\r\\tt"',
        "\x7f\u2028\x07": '"\\u007F\\u2028\\u0007"',
        "$ % end$": '"$ % end$"',
        "🚀": '"🚀"',
    }
    for value, literal in cases.items():
        assert export.hcl_string(value) == literal
        assert template_literal(literal[1:-1], backslashes=True) == value


def test_gaps_are_said_in_comments_and_plain_configuration_has_no_imports(source):
    hcl = _render(source, GAPPY, "terraform", imports=False)
    header = [line for line in hcl.splitlines() if line.startswith("#")]
    assert "#   2, 6: deleted" in header and "#   4: CREATE_FAILED" in header
    assert any("numbers the source versions 1, 3, 5, 7" in line for line in header)
    config = from_hcl(hcl)
    assert config["import"] == [] and "default" not in config["variable"]["image_role_arn"]

    data = json.loads(_render(source, GAPPY, "terraform-json"))
    assert "2, 6: deleted" in data["//"] and "4: CREATE_FAILED" in data["//"]
    assert (
        "import" in data
        and len(data["import"]) == len(data["resource"]["aws_sagemaker_image_version"]) + 1
    )


def test_pinned_digests_need_a_plain_configuration(source):
    with pytest.raises(SpecError) as caught:
        source.export(GAPPY, format="terraform", pin_digests=True)
    assert list(caught.value.problems) == ["pin_digests"]
    with pytest.raises(SpecError) as caught:
        source.export(GAPPY, format="cloudformation", imports=True)
    assert list(caught.value.problems) == ["import"]
    config = from_hcl(source.export(GAPPY, format="terraform", pin_digests=True, imports=False))
    versions = config["resource"]["aws_sagemaker_image_version"].values()
    assert all("@sha256:" in args["base_image"] for args in versions)


# -- the provider's schema --------------------------------------------------------------------


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def _interface(path: Path, name: str) -> dict[str, bool]:
    """{argument: required} of a TypeScript interface in a .d.ts."""
    text = path.read_text(encoding="utf-8")
    body = re.search(rf"export interface {name}\b[^{{]*\{{(.*?)\n\}}", text, re.S)
    assert body, f"{name} is not in {path}"
    members = re.findall(r"readonly (\w+)(\??):", body[1])
    return {_snake(member): not optional for member, optional in members}


def _schema() -> tuple[dict[str, dict[str, bool]], set[str], str]:
    lib = PROVIDER / "lib"
    if not (lib / "sagemaker-image-version" / "index.d.ts").exists():
        pytest.fail("@cdktf/provider-aws is missing: run scripts/test.sh to install it")
    resources = {
        "aws_sagemaker_image": _interface(
            lib / "sagemaker-image" / "index.d.ts", "SagemakerImageConfig"
        ),
        "aws_sagemaker_image_version": _interface(
            lib / "sagemaker-image-version" / "index.d.ts", "SagemakerImageVersionConfig"
        ),
    }
    meta = set(_interface(CDKTF / "lib" / "terraform-resource.d.ts", "TerraformMetaArguments"))
    docs = (lib / "sagemaker-image-version" / "index.d.ts").read_text(encoding="utf-8")
    version = re.search(r"registry\.terraform\.io/providers/hashicorp/aws/([0-9.]+)/", docs)[1]
    return resources, meta, version


def test_every_argument_is_in_the_provider_schema(source):
    resources, meta, provider_version = _schema()
    assert int(provider_version.split(".")[0]) >= 6  # what required_providers asks for
    assert {"aliases", "vendor_guidance", "release_notes"} <= set(
        resources["aws_sagemaker_image_version"]
    )
    assert "depends_on" in meta
    image_class = (PROVIDER / "lib" / "sagemaker-image" / "index.d.ts").read_text(encoding="utf-8")
    assert re.search(r"get arn\(\): string;", image_class)  # the output's attribute
    for image in (demo.DEMO_IMAGE, GAPPY):
        for fmt in ("terraform", "terraform-json"):
            config = _parse(_render(source, image, fmt), fmt)
            assert set(config["resource"]) == set(resources)
            for rtype, named in config["resource"].items():
                for name, args in named.items():
                    unknown = set(args) - set(resources[rtype]) - meta
                    assert not unknown, (
                        f"{rtype}.{name}: not in provider {provider_version}: {unknown}"
                    )
                    missing = {a for a, required in resources[rtype].items() if required} - set(
                        args
                    )
                    assert not missing, f"{rtype}.{name} lacks required {missing}"


# -- Terraform itself, where installed ------------------------------------------------------

needs_terraform = pytest.mark.skipif(shutil.which("terraform") is None, reason="needs terraform")


def _terraform(args: list[str], cwd: Path, stdin: str = "") -> subprocess.CompletedProcess:
    """The terraform CLI, offline (no version check), without colours."""
    env = os.environ | {"CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1"}
    return subprocess.run(
        ["terraform", *args],
        cwd=cwd,
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@needs_terraform
@pytest.mark.parametrize("fmt", ["terraform", "terraform-json"])
def test_terraform_loads_the_configuration(source, tmp_path, fmt):
    """`terraform init` with an empty plugin directory loads and checks the whole configuration
    (terraform, variable, import, depends_on, output), then stops where it needs the provider."""
    work, plugins = tmp_path / "config", tmp_path / "plugins"
    work.mkdir()
    plugins.mkdir()
    name = "main.tf.json" if fmt == "terraform-json" else "main.tf"
    (work / name).write_text(_render(source, GAPPY, fmt), encoding="utf-8")
    done = _terraform(
        ["init", "-backend=false", "-input=false", "-no-color", f"-plugin-dir={plugins}"], work
    )
    out = done.stdout + done.stderr
    assert 'Finding hashicorp/aws versions matching ">= 6.0.0"' in out, out
    errors = re.findall(r"Error: (.*)", out)
    assert errors == ["Failed to query available provider packages"], out


@needs_terraform
def test_terraform_reads_the_exact_values(source, tmp_path):
    """`terraform fmt` accepts the HCL as formatted; `terraform console` reads every release note
    of both syntaxes as exactly the text in a file (no provider needed)."""
    hcl = _render(source, GAPPY, "terraform")
    (tmp_path / "fmt").mkdir()
    (tmp_path / "fmt" / "main.tf").write_text(hcl, encoding="utf-8")
    done = _terraform(["fmt", "-check", "-diff", "."], tmp_path / "fmt")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = [line for line in hcl.splitlines() if line.strip().startswith("release_notes")]
    data = json.loads(_render(source, GAPPY, "terraform-json"))
    notes = [v["release_notes"] for v in data["resource"]["aws_sagemaker_image_version"].values()]
    live = [
        v for v in sorted(source.history(GAPPY), key=lambda v: v.version) if v.status == "CREATED"
    ]
    work = tmp_path / "eval"
    work.mkdir()
    checks = []
    for i, (line, v) in enumerate(zip(lines, live, strict=True)):
        (work / f"want{i}.txt").write_bytes(v.release_notes.encode("utf-8"))
        checks.append(f"  h{i} = {line.split('=', 1)[1].strip()}")
        checks.append(f'  c{i} = local.h{i} == file("want{i}.txt") && local.j{i} == local.h{i}')
    (work / "a.tf").write_text("locals {\n" + "\n".join(checks) + "\n}\n", encoding="utf-8")
    (work / "b.tf.json").write_text(
        json.dumps({"locals": {f"j{i}": note for i, note in enumerate(notes)}}), encoding="utf-8"
    )
    expr = "[" + ", ".join(f"local.c{i}" for i in range(len(notes))) + "]"
    done = _terraform(["console"], work, f"jsonencode({expr})\n")
    assert done.returncode == 0, done.stderr
    assert json.loads(json.loads(done.stdout.strip())) == [True] * len(notes), done.stdout


# -- front ends --------------------------------------------------------------------------------


@pytest.fixture
def local_db(tmp_path, monkeypatch):
    db = tmp_path / "state.sqlite"
    monkeypatch.setenv("JUPYTER_IMAGE_VERSIONS_BACKEND", "local")
    monkeypatch.setenv("JUPYTER_IMAGE_VERSIONS_LOCAL_DB", str(db))
    monkeypatch.setenv("JUPYTER_IMAGE_VERSIONS_LOCAL_CREATE_DELAY", "0")
    iv = ImageVersions.local(str(db), create_delay=0)
    demo.seed(iv)
    iv.close()
    return db


def test_cli_terraform(local_db, tmp_path, capsys):
    from jupyter_image_versions.commands.cli import main

    assert main(["export", demo.DEMO_IMAGE, "--format", "terraform"]) == 0
    config = from_hcl(capsys.readouterr().out)
    assert [i["id"] for i in config["import"]] == [demo.DEMO_IMAGE] + [
        f"{demo.DEMO_IMAGE},{n}" for n in (1, 2, 4, 5)
    ]
    target = tmp_path / "main.tf.json"
    args = ["export", demo.DEMO_IMAGE, "--format", "terraform-json", "--no-import"]
    assert main([*args, "--pin-digests", "--output", str(target)]) == 0
    assert f"to {target}" in capsys.readouterr().out
    config = from_json(target.read_text(encoding="utf-8"))
    assert config["import"] == [] and len(config["resource"]["aws_sagemaker_image_version"]) == 4

    assert main(["export", demo.DEMO_IMAGE, "--format", "terraform", "--pin-digests"]) == 2
    assert "--pin-digests" in capsys.readouterr().err
    assert main(["export", demo.DEMO_IMAGE, "--no-import"]) == 2
    assert "--format terraform|terraform-json only" in capsys.readouterr().err
    assert main(["export", demo.DEMO_IMAGE, "--format", "terraform", "--json"]) == 2
    assert "--json applies to --format cloudformation only" in capsys.readouterr().err


def test_magic_terraform(local_db):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.extension_manager.load_extension("jupyter_image_versions")
    shell.run_line_magic("config", 'ImageVersionsMagic.backend = "local"')
    shell.run_line_magic("config", f"ImageVersionsMagic.local_db = {str(local_db)!r}")
    try:
        code = shell.run_line_magic("imageversion", f"export {demo.DEMO_IMAGE} --format terraform")
        assert from_hcl(code)["import"][-1]["id"] == f"{demo.DEMO_IMAGE},5"
        assert code._repr_html_().startswith("<pre>") and "&quot;" in code._repr_html_()
        line = f"export {demo.DEMO_IMAGE} --format terraform-json --no-import --versions 5"
        config = from_json(shell.run_line_magic("imageversion", line))
        assert list(config["resource"]["aws_sagemaker_image_version"]) == ["pytorch_training_v5"]
    finally:
        shell.run_line_magic("config", "ImageVersionsMagic.local_db = None")


def test_panel_terraform(source):
    from jupyter_image_versions.notebook.widgets import ImageVersionPanel

    panel = ImageVersionPanel(GAPPY, service=source)
    try:
        assert panel.wait_idle(20)
        view = panel.export
        assert view.imports.disabled  # CloudFormation has no import blocks
        view.format.value = "terraform"
        assert not view.imports.disabled and view.imports.value
        view.export_button.click()
        assert panel.wait_idle(20)
        config = from_hcl(view.code.value)
        assert len(config["import"]) == 1 + len(config["resource"]["aws_sagemaker_image_version"])
        assert "Exported gappy-image as Terraform (HCL)" in panel.status.value

        view.pin_digests.value = True
        view.export_button.click()
        assert panel.wait_idle(20)
        assert (
            "Pin digests" in view.versions_problem.value and "Export failed" in panel.status.value
        )
        view.format.value = "terraform-json"
        view.imports.value = False
        view.export_button.click()
        assert panel.wait_idle(20)
        config = from_json(view.code.value)
        assert config["import"] == [] and "@sha256:" in view.code.value
    finally:
        panel.close()
