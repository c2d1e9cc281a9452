# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_share: id derivation, lookup, validation, and the planner's decision for each case.

The resource runs on the real Device and VapixClient over the shared test
double (tests/unit/double.py): the camera lists shares and the network share
disk's status, and the tests assert the exact step actions, their order and
the requests each step sends when run, in order.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.double import Call, Transcript, disk_list, module_params, param_list

from ansible_collections.vapix.edge_storage.plugins.module_utils import _parsers, _xml
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
    ARGUMENT_RULES,
    ARGUMENT_SPEC,
    OtherSharesResource,
    ShareResource,
    build_resources,
    derive_share_id,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PASSWORD = "s3cr&t=x %20y"
BASE = "disks/networkshare/"


def fixture(name):
    return _xml.parse((FIXTURES / name).read_text())


def listed(share_id, name=None, address="nas.example.com", share="cameras", username="cam", disk_id=None):
    """A share as the camera lists it (list.cgi attributes)."""
    return {"ShareId": share_id, "NiceName": name if name is not None else share_id, "Address": address,
            "Share": share, "User": username, "DiskId": disk_id}


def share_list(shares):
    return Call(BASE + "list.cgi", {"schemaversion": 1, "shareid": "all"}).answers(
        '<?xml version="1.0" encoding="utf-8"?><NetworkShareResponse SchemaVersion="1.0"><ListSuccess>'
        '<NetworkShares NumberOfShares="%d">%s</NetworkShares></ListSuccess></NetworkShareResponse>'
        % (len(shares), "".join("<NetworkShare %s />" % " ".join(
            f'{name}="{_xml_escape(value)}"' for name, value in share.items() if value is not None)
            for share in shares)))


def _xml_escape(value):
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def properties(network_share=True):
    return param_list("root.Properties.NetworkShare.NetworkShare=%s\nroot.Properties.Firmware.Version=5.51.7\n"
                      % ("yes" if network_share else "no"))


def network_share_disk(status="OK"):
    """disks/list.cgi: the network share disk with this status."""
    return disk_list({"diskid": "NetworkShare", "status": status, "filesystem": "cifs", "group": "S1"})


def camera(*shares, calls=(), network_share=True):
    """A camera with network share support listing shares; then calls."""
    return Transcript(properties(network_share), share_list(shares), *calls)


# The success answers of the CGIs whose answer says more than GeneralSuccess (the vendor docs).
SUCCESS_ELEMENT = {"add.cgi": '<AddSuccess ShareId="%(shareid)s" />',
                   "bind.cgi": '<BindSuccess DiskID="NetworkShare" />'}


def share_cgi(cgi, params, answer="share_job_done.xml"):
    """disks/networkshare/<cgi> with exactly params (and the schema version), answered as a camera that did it."""
    call = Call(BASE + cgi, dict(params, schemaversion=1), exact=True)
    if cgi in SUCCESS_ELEMENT:
        return call.answers('<?xml version="1.0" encoding="utf-8"?><NetworkShareResponse SchemaVersion="1.0">%s'
                            '</NetworkShareResponse>' % (SUCCESS_ELEMENT[cgi] % params))
    return call.answers_file(answer)


def share_test(params):
    """test.cgi with exactly params, then the poll of its job (4) that answers done."""
    return [share_cgi("test.cgi", params, "share_test_started.xml"), share_cgi("job.cgi", {"jobid": 4})]


def unmount_network_share():
    start = Call("disks/mount.cgi", {"action": "unmount", "diskid": "NetworkShare"}, exact=True).answers(
        '<root><job action="unmount" diskid="NetworkShare" result="OK" jobid="7"/></root>')
    poll = Call("disks/job.cgi", {"jobid": 7, "diskid": "NetworkShare"}, exact=True).answers(
        '<root><job jobid="7" diskid="NetworkShare" action="unmount" result="OK" progress="100"/></root>')
    return [start, poll]


def params(with_rules=True, **given):
    """Validated parameters; with_rules=False leaves out the spec's rules (required_one_of)."""
    return module_params(ARGUMENT_SPEC, ARGUMENT_RULES if with_rules else None, **given)


def plan(transcript, **given):
    device = transcript.device()
    resource = ShareResource(params(**given))
    return resource, resource.plan(device, resource.read(device))


def actions(steps):
    return [step.action for step in steps]


def run(transcript, steps, resource=None):
    apply_steps(transcript.device(), resource or ShareResource(params(name="x")), steps)
    return [(path.replace(BASE, ""), sent) for path, sent in transcript.writes]


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
    # The first 8 hex digits of SHA-256("Site NAS"): the id must not change between releases.
    assert derive_share_id("Site NAS") == "Site-NAS-2067f532"


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
    # '$' matched before a final line break: the camera refused the add (200) after a replace_bound unbind.
    (dict(share_id="nas1\n"), ["'nas1\\n' is not valid"]),
    (dict(name="nas1", address=""), ["address must not be empty"]),
    (dict(name="nas1", share=" "), ["share must not be empty"]),
    (dict(name="nas1", job_timeout=0), ["job_timeout must be a positive number of seconds, got 0"]),
])
def test_validation_messages_say_what_is_wrong(given, words):
    # Without the spec's rules, so that the resource's own check is what answers.
    with pytest.raises(ValidationError) as info:
        ShareResource(params(with_rules=False, **given))
    for word in words:
        assert word in str(info.value)


def test_the_argument_spec_itself_wants_a_name_or_a_share_id():
    with pytest.raises(AssertionError, match="one of the following is required: name, share_id"):
        params()


def test_adding_without_address_and_share_says_what_is_missing():
    transcript = camera()
    with pytest.raises(ValidationError, match="share nas1 does not exist on the camera; set address and share to add it"):
        plan(transcript, name="nas1", bound=True)


def test_camera_without_network_share_support_is_unsupported():
    with pytest.raises(UnsupportedError, match="Properties.NetworkShare.NetworkShare.*5.51.7"):
        plan(Transcript(properties(network_share=False)), **DECLARED_NAS1)


# -- lookup ---------------------------------------------------------------------------------

def test_lookup_prefers_share_id_then_nice_name_then_derived_id():
    by_id = listed("abc", name="nas1")
    by_name = listed("def", name="Site NAS")
    by_derived = listed(derive_share_id("Lab NAS"), name="renamed elsewhere")
    device = camera(by_id, by_name, by_derived).device()
    assert ShareResource(params(name="Site NAS", share_id="abc")).read(device)["share_id"] == "abc"
    assert ShareResource(params(name="Site NAS")).read(device)["share_id"] == "def"
    assert ShareResource(params(name="Lab NAS")).read(device)["share_id"] == derive_share_id("Lab NAS")
    assert ShareResource(params(share_id="zzz")).read(device) is None


def test_read_uses_our_field_names_and_never_a_password():
    device = camera(BOUND_NAS1).device()
    state = ShareResource(params(name="nas1", share_password=PASSWORD)).read(device)
    assert state == {"name": "nas1", "share_id": "nas1", "address": "nas.example.com", "share": "cameras",
                     "share_username": "cam", "bound": True, "disk_id": "NetworkShare"}


# -- planning: new share -------------------------------------------------------------------

def test_new_bound_share_is_tested_first_then_added_then_bound():
    transcript = camera()
    _resource, steps = plan(transcript, share_password=PASSWORD, **DECLARED_NAS1)
    assert actions(steps) == ["test", "add", "bind"]
    transcript.expect(
        *share_test({"address": "nas.example.com", "share": "cameras", "user": "cam", "pass": PASSWORD}),
        share_cgi("add.cgi", {"shareid": "nas1", "nicename": "nas1", "address": "nas.example.com",
                              "share": "cameras", "user": "cam", "pass": PASSWORD}),
        share_cgi("bind.cgi", {"shareid": "nas1", "automaticmount": "yes"}))
    assert [path for path, _sent in run(transcript, steps)] == ["add.cgi", "bind.cgi"]
    assert transcript.paths[-4:] == [BASE + "test.cgi", BASE + "job.cgi", BASE + "add.cgi", BASE + "bind.cgi"]


def test_new_share_gets_the_derived_id_and_its_name():
    transcript = camera()
    _resource, steps = plan(transcript, name="Site NAS", address="192.0.2.10", share="rec")
    assert actions(steps) == ["add"]
    transcript.expect(share_cgi("add.cgi", {"shareid": "Site-NAS-2067f532", "nicename": "Site NAS",
                                            "address": "192.0.2.10", "share": "rec"}))
    assert run(transcript, steps)[0][1]["shareid"] == derive_share_id("Site NAS")


def test_new_share_with_only_share_id_is_named_after_it():
    transcript = camera()
    _resource, steps = plan(transcript, share_id="nas9", address="a", share="b")
    transcript.expect(share_cgi("add.cgi", {"shareid": "nas9", "nicename": "nas9", "address": "a", "share": "b"}))
    assert run(transcript, steps) == [("add.cgi", {"schemaversion": "1", "shareid": "nas9", "nicename": "nas9",
                                                   "address": "a", "share": "b"})]


def test_new_unbound_share_is_not_tested():
    _resource, steps = plan(camera(), name="nas1", address="a", share="b", bound=False)
    assert actions(steps) == ["add"]


def test_test_share_false_skips_the_test():
    _resource, steps = plan(camera(), test_share=False, **DECLARED_NAS1)
    assert actions(steps) == ["add", "bind"]


def test_failing_share_test_stops_before_any_write_with_device_code():
    transcript = camera()
    resource, steps = plan(transcript, **DECLARED_NAS1)
    transcript.expect(share_cgi("test.cgi", {"address": "nas.example.com", "share": "cameras", "user": "cam"},
                                "share_test_started.xml"),
                      share_cgi("job.cgi", {"jobid": 4}, "share_job_failed.xml"),
                      properties(), share_list([]))
    with pytest.raises(StepError) as info:
        apply_steps(transcript.device(), resource, steps)
    assert transcript.writes == []
    message = str(info.value)
    assert "device error 700" in message and "host name could not be resolved" in message
    assert "nothing had been changed before it" in message
    assert info.value.as_dict()["code"] == 700


# -- planning: existing share --------------------------------------------------------------

def test_unchanged_share_plans_nothing_even_with_a_password_on_create():
    _resource, steps = plan(camera(BOUND_NAS1), share_password=PASSWORD, **DECLARED_NAS1)
    assert steps == []


def test_connection_change_on_bound_share_is_test_unmount_unbind_modify_bind():
    transcript = camera(BOUND_NAS1, calls=[network_share_disk("OK")])
    progress = []
    transcript.device(progress=lambda what, percent: progress.append((what, percent)))
    _resource, steps = plan(transcript, share_password=PASSWORD, **declared(address="nas2.example.com"))
    assert actions(steps) == ["test", "unmount", "unbind", "modify", "bind"]
    # on_create: the declared password goes with a connection change
    transcript.expect(
        *share_test({"shareid": "nas1", "address": "nas2.example.com", "share": "cameras", "user": "cam",
                     "pass": PASSWORD}),
        *unmount_network_share(),
        share_cgi("unbind.cgi", {"shareid": "nas1"}),
        share_cgi("modify.cgi", {"shareid": "nas1", "address": "nas2.example.com", "pass": PASSWORD}),
        share_cgi("bind.cgi", {"shareid": "nas1", "automaticmount": "yes"}))
    assert [path for path, _sent in run(transcript, steps)] == [
        "disks/mount.cgi", "unbind.cgi", "modify.cgi", "bind.cgi"]
    assert progress == [("share test", 100), ("unmount of disk NetworkShare", 100)]
    assert all(PASSWORD not in step.text for step in steps)


def test_connection_change_without_password_tests_with_the_stored_one():
    transcript = camera(BOUND_NAS1, calls=[network_share_disk("OK")])
    _resource, steps = plan(transcript, **declared(share="cameras2"))
    transcript.expect(
        *share_test({"shareid": "nas1", "address": "nas.example.com", "share": "cameras2", "user": "cam"}),
        *unmount_network_share(),
        share_cgi("unbind.cgi", {"shareid": "nas1"}),
        share_cgi("modify.cgi", {"shareid": "nas1", "share": "cameras2"}),
        share_cgi("bind.cgi", {"shareid": "nas1", "automaticmount": "yes"}))
    run(transcript, steps)


@pytest.mark.parametrize("status", ["connected", "failed", "disconnected"])
def test_bound_share_that_is_not_mounted_is_not_unmounted(status):
    _resource, steps = plan(camera(BOUND_NAS1, calls=[network_share_disk(status)]), **declared(address="nas2"))
    assert actions(steps) == ["test", "unbind", "modify", "bind"]


def test_nice_name_only_change_on_bound_share_is_one_modify_without_password():
    transcript = camera(BOUND_NAS1)
    _resource, steps = plan(transcript, share_id="nas1", name="Front NAS", share_password=PASSWORD, bound=True)
    assert actions(steps) == ["modify"]
    transcript.expect(share_cgi("modify.cgi", {"shareid": "nas1", "nicename": "Front NAS"}))
    run(transcript, steps)


def test_rename_and_connection_change_are_one_modify_after_unbind():
    transcript = camera(BOUND_NAS1, calls=[network_share_disk("OK")])
    _resource, steps = plan(transcript, share_id="nas1", name="Front NAS", share_username="rec")
    assert actions(steps) == ["test", "unmount", "unbind", "modify", "bind"]
    transcript.expect(
        *share_test({"shareid": "nas1", "address": "nas.example.com", "share": "cameras", "user": "rec"}),
        *unmount_network_share(),
        share_cgi("unbind.cgi", {"shareid": "nas1"}),
        share_cgi("modify.cgi", {"shareid": "nas1", "nicename": "Front NAS", "user": "rec"}),
        share_cgi("bind.cgi", {"shareid": "nas1", "automaticmount": "yes"}))
    run(transcript, steps)


def test_update_password_always_resends_the_password_through_a_full_rebind():
    transcript = camera(BOUND_NAS1, calls=[network_share_disk("OK")])
    _resource, steps = plan(transcript, share_password=PASSWORD, update_password="always", **DECLARED_NAS1)
    assert actions(steps) == ["test", "unmount", "unbind", "modify", "bind"]
    assert "password sent" in steps[3].text and PASSWORD not in steps[3].text
    transcript.expect(
        *share_test({"shareid": "nas1", "address": "nas.example.com", "share": "cameras", "user": "cam",
                     "pass": PASSWORD}),
        *unmount_network_share(),
        share_cgi("unbind.cgi", {"shareid": "nas1"}),
        share_cgi("modify.cgi", {"shareid": "nas1", "pass": PASSWORD}),
        share_cgi("bind.cgi", {"shareid": "nas1", "automaticmount": "yes"}))
    run(transcript, steps)


def test_update_password_always_without_a_password_changes_nothing():
    _resource, steps = plan(camera(BOUND_NAS1), update_password="always", **DECLARED_NAS1)
    assert steps == []


def test_update_password_always_on_unbound_share_is_a_modify():
    _resource, steps = plan(camera(listed("nas1")), name="nas1", share_password=PASSWORD, update_password="always")
    assert actions(steps) == ["modify"]


def test_binding_an_existing_unbound_share_tests_it_first():
    _resource, steps = plan(camera(listed("nas1")), name="nas1", bound=True)
    assert actions(steps) == ["test", "bind"]
    _resource, steps = plan(camera(listed("nas1")), name="nas1", bound=True, test_share=False)
    assert actions(steps) == ["bind"]


def test_changed_unbound_share_that_gets_bound_is_tested_modified_bound():
    _resource, steps = plan(camera(listed("nas1")), name="nas1", address="nas2", bound=True)
    assert actions(steps) == ["test", "modify", "bind"]


def test_bound_false_unmounts_and_unbinds():
    _resource, steps = plan(camera(BOUND_NAS1, calls=[network_share_disk("OK")]), name="nas1", bound=False)
    assert actions(steps) == ["unmount", "unbind"]


def test_bound_not_given_keeps_the_binding_and_rebinds_after_a_change():
    _resource, steps = plan(camera(BOUND_NAS1, calls=[network_share_disk("OK")]), name="nas1", address="nas2")
    assert actions(steps) == ["test", "unmount", "unbind", "modify", "bind"]


def test_connection_change_and_bound_false_is_not_tested():
    _resource, steps = plan(camera(BOUND_NAS1, calls=[network_share_disk("OK")]), name="nas1", address="nas2",
                            bound=False)
    assert actions(steps) == ["unmount", "unbind", "modify"]


def test_rename_onto_another_shares_name_is_a_conflict_before_any_write():
    transcript = camera(BOUND_NAS1, listed("b", name="Back NAS"))
    with pytest.raises(ConflictError, match="share b already has that nice name"):
        plan(transcript, share_id="nas1", name="Back NAS")
    assert transcript.writes == []


def test_new_share_id_whose_name_is_taken_is_a_conflict():
    with pytest.raises(ConflictError, match="set share_id: other to manage it"):
        plan(camera(listed("other", name="nas1")), share_id="nas1", name="nas1", address="a", share="b")


# -- planning: removal ----------------------------------------------------------------------

def test_removing_a_bound_share_is_unmount_unbind_remove():
    transcript = camera(BOUND_NAS1, calls=[network_share_disk("OK")])
    _resource, steps = plan(transcript, name="nas1", state="absent")
    assert actions(steps) == ["unmount", "unbind", "remove"]
    transcript.expect(*unmount_network_share(), share_cgi("unbind.cgi", {"shareid": "nas1"}),
                      share_cgi("remove.cgi", {"shareid": "nas1"}))
    assert run(transcript, steps)[-1] == ("remove.cgi", {"schemaversion": "1", "shareid": "nas1"})


def test_removing_an_unbound_share_is_remove():
    _resource, steps = plan(camera(listed("nas1")), name="nas1", state="absent")
    assert actions(steps) == ["remove"]


def test_removing_a_missing_share_is_nothing():
    _resource, steps = plan(camera(), name="nas1", state="absent")
    assert steps == []


# -- planning: the network share disk held by another share -------------------------------

OLD = listed("old-nas", name="Old NAS", address="192.0.2.7", share="rec", disk_id="NetworkShare")


def test_binding_while_another_share_holds_the_disk_names_it():
    with pytest.raises(ConflictError) as info:
        plan(camera(OLD), **DECLARED_NAS1)
    message = str(info.value)
    assert "'Old NAS' (id old-nas)" in message and "address 192.0.2.7" in message
    assert "replace_bound: true" in message


def test_replace_bound_unbinds_the_holder_after_the_test_and_the_add_right_before_the_bind():
    transcript = camera(OLD, calls=[network_share_disk("OK")])
    _resource, steps = plan(transcript, replace_bound=True, **DECLARED_NAS1)
    assert actions(steps) == ["test", "add", "unmount", "unbind", "bind"]
    assert "to free it for share nas1" in steps[3].text
    transcript.expect(
        *share_test({"address": "nas.example.com", "share": "cameras", "user": "cam"}),
        share_cgi("add.cgi", {"shareid": "nas1", "nicename": "nas1", "address": "nas.example.com",
                              "share": "cameras", "user": "cam"}),
        *unmount_network_share(),
        share_cgi("unbind.cgi", {"shareid": "old-nas"}),
        share_cgi("bind.cgi", {"shareid": "nas1", "automaticmount": "yes"}))
    run(transcript, steps)


# -- exclusive mode ---------------------------------------------------------------------------

def test_exclusive_removes_every_other_share_first():
    resources = build_resources(params(exclusive=True, **DECLARED_NAS1))
    assert [type(r) for r in resources] == [OtherSharesResource, ShareResource]
    device = camera(OLD, listed("spare", name="Spare"), BOUND_NAS1, calls=[network_share_disk("OK")]).device()
    others, share = resources
    steps = others.plan(device, others.read(device))
    assert actions(steps) == ["unmount", "unbind", "remove", "remove"]
    assert [step.text for step in steps[2:]] == ["remove share 'Old NAS' (id old-nas) (not declared; exclusive: true)",
                                                 "remove share 'Spare' (id spare) (not declared; exclusive: true)"]
    assert share.plan(device, share.read(device)) == []


def test_exclusive_does_not_report_a_conflict_it_resolves():
    others, share = build_resources(params(exclusive=True, **DECLARED_NAS1))
    device = camera(OLD, calls=[network_share_disk("OK")]).device()
    assert actions(others.plan(device, others.read(device))) == ["unmount", "unbind", "remove"]
    assert actions(share.plan(device, share.read(device))) == ["test", "add", "bind"]


def test_removal_of_the_undeclared_keeps_every_declared_share():
    nas1 = ShareResource(params(**DECLARED_NAS1))
    spare = ShareResource(params(name="Spare", share_id="spare"))
    others = OtherSharesResource([nas1, spare], 600, "purge: shares")
    assert others.identity == "shares other than share nas1, share Spare"
    transcript = camera(OLD, listed("spare", name="Spare"), BOUND_NAS1, listed("extra"),
                        calls=[network_share_disk("OK")])
    device = transcript.device()
    assert sorted(others.read(device)) == ["extra", "old-nas"]
    steps = others.plan(device, others.read(device))
    assert [step.text for step in steps] == [
        "remove share 'extra' (not declared; purge: shares)",
        "unmount disk NetworkShare (share 'Old NAS' (id old-nas))",
        "unbind share 'Old NAS' (id old-nas) from disk NetworkShare",
        "remove share 'Old NAS' (id old-nas) (not declared; purge: shares)"]
    transcript.expect(share_cgi("remove.cgi", {"shareid": "extra"}), *unmount_network_share(),
                      share_cgi("unbind.cgi", {"shareid": "old-nas"}), share_cgi("remove.cgi", {"shareid": "old-nas"}))
    assert [sent for path, sent in run(transcript, steps, others) if path == "remove.cgi"] == [
        {"schemaversion": "1", "shareid": "extra"}, {"schemaversion": "1", "shareid": "old-nas"}]


def test_a_share_the_removal_takes_away_is_no_conflict_but_a_declared_holder_is():
    nas1 = ShareResource(params(**DECLARED_NAS1))
    holder = ShareResource(params(name="Old NAS", share_id="old-nas"))
    OtherSharesResource([nas1], 600, "purge: shares")
    assert actions(nas1.plan(Transcript(share_list([OLD])).device(), None)) == ["test", "add", "bind"]
    OtherSharesResource([nas1, holder], 600, "purge: shares")
    with pytest.raises(ConflictError) as info:
        nas1.plan(Transcript(share_list([OLD])).device(), None)
    assert "share 'Old NAS' (id old-nas)" in str(info.value) and "is bound to disk NetworkShare" in str(info.value)


def test_removal_with_nothing_declared_removes_every_share():
    others = OtherSharesResource([], 600, "purge: shares")
    assert others.identity == "all shares (none declared)"
    device = camera(OLD, listed("spare"), calls=[network_share_disk("OK")]).device()
    assert actions(others.plan(device, others.read(device))) == ["unmount", "unbind", "remove", "remove"]


def test_without_exclusive_only_the_declared_share_is_a_resource():
    assert [type(r) for r in build_resources(params(**DECLARED_NAS1))] == [ShareResource]


# -- results ------------------------------------------------------------------------------------

def test_check_mode_predicts_the_added_bound_share_and_shows_no_password():
    transcript = camera()
    resources = build_resources(params(share_password=PASSWORD, exclusive=True, **DECLARED_NAS1))
    outcome = summarize(converge(transcript.device(), resources, check_mode=True))
    assert transcript.writes == []
    assert outcome["changed"] is True
    assert outcome["after"]["share nas1"] == {"name": "nas1", "share_id": "nas1", "address": "nas.example.com",
                                              "share": "cameras", "share_username": "cam", "bound": True,
                                              "disk_id": "NetworkShare", "state": "present"}
    assert outcome["before"]["share nas1"] == {"state": "absent"}
    assert PASSWORD not in repr(outcome)


def test_check_mode_of_exclusive_lists_the_other_shares_and_predicts_none():
    transcript = camera(OLD, BOUND_NAS1, calls=[network_share_disk("OK")])
    outcome = summarize(converge(transcript.device(), build_resources(params(exclusive=True, **DECLARED_NAS1)),
                                 check_mode=True))
    assert outcome["before"]["shares other than share nas1"] == {
        "old-nas": {"name": "Old NAS", "share_id": "old-nas", "address": "192.0.2.7", "share": "rec",
                    "share_username": "cam", "bound": True, "disk_id": "NetworkShare"}}
    assert outcome["after"]["shares other than share nas1"] == {}
    assert outcome["before"]["share nas1"] == outcome["after"]["share nas1"]
    assert transcript.writes == []


def test_share_password_is_a_secret_of_the_resource():
    assert ShareResource(params(name="nas1", share_password=PASSWORD)).secrets() == [PASSWORD]
    assert ShareResource(params(name="nas1")).secrets() == []


def test_update_password_is_not_treated_as_a_secret_and_share_password_is():
    assert ARGUMENT_SPEC["share_password"]["no_log"] is True
    assert ARGUMENT_SPEC["update_password"]["no_log"] is False


# -- parsers on device-shaped answers ----------------------------------------------------------

def test_share_list_parser_reads_bound_and_unbound_shares():
    shares = _parsers.parse_share_list(fixture("share_list_two.xml"))
    assert shares["old-nas"]["disk_id"] == "NetworkShare" and shares["old-nas"]["bound"] is True
    assert shares["old-nas"]["address"] == "192.0.2.7"
    assert shares["nas1"]["disk_id"] is None and shares["nas1"]["bound"] is False
    assert shares["nas1"]["share_username"] == ""


def test_share_test_answer_gives_the_job_id():
    assert _parsers.parse_share_test_job_id(fixture("share_test_started.xml")) == "4"


def test_share_job_answers_running_and_done():
    assert _parsers.parse_share_job(fixture("share_job_running.xml")) == {"done": False, "progress": 45}
    assert _parsers.parse_share_job(fixture("share_job_done.xml")) == {"done": True, "progress": 100}


def test_failed_share_job_becomes_the_device_code_and_a_sentence():
    transcript = Transcript(share_cgi("job.cgi", {"jobid": 4}, "share_job_failed.xml"))
    with pytest.raises(VapixError) as info:
        transcript.client().xml(BASE + "job.cgi", [("schemaversion", 1), ("jobid", 4)], api=NETWORK_SHARE)
    assert info.value.code == 700
    assert "share test: the NAS host name could not be resolved" in str(info.value)
