"""Issue 12's defects under a lost reply or a failed read, each reproduced through the proxy."""

from __future__ import annotations

import pytest

from jupyter_image_versions import ImageVersionSpec
from jupyter_image_versions.core.errors import AwsError, SpecError

from .faultproxy import always, once
from .reliability_helpers import ROLE, alias_holders, rig, target_is, version_count


def _seed(r, versions: int = 2) -> str:
    r.endpoint.put_ecr_image("team/pytorch", "2.3-gpu")
    base = r.endpoint.registry_uri("team/pytorch", "2.3-gpu")
    r.direct.create_image("img", role_arn=ROLE)
    for n in range(versions):
        aliases = ["stable"] if n == 0 else []
        spec = ImageVersionSpec("img", base, aliases=aliases, release_notes=f"v{n + 1}")
        r.direct.register(spec)
    return base


@pytest.mark.parametrize("step", ["AliasesToDelete", "AliasesToAdd"])
def test_move_alias_survives_a_lost_reply_to_either_step(monkeypatch, step):
    lost = once(target_is("UpdateImageVersion", **{step: ["stable"]}), "reset")
    with rig(monkeypatch, rules=[lost]) as r:
        _seed(r)
        moved = r.service.move_alias("img", "stable", 2)
        assert r.proxy.stats.resets_after_commit == 1
        assert "stable" in moved.aliases
        assert alias_holders(r.endpoint, "img") == {"stable": [2]}


def test_move_alias_is_never_on_none_when_its_remove_and_the_reads_after_it_fail(monkeypatch):
    """The remove is done but its reply is lost, and so are the reads that would tell: the
    move fails, with the alias back on its holder (before the fix: on no version)."""
    remove = target_is("UpdateImageVersion", AliasesToDelete=["stable"])
    holder_read = target_is("DescribeImageVersion", Alias="stable")
    lost = {"remove": 0, "reads": 0}

    def rule(target: str, body: bytes):
        if lost["remove"] == 0 and remove(target, body):
            lost["remove"] = 1
            return "reset"
        if lost["remove"] and lost["reads"] < 3 and holder_read(target, body):
            lost["reads"] += 1  # every attempt of the read after the remove
            return "reset"
        return None

    with rig(monkeypatch, rules=[rule], max_attempts=3) as r:
        _seed(r)
        with pytest.raises(AwsError):
            r.service.move_alias("img", "stable", 2)
        assert lost == {"remove": 1, "reads": 3}
        assert alias_holders(r.endpoint, "img") == {"stable": [1]}


def test_update_move_aliases_survives_a_lost_reply(monkeypatch):
    lost = once(target_is("UpdateImageVersion", AliasesToDelete=["stable"]), "reset")
    with rig(monkeypatch, rules=[lost]) as r:
        _seed(r)
        updated = r.service.update("img", 2, move_aliases=["stable"], release_notes="moved")
        assert "stable" in updated.aliases and updated.release_notes == "moved"
        assert alias_holders(r.endpoint, "img") == {"stable": [2]}


def test_a_refused_move_puts_the_alias_back_even_when_the_put_back_reply_is_lost(monkeypatch):
    refused = (400, "ValidationException")
    refuse_add = always(
        target_is("UpdateImageVersion", AliasesToAdd=["stable"], Version=2), refused
    )
    put_back = target_is("UpdateImageVersion", AliasesToAdd=["stable"], Version=1)
    lost_put_back = once(put_back, "reset")
    with rig(monkeypatch, rules=[refuse_add, lost_put_back]) as r:
        _seed(r)
        with pytest.raises(SpecError):
            r.service.move_alias("img", "stable", 2)
        assert alias_holders(r.endpoint, "img") == {"stable": [1]}


def test_register_refuses_clearly_when_the_digest_cannot_be_read(monkeypatch):
    """Before the fix the digest was dropped, the token changed and a retry made version 2."""
    failing = always(target_is("DescribeImages"), (500, "InternalFailure"))
    with rig(monkeypatch, rules=[failing], max_attempts=3) as r:
        base = _seed(r, versions=0)
        spec = ImageVersionSpec("img", base, release_notes="one")
        with pytest.raises(AwsError, match="digest"):
            r.service.register(spec)
        r.proxy.rules.clear()  # ECR answers again: the retry of the same registration
        first = r.service.register(spec)
        again = r.service.register(spec)
        assert first.version == again.version == 1
        assert version_count(r.endpoint, "img") == 1


def test_register_of_an_unreadable_repository_keeps_a_stable_token(monkeypatch):
    """Not found / not allowed is an answer, not a failed read: the token is the spec's own."""
    with rig(monkeypatch) as r:
        r.direct.create_image("img", role_arn=ROLE)
        base = r.endpoint.registry_uri("team/elsewhere", "1.0")
        spec = ImageVersionSpec("img", base)
        assert r.service.register(spec, wait=False).version == 1
        assert r.service.register(spec, wait=False).version == 1
