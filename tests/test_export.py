"""Export to CloudFormation and CDK: cfn-lint, CDK synthesis, tsc, round trip, quoting, CLI."""

from __future__ import annotations

import ast
import contextlib
import json
import os
import py_compile
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

from jupyter_image_versions import ImageVersions, ImageVersionSpec, export
from jupyter_image_versions.commands import demo_data as demo
from jupyter_image_versions.core.errors import CreateFailed, SpecError
from jupyter_image_versions.core.models import Image, ImageVersion

from .conftest import ROLE

CDK_TS = Path(__file__).parent / ".cdk-ts"
BIG = "big-image"
BIG_REPO = "team/big"
DELETED = (5, 17, 18, 33)  # deleted after creation: gaps
FAILED = 25  # its tag was never pushed: CREATE_FAILED, a gap too
WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
NASTY_NOTES = (
    "key: value # not a comment",
    "- leading dash, then {braces} and [brackets]",
    "He said \"hi\" and 'bye' \\ backslash",
    "line one\nline two:\n  indented: yes\n",
    "trailing spaces   \n\ttab-led line",
    "yes",
    "null",
    "0x1F",
    "1e3",
    "émoji 🚀 \u2013 ünïcödé \u2014 中文",
    "`backticks` ${not_a_template} </script>",
    "&anchor *alias !tag %directive @at",
    "line\u2028separator and \x7f del",
)


def _register(iv: ImageVersions, image: str, repo: str, tag: str, **fields) -> None:
    uri = iv.endpoint.registry_uri(repo, tag)
    spec = ImageVersionSpec(image_name=image, base_image=uri, **fields)
    with contextlib.suppress(CreateFailed):
        iv.register(spec, wait=True)


@pytest.fixture(scope="module")
def source():
    """The demo image, and an image of 50 versions with aliases, archived ones and gaps."""
    iv = ImageVersions.local(":memory:", create_delay=0)
    demo.seed(iv)
    for tag in range(10):
        iv.endpoint.put_ecr_image(BIG_REPO, f"t{tag}")
    iv.create_image(BIG, role_arn=ROLE, display_name="Big: image", description="50 versions")
    for n in range(1, 51):
        aliases = [f"1.{n}.0"] if n % 4 == 0 else []
        if n == 48:
            aliases.append("latest")
        _register(
            iv,
            BIG,
            BIG_REPO,
            "missing" if n == FAILED else f"t{n % 10}",
            aliases=aliases,
            ml_framework=f"PyTorch 2.{n % 5}",
            programming_lang="Python 3.11",
            processor="GPU" if n % 2 else "CPU",
            job_type=("TRAINING", "INFERENCE", "NOTEBOOK_KERNEL")[n % 3],
            horovod=n % 3 == 0,
            release_notes=f"Build {n}: {NASTY_NOTES[n % len(NASTY_NOTES)]}",
            vendor_guidance="ARCHIVED" if n % 7 == 0 else "STABLE",
        )
    for n in DELETED:
        iv.delete(BIG, n)
    yield iv
    iv.close()


def _plan(iv: ImageVersions, image: str, **options) -> export.Plan:
    return export.plan(iv.describe_image(image), iv.history(image), exported_at=WHEN, **options)


def _sagemaker_resources(template: dict) -> dict:
    """Type, Properties, DependsOn (as a list) and SourceVersion of the SageMaker resources."""
    out = {}
    for logical_id, r in template["Resources"].items():
        if not r["Type"].startswith("AWS::SageMaker::"):
            continue
        depends = r.get("DependsOn", [])
        out[logical_id] = {
            "Type": r["Type"],
            "Properties": r["Properties"],
            "DependsOn": [depends] if isinstance(depends, str) else sorted(depends),
            "SourceVersion": r.get("Metadata", {}).get("SourceVersion"),
        }
    return out


# -- options --------------------------------------------------------------------------------


def test_parse_versions():
    assert export.parse_versions(None) is None
    assert export.parse_versions("3-7") == {3, 4, 5, 6, 7}
    assert export.parse_versions(" 1, 4 ,9-11") == {1, 4, 9, 10, 11}
    assert export.parse_versions([2, 3]) == {2, 3}
    for bad, words in (
        ("7-3", "'7-3' counts down; write the lower number first, like 3-7"),
        ("0", "'0' starts below 1"),
        ("3-", "numbers and ranges"),
        ("a", "numbers and ranges"),
        ("", "numbers and ranges"),
        ("1-9999999", "more than 100,000"),
        ("1-60000,60001-120000", "more than 100,000"),
    ):
        with pytest.raises(SpecError) as caught:
            export.parse_versions(bad)
        assert list(caught.value.problems) == ["versions"]
        assert words in caught.value.problems["versions"]
    with pytest.raises(SpecError):
        export.parse_versions([0])
    assert len(export.parse_versions("1-60000,1-60000")) == 60000  # the bound counts numbers


def test_logical_ids_and_ranges():
    assert export.name_id("pytorch-training") == "PytorchTraining"
    assert export.name_id("3d-model.v2") == "Image3dModelV2"  # ids must not start with a digit
    assert export.ranges([7, 1, 2, 3, 5, 8]) == "1-3, 5, 7-8"
    assert export.ranges([]) == ""


def _synthetic(numbers, **fields) -> list[ImageVersion]:
    arn = "arn:aws:sagemaker:us-east-1:123456789012:image-version/synthetic"
    uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/x:{}"
    return [
        ImageVersion("synthetic", n, f"{arn}/{n}", arn, "CREATED", uri.format(n), **fields)
        for n in numbers
    ]


SYNTHETIC = Image(
    "synthetic", "arn:aws:sagemaker:us-east-1:123456789012:image/synthetic", "CREATED"
)


def test_many_gaps_fit_the_description_and_too_many_versions_are_refused():
    # 299 versions, every other one deleted: the gap list is beyond 1,024 characters.
    plan = export.plan(SYNTHETIC, _synthetic(range(2, 600, 2)), exported_at=WHEN)
    template = export.cloudformation(plan)
    assert len(template["Description"]) <= 1024
    assert template["Description"].endswith("(see the template Metadata for all)")
    assert len(template["Metadata"]["JupyterImageVersions"]["Gaps"][0]["Versions"]) > 1024
    assert _lint(json.dumps(template)) == []
    with pytest.raises(SpecError) as caught:
        export.plan(SYNTHETIC, _synthetic(range(1, 501)))
    assert "500 resources per template" in caught.value.problems["versions"]
    assert "--versions 2-500" in caught.value.problems["versions"]
    # Pinning without a ContainerImage keeps BaseImage, and says so.
    plan = export.plan(SYNTHETIC, _synthetic([1]), pin_digests=True, exported_at=WHEN)
    template = export.cloudformation(plan)
    assert template["Resources"]["SyntheticV1"]["Properties"]["BaseImage"].endswith("team/x:1")
    assert template["Metadata"]["JupyterImageVersions"]["NotPinned"] == [1]


def test_bad_options_fail_before_any_request(source):
    before = source.endpoint.request_count
    with pytest.raises(SpecError) as caught:
        source.export(BIG, format="pulumi")
    assert (
        "cloudformation, cdk-python, cdk-typescript, terraform" in caught.value.problems["format"]
    )
    with pytest.raises(SpecError) as caught:
        source.export(BIG, format="terraform", pin_digests=True)  # would replace imported versions
    assert list(caught.value.problems) == ["pin_digests"]
    with pytest.raises(SpecError) as caught:
        source.export(BIG, versions="5-x")
    assert "versions" in caught.value.problems
    assert source.endpoint.request_count == before
    with pytest.raises(SpecError) as caught:
        source.export(BIG, versions="5,17-18,200")  # only deleted or missing versions
    assert "no live version" in caught.value.problems["versions"]


# -- the CloudFormation template ------------------------------------------------------------


def test_demo_template_chain_and_gap(source):
    template = yaml.safe_load(source.export(demo.DEMO_IMAGE))
    resources = template["Resources"]
    assert list(resources) == [
        "ImagePytorchTraining",
        "PytorchTrainingV1",
        "PytorchTrainingV2",
        "PytorchTrainingV4",
        "PytorchTrainingV5",
    ]
    image = resources["ImagePytorchTraining"]["Properties"]
    assert image["ImageRoleArn"] == {"Ref": "ImageRoleArn"}
    assert image["ImageDisplayName"] == "PyTorch training"
    chain = [r.get("DependsOn") for r in resources.values()]
    assert chain == [None, "ImagePytorchTraining", *list(resources)[1:-1]]
    v5 = resources["PytorchTrainingV5"]["Properties"]
    assert v5["Aliases"] == ["2.3.0", "latest"]
    assert v5["BaseImage"].endswith("ml-platform/pytorch:2.3-gpu")
    assert v5["Horovod"] is False
    # Version 3 ended CREATE_FAILED: not exported, and named as a gap with the source.
    assert "Gaps a new stack cannot reproduce: 3 CREATE_FAILED" in template["Description"]
    assert (
        "arn:aws:sagemaker:us-east-1:000000000000:image/pytorch-training"
        in (template["Description"])
    )
    assert template["Metadata"]["JupyterImageVersions"]["SourceVersions"] == [1, 2, 4, 5]


def test_big_template_options(source):
    history = {v.version: v for v in source.history(BIG)}
    template = export.cloudformation(_plan(source, BIG))
    versions = _sagemaker_resources(template)
    numbers = [r["SourceVersion"] for r in versions.values() if r["SourceVersion"]]
    live = sorted(n for n, v in history.items() if v.status == "CREATED")
    assert numbers == live == sorted(set(range(1, 51)) - set(DELETED) - {FAILED})
    assert all(re.fullmatch(r"[A-Za-z0-9]+", logical_id) for logical_id in versions)
    assert "5, 17-18, 33 deleted; 25 CREATE_FAILED" in template["Description"]
    v48 = template["Resources"]["BigImageV48"]["Properties"]
    assert v48["Aliases"] == ["1.48.0", "latest"]
    assert v48["ReleaseNotes"] == history[48].release_notes

    pinned = export.cloudformation(_plan(source, BIG, versions="3-8", include_archived=False))
    chosen = _sagemaker_resources(pinned)
    assert [r["SourceVersion"] for r in chosen.values()] == [None, 3, 4, 6, 8]  # 5 gone, 7 archived
    assert chosen["BigImageV3"]["DependsOn"] == ["ImageBigImage"]
    assert "7 ARCHIVED, left out" in pinned["Description"]
    assert "1-2 not selected" in pinned["Description"]

    pinned = export.cloudformation(_plan(source, BIG, versions=[4], pin_digests=True))
    base = pinned["Resources"]["BigImageV4"]["Properties"]["BaseImage"]
    assert base == history[4].container_image
    assert re.search(r"/team/big@sha256:[0-9a-f]{64}$", base)


def _lint(text: str) -> list:
    from cfnlint.api import ManualArgs, lint

    matches = lint(text, config=ManualArgs(regions=["us-east-1"]))
    return [m for m in matches if m.rule.id.startswith("E")]


def test_cfn_lint_passes_demo_and_big(source):
    for image in (demo.DEMO_IMAGE, BIG):
        for as_json in (False, True):
            text = source.export(image, as_json=as_json)
            errors = _lint(text)
            assert errors == [], (image, as_json, [str(e) for e in errors])
    # The linter does find errors in a broken template (a bad Processor, a dangling DependsOn).
    broken = yaml.safe_load(source.export(demo.DEMO_IMAGE))
    broken["Resources"]["PytorchTrainingV1"]["Properties"]["Processor"] = "TPU"
    broken["Resources"]["PytorchTrainingV2"]["DependsOn"] = "NoSuchResource"
    rules = {m.rule.id for m in _lint(json.dumps(broken))}
    assert {"E3030", "E3005"} <= rules, rules


# -- CDK ------------------------------------------------------------------------------------


def _synth(app: Path, outdir: Path) -> dict[str, dict]:
    """Run a generated CDK Python app (jsii starts node) and read the templates it wrote."""
    env = os.environ | {"CDK_OUTDIR": str(outdir)}
    env["JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION"] = "1"
    done = subprocess.run(
        [sys.executable, str(app)], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "deprecated" not in done.stderr, done.stderr
    return {
        p.name.removesuffix(".template.json"): json.loads(p.read_text())
        for p in outdir.glob("*.template.json")
    }


def test_cdk_python_compiles_and_synthesizes_like_the_template(source, tmp_path):
    plans = {image: _plan(source, image) for image in (demo.DEMO_IMAGE, BIG)}
    # Both stacks in one app: one node start for the two synths.
    code = [export.cdk_python(plan) for plan in plans.values()]
    for i, text in enumerate(code):
        path = tmp_path / f"app{i}.py"
        path.write_text(text, encoding="utf-8")
        py_compile.compile(str(path), doraise=True)
    combined = tmp_path / "both.py"
    combined.write_text(
        "\n".join(t.replace("app = cdk.App()\n", "").replace("app.synth()\n", "") for t in code)
        .replace("#!/usr/bin/env python3", "")
        .replace("import aws_cdk as cdk", "import aws_cdk as cdk\napp = cdk.App()", 1)
        + "\napp.synth()\n",
        encoding="utf-8",
    )
    synthesized = _synth(combined, tmp_path / "out")
    assert set(synthesized) == {"PytorchTrainingImage", "BigImageImage"}
    for stack, plan in zip(("PytorchTrainingImage", "BigImageImage"), plans.values(), strict=True):
        expected = export.cloudformation(plan)
        got = synthesized[stack]
        assert _sagemaker_resources(got) == _sagemaker_resources(expected)
        assert got["Description"] == expected["Description"]
        assert got["Parameters"]["ImageRoleArn"] == expected["Parameters"]["ImageRoleArn"]


def _tsc() -> Path:
    tsc = CDK_TS / "node_modules" / ".bin" / "tsc"
    if not tsc.exists() or not (CDK_TS / "node_modules" / "aws-cdk-lib").exists():
        pytest.fail("TypeScript and aws-cdk-lib are missing: run scripts/test.sh to install them")
    return tsc


def _type_check(sources: dict[str, str]) -> subprocess.CompletedProcess:
    work = Path(tempfile.mkdtemp(dir=CDK_TS, prefix="check-"))  # resolves CDK_TS/node_modules
    try:
        for name, text in sources.items():
            (work / name).write_text(text, encoding="utf-8")
        options = {"target": "ES2022", "module": "nodenext", "strict": True, "noEmit": True}
        config = {"compilerOptions": options | {"skipLibCheck": True, "types": []}}
        config["files"] = list(sources)
        (work / "tsconfig.json").write_text(json.dumps(config))
        return subprocess.run(
            [str(_tsc()), "-p", str(work / "tsconfig.json")],
            capture_output=True,
            text=True,
            timeout=180,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test_cdk_typescript_type_checks(source):
    _tsc()
    sources = {
        "demo.ts": source.export(demo.DEMO_IMAGE, format="cdk-typescript"),
        "big.ts": source.export(BIG, format="cdk-typescript", pin_digests=True),
    }
    done = _type_check(sources)
    assert done.returncode == 0, done.stdout + done.stderr
    assert sources["big.ts"].count("new sagemaker.CfnImageVersion(") == 45
    assert sources["big.ts"].count(".node.addDependency(previous)") == 45
    # tsc does reject a wrong property, so the pass above means something.
    broken = sources["demo.ts"].replace("jobType:", "jobKind:", 1)
    done = _type_check({"broken.ts": broken})
    assert done.returncode != 0 and "jobKind" in done.stdout


# -- round trip -----------------------------------------------------------------------------


def _replay(template: dict, repos: dict[str, list[str]]) -> ImageVersions:
    """Create the template's image and versions in a fresh local endpoint, in DependsOn order."""
    fresh = ImageVersions.local(":memory:", create_delay=0)
    for repo, tags in repos.items():
        for tag in tags:
            fresh.endpoint.put_ecr_image(repo, tag)
    resources = template["Resources"]
    done: set[str] = set()
    pending = dict(resources)
    while pending:  # a topological walk: each resource once all it depends on exists
        ready = [
            rid
            for rid, r in pending.items()
            if all(d in done for d in _as_list(r.get("DependsOn")))
        ]
        assert ready, f"DependsOn cycle or dangling reference among {sorted(pending)}"
        for rid in ready:
            r = pending.pop(rid)
            props = r["Properties"]
            if r["Type"] == "AWS::SageMaker::Image":
                fresh.create_image(
                    props["ImageName"],
                    role_arn=ROLE,
                    display_name=props.get("ImageDisplayName"),
                    description=props.get("ImageDescription"),
                )
            else:
                fresh.register(_spec_from(props), wait=True)
            done.add(rid)
    return fresh


def _as_list(value) -> list:
    return [] if value is None else [value] if isinstance(value, str) else list(value)


def _spec_from(props: dict) -> ImageVersionSpec:
    names = {prop: attr for prop, attr, _ in export.VERSION_PROPERTIES}
    fields = {names[k]: v for k, v in props.items() if k in names}
    return ImageVersionSpec(image_name=props["ImageName"], base_image=props["BaseImage"], **fields)


def _comparable(v) -> dict:
    keep = [attr for _, attr, _ in export.VERSION_PROPERTIES]
    return {k: getattr(v, k) for k in ["base_image", "container_image", *keep]}


def test_round_trip_without_gaps_gives_the_same_versions():
    src = ImageVersions.local(":memory:", create_delay=0)
    for tag in ("a", "b", "c"):
        src.endpoint.put_ecr_image("team/rt", tag)
    src.create_image("round-trip", role_arn=ROLE, display_name="RT", description="x: y")
    for n in range(1, 9):
        _register(
            src,
            "round-trip",
            "team/rt",
            "abc"[n % 3],
            aliases=[f"0.{n}.0"] + (["latest"] if n == 8 else []),
            ml_framework="TensorFlow 2.15",
            programming_lang="Python 3.10",
            processor="CPU",
            job_type="NOTEBOOK_KERNEL",
            horovod=bool(n % 2),
            release_notes=NASTY_NOTES[n],
            vendor_guidance=("STABLE", "TO_BE_ARCHIVED", "ARCHIVED", "NOT_PROVIDED")[n % 4],
        )
    source_versions = sorted(src.history("round-trip"), key=lambda v: v.version)
    assert [v.status for v in source_versions] == ["CREATED"] * 8
    for pin in (False, True):
        template = yaml.safe_load(src.export("round-trip", pin_digests=pin))
        assert "Gaps" not in template["Description"]
        fresh = _replay(template, {"team/rt": ["a", "b", "c"]})
        copies = sorted(fresh.history("round-trip"), key=lambda v: v.version)
        assert [v.version for v in copies] == list(range(1, 9))
        for a, b in zip(source_versions, copies, strict=True):
            expected = _comparable(a) | ({"base_image": a.container_image} if pin else {})
            assert _comparable(b) == expected
        assert fresh.aliases("round-trip") == src.aliases("round-trip")
        image = fresh.describe_image("round-trip")
        assert (image.display_name, image.description) == ("RT", "x: y")
        fresh.close()
    src.close()


def test_round_trip_with_gaps_renumbers_densely_and_says_so(source):
    template = yaml.safe_load(source.export(BIG))
    assert (
        "Gaps a new stack cannot reproduce: 5, 17-18, 33 deleted; 25 CREATE_FAILED"
        in (template["Description"])
    )
    assert "numbers these versions 1-45" in template["Description"]
    fresh = _replay(template, {BIG_REPO: [f"t{i}" for i in range(10)]})
    originals = {v.version: v for v in source.history(BIG)}
    copies = sorted(fresh.history(BIG), key=lambda v: v.version)
    sources = [r["SourceVersion"] for r in _sagemaker_resources(template).values()][1:]
    assert [v.version for v in copies] == list(range(1, 46))
    new_number = {}
    for copy, number in zip(copies, sources, strict=True):
        assert _comparable(copy) == _comparable(originals[number])
        new_number[number] = copy.version
    assert fresh.aliases(BIG) == {a: new_number[n] for a, n in source.aliases(BIG).items()}
    fresh.close()


# -- quoting --------------------------------------------------------------------------------


def test_values_needing_quotes_come_out_unchanged_in_every_format(tmp_path):
    iv = ImageVersions.local(":memory:", create_delay=0)
    iv.endpoint.put_ecr_image("team/q", "v1")
    display, description = 'Quote: "it\'s" #1', "- {a: b}\n# not a comment: 'x'\n"
    iv.create_image("quoting", role_arn=ROLE, display_name=display, description=description)
    for note in NASTY_NOTES:
        _register(iv, "quoting", "team/q", "v1", release_notes=note, ml_framework="JAX 0.4")
    history = sorted(iv.history("quoting"), key=lambda v: v.version)
    assert [v.release_notes for v in history] == list(NASTY_NOTES)  # stored as given
    plan = _plan(iv, "quoting")

    yaml_text = export.render(plan)
    for plain in ("yes", "null", "0x1F", "1e3"):  # strings to YAML 1.1 and 1.2 parsers alike
        assert f"ReleaseNotes: '{plain}'" in yaml_text
    for text in (yaml_text, export.render(plan, as_json=True)):
        template = yaml.safe_load(text) if text.startswith("AWS") else json.loads(text)
        props = [r["Properties"] for r in template["Resources"].values()]
        assert (props[0]["ImageDisplayName"], props[0]["ImageDescription"]) == (
            display,
            description,
        )
        assert [p["ReleaseNotes"] for p in props[1:]] == list(NASTY_NOTES)
        assert _lint(text) == []

    python = export.render(plan, "cdk-python")
    (tmp_path / "app.py").write_text(python, encoding="utf-8")
    py_compile.compile(str(tmp_path / "app.py"), doraise=True)
    calls = [n for n in ast.walk(ast.parse(python)) if isinstance(n, ast.Call)]
    values = {}
    for call in calls:
        for kw in call.keywords:
            if kw.arg in ("release_notes", "image_display_name", "image_description"):
                values.setdefault(kw.arg, []).append(ast.literal_eval(kw.value))
    assert values["release_notes"] == list(NASTY_NOTES)
    assert values["image_display_name"] == [display]
    assert values["image_description"] == [description]

    typescript = export.render(plan, "cdk-typescript")
    done = _type_check({"app.ts": typescript})
    assert done.returncode == 0, done.stdout + done.stderr
    # Evaluate the TypeScript literals as the JavaScript engine reads them.
    found = re.findall(
        r"^\s*(releaseNotes|imageDisplayName|imageDescription): (.*),$", typescript, flags=re.M
    )
    script = "console.log(JSON.stringify([" + ",".join(expr for _, expr in found) + "]))"
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    evaluated = json.loads(out.stdout)
    assert evaluated == [display, description, *NASTY_NOTES]
    iv.close()


# -- the command ----------------------------------------------------------------------------


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


def test_cli_export_formats_json_and_output(local_db, tmp_path, capsys):
    from jupyter_image_versions.commands.cli import main

    assert main(["export", demo.DEMO_IMAGE]) == 0
    template = yaml.safe_load(capsys.readouterr().out)
    assert list(template["Resources"])[-1] == "PytorchTrainingV5"

    # --json means CloudFormation JSON: the template itself, not a JSON-encoded string.
    assert main(["export", demo.DEMO_IMAGE, "--json", "--versions", "4-5"]) == 0
    template = json.loads(capsys.readouterr().out)
    assert list(template["Resources"]) == [
        "ImagePytorchTraining",
        "PytorchTrainingV4",
        "PytorchTrainingV5",
    ]

    target = tmp_path / "stack.ts"
    args = ["export", demo.DEMO_IMAGE, "--format", "cdk-typescript", "--output", str(target)]
    assert main(args) == 0
    assert f"to {target}" in capsys.readouterr().out
    assert "new sagemaker.CfnImageVersion(" in target.read_text(encoding="utf-8")

    assert main(["export", demo.DEMO_IMAGE, "--format", "cdk-python", "--json"]) == 2
    assert "--json applies to --format cloudformation only" in capsys.readouterr().err
    assert main(["export", demo.DEMO_IMAGE, "--versions", "9-3"]) == 1
    assert "--versions: '9-3' counts down" in capsys.readouterr().err
    assert main(["export", demo.DEMO_IMAGE, "--format", "pulumi"]) == 2
    assert "unknown value for --format 'pulumi'" in capsys.readouterr().err
    assert main(["export", "no-such-image"]) == 1
    assert capsys.readouterr().err.startswith("error: ")
    assert main(["export", demo.DEMO_IMAGE, "--output", str(tmp_path / "no" / "dir.yaml")]) == 2
    assert "--output" in capsys.readouterr().err


# -- the panel ------------------------------------------------------------------------------


def test_panel_export_action(source, tmp_path):
    from jupyter_image_versions.notebook.widgets import ImageVersionPanel

    panel = ImageVersionPanel(demo.DEMO_IMAGE, service=source)
    try:
        assert panel.wait_idle(20)
        view = panel.export
        view.format.value = "cloudformation-json"
        view.export_button.click()
        assert panel.wait_idle(20)
        template = json.loads(view.code.value)
        assert list(template["Resources"])[-1] == "PytorchTrainingV5"
        assert "Exported pytorch-training as CloudFormation (JSON)" in panel.status.value

        view.format.value = "cdk-python"
        view.versions.value = "4-5"
        view.pin_digests.value = True
        view.export_button.click()
        assert panel.wait_idle(20)
        (tmp_path / "app.py").write_text(view.code.value, encoding="utf-8")
        py_compile.compile(str(tmp_path / "app.py"), doraise=True)
        assert view.code.value.count("sagemaker.CfnImageVersion(") == 2
        assert "@sha256:" in view.code.value

        view.versions.value = "9-3"
        view.export_button.click()
        assert panel.wait_idle(20)
        assert "&#x27;9-3&#x27; counts down" in (
            view.versions_problem.value  # escaped HTML
        )
        assert "Export failed" in panel.status.value
    finally:
        panel.close()


def test_magic_export(tmp_path):
    from IPython.core.interactiveshell import InteractiveShell

    db = str(tmp_path / "state.sqlite")
    seed = ImageVersions.local(db, create_delay=0)
    demo.seed(seed)
    seed.close()
    shell = InteractiveShell.instance()
    shell.extension_manager.load_extension("jupyter_image_versions")
    shell.run_line_magic("config", 'ImageVersionsMagic.backend = "local"')
    shell.run_line_magic("config", f"ImageVersionsMagic.local_db = {db!r}")
    try:
        code = shell.run_line_magic("imageversion", f"export {demo.DEMO_IMAGE} --format cdk-python")
        assert isinstance(code, str) and code.count("sagemaker.CfnImageVersion(") == 4
        assert code._repr_html_().startswith("<pre>") and "&quot;" in code._repr_html_()
        template = shell.run_line_magic("imageversion", f"export {demo.DEMO_IMAGE} --json")
        assert template["Resources"]["PytorchTrainingV5"]["DependsOn"] == "PytorchTrainingV4"
        out = tmp_path / "t.yaml"
        assert shell.run_line_magic("imageversion", f"export {demo.DEMO_IMAGE} --output {out}")
        assert yaml.safe_load(out.read_text(encoding="utf-8"))["Resources"]
    finally:
        shell.run_line_magic("config", "ImageVersionsMagic.local_db = None")
