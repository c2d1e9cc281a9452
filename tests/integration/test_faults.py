# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Transport faults, access errors, bad connection options and echoed secrets (issue 10, cases 4, 5, 7).

Every case runs the module's action plugin in-process (tests/integration/inprocess.py) against the
emulator (or against a loopback socket that is no camera) and checks the result's ``error_class``,
the sentence and remedy in ``msg``, that no write was sent where none may be, and that a rerun
converges. A secret echoed by the camera is also checked in real ansible-playbook output at -vvvv
(test_an_echoed_secret_never_shows_in_the_output_at_vvvv).
"""

from __future__ import annotations

import html
import json
from urllib.parse import quote, quote_plus

import pytest

from tests.integration import harness, inprocess
from tests.loopback import NotACamera, closed_port, serving
from tests.unit.test_connection_options import BAD_CONNECTION_OPTIONS

ADMIN_PASSWORD = "Camera-Admin-7"
USERS = {"root": (ADMIN_PASSWORD, "admin"), "operator": ("Operator-Pw-3", "operator")}
INFO = "vapix.edge_storage.axis_storage_info"
LIMIT = "vapix.edge_storage.axis_storage_limit"
SETLIMIT = "record/storage/setlimit.cgi"


def admin_defaults(defaults):
    given = {"password": ADMIN_PASSWORD}
    given.update(defaults or {})
    return given


def run_tasks(camera, tasks, defaults=None, **kwargs):
    """The tasks run in-process, as the camera's admin unless defaults say otherwise."""
    return inprocess.run_tasks(camera, tasks, defaults=admin_defaults(defaults), **kwargs)


def run_playbook(camera, tasks, defaults=None, **kwargs):
    """The tasks run by real ansible-playbook, as the camera's admin unless defaults say otherwise."""
    return harness.run_playbook(camera, tasks, defaults=admin_defaults(defaults), **kwargs)


def info(**options):
    return {"name": "task", INFO: dict(options, gather_subset=["device", "disks"])}


def limit(size="2 GiB"):
    return {"name": "task", LIMIT: {"disk_id": "SD_DISK", "size": size}}


@pytest.fixture
def camera(make_camera):
    return make_camera("modern", users=USERS)


def failed(run):
    assert run.failed == 1, run
    result = run.result("task")
    assert "Traceback" not in result["msg"] and "module_stderr" not in result, result
    return result


# -- connection options: refused before the first request ------------------------------------------

@pytest.mark.parametrize("defaults, message", BAD_CONNECTION_OPTIONS)
def test_bad_connection_options_fail_with_a_message_before_any_request(camera, defaults, message):
    camera.clear_log()
    result = failed(run_tasks(camera, [info()], defaults=defaults))
    assert message in result["msg"] and result["error_class"] == "invalid_argument"
    assert "MODULE FAILURE" not in result["msg"] and camera.log() == []


@pytest.mark.parametrize("options, message", [
    ({"module": "axis_storage_limit", "disk_id": "SD_DISK", "size": "99999999999999999999999999 TiB"},
     "more than the largest limit"),
    ({"module": "axis_storage_limit", "disk_id": "SD_DISK", "size": "500 GiB"}, "larger than disk SD_DISK itself"),
    ({"module": "axis_recording_group", "id": "g", "disk_id": "SD_DISK", "retention": 100000000000000000000000},
     "more than ten years"),
    ({"module": "axis_encryption", "enabled": True, "passphrase": "   ", "allow_data_loss": True},
     "passphrase is empty or only blanks"),
    ({"module": "axis_continuous_profile", "disk_id": "SD_DISK", "options": "resolution=abc"},
     "sets resolution to 'abc'"),
    ({"module": "axis_continuous_profile", "disk_id": "SD_DISK", "options": "text=%zz"}, "two hex digits"),
    ({"module": "axis_continuous_profile", "disk_id": "SD_DISK", "options": "resolution"}, "without a value"),
    ({"module": "axis_share", "name": "nas", "address": "nas&x=1", "share": "c"}, "is not a host name"),
])
def test_bad_option_values_are_refused_before_any_write(camera, options, message):
    """Issue 10, case 6: unbounded sizes and durations, blank passphrases, bad stream options and share
    addresses reached the camera."""
    options = dict(options)
    module = options.pop("module")
    camera.clear_log()
    result = failed(run_tasks(camera, [{"name": "task", "vapix.edge_storage.%s" % module: options}]))
    assert message in result["msg"] and result["error_class"] == "invalid_argument"
    assert camera.write_count() == 0


# -- transport -------------------------------------------------------------------------------------

def test_connection_refused(camera):
    result = failed(run_tasks(camera, [info()], defaults={"port": closed_port(), "timeout": 2}))
    assert result["error_class"] == "refused" and "connection was refused" in result["msg"]
    assert result["api"] == "param-cgi"


def test_name_not_resolved(camera):
    result = failed(run_tasks(camera, [info()], defaults={"hostname": "camera.invalid", "timeout": 2}))
    assert result["error_class"] == "dns" and "could not be resolved" in result["msg"]


def test_https_to_a_plain_http_port(camera):
    result = failed(run_tasks(camera, [info()], defaults={"protocol": "https", "validate_certs": False}))
    assert result["error_class"] == "not_tls" and "set protocol: http" in result["msg"]
    assert "certificate" not in result["msg"]


@pytest.fixture
def not_a_camera():
    with serving(NotACamera) as server:
        yield server


def test_a_server_that_is_no_axis_camera(camera, not_a_camera):
    """Issue 10, case 7: a non-Axis server or a wrong port was 'this firmware lacks the API'."""
    result = failed(run_tasks(camera, [info()], defaults={"port": not_a_camera.server_address[1]}))
    assert result["error_class"] == "not_vapix" and "not an Axis device" in result["msg"]
    assert "lacks the API" not in result["msg"]


def test_a_write_that_times_out_was_applied_and_the_rerun_converges(camera):
    """Issue 10, case 7: after a timed-out write the message said nothing had changed."""
    camera.inject(answer={"path": SETLIMIT, "kind": "truncate", "hang_ms": 3000})
    result = failed(run_tasks(camera, [limit()], defaults={"timeout": 1}))
    assert result["error_class"] == "timeout" and "the camera may have applied it" in result["msg"]
    assert camera.dump()["storage_limits"]["SD_DISK"] == 2 * 1024 ** 2
    rerun = run_tasks(camera, [limit()])
    assert rerun.failed == 0 and rerun.result("task")["changed"] is False, rerun


def test_a_write_applied_but_answered_with_an_error_and_the_rerun_converges(camera):
    camera.inject(answer={"path": SETLIMIT, "kind": "device_error", "code": 10, "apply": True})
    result = failed(run_tasks(camera, [limit()]))
    assert result["error_class"] == "device" and result["code"] == 10
    assert camera.dump()["storage_limits"]["SD_DISK"] == 2 * 1024 ** 2
    rerun = run_tasks(camera, [limit()])
    assert rerun.failed == 0 and rerun.result("task")["changed"] is False, rerun


def test_device_codes_on_demand_reach_the_result(camera):
    camera.inject(answer={"path": SETLIMIT, "kind": "device_error", "code": 130, "description": "Too small"})
    result = failed(run_tasks(camera, [limit()]))
    assert result["error_class"] == "device" and result["code"] == 130
    assert "below the device minimum" in result["msg"]
    assert camera.dump()["storage_limits"]["SD_DISK"] == 0


def test_401_for_too_few_rights_after_reads_succeeded_is_forbidden(camera):
    """Issue 10, case 7: a camera answering 401 for too few rights was told 'check password'."""
    camera.inject(answer={"path": SETLIMIT, "kind": "replace_body", "status": 401, "content_type": "text/html",
                          "body": "<html>Unauthorized</html>",
                          "headers": {"WWW-Authenticate": 'Digest realm="AXIS_x", nonce="n", qop="auth"'}})
    result = failed(run_tasks(camera, [limit()], defaults={"username": "operator", "password": "Operator-Pw-3"}))
    assert result["error_class"] == "forbidden" and "accepted for the earlier requests" in result["msg"]
    assert "check username and password" not in result["msg"]


# -- secrets echoed back by the camera -----------------------------------------------------------------

SECRET = "Zq9&=%x#p\u00e4\u20ac\u00fc \u00c5"


def shown_forms(secret):
    data = secret.encode("utf-8")
    return [secret, quote(secret, safe=""), quote(secret, safe="").lower(), quote_plus(secret, safe=""),
            data.decode("iso-8859-1"), data.decode("cp1252", errors="replace"),
            "".join("&#%d;" % ord(c) if ord(c) > 127 else c for c in secret), html.escape(secret),
            json.dumps(secret)[1:-1]]


def run_echoing_the_secret(camera, echo, runner, **kwargs):
    """Enable encryption with SECRET while the camera answers with a device error that echoes its arguments."""
    fault = dict(echo, path="disks/properties/enablediskencryption.cgi", kind="device_error", code=10,
                 description="Internal error", echo_args=True)
    camera.inject(answer=fault)
    task = {"name": "task", "vapix.edge_storage.axis_encryption": {
        "enabled": True, "passphrase": SECRET, "allow_data_loss": True}}
    return runner(camera, [task], **kwargs)


def assert_secret_never_shows(result, output, secret=SECRET, charset=None):
    forms = shown_forms(secret)
    if charset:
        forms.append(secret.encode("utf-8").decode(charset, errors="replace"))
    for form in forms:
        assert form not in output, form
    assert result["error_class"] in ("device", "damaged_answer")


@pytest.mark.parametrize("echo", [
    {"echo_form": "raw"}, {"echo_form": "percent"}, {"echo_form": "percent_lower"}, {"echo_form": "plus"},
    {"echo_form": "entities"}, {"echo_form": "json"},
    {"echo_form": "raw", "declare_charset": "iso-8859-1"},       # UTF-8 bytes read as ISO-8859-1
    {"echo_form": "raw", "declare_charset": "windows-1252"},     # ... or as cp1252
    # ... or in any other charset the camera declares, one byte or several per character
    {"echo_form": "raw", "declare_charset": "windows-1250"}, {"echo_form": "raw", "declare_charset": "koi8-r"},
    {"echo_form": "raw", "declare_charset": "shift_jis"},
])
def test_a_non_ascii_secret_echoed_by_the_camera_never_shows(camera, echo):
    """Issue 10, case 4: a device error echoing pass= showed the mis-decoded password in msg and at -vvvv."""
    run = run_echoing_the_secret(camera, echo, run_tasks)
    result = failed(run)
    # every result the plugin returned, invocation included (what Ansible shows at -vvvv)
    assert_secret_never_shows(result, json.dumps(run.results, ensure_ascii=False), charset=echo.get("declare_charset"))


@pytest.mark.parametrize("secret", ["CrLf\r\nQuokka0815", "Cr\rZebra4711"])
def test_a_secret_with_a_line_end_echoed_in_xml_never_shows(camera, secret):
    """An XML parser turns CR LF and CR into LF: the echoed secret no longer reads as it was sent."""
    camera.inject(answer=dict(path="disks/properties/enablediskencryption.cgi", kind="device_error", code=10,
                              description="Internal error", echo_args=True, echo_form="raw"))
    run = run_tasks(camera, [{"name": "task", "vapix.edge_storage.axis_encryption": {
        "enabled": True, "passphrase": secret, "allow_data_loss": True}}])
    result = failed(run)
    output = json.dumps(run.results, ensure_ascii=False)
    assert_secret_never_shows(result, output, secret=secret)
    assert "Quokka0815" not in output and "Zebra4711" not in output


def test_an_echoed_secret_never_shows_in_the_output_at_vvvv(camera):
    """The same through ansible-playbook -vvvv: its output shows none of the secret's forms either."""
    run = run_echoing_the_secret(camera, {"echo_form": "raw", "declare_charset": "iso-8859-1"}, run_playbook,
                                 verbosity=4)
    result = failed(run)
    assert_secret_never_shows(result, json.dumps(result, ensure_ascii=False) + run.stdout + run.stderr)
