"""A CycloneDX 1.6 SBOM of an inventory, built with cyclonedx-python-lib.

The image is `metadata.component` (type container, `pkg:oci/...`); every package is a library
component with its package URL (packageurl-python) and, as evidence, where it was found.
PURL forms (github.com/package-url/purl-spec): `pkg:pypi/NAME@V`, `pkg:conda/NAME@V?build=&
channel=&subdir=`, `pkg:deb/<debian|ubuntu>/NAME@V?arch=&distro=ID-VERSION_ID`,
`pkg:apk/alpine/NAME@V?arch=`, and the image `pkg:oci/NAME@DIGEST?repository_url=REGISTRY/REPO`
(the oci type has no namespace: its name is the repository's last segment).
"""

from __future__ import annotations

import json
from typing import Any

from packageurl import PackageURL

from .._version import __version__
from ..core.spec import parse_ecr_uri
from .model import Inventory, Package

TOOL = "jupyter-image-versions"


def package_purl(package: Package, inventory: Inventory) -> PackageURL:
    """The package URL of one package of `inventory`."""
    os = inventory.os
    qualifiers: dict[str, str] = {}
    namespace = None
    if package.ecosystem == "conda":
        qualifiers = {"build": package.build, "channel": package.channel, "subdir": package.subdir}
    elif package.ecosystem == "deb":
        namespace = os.id if os.id in ("debian", "ubuntu") else (os.id or "debian")
        distro = f"{os.id}-{os.version_id}" if os.id and os.version_id else ""
        qualifiers = {"arch": package.arch, "distro": distro}
    elif package.ecosystem == "apk":
        namespace = os.id or "alpine"
        qualifiers = {"arch": package.arch}
    return PackageURL(
        type=package.ecosystem,
        namespace=namespace,
        name=package.name,
        version=package.version or None,
        qualifiers={k: v for k, v in qualifiers.items() if v} or None,
    )


def image_purl(inventory: Inventory) -> PackageURL:
    """`pkg:oci/NAME@DIGEST?repository_url=REGISTRY/REPOSITORY[&tag=TAG&arch=ARCH]`."""
    ref = parse_ecr_uri(inventory.uri) if inventory.uri else None
    qualifiers: dict[str, str] = {}
    name = "image"
    if ref is not None:
        name = ref.repository.rsplit("/", 1)[-1]
        qualifiers["repository_url"] = f"{ref.registry}/{ref.repository}"
        if ref.tag:
            qualifiers["tag"] = ref.tag
    if inventory.architecture:
        qualifiers["arch"] = inventory.architecture
    return PackageURL(type="oci", name=name, version=inventory.digest, qualifiers=qualifiers)


def build_bom(inventory: Inventory) -> Any:
    """The cyclonedx `Bom` of `inventory`."""
    from cyclonedx.model.bom import Bom, BomMetaData
    from cyclonedx.model.component import Component, ComponentType
    from cyclonedx.model.component_evidence import ComponentEvidence, Occurrence
    from cyclonedx.model.dependency import Dependency
    from cyclonedx.model.tool import ToolRepository

    image = image_purl(inventory)
    ref = parse_ecr_uri(inventory.uri) if inventory.uri else None
    container = Component(
        type=ComponentType.CONTAINER,
        name=ref.repository if ref else image.name,
        version=inventory.digest,
        purl=image,
        bom_ref=image.to_string(),
    )
    tools = ToolRepository(
        components=[Component(type=ComponentType.APPLICATION, name=TOOL, version=__version__)]
    )
    components = []
    refs: dict[str, int] = {}
    for package in inventory.packages:
        purl = package_purl(package, inventory)
        text = purl.to_string()
        refs[text] = refs.get(text, 0) + 1  # one name in two site-packages: two components
        bom_ref = text if refs[text] == 1 else f"{text}#{refs[text]}"
        evidence = (
            ComponentEvidence(occurrences=[Occurrence(location=package.location)])
            if package.location
            else None
        )
        components.append(
            Component(
                type=ComponentType.LIBRARY,
                name=package.name,
                version=package.version,
                purl=purl,
                bom_ref=bom_ref,
                evidence=evidence,
            )
        )
    # The image depends on every package. Built directly: Bom.register_dependency looks each
    # one up in a list (quadratic: 13 s for 2,000 packages).
    depends = Dependency(
        ref=container.bom_ref, dependencies=[Dependency(c.bom_ref) for c in components]
    )
    metadata = BomMetaData(component=container, tools=tools)
    return Bom(components=components, metadata=metadata, dependencies=[depends])


def sbom_json(inventory: Inventory) -> str:
    """CycloneDX 1.6 JSON of `inventory`."""
    from cyclonedx.output.json import JsonV1Dot6

    return JsonV1Dot6(build_bom(inventory)).output_as_string(indent=2)


def sbom_dict(inventory: Inventory) -> dict[str, Any]:
    return json.loads(sbom_json(inventory))
