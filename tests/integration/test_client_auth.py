# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Authentication and TLS of the client, through module runs against the emulator.

The scenarios run the action plugin in-process (tests/integration/inprocess.py); a wrong password taken from
the environment by a lookup goes through real ansible-playbook at -vvv, whose output must not show it
(test_wrong_password_is_masked_and_explained)."""

from __future__ import annotations

from tests.integration.harness import run_playbook
from tests.integration.inprocess import run_tasks

INFO = "vapix.edge_storage.axis_storage_info"
LIMIT = "vapix.edge_storage.axis_storage_limit"


def info_task(name="info", **options):
    return {"name": name, INFO: options}


def test_digest_costs_exactly_one_401_per_module_run(camera):
    camera.clear_log()
    run = run_tasks(camera, [info_task("first"), info_task("second", gather_subset=["disks", "limits"])])
    assert run.rc == 0, run
    requests = run.result("first")["requests"] + run.result("second")["requests"]
    assert requests > 8
    assert camera.challenge_count() == 2
    statuses = [entry["status"] for entry in camera.log()]
    assert statuses.count(401) == 2
    # each module run opens with its one challenge, then every request is authorised
    assert statuses[0] == 401 and statuses[1:].count(401) == 1


def test_digest_without_qop_as_the_captures_offer_it_costs_one_401_per_run(legacy_camera):
    # Both real captures say AuthenticationWithQop=no; the legacy profile follows them: its challenge has no qop,
    # so the client answers it the RFC 2069 way, and a write goes through on the same nonce.
    assert legacy_camera.dump()["params"]["Network.HTTP.AuthenticationWithQop"] == "no"
    legacy_camera.clear_log()
    run = run_tasks(legacy_camera, [info_task(), {"name": "limit", "vapix.edge_storage.axis_disk": {
        "disk_id": "SD_DISK", "cleanup_max_age": 3}}])
    assert run.rc == 0 and run.result("limit")["changed"] is True, run
    assert legacy_camera.challenge_count() == 2 and legacy_camera.write_count() == 1
    assert legacy_camera.dump()["params"]["Storage.S0.CleanupMaxAge"] == "3"


def test_basic_auth_works_where_the_camera_allows_it(legacy_camera):
    legacy_camera.clear_log()
    run = run_tasks(legacy_camera, [info_task(gather_subset=["device"])], defaults={"auth": "basic"})
    assert run.rc == 0, run
    assert run.result("info")["device"]["model"] == "AXIS P5512"
    assert legacy_camera.challenge_count() == 0


def test_basic_auth_refused_by_a_digest_only_camera_says_what_to_check(camera):
    run = run_tasks(camera, [info_task(gather_subset=["device"])], defaults={"auth": "basic"})
    assert run.failed == 1
    result = run.result("info")
    assert result["http_status"] == 401 and result["error_class"] == "auth"
    assert "the camera accepts only Digest authentication and auth is basic" in result["msg"]
    assert "set auth: digest" in result["msg"]


def test_digest_refused_by_a_basic_only_camera_says_set_auth_basic(camera):
    """Issue 10, case 7: a Basic-only camera asked with Digest was told it 'may only accept digest'."""
    with camera.model.lock:
        camera.model.auth_policy = "basic"
    run = run_tasks(camera, [info_task(gather_subset=["device"])])
    result = run.result("info")
    assert run.failed == 1 and result["error_class"] == "auth"
    assert "accepts only Basic authentication and auth is digest (set auth: basic)" in result["msg"]


def test_wrong_password_is_masked_and_explained(camera):
    secret = "wr0ng&pass=%x y"
    # From the environment, as AWX injects it: ansible-core prints a failing task's playbook
    # source, which would otherwise hold the literal password.
    run = run_playbook(camera, [info_task(gather_subset=["device"])], verbosity=3,
                       defaults={"password": "{{ lookup('env', 'TEST_CAMERA_PASSWORD') }}"},
                       env={"TEST_CAMERA_PASSWORD": secret})
    assert run.failed == 1
    result = run.result("info")
    assert "authentication failed for user 'root'" in result["msg"] and result["error_class"] == "auth"
    assert "check username and password" in result["msg"]
    assert secret not in repr(result) and secret not in run.stdout + run.stderr


def test_viewer_is_told_which_access_level_is_missing(make_camera):
    camera = make_camera("modern", users={"root": ("pass", "admin"), "guest": ("guest pw", "viewer")})
    run = run_tasks(camera, [{"name": "limit", LIMIT: {"disk_id": "SD_DISK", "size": "2 GiB"}}],
                    defaults={"username": "guest", "password": "guest pw"})
    assert run.failed == 1
    result = run.result("limit")
    assert result["http_status"] == 403 and result["error_class"] == "forbidden"
    assert "user 'guest' lacks the access level" in result["msg"] and "operator or admin" in result["msg"]
    assert camera.write_count() == 0


def test_tls_is_verified_by_default(make_camera):
    camera = make_camera("modern", tls=True)
    assert camera.ca_path
    without_ca = run_tasks(camera, [info_task(gather_subset=["device"])], defaults={"ca_path": None})
    assert without_ca.failed == 1
    failed = without_ca.result("info")
    assert failed["error_class"] == "tls" and "certificate was not accepted" in failed["msg"]
    assert "set ca_path" in failed["msg"]
    with_ca = run_tasks(camera, [info_task(gather_subset=["device"])])
    assert with_ca.rc == 0, with_ca
    assert with_ca.result("info")["device"]["firmware_version"] == "9.80.2.2"
