# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_share: id derivation, lookup, validation, and the planner's decision for each case.

The planner is fed a fake device (listed shares, one disk status) and the
tests assert the exact step actions, their order and the arguments each step
sends when run.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ansible_collections.vapix.edge_storage.plugins.module_utils import _parsers, _xml
from ansible_collections.vapix.edge_storage.plugins.module_utils._client import VapixClient
from ansible_collections.vapix.edge_storage.plugins.module_utils._device import CALLS, Device, cgi_name
from ansible_collections.vapix.edge_storage.plugins.module_utils._engine import apply_steps, converge, summarize
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    NETWORK_SHARE,
    ConflictError,
    StepError,
    UnsupportedError,
    ValidationError,
    VapixError,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource_share import (
    ARGUMENT_SPEC,
    OtherSharesResource,
    ShareResource,
    build_resources,
    derive_share_id,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PASSWORD = "s3cr&t=x %20y"


def fixture(name):
    return _xml.parse((FIXTURES / name).read_text())


def listed(share_id, name=None, address="nas.example.com", share="cameras", username="cam", disk_id=None):
    """A share as _parsers.parse_share_list reports it."""
    return {"share_id": share_id, "nice_name": name if name is not None else share_id, "address": address,
            "share": share, "username": username, "disk_id": disk_id}


def params(**given):
    values = dict((key, spec.get("default")) for key, spec in ARGUMENT_SPEC.items())
    values.update(given)
    return values


class FakeDevice(object):
    """Listed shares and the status of the network share disk; records every write a step makes."""

    def __init__(self, shares=(), status="OK", network_share=True, test_error=None):
        self._shares = dict((one["share_id"], one) for one in shares)
        self.status = status
        self.network_share = network_share
        self.test_error = test_error
        self.calls = []
        self.progress = []

    # Counted as the client would: every call a step makes here is a write but the share test's.
    @property
    def write_count(self):
        return len([call for call in self.calls if call[0] not in ("test.cgi", "job.cgi")])

    unanswered_writes = 0

    def shares(self):
        return self._shares

    def disk(self, disk_id):
        return {"disk_id": disk_id, "status": self.status}

    def supports_network_share(self):
        return self.network_share

    def firmware_version(self):
        return "5.51.7"

    def invalidate(self, *families):
        pass

    def report_progress(self, what, percent):
        self.progress.append((what, percent))

    # The real Device methods build each request; _send, _parsed and _start_job below answer it.
    test_share = Device.test_share
    share_job = Device.share_job
    add_share = Device.add_share
    modify_share = Device.modify_share
    remove_share = Device.remove_share
    bind_share = Device.bind_share
    unbind_share = Device.unbind_share
    unmount = Device.unmount

    def _record(self, name, args):
        """Log the request as the CGI and its arguments (but the schema version every share call carries)."""
        sent = dict(CALLS[name].leading_args + tuple(args))
        sent.pop("schemaversion", None)
        self.calls.append((cgi_name(name), sent))

    def _send(self, name, args=(), envelope=True):
        self._record(name, args)
        if name == "test_share":
            return fixture("share_test_started.xml")
        if name == "share_job" and self.test_error:
            raise self.test_error
        return fixture("share_job_done.xml")

    def _parsed(self, name, args, parse, envelope=True):
        return parse(self._send(name, args, envelope))

    def _start_job(self, name, args):
        self._record(name, args)
        return "7"

    def disk_job(self, disk_id, job_id):
        self.calls.append(("disks/job.cgi", {"jobid": job_id, "diskid": disk_id}))
        return {"job_id": job_id, "progress": 100}

    @property
    def cgis(self):
        return [cgi for cgi, _args in self.calls]

    def args(self, cgi):
        return [args for called, args in self.calls if called == cgi]


def plan(device, **given):
    resource = ShareResource(params(**given))
    return resource, resource.plan(device, resource.read(device))


def actions(steps):
    return [step.action for step in steps]


def run(device, steps, resource=None):
    apply_steps(device, resource or ShareResource(params(name="x")), steps)


BOUND_NAS1 = listed("nas1", disk_id="NetworkShare")
DECLARED_NAS1 = dict(name="nas1", address="nas.example.com", share="cameras", share_username="cam", bound=True)


def declared(**changes):
    """DECLARED_NAS1 with some options changed."""
    options = dict(DECLARED_NAS1)
    options.update(changes)
    return options


# -- share ids ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["nas1", "NAS-2", "a", "0-0"])
def test_a_name_the_device_accepts_as_id_is_the_id(name):
    assert derive_share_id(name) == name


def test_other_names_become_slug_and_stable_hash():
    digest = hashlib.sha256("Site NAS".encode("utf-8")).hexdigest()[:8]
    assert derive_share_id("Site NAS") == "Site-NAS-%s" % digest
    assert derive_share_id("Site NAS") == derive_share_id("Site NAS")


def test_names_that_slug_alike_get_different_ids():
    assert derive_share_id("Site NAS") != derive_share_id("Site_NAS")
    assert derive_share_id("Site NAS").startswith("Site-NAS-") and derive_share_id("Site_NAS").startswith("Site-NAS-")


@pytest.mark.parametrize("name", ["Åland NAS / rec #1", "日本", "x" * 80 + " y", "  --  "])
def test_derived_ids_are_valid_device_ids_and_short(name):
    share_id = derive_share_id(name)
    assert _device_accepts(share_id)
    assert len(share_id) <= 24 + 1 + 8


def test_a_name_without_allowed_characters_gets_share_prefix():
    assert derive_share_id("日本").startswith("share-")


def _device_accepts(share_id):
    return bool(share_id) and all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in share_id)


# -- validation ---------------------------------------------------------------------------

@pytest.mark.parametrize("given, words", [
    (dict(), ["set name", "share_id"]),
    (dict(name="  "), ["name must not be empty"]),
    (dict(share_id="nas 1"), ["'nas 1' is not valid", "letters, digits and '-'", "leave share_id out"]),
    (dict(share_id="nas_1"), ["'nas_1' is not valid"]),
    (dict(name="nas1", address=""), ["address must not be empty"]),
    (dict(name="nas1", share=" "), ["share must not be empty"]),
    (dict(name="nas1", job_timeout=0), ["job_timeout must be a positive number of seconds, got 0"]),
])
def test_validation_messages_say_what_is_wrong(given, words):
    with pytest.raises(ValidationError) as info:
        ShareResource(params(**given))
    for word in words:
        assert word in str(info.value)


def test_adding_without_address_and_share_says_what_is_missing():
    with pytest.raises(ValidationError, match="share nas1 does not exist on the camera; set address and share to add it"):
        plan(FakeDevice(), name="nas1", bound=True)


def test_camera_without_network_share_support_is_unsupported():
    with pytest.raises(UnsupportedError, match="Properties.NetworkShare.NetworkShare.*5.51.7"):
        plan(FakeDevice(network_share=False), **DECLARED_NAS1)


# -- lookup ---------------------------------------------------------------------------------

def test_lookup_prefers_share_id_then_nice_name_then_derived_id():
    by_id = listed("abc", name="nas1")
    by_name = listed("def", name="Site NAS")
    by_derived = listed(derive_share_id("Lab NAS"), name="renamed elsewhere")
    device = FakeDevice([by_id, by_name, by_derived])
    assert ShareResource(params(name="Site NAS", share_id="abc")).read(device)["share_id"] == "abc"
    assert ShareResource(params(name="Site NAS")).read(device)["share_id"] == "def"
    assert ShareResource(params(name="Lab NAS")).read(device)["share_id"] == derive_share_id("Lab NAS")
    assert ShareResource(params(share_id="zzz")).read(device) is None


def test_read_uses_our_field_names_and_never_a_password():
    device = FakeDevice([BOUND_NAS1])
    state = ShareResource(params(name="nas1", share_password=PASSWORD)).read(device)
    assert state == {"name": "nas1", "share_id": "nas1", "address": "nas.example.com", "share": "cameras",
                     "share_username": "cam", "bound": True, "disk_id": "NetworkShare"}


# -- planning: new share -------------------------------------------------------------------

def test_new_bound_share_is_tested_first_then_added_then_bound():
    device = FakeDevice()
    _resource, steps = plan(device, share_password=PASSWORD, **DECLARED_NAS1)
    assert actions(steps) == ["test", "add", "bind"]
    run(device, steps)
    assert device.cgis == ["test.cgi", "job.cgi", "add.cgi", "bind.cgi"]
    assert device.args("test.cgi") == [{"address": "nas.example.com", "share": "cameras", "user": "cam",
                                        "pass": PASSWORD}]
    assert device.args("job.cgi") == [{"jobid": "4"}]
    assert device.args("add.cgi") == [{"shareid": "nas1", "nicename": "nas1", "address": "nas.example.com",
                                       "share": "cameras", "user": "cam", "pass": PASSWORD}]
    assert device.args("bind.cgi") == [{"shareid": "nas1", "automaticmount": "yes"}]


def test_new_share_gets_the_derived_id_and_its_name():
    device = FakeDevice()
    _resource, steps = plan(device, name="Site NAS", address="192.0.2.10", share="rec")
    assert actions(steps) == ["add"]
    run(device, steps)
    assert device.args("add.cgi")[0]["shareid"] == derive_share_id("Site NAS")
    assert device.args("add.cgi")[0]["nicename"] == "Site NAS"


def test_new_share_with_only_share_id_is_named_after_it():
    device = FakeDevice()
    _resource, steps = plan(device, share_id="nas9", address="a", share="b")
    run(device, steps)
    assert device.args("add.cgi") == [{"shareid": "nas9", "nicename": "nas9", "address": "a", "share": "b"}]


def test_new_unbound_share_is_not_tested():
    _resource, steps = plan(FakeDevice(), name="nas1", address="a", share="b", bound=False)
    assert actions(steps) == ["add"]


def test_test_share_false_skips_the_test():
    _resource, steps = plan(FakeDevice(), test_share=False, **DECLARED_NAS1)
    assert actions(steps) == ["add", "bind"]


def test_failing_share_test_stops_before_any_write_with_device_code():
    error = VapixError(NETWORK_SHARE, "disks/networkshare/job.cgi?jobid=4", "No such hostname.", code=700)
    device = FakeDevice(test_error=error)
    resource, steps = plan(device, **DECLARED_NAS1)
    with pytest.raises(StepError) as info:
        apply_steps(device, resource, steps)
    assert device.cgis == ["test.cgi", "job.cgi"]
    message = str(info.value)
    assert "device error 700" in message and "host name could not be resolved" in message
    assert "nothing had been changed before it" in message
    assert info.value.as_dict()["code"] == 700


# -- planning: existing share --------------------------------------------------------------

def test_unchanged_share_plans_nothing_even_with_a_password_on_create():
    _resource, steps = plan(FakeDevice([BOUND_NAS1]), share_password=PASSWORD, **DECLARED_NAS1)
    assert steps == []


def test_connection_change_on_bound_share_is_test_unmount_unbind_modify_bind():
    device = FakeDevice([BOUND_NAS1])
    _resource, steps = plan(device, share_password=PASSWORD, **declared(address="nas2.example.com"))
    assert actions(steps) == ["test", "unmount", "unbind", "modify", "bind"]
    run(device, steps)
    assert device.cgis == ["test.cgi", "job.cgi", "mount.cgi", "disks/job.cgi", "unbind.cgi", "modify.cgi",
                           "bind.cgi"]
    assert device.args("mount.cgi") == [{"action": "unmount", "diskid": "NetworkShare"}]
    assert device.args("disks/job.cgi") == [{"jobid": "7", "diskid": "NetworkShare"}]
    assert device.progress == [("share test", 100), ("unmount of disk NetworkShare", 100)]
    # on_create: the declared password goes with a connection change
    assert device.args("modify.cgi") == [{"shareid": "nas1", "address": "nas2.example.com", "pass": PASSWORD}]
    assert device.args("test.cgi") == [{"shareid": "nas1", "address": "nas2.example.com", "share": "cameras",
                                        "user": "cam", "pass": PASSWORD}]
    assert all(PASSWORD not in step.text for step in steps)


def test_connection_change_without_password_tests_with_the_stored_one():
    device = FakeDevice([BOUND_NAS1])
    _resource, steps = plan(device, **declared(share="cameras2"))
    run(device, steps)
    assert device.args("test.cgi") == [{"shareid": "nas1", "address": "nas.example.com", "share": "cameras2",
                                        "user": "cam"}]
    assert device.args("modify.cgi") == [{"shareid": "nas1", "share": "cameras2"}]


@pytest.mark.parametrize("status", ["connected", "failed", "disconnected"])
def test_bound_share_that_is_not_mounted_is_not_unmounted(status):
    _resource, steps = plan(FakeDevice([BOUND_NAS1], status=status), **declared(address="nas2"))
    assert actions(steps) == ["test", "unbind", "modify", "bind"]


def test_nice_name_only_change_on_bound_share_is_one_modify_without_password():
    device = FakeDevice([BOUND_NAS1])
    _resource, steps = plan(device, share_id="nas1", name="Front NAS", share_password=PASSWORD, bound=True)
    assert actions(steps) == ["modify"]
    run(device, steps)
    assert device.args("modify.cgi") == [{"shareid": "nas1", "nicename": "Front NAS"}]


def test_rename_and_connection_change_are_one_modify_after_unbind():
    device = FakeDevice([BOUND_NAS1])
    _resource, steps = plan(device, share_id="nas1", name="Front NAS", share_username="rec")
    assert actions(steps) == ["test", "unmount", "unbind", "modify", "bind"]
    run(device, steps)
    assert device.args("modify.cgi") == [{"shareid": "nas1", "nicename": "Front NAS", "user": "rec"}]


def test_update_password_always_resends_the_password_through_a_full_rebind():
    device = FakeDevice([BOUND_NAS1])
    _resource, steps = plan(device, share_password=PASSWORD, update_password="always", **DECLARED_NAS1)
    assert actions(steps) == ["test", "unmount", "unbind", "modify", "bind"]
    run(device, steps)
    assert device.args("modify.cgi") == [{"shareid": "nas1", "pass": PASSWORD}]
    assert "password sent" in steps[3].text and PASSWORD not in steps[3].text


def test_update_password_always_without_a_password_changes_nothing():
    _resource, steps = plan(FakeDevice([BOUND_NAS1]), update_password="always", **DECLARED_NAS1)
    assert steps == []


def test_update_password_always_on_unbound_share_is_a_modify():
    share = listed("nas1")
    _resource, steps = plan(FakeDevice([share]), name="nas1", share_password=PASSWORD, update_password="always")
    assert actions(steps) == ["modify"]


def test_binding_an_existing_unbound_share_is_just_bind():
    _resource, steps = plan(FakeDevice([listed("nas1")]), name="nas1", bound=True)
    assert actions(steps) == ["bind"]


def test_changed_unbound_share_that_gets_bound_is_tested_modified_bound():
    _resource, steps = plan(FakeDevice([listed("nas1")]), name="nas1", address="nas2", bound=True)
    assert actions(steps) == ["test", "modify", "bind"]


def test_bound_false_unmounts_and_unbinds():
    _resource, steps = plan(FakeDevice([BOUND_NAS1]), name="nas1", bound=False)
    assert actions(steps) == ["unmount", "unbind"]


def test_bound_not_given_keeps_the_binding_and_rebinds_after_a_change():
    _resource, steps = plan(FakeDevice([BOUND_NAS1]), name="nas1", address="nas2")
    assert actions(steps) == ["test", "unmount", "unbind", "modify", "bind"]


def test_connection_change_and_bound_false_is_not_tested():
    _resource, steps = plan(FakeDevice([BOUND_NAS1]), name="nas1", address="nas2", bound=False)
    assert actions(steps) == ["unmount", "unbind", "modify"]


def test_rename_onto_another_shares_name_is_a_conflict_before_any_write():
    device = FakeDevice([BOUND_NAS1, listed("b", name="Back NAS")])
    with pytest.raises(ConflictError, match="share b already has that nice name"):
        plan(device, share_id="nas1", name="Back NAS")


def test_new_share_id_whose_name_is_taken_is_a_conflict():
    device = FakeDevice([listed("other", name="nas1")])
    with pytest.raises(ConflictError, match="set share_id: other to manage it"):
        plan(device, share_id="nas1", name="nas1", address="a", share="b")


# -- planning: removal ----------------------------------------------------------------------

def test_removing_a_bound_share_is_unmount_unbind_remove():
    device = FakeDevice([BOUND_NAS1])
    _resource, steps = plan(device, name="nas1", state="absent")
    assert actions(steps) == ["unmount", "unbind", "remove"]
    run(device, steps)
    assert device.args("remove.cgi") == [{"shareid": "nas1"}]


def test_removing_an_unbound_share_is_remove():
    _resource, steps = plan(FakeDevice([listed("nas1")]), name="nas1", state="absent")
    assert actions(steps) == ["remove"]


def test_removing_a_missing_share_is_nothing():
    _resource, steps = plan(FakeDevice(), name="nas1", state="absent")
    assert steps == []


# -- planning: the network share disk held by another share -------------------------------

OLD = listed("old-nas", name="Old NAS", address="192.0.2.7", share="rec", disk_id="NetworkShare")


def test_binding_while_another_share_holds_the_disk_names_it():
    with pytest.raises(ConflictError) as info:
        plan(FakeDevice([OLD]), **DECLARED_NAS1)
    message = str(info.value)
    assert "'Old NAS' (id old-nas)" in message and "address 192.0.2.7" in message
    assert "replace_bound: true" in message


def test_replace_bound_unbinds_the_holder_after_the_test_and_before_the_add():
    device = FakeDevice([OLD])
    _resource, steps = plan(device, replace_bound=True, **DECLARED_NAS1)
    assert actions(steps) == ["test", "unmount", "unbind", "add", "bind"]
    run(device, steps)
    assert device.args("unbind.cgi") == [{"shareid": "old-nas"}]
    assert "to free it for share nas1" in steps[2].text


# -- exclusive mode ---------------------------------------------------------------------------

def test_exclusive_removes_every_other_share_first():
    resources = build_resources(params(exclusive=True, **DECLARED_NAS1))
    assert [type(r) for r in resources] == [OtherSharesResource, ShareResource]
    device = FakeDevice([OLD, listed("spare", name="Spare"), BOUND_NAS1])
    others, share = resources
    steps = others.plan(device, others.read(device))
    assert actions(steps) == ["unmount", "unbind", "remove", "remove"]
    assert [step.text for step in steps[2:]] == ["remove share 'Old NAS' (id old-nas) (not declared; exclusive: true)",
                                                 "remove share 'Spare' (id spare) (not declared; exclusive: true)"]
    assert share.plan(device, share.read(device)) == []


def test_exclusive_does_not_report_a_conflict_it_resolves():
    resources = build_resources(params(exclusive=True, **DECLARED_NAS1))
    device = FakeDevice([OLD])
    others, share = resources
    assert actions(others.plan(device, others.read(device))) == ["unmount", "unbind", "remove"]
    assert actions(share.plan(device, share.read(device))) == ["test", "add", "bind"]


def test_removal_of_the_undeclared_keeps_every_declared_share():
    nas1 = ShareResource(params(**DECLARED_NAS1))
    spare = ShareResource(params(name="Spare", share_id="spare"))
    others = OtherSharesResource([nas1, spare], 600, "purge: shares")
    assert others.identity == "shares other than share nas1, share Spare"
    device = FakeDevice([OLD, listed("spare", name="Spare"), BOUND_NAS1, listed("extra")])
    assert sorted(others.read(device)) == ["extra", "old-nas"]
    steps = others.plan(device, others.read(device))
    assert [step.text for step in steps] == [
        "remove share 'extra' (not declared; purge: shares)",
        "unmount disk NetworkShare (share 'Old NAS' (id old-nas))",
        "unbind share 'Old NAS' (id old-nas) from disk NetworkShare",
        "remove share 'Old NAS' (id old-nas) (not declared; purge: shares)"]
    run(device, steps, others)
    assert device.args("remove.cgi") == [{"shareid": "extra"}, {"shareid": "old-nas"}]


def test_a_share_the_removal_takes_away_is_no_conflict_but_a_declared_holder_is():
    nas1 = ShareResource(params(**DECLARED_NAS1))
    holder = ShareResource(params(name="Old NAS", share_id="old-nas"))
    OtherSharesResource([nas1], 600, "purge: shares")
    assert actions(nas1.plan(FakeDevice([OLD]), None)) == ["test", "add", "bind"]
    OtherSharesResource([nas1, holder], 600, "purge: shares")
    with pytest.raises(ConflictError) as info:
        nas1.plan(FakeDevice([OLD]), None)
    assert "share 'Old NAS' (id old-nas)" in str(info.value) and "is bound to disk NetworkShare" in str(info.value)


def test_removal_with_nothing_declared_removes_every_share():
    others = OtherSharesResource([], 600, "purge: shares")
    assert others.identity == "all shares (none declared)"
    device = FakeDevice([OLD, listed("spare")])
    assert actions(others.plan(device, others.read(device))) == ["unmount", "unbind", "remove", "remove"]


def test_without_exclusive_only_the_declared_share_is_a_resource():
    assert [type(r) for r in build_resources(params(**DECLARED_NAS1))] == [ShareResource]


# -- results ------------------------------------------------------------------------------------

def test_check_mode_predicts_the_added_bound_share_and_shows_no_password():
    device = FakeDevice()
    resources = build_resources(params(share_password=PASSWORD, exclusive=True, **DECLARED_NAS1))
    outcome = summarize(converge(device, resources, check_mode=True))
    assert device.calls == []
    assert outcome["changed"] is True
    assert outcome["after"]["share nas1"] == {"name": "nas1", "share_id": "nas1", "address": "nas.example.com",
                                              "share": "cameras", "share_username": "cam", "bound": True,
                                              "disk_id": "NetworkShare", "state": "present"}
    assert outcome["before"]["share nas1"] == {"state": "absent"}
    assert PASSWORD not in repr(outcome)


def test_check_mode_of_exclusive_lists_the_other_shares_and_predicts_none():
    device = FakeDevice([OLD, BOUND_NAS1])
    outcome = summarize(converge(device, build_resources(params(exclusive=True, **DECLARED_NAS1)), check_mode=True))
    assert outcome["before"]["shares other than share nas1"] == {
        "old-nas": {"name": "Old NAS", "share_id": "old-nas", "address": "192.0.2.7", "share": "rec",
                    "share_username": "cam", "bound": True, "disk_id": "NetworkShare"}}
    assert outcome["after"]["shares other than share nas1"] == {}
    assert outcome["before"]["share nas1"] == outcome["after"]["share nas1"]


def test_share_password_is_a_secret_of_the_resource():
    assert ShareResource(params(name="nas1", share_password=PASSWORD)).secrets() == [PASSWORD]
    assert ShareResource(params(name="nas1")).secrets() == []


def test_update_password_is_not_treated_as_a_secret_and_share_password_is():
    assert ARGUMENT_SPEC["share_password"]["no_log"] is True
    assert ARGUMENT_SPEC["update_password"]["no_log"] is False


# -- parsers on device-shaped answers ----------------------------------------------------------

def test_share_list_parser_reads_bound_and_unbound_shares():
    shares = _parsers.parse_share_list(fixture("share_list_two.xml"))
    assert shares["old-nas"]["disk_id"] == "NetworkShare"
    assert shares["old-nas"]["address"] == "192.0.2.7"
    assert shares["nas1"]["disk_id"] is None and shares["nas1"]["username"] == ""


def test_share_test_answer_gives_the_job_id():
    assert _parsers.parse_share_test_job_id(fixture("share_test_started.xml")) == "4"


def test_share_job_answers_running_and_done():
    assert _parsers.parse_share_job(fixture("share_job_running.xml")) == {"done": False, "progress": 45}
    assert _parsers.parse_share_job(fixture("share_job_done.xml")) == {"done": True, "progress": 100}


def test_failed_share_job_becomes_the_device_code_and_a_sentence():
    client = VapixClient("127.0.0.1", "root", "pass", protocol="http")
    try:
        with pytest.raises(VapixError) as info:
            client.raise_for_envelope(fixture("share_job_failed.xml"), NETWORK_SHARE, "disks/networkshare/job.cgi")
    finally:
        client.close()
    assert info.value.code == 700
    assert "share test: the NAS host name could not be resolved" in str(info.value)
