# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's playbooks with only VAPIX_* credentials in the environment (what an AWX/AAP
custom credential injects), at -vvvv, with no secret in their output."""

from __future__ import annotations

import json

import pytest

from tests.integration.harness import run_collection_playbook

CAMERA_PASSWORD = "Cam-Env&S3cret pw"
SHARE_PASSWORD = "Nas-Inv&S3cret=pw"
ROLE_TASK = "vapix.edge_storage.edge_storage : Converge the edge storage of the camera"


@pytest.fixture
def env_camera(make_camera):
    """A camera whose root password is only known through the environment."""
    return make_camera("modern", users={"root": (CAMERA_PASSWORD, "admin")})


def credential_env(camera):
    """What the credential type of docs/fleet.md injects; fields left empty arrive as '' and count as unset."""
    return {"VAPIX_USERNAME": "root", "VAPIX_PASSWORD": CAMERA_PASSWORD, "VAPIX_PROTOCOL": "http",
            "VAPIX_PORT": str(camera.port), "VAPIX_CA_PATH": "", "VAPIX_TIMEOUT": ""}


def hosts(camera, **role_vars):
    """One camera host with the role's desired state and no connection variable but its address."""
    host = {"ansible_host": camera.host,
            "edge_storage_shares": [{"name": "nas1", "address": "nas.example.com", "share": "cameras",
                                     "share_username": "cam", "share_password": SHARE_PASSWORD, "bound": True}],
            "edge_storage_disks": [{"disk_id": "SD_DISK", "friendly_name": "SD card"}]}
    host.update(role_vars)
    return {"cam0": host}


def assert_no_secret(run):
    for text in (run.stdout, run.stderr, repr(run.results)):
        for secret in (CAMERA_PASSWORD, SHARE_PASSWORD):
            assert secret not in text
            assert secret.replace("&", "%26") not in text


def test_converge_audit_and_report_run_with_vapix_credentials_only_and_show_no_secret(env_camera, tmp_path):
    env = credential_env(env_camera)
    audit = run_collection_playbook("audit.yml", hosts(env_camera), verbosity=4, env=env)
    assert audit.rc == 0, audit
    assert_no_secret(audit)
    assert audit.result(ROLE_TASK)["changed"] is True
    assert env_camera.write_count() == 0

    converged = run_collection_playbook("converge.yml", hosts(env_camera), verbosity=4, env=env)
    assert converged.rc == 0, converged
    assert_no_secret(converged)
    # The camera got the declared state.
    assert [share["share_id"] for share in env_camera.dump()["shares"]] == ["nas1"]
    assert env_camera.model.share("nas1").password == SHARE_PASSWORD

    report = run_collection_playbook("report.yml", hosts(env_camera), verbosity=4, env=env,
                                     extra_vars={"report_dir": str(tmp_path)})
    assert report.rc == 0, report
    assert_no_secret(report)
    inventory = json.loads((tmp_path / "inventory.json").read_text())
    assert [share["disk_id"] for share in inventory["cameras"][0]["shares"]] == ["NetworkShare"]

    audit = run_collection_playbook("audit.yml", hosts(env_camera), verbosity=4, env=env)
    assert audit.rc == 0, audit
    assert audit.result(ROLE_TASK)["changed"] is False


def test_a_refused_role_variable_shows_no_secret(env_camera):
    run = run_collection_playbook("converge.yml", hosts(env_camera, edge_storage_purge=["disks"]), verbosity=4,
                                  env=credential_env(env_camera))
    assert run.rc != 0
    message = run.result(ROLE_TASK)["msg"]
    assert message.startswith("value of purge must be one or more of: shares, continuous_profiles, recording_groups")
    assert message.endswith("In the edge_storage role: purge is the variable edge_storage_purge.")
    assert_no_secret(run)
    assert env_camera.write_count() == 0


def test_the_role_skips_what_a_legacy_camera_lacks_when_told_to(make_camera):
    legacy = make_camera("legacy", users={"root": (CAMERA_PASSWORD, "admin")})
    desired = hosts(legacy, edge_storage_storage_limits={"SD_DISK": "2 GiB"}, edge_storage_unsupported="skip")
    run = run_collection_playbook("converge.yml", desired, env=credential_env(legacy))
    assert run.rc == 0, run
    result = run.result(ROLE_TASK)
    assert result["changed"] is True
    assert [entry["what"] for entry in result["skipped_unsupported"]] == ["storage limit SD_DISK (storage_limits)"]
    assert [share["share_id"] for share in legacy.dump()["shares"]] == ["nas1"]
    again = run_collection_playbook("converge.yml", desired, env=credential_env(legacy))
    assert again.rc == 0, again
    assert again.result(ROLE_TASK)["changed"] is False


@pytest.mark.parametrize("playbook", ["audit.yml", "report.yml"])
def test_a_limit_that_leaves_out_localhost_fails_before_any_request_instead_of_ending_green_without_a_report(
        env_camera, tmp_path, playbook):
    """The report play runs on localhost, which --limit cam0 leaves out: the run would end green with no
    report (and no drift failure). It fails first, saying how to choose cameras instead."""
    env = credential_env(env_camera)
    extra = {"report_dir": str(tmp_path), "audit_report_dir": str(tmp_path)}
    refused = run_collection_playbook(playbook, hosts(env_camera), env=env, limit="cam0", extra_vars=extra)
    assert refused.rc != 0, refused
    assert "--limit cam0 leaves out localhost" in refused.stdout and "-e target=cam0" in refused.stdout
    assert env_camera.log() == [] and list(tmp_path.iterdir()) == []
    written = run_collection_playbook(playbook, hosts(env_camera), env=env, limit="cam0,localhost",
                                      extra_vars=extra)
    assert written.rc == 0, written
    assert list(tmp_path.iterdir())


@pytest.mark.parametrize("playbook", ["audit.yml", "report.yml"])
def test_a_limit_that_excludes_localhost_by_name_is_refused_too(env_camera, tmp_path, playbook):
    """--limit 'all:!localhost' names localhost only to leave it out: the run would end green with no report,
    also with drift and audit_fail_on_drift=true. It is refused before any request."""
    env = credential_env(env_camera)
    extra = {"report_dir": str(tmp_path), "audit_report_dir": str(tmp_path), "audit_fail_on_drift": True}
    refused = run_collection_playbook(playbook, hosts(env_camera), env=env, limit="all:!localhost", extra_vars=extra)
    assert refused.rc != 0, refused
    assert "--limit all:!localhost leaves out localhost" in refused.stdout
    assert env_camera.log() == [] and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("playbook", ["audit.yml", "report.yml"])
def test_a_target_that_matches_no_camera_fails_instead_of_passing_with_an_empty_report(env_camera, tmp_path, playbook):
    """-e target=cam7 with no cam7 in the inventory: Ansible only warns and the first play runs on nobody; the run
    writes its empty report and fails, naming the pattern, instead of 'Every camera was audited'."""
    env = credential_env(env_camera)
    extra = {"report_dir": str(tmp_path), "audit_report_dir": str(tmp_path), "target": "cam7"}
    run = run_collection_playbook(playbook, hosts(env_camera), env=env, extra_vars=extra)
    assert run.rc == 2, run
    assert "the hosts pattern cam7 matches no host of the inventory" in run.stdout
    assert json.loads(next(tmp_path.glob("*.json")).read_text())["summary"]["cameras"] == 0
    assert env_camera.log() == []


def test_the_report_reads_no_other_port_when_the_port_variable_cannot_be_templated(env_camera, tmp_path):
    """edge_storage_port names a variable this camera lacks: the report fails the camera naming it, as the role
    does, instead of reading whatever answers on the protocol's default port (behind a NAT, another device)."""
    env = credential_env(env_camera)
    del env["VAPIX_PORT"]
    camera_hosts = hosts(env_camera, edge_storage_port="{{ cam0_nat_port }}", edge_storage_timeout=3)
    run = run_collection_playbook("report.yml", camera_hosts, env=env, extra_vars={"report_dir": str(tmp_path)})
    assert run.rc == 2, run
    entry = json.loads((tmp_path / "inventory.json").read_text())["cameras"][0]
    assert entry["status"] == "failed"
    assert "cam0_nat_port" in entry["error"]["message"] and "is undefined" in entry["error"]["message"]
    assert env_camera.log() == []
