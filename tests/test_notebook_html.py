"""The notebook's HTML outputs use JupyterLab's theme colours (with fallbacks), never a fixed
colour alone, so badges and messages read in the light and the dark theme."""

from __future__ import annotations

import re

import pytest

from jupyter_image_versions.core.models import ImageVersion
from jupyter_image_versions.notebook.doctor_html import doctor_html
from jupyter_image_versions.notebook.html import message_html, versions_html

ARN = "arn:aws:sagemaker:us-east-1:000000000000:image"
# A colour in a style: a hex value, rgb(), or a named colour such as white.
FIXED = re.compile(r"#[0-9a-fA-F]{3,8}\b|rgba?\(|(?<![\w-])(white|black)(?![\w-])")


def version(n: int, status: str, guidance: str | None) -> ImageVersion:
    return ImageVersion(
        image_name="img",
        version=n,
        arn=f"{ARN}-version/img/{n}",
        image_arn=f"{ARN}/img",
        status=status,
        aliases=("latest",),
        vendor_guidance=guidance,
        failure_reason="pull failed" if status == "CREATE_FAILED" else None,
    )


def fixed_colours(html: str) -> list[str]:
    """Colours in style attributes that are not a theme variable's fallback."""
    found = []
    for style in re.findall(r'style="([^"]*)"', html):
        bare = re.sub(r"var\(--jp-[\w-]+,[^)]*\)", "", style)
        found += [f"{m.group(0)} in {style}" for m in FIXED.finditer(bare)]
    return found


@pytest.mark.parametrize(
    "html",
    [
        versions_html(
            [
                version(1, "CREATED", "STABLE"),
                version(2, "CREATE_FAILED", "TO_BE_ARCHIVED"),
                version(3, "CREATING", "ARCHIVED"),
                version(4, "DELETING", None),
            ]
        ),
        *(message_html("done", kind) for kind in ("info", "success", "warning", "error")),
        doctor_html(
            {
                "base_image": "x",
                "findings": [
                    {"severity": s, "code": "c", "message": "m"}
                    for s in ("error", "warning", "info")
                ],
            }
        ),
    ],
)
def test_colours_are_theme_variables_with_fallbacks(html: str) -> None:
    assert "var(--jp-" in html
    assert fixed_colours(html) == []


def test_badge_text_keeps_the_theme_font_colour() -> None:
    html = versions_html([version(1, "CREATE_FAILED", "TO_BE_ARCHIVED")])
    badges = re.findall(r'<span class="jp-image-versions-badge" style="([^"]*)"', html)
    assert len(badges) == 2
    for style in badges:
        assert "color:var(--jp-ui-font-color1" in style
        assert "box-shadow:inset 3px 0 0 var(--jp-" in style


def test_statuses_and_guidance_read_as_words() -> None:
    # The sidebar's words in the magic's table: "Create failed", "To be archived", "Not provided".
    html = versions_html(
        [version(1, "CREATE_FAILED", "TO_BE_ARCHIVED"), version(2, "CREATED", None)]
    )
    text = re.sub(r"<[^>]+>", " ", html)
    assert "Create failed" in text and "To be archived" in text and "Not provided" in text
    assert not re.search(r"\b(CREATED|CREATE_FAILED|TO_BE_ARCHIVED|NOT_PROVIDED)\b", text)
