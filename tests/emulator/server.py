"""HTTP layer of the camera emulator: parse, authenticate, route, render.

One ``Camera`` = one ``ThreadingHTTPServer`` (HTTP/1.1, keep-alive, Content-Length on every
response) in its own thread, bound to a ``CameraModel``.  No camera state lives here except
the test-hook bookkeeping (request log, counters, faults, latency) and the auth nonces.
"""

import base64
import email.utils
import collections
import hashlib
import json
import os
import re
import selectors
import socket
import ssl
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import media as _media
from . import params as P
from . import render as R
from .faults import AnswerFault, _cgi_path
from .model import LEVELS, ApiError, CameraModel, ParamError, fmt_time, parse_time

SECRET_ARGS = {"pass", "passphrase", "oldpassphrase", "newpassphrase", "password"}
MASK = "******"
LOG_MAX = 200000
NONCE_MAX = 100000


# --------------------------------------------------------------------------------------
# request parsing
# --------------------------------------------------------------------------------------

def _unquote(text, charset=None):
    """Percent-decode one query component like a web server: '+' is a space, %XX bytes are
    UTF-8 (falling back to ISO-8859-1, the VAPIX default, when they are not valid UTF-8); with
    charset (a camera whose firmware keeps its text in ISO-8859-1), read in that charset only,
    as such firmware does: UTF-8 bytes become two characters each."""
    raw = urllib.parse.unquote_to_bytes(text.replace("+", " "))
    if charset:
        return raw.decode(charset, "replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("iso-8859-1")


def parse_args(query, charset=None):
    pairs = []
    for part in query.split("&"):
        if not part:
            continue
        name, sep, value = part.partition("=")
        pairs.append((_unquote(name, charset), _unquote(value, charset)))
    return pairs


def mask_args(pairs):
    out = {}
    for name, value in pairs:
        low = name.lower()
        if low in SECRET_ARGS or low.endswith(".password"):
            value = MASK
        out[name] = value
    return out


# --------------------------------------------------------------------------------------
# routing table: path -> (feature or None, access level, write?, handler name)
# --------------------------------------------------------------------------------------

V, O, A = LEVELS["viewer"], LEVELS["operator"], LEVELS["admin"]

ROUTES = {
    "/axis-cgi/param.cgi": (None, V, None, "param"),
    "/axis-cgi/admin/param.cgi": (None, V, None, "param"),
    "/axis-cgi/apidiscovery.cgi": ("apidiscovery", V, False, "apidiscovery"),
    # disk management
    "/axis-cgi/disks/list.cgi": ("local_storage", O, False, "disk_list"),
    "/axis-cgi/disks/format.cgi": ("local_storage", A, True, "disk_format"),
    "/axis-cgi/disks/checkdisk.cgi": ("local_storage", O, False, "disk_checkdisk"),
    "/axis-cgi/disks/repair.cgi": ("local_storage", A, True, "disk_repair"),
    "/axis-cgi/disks/mount.cgi": ("local_storage", A, True, "disk_mount"),
    "/axis-cgi/disks/job.cgi": ("local_storage", O, False, "disk_job"),
    "/axis-cgi/disks/lock.cgi": ("local_storage", A, True, "disk_lock"),
    "/axis-cgi/disks/getcapabilities.cgi": ("local_storage", O, False, "disk_capabilities"),
    "/axis-cgi/disks/gethealth.cgi": ("health", O, False, "disk_health"),
    # disk properties
    "/axis-cgi/disks/properties/setrequiredfs.cgi": ("disk_properties", A, True, "dp_requiredfs"),
    "/axis-cgi/disks/properties/enablediskencryption.cgi": ("disk_properties", A, True, "dp_enable"),
    "/axis-cgi/disks/properties/disablediskencryption.cgi": ("disk_properties", A, True,
                                                             "dp_disable"),
    "/axis-cgi/disks/properties/changediskpassphrase.cgi": ("disk_properties", A, True,
                                                            "dp_passphrase"),
    "/axis-cgi/disks/properties/setcleanupmaxage.cgi": ("disk_properties", A, True, "dp_maxage"),
    "/axis-cgi/disks/properties/setcleanuppolicy.cgi": ("disk_properties", A, True, "dp_policy"),
    "/axis-cgi/disks/properties/setdiskalertlevels.cgi": ("disk_properties", A, True,
                                                          "dp_setalert"),
    "/axis-cgi/disks/properties/getdiskalertlevels.cgi": ("disk_properties", O, False,
                                                          "dp_getalert"),
    "/axis-cgi/disks/properties/schemaversions.cgi": ("disk_properties", O, False, "dp_schemas"),
    # network shares
    "/axis-cgi/disks/networkshare/list.cgi": ("local_storage", O, False, "ns_list"),
    "/axis-cgi/disks/networkshare/add.cgi": ("local_storage", A, True, "ns_add"),
    "/axis-cgi/disks/networkshare/modify.cgi": ("local_storage", A, True, "ns_modify"),
    "/axis-cgi/disks/networkshare/remove.cgi": ("local_storage", A, True, "ns_remove"),
    "/axis-cgi/disks/networkshare/bind.cgi": ("local_storage", O, True, "ns_bind"),
    "/axis-cgi/disks/networkshare/unbind.cgi": ("local_storage", O, True, "ns_unbind"),
    "/axis-cgi/disks/networkshare/test.cgi": ("local_storage", O, False, "ns_test"),
    "/axis-cgi/disks/networkshare/job.cgi": ("local_storage", O, False, "ns_job"),
    "/axis-cgi/disks/networkshare/schemaversions.cgi": ("local_storage", O, False, "ns_schemas"),
    # recording storage limit
    "/axis-cgi/record/storage/schemaversions.cgi": ("storage_limit", O, False, "sl_schemas"),
    "/axis-cgi/record/storage/getlimit.cgi": ("storage_limit", O, False, "sl_get"),
    "/axis-cgi/record/storage/setlimit.cgi": ("storage_limit", O, True, "sl_set"),
    # recordings and continuous profiles
    "/axis-cgi/record/list.cgi": ("local_storage", V, False, "rec_list"),
    "/axis-cgi/record/record.cgi": ("local_storage", O, True, "rec_record"),
    "/axis-cgi/record/stop.cgi": ("local_storage", O, True, "rec_stop"),
    "/axis-cgi/record/remove.cgi": ("local_storage", O, True, "rec_remove"),
    "/axis-cgi/record/continuous/addconfiguration.cgi": ("local_storage", O, True, "cp_add"),
    "/axis-cgi/record/continuous/listconfiguration.cgi": ("local_storage", V, False, "cp_list"),
    "/axis-cgi/record/continuous/removeconfiguration.cgi": ("local_storage", O, True, "cp_remove"),
    # recording groups
    "/axis-cgi/record/recording_group/schemaversions.cgi": ("recording_groups", V, False,
                                                            "rg_schemas"),
    "/axis-cgi/record/recording_group/create.cgi": ("recording_groups", O, True, "rg_create"),
    "/axis-cgi/record/recording_group/update.cgi": ("recording_groups", O, True, "rg_update"),
    "/axis-cgi/record/recording_group/delete.cgi": ("recording_groups", O, True, "rg_delete"),
    "/axis-cgi/record/recording_group/list.cgi": ("recording_groups", V, False, "rg_list"),
    # export
    "/axis-cgi/record/export/schemaversions.cgi": ("export", V, False, "ex_schemas"),
    "/axis-cgi/record/export/capabilities.cgi": ("export", V, False, "ex_capabilities"),
    "/axis-cgi/record/export/properties.cgi": ("export", V, False, "ex_properties"),
    "/axis-cgi/record/export/exportrecording.cgi": ("export", V, False, "ex_export"),
    "/axis-cgi/record/export/exporttoexternal.cgi": ("export", V, False, "ex_external"),
    "/axis-cgi/record/export/getjobstatus.cgi": ("export", V, False, "ex_jobstatus"),
}


def is_write(path, q):
    """True when the request is to a state-changing CGI/action (whatever its outcome)."""
    route = ROUTES.get(path)
    if route is None:
        return False
    if route[3] == "param":
        return q.get("action") == "update"
    return bool(route[2])


XML = "text/xml"

# The envelope of each family whose answers are <Family>Response documents (schema name -> render.Envelope).
ENVELOPES = {"networkshare": R.NS, "storage_limit": R.SL, "recording_groups": R.RG, "export": R.EX}


class Reply:
    """An answer; ``announced`` is a Content-Length larger than the body (the answer fault cut_short: the
    connection closes after the body), None for the body's own."""

    __slots__ = ("status", "ctype", "body", "headers", "announced")

    def __init__(self, body, ctype=XML, status=200, headers=None, announced=None):
        self.status = status
        self.ctype = ctype
        self.body = body.encode("utf-8") if isinstance(body, str) else body
        self.headers = headers or []
        self.announced = announced


# --------------------------------------------------------------------------------------
# CGI handlers: translate arguments -> model call -> renderer.  No state here.
# --------------------------------------------------------------------------------------

class Api:
    def __init__(self, model):
        self.m = model

    # ---- helpers -------------------------------------------------------------------

    def _schema(self, q, family, required=True):
        """Raises ApiError(20|40) when the schema version is missing or unsupported."""
        raw = q.get("schemaversion")
        if raw is None:
            if required:
                raise ApiError(20, "Invalid request: schemaversion is required.")
            return
        match = re.fullmatch(r"\s*(\d+)(?:\.(\d+))?\s*", raw)
        if not match:
            raise ApiError(20, "Invalid request: invalid schemaversion.")
        majors = {v.split(".")[0] for v, dummy in self.m.profile["schemas"].get(family, [])}
        if match.group(1).lstrip("0") not in {m.lstrip("0") for m in majors}:
            raise ApiError(40, "Specified version is not supported.")

    def _answer(self, q, family, action, render=None, required=True):
        """Check the family's schema version, run action() on the model and answer render(its outcome)
        (GeneralSuccess without render); an ApiError on the way is answered as the family's GeneralError."""
        envelope = ENVELOPES[family]
        try:
            self._schema(q, family, required)
            outcome = action()
        except ApiError as err:
            return Reply(envelope.error(err.code, err.description))
        return Reply(render(outcome) if render else envelope.success())

    # ---- param.cgi / apidiscovery --------------------------------------------------

    def param(self, q, pairs, level):
        action = q.get("action")
        if action == "list":
            return Reply(P.list_params(self.m, level, q.get("group")), "text/plain")
        if action == "update":
            if level < O:
                return None           # the HTTP layer answers 403
            updates = [(n, v) for n, v in pairs if n.lower() not in ("action", "usergroup")]
            try:
                P.update_params(self.m, level, updates)
            except ParamError as err:
                return Reply("".join(line + "\n" for line in err.lines), "text/plain")
            return Reply("OK", "text/plain")
        return Reply("# Error: Invalid action '%s'\n" % (action or ""), "text/plain")

    def apidiscovery(self, q, pairs, level, body=None):
        method = "getApiList"
        if body:
            try:
                method = json.loads(body.decode("utf-8")).get("method", method)
            except (ValueError, AttributeError):
                return Reply(json.dumps({"apiVersion": "1.0", "error": {
                    "code": 4000, "message": "Invalid JSON"}}), "application/json")
        if method == "getApiList":
            return Reply(R.api_list(self.m), "application/json")
        if method == "getSupportedVersions":
            return Reply(json.dumps({"method": method, "data": {"apiVersions": ["1.0"]}}),
                         "application/json")
        return Reply(json.dumps({"apiVersion": "1.0", "method": method, "error": {
            "code": 4002, "message": "Method not supported"}}), "application/json")

    # ---- disk management -----------------------------------------------------------

    def disk_list(self, q, pairs, level):
        return Reply(R.disk_list(self.m, self.m.list_disks(q.get("diskid"))))

    def _start(self, action, disk_id, fn, *args):
        try:
            job = fn(*args)
        except ApiError as err:
            return Reply(R.start_job(action, disk_id, error=err.description))
        return Reply(R.start_job(action, disk_id, job=job))

    def disk_format(self, q, pairs, level):
        d = q.get("diskid")
        return self._start("format", d, self.m.start_format, d, q.get("filesystem"))

    def disk_checkdisk(self, q, pairs, level):
        d = q.get("diskid")
        return self._start("checkdisk", d, self.m.start_checkdisk, d)

    def disk_repair(self, q, pairs, level):
        d = q.get("diskid")
        return self._start("repair", d, self.m.start_repair, d)

    def disk_mount(self, q, pairs, level):
        d, action = q.get("diskid"), q.get("action") or ""
        return self._start(action, d, self.m.start_mount, d, action)

    def disk_job(self, q, pairs, level):
        job_id, disk_id = q.get("jobid", ""), q.get("diskid")
        if disk_id is None:
            return Reply(R.check_job(self.m, job_id=job_id, error="diskid is required"))
        try:
            job = self.m.poll_disk_job(job_id, disk_id)
        except ApiError as err:
            return Reply(R.check_job(self.m, job_id=job_id, disk_id=disk_id,
                                     error=err.description))
        return Reply(R.check_job(self.m, job=job))

    def disk_lock(self, q, pairs, level):
        d, action = q.get("diskid"), q.get("action") or ""
        try:
            self.m.set_lock(d, action)
        except ApiError as err:
            return Reply(R.lock(action, d, error=err.description))
        return Reply(R.lock(action, d))

    def disk_capabilities(self, q, pairs, level):
        d = q.get("diskid")
        disk = self.m.disk(d) if d else None
        if disk is None:
            return Reply(R.capabilities(self.m, disk_id=d, error="Invalid disk ID"))
        return Reply(R.capabilities(self.m, disk=disk))

    def disk_health(self, q, pairs, level):
        return Reply(R.health(self.m))

    # ---- disk properties -----------------------------------------------------------

    def _dp(self, q, fn, *args):
        try:
            self._schema(q, "disk_properties")
            fn(*args)
        except ApiError as err:
            return Reply(R.dp_error(err.code, err.description))
        return Reply(R.dp_success())

    def dp_requiredfs(self, q, pairs, level):
        return self._dp(q, self.m.set_required_fs, q.get("diskid"), q.get("filesystem"))

    def dp_enable(self, q, pairs, level):
        return self._dp(q, self.m.enable_encryption, q.get("diskid"), q.get("passphrase"))

    def dp_disable(self, q, pairs, level):
        return self._dp(q, self.m.disable_encryption, q.get("diskid"))

    def dp_passphrase(self, q, pairs, level):
        return self._dp(q, self.m.change_passphrase, q.get("diskid"), q.get("oldpassphrase"),
                        q.get("newpassphrase"))

    def dp_maxage(self, q, pairs, level):
        return self._dp(q, self.m.set_cleanup_max_age, q.get("diskid"), q.get("maxage"))

    def dp_policy(self, q, pairs, level):
        return self._dp(q, self.m.set_cleanup_policy, q.get("diskid"), q.get("cleanuppolicy"))

    def dp_setalert(self, q, pairs, level):
        return self._dp(q, self.m.set_alert_levels, q.get("diskid"), q.get("wear"),
                        q.get("temperature"))

    def dp_getalert(self, q, pairs, level):
        try:
            self._schema(q, "disk_properties")
            wear, temp = self.m.get_alert_levels(q.get("diskid"))
        except ApiError as err:
            return Reply(R.dp_error(err.code, err.description))
        return Reply(R.dp_alert_levels(wear, temp))

    def dp_schemas(self, q, pairs, level):
        return Reply(R.dp_schemaversions(self.m.profile["schemas"]["disk_properties"]))

    # ---- network shares ------------------------------------------------------------
    # CHOICE: schemaversion is required where the documentation says "Required" (job.cgi)
    # and optional elsewhere in this family (list/add/... do not say it is required).

    def _ns(self, q, action, render=None, required=False):
        return self._answer(q, "networkshare", action, render, required)

    def ns_list(self, q, pairs, level):
        return self._ns(q, lambda: self.m.list_shares(q.get("shareid")), R.ns_list)

    def ns_add(self, q, pairs, level):
        return self._ns(q, lambda: self.m.add_share(q.get("nicename"), q.get("address"), q.get("share"),
                                                    q.get("shareid"), q.get("user"), q.get("pass")), R.ns_add)

    def ns_modify(self, q, pairs, level):
        return self._ns(q, lambda: self.m.modify_share(q.get("shareid"), q.get("nicename"), q.get("address"),
                                                       q.get("share"), q.get("user"), q.get("pass")))

    def ns_remove(self, q, pairs, level):
        return self._ns(q, lambda: self.m.remove_shares(q.get("shareid")))

    def ns_bind(self, q, pairs, level):
        return self._ns(q, lambda: self.m.bind_share(q.get("shareid"), q.get("automaticmount", "yes")), R.ns_bind)

    def ns_unbind(self, q, pairs, level):
        return self._ns(q, lambda: self.m.unbind_share(q.get("shareid")))

    def ns_test(self, q, pairs, level):
        return self._ns(q, lambda: self.m.start_share_test(q.get("shareid"), q.get("address"), q.get("share"),
                                                           q.get("user"), q.get("pass")), R.ns_test)

    def ns_job(self, q, pairs, level):
        return self._ns(q, lambda: self.m.poll_share_job(q.get("jobid")), lambda job: R.ns_job(self.m, job),
                        required=True)

    def ns_schemas(self, q, pairs, level):
        return Reply(R.NS.schemaversions(self.m.profile["schemas"]["networkshare"]))

    # ---- storage limit -------------------------------------------------------------

    def sl_schemas(self, q, pairs, level):
        return Reply(R.SL.schemaversions(self.m.profile["schemas"]["storage_limit"]))

    def sl_get(self, q, pairs, level):
        return self._answer(q, "storage_limit", lambda: self.m.get_limits(q.get("diskid")), R.sl_limits)

    def sl_set(self, q, pairs, level):
        return self._answer(q, "storage_limit", lambda: self.m.set_limit(q.get("diskid"), q.get("size")))

    # ---- recordings ----------------------------------------------------------------

    def rec_list(self, q, pairs, level):
        entity = q.get("listentity") or "recording"
        for name in ("starttime", "stoptime"):
            if q.get(name):
                try:
                    parse_time(q[name])
                except ValueError:
                    # CHOICE: list.cgi has no documented error body; a bad time is a 400.
                    return Reply("Invalid %s\n" % name, "text/plain", 400)
        total, recs = self.m.list_recordings(
            q.get("recordingid"), q.get("eventid"), q.get("diskid"), q.get("starttime"),
            q.get("stoptime"), q.get("sortorder"), q.get("source"))
        if entity == "eventid":
            seen = []
            for r in recs:
                if r.event_id not in seen:
                    seen.append(r.event_id)
            return Reply(R.rec_entities("eventid", seen))
        if entity == "source":
            return Reply(R.rec_entities("source", sorted({r.source for r in recs})))
        # listentity=recording (the documentation's examples also use "recordingid")
        matched = len(recs)
        try:
            first = max(0, int(q.get("startatresultnumber") or 0))
        except ValueError:
            first = 0
        # "start on the n:th recording": counted from 0 (CHOICE, modern) or from 1 (legacy; 0 answered like 1)
        first = max(0, first - (self.m.profile.get("first_result_number") or 0))
        try:
            count = int(q["maxnumberofresults"]) if q.get("maxnumberofresults") else None
        except ValueError:
            count = None
        page = recs[first:] if count is None else recs[first:first + max(0, count)]
        now = self.m.now() if self.m.profile.get("firmware_recording_times") else None
        return Reply(R.rec_list(total, R.Page(page, matched), now))

    @staticmethod
    def _one_result(xsd, tag, key, action, known=None):
        """The recording API's answer of one element: key is what action() returns (known when it returns
        nothing) and result OK; on an ApiError key is known (left out when None), result ERROR and errormsg."""
        try:
            value = action()
        except ApiError as err:
            failed = {} if known is None else {key: known}
            return Reply(R.rec_result(xsd, tag, [dict(failed, result="ERROR", errormsg=err.description)]))
        return Reply(R.rec_result(xsd, tag, [{key: known if value is None else value, "result": "OK"}]))

    def rec_record(self, q, pairs, level):
        return self._one_result("record1.xsd", "record", "recordingid",
                                lambda: self.m.start_recording(q.get("diskid"), q.get("options")))

    def rec_stop(self, q, pairs, level):
        rid = q.get("recordingid") or ""
        return self._one_result("stop1.xsd", "stop", "recordingid", lambda: self.m.stop_recording(rid), rid)

    def rec_remove(self, q, pairs, level):
        rid = q.get("recordingid")
        try:
            results = self.m.remove_recordings(rid, q.get("diskid"), q.get("beforetime"),
                                               q.get("eventid"), q.get("source"))
        except (ApiError, ValueError) as err:
            return Reply(R.rec_result("remove1.xsd", "remove", [
                {"recordingid": rid or "", "result": "ERROR",
                 "errormsg": getattr(err, "description", str(err))}]))
        out = []
        for rec_id, error in results:
            attrs = {"recordingid": rec_id, "result": "ERROR" if error else "OK"}
            if error:
                attrs["errormsg"] = error
            out.append(attrs)
        if not out:
            # CHOICE: nothing matched a filter -> one OK element naming the request
            out.append({"recordingid": rid or "all", "result": "OK"})
        return Reply(R.rec_result("remove1.xsd", "remove", out))

    def cp_add(self, q, pairs, level):
        return self._one_result("continuousconfigurationadd1.xsd", "configure", "profile", lambda: self.m.add_profile(
            q.get("diskid"), q.get("options"), q.get("eventid")), "")

    def cp_list(self, q, pairs, level):
        return Reply(R.profile_list(self.m.list_profiles(q.get("profile"))))

    def cp_remove(self, q, pairs, level):
        num = q.get("profile") or ""
        return self._one_result("continuousconfigurationremove1.xsd", "remove", "profile",
                                lambda: self.m.remove_profile(num), num)

    # ---- recording groups ----------------------------------------------------------

    def rg_schemas(self, q, pairs, level):
        return Reply(R.RG.schemaversions(self.m.profile["schemas"]["recording_groups"]))

    def rg_create(self, q, pairs, level):
        return self._answer(q, "recording_groups", lambda: self.m.create_group(
            q.get("recordinggroupid"), q.get("nicename"), q.get("description"), q.get("retentiontime"),
            q.get("diskid"), q.get("streamoptions"), q.get("preduration"), q.get("postduration")), R.rg_create)

    def rg_update(self, q, pairs, level):
        return self._answer(q, "recording_groups", lambda: self.m.update_group(
            q.get("recordinggroupid"), q.get("nicename"), q.get("description"), q.get("retentiontime"),
            q.get("streamoptions"), q.get("preduration"), q.get("postduration")))

    def rg_delete(self, q, pairs, level):
        return self._answer(q, "recording_groups", lambda: self.m.delete_group(q.get("recordinggroupid")))

    def rg_list(self, q, pairs, level):
        return self._answer(q, "recording_groups", lambda: self.m.list_groups(q.get("recordinggroupid")),
                            R.rg_list)

    # ---- export --------------------------------------------------------------------

    def ex_schemas(self, q, pairs, level):
        return Reply(R.EX.schemaversions(self.m.profile["schemas"]["export"]))

    def ex_capabilities(self, q, pairs, level):
        return self._answer(q, "export", lambda: self.m.has("export_encryption"), R.ex_capabilities)

    def _ex_props(self, q, need_format=False):
        """The recording, start, stop and size an export of q would have (the caller checks the schema version)."""
        if need_format and not q.get("exportformat"):
            raise ApiError(20, "Invalid request: exportformat is required.")
        return self.m.export_properties(q.get("recordingid"), q.get("diskid"),
                                        q.get("starttime"), q.get("stoptime"),
                                        q.get("exportformat"), q.get("encryptionformat"))

    def ex_properties(self, q, pairs, level):
        return self._answer(q, "export", lambda: self._ex_props(q),
                            lambda found: R.ex_properties(*found, q.get("encryptionformat")))

    def ex_export(self, q, pairs, level):
        try:
            self._schema(q, "export")
            rec, start, stop, size = self._ex_props(q, need_format=True)
        except ApiError as err:
            return Reply(R.EX.error(err.code, err.description))
        password, encryption = q.get("password"), q.get("encryptionformat")
        default = "{}_{}".format(start.strftime("%Y%m%d_%H%M%S"), stop.strftime("%Y%m%d_%H%M%S"))
        data = _media.matroska(rec.rec_id, start, stop)
        if password is None and encryption is None:
            return Reply(data, "video/x-matroska", headers=[
                ("Content-Disposition", 'attachment; filename="%s.mkv"' % (q.get("filename") or default))])
        # CHOICE: the codes exporttoexternal.cgi documents for the same arguments
        problem = (None if password is not None else (260, "Password not set.")) or \
            (None if encryption is not None else (270, "Encryption format not set.")) or \
            (None if len(password.encode("utf-8")) <= 512 else (240, "Invalid password."))
        if problem:
            return Reply(R.EX.error(*problem))
        with self.m.lock:
            salt = self.m.rng.getrandbits(8 * _media.AES_SALT).to_bytes(_media.AES_SALT, "big")
            # documented: an encrypted export without a file name gets a random XXXXXX.zip
            name = q.get("filename") or "".join(self.m.rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
                                                for _position in range(6))
        archive = _media.zip_aes256(default + ".mkv", data, password, salt, start)
        return Reply(archive, "application/zip", headers=[
            ("Content-Disposition", 'attachment; filename="%s.zip"' % name)])

    def ex_external(self, q, pairs, level):
        def export_to_usb_disk():
            self._ex_props(q, need_format=True)
            raise ApiError(200, "Invalid external disk.")       # the emulated camera has no USB disk
        return self._answer(q, "export", export_to_usb_disk)

    def ex_jobstatus(self, q, pairs, level):
        def job_status():
            raise ApiError(190, "Job not found.")
        return self._answer(q, "export", job_status)


# --------------------------------------------------------------------------------------
# authentication
# --------------------------------------------------------------------------------------

def _md5(text):
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def parse_digest(header):
    out = {}
    for match in re.finditer(r'(\w+)\s*=\s*("((?:[^"\\]|\\.)*)"|[^,\s]+)', header):
        value = match.group(3) if match.group(3) is not None else match.group(2)
        out[match.group(1).lower()] = value.replace('\\"', '"')
    return out


class Auth:
    """Digest (MD5, qop=auth or RFC 2069) and Basic, as offered by the camera's
    Network.HTTP.AuthenticationPolicy.  Nonces stay valid for the life of the camera (so a
    client reusing its nonce with an increasing nc is not challenged again)."""

    def __init__(self, model):
        self.model = model
        self.nonces = collections.OrderedDict()
        self.lock = threading.Lock()

    @property
    def realm(self):
        return "AXIS_%s" % self.model.serial

    def schemes(self):
        policy = self.model.auth_policy
        return {"basic": ["Basic"], "digest": ["Digest"]}.get(policy, ["Digest", "Basic"])

    def challenges(self, stale=False):
        out = []
        for scheme in self.schemes():           # Digest first when both are offered
            if scheme == "Digest":
                nonce = base64.b64encode(os.urandom(18)).decode("ascii")
                with self.lock:
                    self.nonces[nonce] = True
                    while len(self.nonces) > NONCE_MAX:
                        self.nonces.popitem(last=False)
                value = f'Digest realm="{self.realm}", nonce="{nonce}", algorithm=MD5'
                if self.model.auth_with_qop == "yes":
                    value += ', qop="auth"'
                if stale:
                    value += ", stale=true"
                out.append(("WWW-Authenticate", value))
            else:
                out.append(("WWW-Authenticate", 'Basic realm="%s"' % self.realm))
        return out

    def check(self, header, method, target=None):
        """Returns (user or None, stale).  ``target``: the request target (path?query), which
        a Digest response's ``uri`` must repeat."""
        if not header:
            return None, False
        scheme, dummy, rest = header.partition(" ")
        scheme = scheme.lower()
        offered = [s.lower() for s in self.schemes()]
        if scheme == "basic" and "basic" in offered:
            try:
                user, dummy, pw = base64.b64decode(rest.strip()).decode("utf-8").partition(":")
            except (ValueError, UnicodeDecodeError):
                return None, False
            entry = self.model.users.get(user)
            return (user if entry and entry[0] == pw else None), False
        if scheme == "digest" and "digest" in offered:
            f = parse_digest(rest)
            user = f.get("username")
            entry = self.model.users.get(user)
            if not entry or f.get("realm") != self.realm:
                return None, False
            if target is not None and f.get("uri") != target:
                return None, False
            with self.lock:
                known = f.get("nonce") in self.nonces
            if not known:
                return None, True
            ha1 = _md5(f"{user}:{self.realm}:{entry[0]}")
            ha2 = _md5("{}:{}".format(method, f.get("uri", "")))
            if f.get("qop"):
                expected = _md5("{}:{}:{}:{}:{}:{}".format(ha1, f["nonce"], f.get("nc", ""),
                                                           f.get("cnonce", ""), f["qop"], ha2))
            else:
                expected = _md5("{}:{}:{}".format(ha1, f["nonce"], ha2))
            return (user if expected == f.get("response") else None), False
        return None, False


# --------------------------------------------------------------------------------------
# the HTTP server of one camera
# --------------------------------------------------------------------------------------

class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, addr, camera, ssl_context=None):
        self.camera = camera
        self.ssl_context = ssl_context
        self.conns = set()
        self.conns_lock = threading.Lock()
        # serve() waits on the listening socket and on this pair: stop_serving() wakes it at once
        # (socketserver's serve_forever notices a shutdown only at its next poll interval).
        self._wake_read, self._wake_write = socket.socketpair()
        self._stopping = threading.Event()
        ThreadingHTTPServer.__init__(self, addr, _Handler)

    def serve(self):
        """Accept connections until stop_serving() is called."""
        with selectors.DefaultSelector() as selector:
            selector.register(self, selectors.EVENT_READ)
            selector.register(self._wake_read, selectors.EVENT_READ)
            while not self._stopping.is_set():
                ready = [key.fileobj for key, _events in selector.select()]
                if self in ready and not self._stopping.is_set():
                    self._handle_request_noblock()

    def stop_serving(self):
        self._stopping.set()
        self._wake_write.send(b"x")

    def server_close(self):
        ThreadingHTTPServer.server_close(self)
        self._wake_read.close()
        self._wake_write.close()

    def finish_request(self, request, client_address):
        if self.ssl_context is not None:
            try:
                request.settimeout(30)
                request = self.ssl_context.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                try:
                    request.close()
                except OSError:
                    pass
                return
        ThreadingHTTPServer.finish_request(self, request, client_address)

    def close_connections(self):
        with self.conns_lock:
            conns = list(self.conns)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "emulated-axis-httpd"
    sys_version = ""
    timeout = 120            # idle keep-alive connections are closed after this
    answering = None         # the Camera counting this handler's request as being answered (most_at_once)

    def setup(self):
        BaseHTTPRequestHandler.setup(self)
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass
        with self.server.conns_lock:
            self.server.conns.add(self.connection)

    def finish(self):
        try:
            BaseHTTPRequestHandler.finish(self)
        finally:
            with self.server.conns_lock:
                self.server.conns.discard(self.connection)

    def log_message(self, fmt, *args):     # no per-request stderr noise
        pass

    def date_time_string(self, timestamp=None):
        """The Date header tells the camera's own clock (advanced by the clock hook)."""
        if timestamp is None:
            timestamp = self.server.camera.model.now().timestamp()
        return email.utils.formatdate(timestamp, usegmt=True)

    def do_GET(self):
        self._handle()

    def do_POST(self):
        self._handle()

    def _send(self, reply):
        camera = getattr(self, "answering", None)
        if camera is not None:
            camera.answered(self)
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.ctype)
        self.send_header("Content-Length", str(reply.announced or len(reply.body)))
        for name, value in reply.headers:
            self.send_header(name, value)
        if reply.announced:
            self.close_connection = True
        if self.close_connection:
            self.send_header("Connection", "close")
        # headers and body leave in one write (no Nagle/delayed-ACK stall between them)
        self._headers_buffer.append(b"\r\n")
        if self.command != "HEAD":
            self._headers_buffer.append(reply.body)
        self.flush_headers()

    def _handle(self):
        cam = self.server.camera
        path, dummy, query = self.path.partition("?")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        if path.startswith("/_emulator/") or path == "/_emulator":
            self._send(cam.hook(self.command, path, body))
            return
        # The modern-latin1 profile reads requests in the charset it answers in (VAPIX: ISO-8859-1).
        charset = cam.model.profile.get("charset")
        pairs = parse_args(query, charset)
        ctype = (self.headers.get("Content-Type") or "").lower()
        json_body = None
        if body and "json" in ctype:
            json_body = body
        elif body:
            pairs += parse_args(body.decode("iso-8859-1"), charset)
        cam.handle_camera_request(self, path, pairs, json_body)


_CLEANUP_FIELDS = {"after", "skip", "recordings", "disk_id"}


def _cleanup(spec):
    """A fifo_cleanup fault (README, "Faults") as the camera keeps it; ValueError for a wrong one."""
    unknown = set(spec) - _CLEANUP_FIELDS
    if unknown:
        raise ValueError("unknown fifo_cleanup field(s): %s" % ", ".join(sorted(unknown)))
    if not spec.get("after"):
        raise ValueError("fifo_cleanup needs after: the CGI after whose answer the cleanup runs")
    return {"path": _cgi_path(spec["after"]), "skip": max(0, int(spec.get("skip", 0))),
            "recordings": max(1, int(spec.get("recordings", 1))), "disk_id": spec.get("disk_id")}


class Camera:
    """One emulated camera: a model, an HTTP(S) server thread and the test hooks."""

    def __init__(self, index=0, host="127.0.0.1", port=0, profile="modern", latency_ms=0,
                 ssl_context=None, ca_path=None, users=None, job_polls=3, job_seconds=30.0):
        self.index = index
        self.host = host
        self.model = CameraModel(profile, index=index, users=users, job_polls=job_polls,
                                 job_seconds=job_seconds)
        self.api = Api(self.model)
        self.auth = Auth(self.model)
        self.latency_ms = latency_ms
        self.ca_path = ca_path
        self.tls = ssl_context is not None
        self._log = collections.deque(maxlen=LOG_MAX)
        self._writes = 0
        self._challenges = 0
        self._at_once = 0           # camera requests being answered now, and the most of them at once
        self._most_at_once = 0
        self._hook_lock = threading.Lock()
        self._faults = {"http500": 0, "drop": 0, "delay_ms": 0}
        self._answer_faults = []
        self._cleanups = []         # fifo_cleanup faults: {"path", "skip", "recordings", "disk_id"}
        self._server = _Server((host, port), self, ssl_context)
        self.port = self._server.server_address[1]
        self._thread = None

    @property
    def url(self):
        return "%s://%s:%d" % ("https" if self.tls else "http", self.host, self.port)

    # ---- lifecycle -----------------------------------------------------------------

    def start(self):
        self._thread = threading.Thread(target=self._server.serve, name="camera-%d" % self.index, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._thread is not None:
            self._server.stop_serving()
            self._thread.join(5)
            self._thread = None
        self._server.close_connections()
        self._server.server_close()

    # ---- Python test API -----------------------------------------------------------

    def log(self):
        with self._hook_lock:
            return [dict(e) for e in self._log]

    def write_count(self):
        with self._hook_lock:
            return self._writes

    def challenge_count(self):
        with self._hook_lock:
            return self._challenges

    def most_at_once(self):
        """The most camera requests this camera was answering at the same time since the log was cleared."""
        with self._hook_lock:
            return self._most_at_once

    def clear_log(self):
        with self._hook_lock:
            self._log.clear()
            self._writes = 0
            self._challenges = 0
            self._most_at_once = 0

    def reset(self, profile=None):
        with self.model.lock:
            self.model.reset(profile)
        with self._hook_lock:
            self._faults = {"http500": 0, "drop": 0, "delay_ms": 0}
            self._answer_faults = []
            self._cleanups = []
        self.clear_log()

    def dump(self):
        state = self.model.dump()
        with self._hook_lock:
            state["faults"].update(dict(self._faults))
            state["faults"]["answer"] = [fault.describe() for fault in self._answer_faults]
            state["faults"]["fifo_cleanup"] = [dict(cleanup) for cleanup in self._cleanups]
        state["latency_ms"] = self.latency_ms
        return state

    def inject(self, **faults):
        """Fault injection; see README.  Unknown keys raise ValueError."""
        known = {"http500", "delay_ms", "drop", "stuck_jobs", "fail_job", "clear", "corrupt",
                 "eject", "insert", "card_passphrase", "answer", "fifo_cleanup", "refuse_param"}
        unknown = set(faults) - known
        if unknown:
            raise ValueError("unknown fault(s): %s" % ", ".join(sorted(unknown)))
        if "card_passphrase" in faults and not faults.get("insert"):
            raise ValueError("card_passphrase goes with insert")
        answers = faults.get("answer") or []
        answers = [AnswerFault(spec) for spec in ([answers] if isinstance(answers, dict) else answers)]
        cleanups = faults.get("fifo_cleanup") or []
        cleanups = [_cleanup(spec) for spec in ([cleanups] if isinstance(cleanups, dict) else cleanups)]
        with self._hook_lock, self.model.lock:
            self._answer_faults.extend(answers)
            self._cleanups.extend(cleanups)
            if faults.get("clear"):
                self._faults = {"http500": 0, "drop": 0, "delay_ms": 0}
                self._answer_faults = []
                self._cleanups = []
                self.model.stuck_jobs = False
                self.model.fail_next = set()
                self.model.refuse_params = set()
            if faults.get("refuse_param"):
                names = faults["refuse_param"]
                names = [names] if isinstance(names, str) else list(names)
                self.model.refuse_params.update(str(name).removeprefix("root.") for name in names)
            for key in ("http500", "drop", "delay_ms"):
                if key in faults:
                    self._faults[key] = max(0, int(faults[key]))
            if "stuck_jobs" in faults:
                self.model.stuck_jobs = bool(faults["stuck_jobs"])
            if faults.get("fail_job"):
                kinds = faults["fail_job"]
                kinds = [kinds] if isinstance(kinds, str) else list(kinds)
                for kind in kinds:
                    if kind not in ("format", "checkdisk", "repair", "mount", "unmount", "test"):
                        raise ValueError("unknown job kind %r" % kind)
                    self.model.fail_next.add(kind)
            for key, attr, value in (("corrupt", "fs_errors", True), ("eject", "present", False)):
                if faults.get(key):
                    disk = self.model.disk(faults[key])
                    if disk is None or (key != "corrupt" and disk.kind != "sd"):
                        raise ValueError(f"{key}: no such SD disk {faults[key]!r}")
                    setattr(disk, attr, value)
                    if key == "eject":
                        disk.mounted = False
                    self.model.sync_recordings()
            if faults.get("insert"):
                self.model.insert_card(faults["insert"], faults.get("card_passphrase"))

    def set_latency(self, ms):
        self.latency_ms = max(0, int(ms))

    def set_group_in_use(self, group_id, in_use=True):
        """Mark a recording group as used by an action rule (delete.cgi then answers 140)."""
        if not isinstance(in_use, bool):
            raise ValueError("in_use must be true or false")
        with self.model.lock:
            group = next((g for g in self.model.groups if g.group_id == group_id), None)
            if group is None:
                raise ValueError(f"no recording group {group_id!r}")
            group.in_use = in_use

    # ---- hooks over HTTP -----------------------------------------------------------

    def hook(self, method, path, body):
        def js(obj, status=200):
            return Reply(json.dumps(obj), "application/json", status)
        try:
            data = json.loads(body.decode("utf-8")) if body.strip() else {}
        except ValueError:
            return js({"error": "invalid JSON body"}, 400)
        try:
            if method == "GET" and path == "/_emulator/log":
                return js(self.log())
            if method == "POST" and path == "/_emulator/log/clear":
                self.clear_log()
                return js({"ok": True})
            if method == "GET" and path == "/_emulator/writes":
                return js({"count": self.write_count()})
            if method == "GET" and path == "/_emulator/challenges":
                return js({"count": self.challenge_count()})
            if method == "POST" and path == "/_emulator/reset":
                self.reset((data or {}).get("profile"))
                return js({"ok": True, "profile": self.model.profile_name})
            if method == "GET" and path == "/_emulator/state":
                return js(self.dump())
            if method == "POST" and path == "/_emulator/faults":
                self.inject(**data)
                return js({"ok": True})
            if method == "POST" and path == "/_emulator/groups/in_use":
                in_use = data.get("in_use", True)
                self.set_group_in_use(data.get("id"), in_use)
                return js({"ok": True, "id": data.get("id"), "in_use": in_use})
            if method == "POST" and path == "/_emulator/clock":
                if "advance" in data:
                    self.model.advance_clock(float(data["advance"]))
                return js({"ok": True, "now": fmt_time(self.model.now())})
            if method == "POST" and path == "/_emulator/restart":
                self.model.restart(float(data.get("seconds", 60)))
                return js({"ok": True, "now": fmt_time(self.model.now())})
            if method == "POST" and path == "/_emulator/latency":
                self.set_latency(data.get("ms", 0))
                return js({"ok": True, "ms": self.latency_ms})
            if method == "POST" and path == "/_emulator/jobs":
                with self.model.lock:
                    if "polls" in data:
                        self.model.job_polls = max(1, int(data["polls"]))
                    if "seconds" in data:
                        seconds = data["seconds"]
                        self.model.job_seconds = float(seconds) if seconds else None
                    return js({"ok": True, "polls": self.model.job_polls,
                               "seconds": self.model.job_seconds})
        except (ValueError, TypeError) as err:
            return js({"error": str(err)}, 400)
        return js({"error": "no such hook"}, 404)

    # ---- camera requests -----------------------------------------------------------

    def _record(self, method, path, pairs, user, status, write, changed):
        entry = {"method": method, "path": path, "args": mask_args(pairs), "user": user,
                 "status": status, "write": write, "changed": changed}
        with self._hook_lock:
            self._log.append(entry)
            if write:
                self._writes += 1
            if status == 401:
                self._challenges += 1

    def handle_camera_request(self, handler, path, pairs, json_body):
        with self._hook_lock:
            self._at_once += 1
            self._most_at_once = max(self._most_at_once, self._at_once)
        handler.answering = self      # until its answer starts to leave (see answered)
        try:
            self._answer_camera_request(handler, path, pairs, json_body)
        finally:
            self.answered(handler)

    def answered(self, handler):
        """handler's request no longer counts as being answered: its answer starts to leave, or it gets none.
        (Counted before the answer is written, so a client that sends its next request as soon as it has an
        answer never finds the one before still counted.)"""
        if getattr(handler, "answering", None) is self:
            handler.answering = None
            with self._hook_lock:
                self._at_once -= 1

    def _answer_camera_request(self, handler, path, pairs, json_body):
        method = handler.command
        delay = self.latency_ms
        with self._hook_lock:
            delay += self._faults["delay_ms"]
        if delay:
            time.sleep(delay / 1000.0)
        user, stale = self.auth.check(handler.headers.get("Authorization"), method, handler.path)
        if user is None:
            self._record(method, path, pairs, None, 401, False, False)
            handler._send(Reply(R.status_html(401, "Unauthorized"), "text/html", 401,
                                self.auth.challenges(stale)))
            return
        q = {}
        for name, value in pairs:
            q[name.lower()] = value
        write = is_write(path, q)
        with self._hook_lock:
            drop = self._faults["drop"] > 0
            if drop:
                self._faults["drop"] -= 1
            fail = not drop and self._faults["http500"] > 0
            if fail:
                self._faults["http500"] -= 1
        if drop:
            self._record(method, path, pairs, user, 0, write, False)
            self._close_unanswered(handler)
            return
        if fail:
            self._record(method, path, pairs, user, 500, write, False)
            handler._send(Reply(R.status_html(500, "Internal Server Error"), "text/html", 500))
            return
        route = ROUTES.get(path)
        if route is None or (route[0] is not None and not self.model.has(route[0])):
            self._record(method, path, pairs, user, 404, write, False)
            handler._send(Reply(R.not_found_html(path), "text/html", 404))
            return
        level = self.model.user_level(user)
        fault = self._take_answer_fault(path)
        hang_ms = fault.hang_ms if fault is not None else 0
        reply = None
        changed = False
        if fault is not None and fault.kind == "no_answer" and level >= route[1]:
            if fault.apply:
                changed = self._carry_out(route, q, pairs, level, json_body)[1]
            self._record(method, path, pairs, user, 0, write, changed)
            if hang_ms:
                time.sleep(hang_ms / 1000.0)
            self._close_unanswered(handler)
            return
        if fault is not None and not fault.apply and level >= route[1]:
            reply = Reply(*fault.damage(None, pairs))
            fault = None
        if reply is None and level >= route[1]:
            reply, changed = self._carry_out(route, q, pairs, level, json_body)
        if reply is None:
            reply = Reply(R.status_html(403, "Forbidden"), "text/html", 403)
            fault = None
        elif fault is not None:
            reply = Reply(*fault.damage(reply, pairs))
        reply = self._charset(path, reply)
        self._clean_up_after(path)
        self._record(method, path, pairs, user, reply.status, write, changed)
        if hang_ms:
            time.sleep(hang_ms / 1000.0)
        try:
            handler._send(reply)
        except OSError:            # the client gave up waiting (hang_ms)
            handler.close_connection = True

    def _carry_out(self, route, q, pairs, level, json_body):
        """(the camera's reply, whether the request changed the model) of a request the user may send."""
        fn = getattr(self.api, route[3])
        with self.model.lock:
            self.model.changed = False
            self.model.tick()
            if route[3] == "apidiscovery":
                reply = fn(q, pairs, level, json_body)
            else:
                reply = fn(q, pairs, level)
            changed = self.model.changed
            self.model.changed = False
        return reply, changed

    @staticmethod
    def _close_unanswered(handler):
        """Close the request's connection without an answer (the drop fault, an answer fault no_answer)."""
        handler.close_connection = True
        try:
            handler.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _clean_up_after(self, path):
        """A fifo_cleanup fault due after this answer: the camera's cleanup removes its oldest recordings now,
        between this request and the next (the answer already holds the list as it was)."""
        with self._hook_lock:
            due = None
            for cleanup in self._cleanups:
                if cleanup["path"] == path:
                    if cleanup["skip"]:
                        cleanup["skip"] -= 1
                    else:
                        due = cleanup
                        self._cleanups.remove(cleanup)
                    break
        if due is not None:
            self.model.remove_oldest(due["recordings"], due["disk_id"])

    def _take_answer_fault(self, path):
        """The answer fault for this request, used up once; None when there is none (or it still skips)."""
        with self._hook_lock:
            for fault in self._answer_faults:
                if fault.path == path:
                    if fault.skip:
                        fault.skip -= 1
                        return None
                    fault.times -= 1
                    if fault.times <= 0:
                        self._answer_faults.remove(fault)
                    return fault
            return None

    def _charset(self, path, reply):
        """The profile's charset: modern firmware sends UTF-8 and declares no charset; the
        ``modern-latin1`` profile sends param.cgi as ISO-8859-1 text with the charset declared (as
        the M1065-LW capture) and XML as ISO-8859-1 with an XML declaration saying so."""
        charset = self.model.profile.get("charset")
        if not charset or reply.status != 200 or "charset=" in reply.ctype or reply.announced:
            return reply   # (an answer cut short leaves as it was cut)
        if reply.ctype == "text/plain":
            body = reply.body.decode("utf-8").encode(charset, "replace")
            return Reply(body, "text/plain; charset=%s" % charset, reply.status, reply.headers)
        if reply.ctype == XML and reply.body.lstrip().startswith(b"<?xml"):
            text = reply.body.decode("utf-8")
            declaration, rest = text.split("?>", 1)
            declaration = re.sub(r'\s+encoding\s*=\s*["\'][^"\']*["\']', "", declaration)
            body = (f'{declaration.rstrip()} encoding="{charset.upper()}"?>{rest}').encode(
                charset, "xmlcharrefreplace")
            return Reply(body, XML, reply.status, reply.headers)
        return reply
