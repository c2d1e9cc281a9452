"""Renderers: each API family's XML (or text/JSON) exactly in the shape the documentation
and real firmware use.  Pure functions of model objects; no state lives here."""

import json
from xml.sax.saxutils import escape as _escape

from .model import fmt_local, fmt_time, truefalse, yesno

XSI = "http://www.w3.org/2001/XMLSchema-instance"
_ENT = {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


def a(value):
    """Escape an attribute value."""
    return _escape(str(value), _ENT)


def t(value):
    return _escape(str(value))


# --------------------------------------------------------------------------------------
# disk management (root / noNamespaceSchemaLocation envelopes)
# --------------------------------------------------------------------------------------

def _root(xsd, body, decl='<?xml version="1.0" ?>'):
    return ('%s\n<root xmlns:xsi="%s" xsi:noNamespaceSchemaLocation="http://www.axis.com/vapix/'
            'http_cgi/%s">\n%s\n</root>\n' % (decl, XSI, xsd, body))


def disk_list(model, disks):
    """disks/list.cgi.  Modern firmware: the 9.80 shape (attribute ``encryptionenabled``,
    status before filesystem, odd whitespace).  Legacy: no required-fs/encryption attrs."""
    modern = model.has("modern_storage_keys")
    parts = []
    for d in disks:
        total, free = model.disk_sizes(d)
        attrs = [("diskid", d.disk_id), ("name", d.friendly_name), ("totalsize", total),
                 ("freesize", free),
                 # cleanuplevel is obsolete since 5.50: firmware reports a fixed 99 whatever
                 # Storage.S#.CleanupLevel says (as the 9.80 capture shows)
                 ("cleanuplevel", 99), ("cleanupmaxage", d.cleanup_max_age),
                 ("cleanuppolicy", d.cleanup_policy), ("locked", yesno(d.locked)),
                 ("full", yesno(d.present and model.free_kb(d) <= 0)), ("readonly", "no")]
        if modern:      # the 9.80 capture: status before filesystem
            attrs += [("status", d.status), ("filesystem", d.filesystem)]
        else:           # the documentation's order (no capture of a 5.51 disk list)
            attrs += [("filesystem", d.filesystem), ("status", d.status)]
        attrs.append(("group", "S%d" % d.group))
        if modern:
            attrs += [("requiredfilesystem", d.required_fs),
                      ("encryptionenabled", truefalse(d.encryption_enabled)),
                      ("diskencrypted", truefalse(d.encrypted))]
        parts.append("  <disk %s/>" % " ".join(f'{k}="{a(v)}"' for k, v in attrs))
    # the 9.80 capture's whitespace: '<disks ... >' followed by two spaces and the first
    # <disk> on the same line, and a space before </root>
    body = '<disks numberofdisks="%d" >%s\n</disks> ' % (len(disks), "\n".join(parts))
    return ('<?xml version="1.0"?>\n<root xmlns:xsi="%s" xsi:noNamespaceSchemaLocation='
            '"http://www.axis.com/vapix/http_cgi/disk/list1.xsd">\n%s</root>\n' % (XSI, body))


def start_job(action, disk_id, job=None, error=None):
    if error is not None:
        inner = '<job action="{}" diskid="{}" result="ERROR" description="{}" />'.format(
            a(action), a(disk_id or ""), a(error))
    else:
        inner = '<job action="%s" diskid="%s" result="OK" jobid="%d" />' % (
            a(action), a(disk_id), job.job_id)
    return _root("disk/startjob1.xsd", "    " + inner)


def check_job(model, job=None, job_id="", disk_id="", error=None):
    if error is not None:
        inner = ('<job jobid="%s" diskid="%s" action="N/A" progress="100" result="ERROR" '
                 'description="%s" />' % (a(job_id), a(disk_id or ""), a(error)))
    else:
        progress = model.progress(job)
        # CHOICE: no description while the job runs; "Done" or the error text at the end.
        desc = ' description="%s"' % a(job.description) if job.done else ""
        inner = ('<job jobid="%d" diskid="%s" action="%s" result="%s" progress="%d"%s />' % (
            job.job_id, a(job.disk_id), a(job.kind), job.result, progress, desc))
    return _root("disk/checkjob1.xsd", "    " + inner)


def lock(action, disk_id, error=None):
    tag = "unlock" if action == "unlock" else "lock"
    if error:
        inner = '<{} diskid="{}" result="ERROR" description="{}" />'.format(
            tag, a(disk_id or ""), a(error))
    else:
        inner = f'<{tag} diskid="{a(disk_id)}" result="OK" />'
    return _root("disk/lock1.xsd", "    " + inner)


def capabilities(model, disk=None, disk_id="", error=None):
    if error is not None:
        inner = '  <disk diskid="{}" result="ERROR" description="{}" />'.format(
            a(disk_id or ""), a(error))
        return _root("disk/capabilities1.xsd", inner, '<?xml version="1.0" encoding="UTF-8"?>')
    req = disk.kind == "sd" and model.has("requiredfs")
    enc = disk.kind == "sd" and model.has("encryption")
    lines = ['  <disk diskid="{}" requiredfssupported="{}" encryptionsupported="{}">'.format(
        a(disk.disk_id), truefalse(req), truefalse(enc)), "    <filesystems>"]
    for fs in disk.supported_fs():
        lines.append('      <filesystem name="{}" nicename=" " requiredfssupported="{}"/>'.format(
            fs, truefalse(req and fs == "ext4")))
    lines += ["    </filesystems>", "  </disk>"]
    return _root("disk/capabilities1.xsd", "\n".join(lines),
                 '<?xml version="1.0" encoding="UTF-8"?>')


def health(model):
    lines = []
    for d in model.disks:
        if not d.present:
            wear = -3                      # -3: disk not present
        else:
            wear = d.wear                  # -1: not supported (network share)
        lines.append('        <HealthStatus diskid="%s" wear="%d" />' % (a(d.disk_id), wear))
    return ('<?xml version="1.0" encoding="UTF-8" ?>\n<HealthStatusResponse\n'
            '    xmlns:xsi="%s"\n    xsi:noNamespaceSchemaLocation="http://www.axis.com/vapix/'
            'http_cgi/disk/gethealth1.xsd">\n    <HealthStatusSuccess>\n%s\n'
            '    </HealthStatusSuccess>\n</HealthStatusResponse>\n' % (XSI, "\n".join(lines)))


# --------------------------------------------------------------------------------------
# the families with <Family>Response envelopes and GeneralError codes
# --------------------------------------------------------------------------------------

_DP_OPEN = ('<DiskPropertiesResponse xmlns="http://www.axis.com/vapix/http_cgi/disks/properties1" '
            'xmlns:xsi="%s" xsi:schemaLocation="http://www.axis.com/vapix/http_cgi/disks/'
            'properties1 http://www.axis.com/vapix/http_cgi/disks/properties/disk_properties1.xsd"'
            ' SchemaVersion="%%s">' % XSI)


def _general_error(code, description, indent="    "):
    return ("%s<GeneralError>\n%s    <ErrorCode>%s</ErrorCode>\n%s    <ErrorDescription>%s"
            "</ErrorDescription>\n%s</GeneralError>" % (indent, indent, code, indent,
                                                        t(description), indent))


def _schema_list(versions, indent):
    out = []
    for number, deprecated in versions:
        out.append("%s<SchemaVersion>\n%s    <VersionNumber>%s</VersionNumber>\n%s    "
                   "<Deprecated>%s</Deprecated>\n%s</SchemaVersion>" % (
                       indent, indent, number, indent, truefalse(deprecated), indent))
    return "\n".join(out)


def dp_success():
    return ('<?xml version="1.0" encoding="UTF-8"?>\n%s\n  <Success>\n    <GeneralSuccess />\n'
            '  </Success>\n</DiskPropertiesResponse>\n' % (_DP_OPEN % "1.0"))


def dp_error(code, description):
    return ('<?xml version="1.0" encoding="utf-8"?>\n%s\n  <Error>\n%s\n  </Error>\n'
            '</DiskPropertiesResponse>\n' % (_DP_OPEN % "1.0",
                                             _general_error(code, description)))


def dp_schemaversions(versions):
    return ('<?xml version="1.0" encoding="utf-8"?>\n%s\n  <Success>\n    <SchemaVersionsSuccess>'
            '\n%s\n    </SchemaVersionsSuccess>\n  </Success>\n</DiskPropertiesResponse>\n' % (
                _DP_OPEN % "1.0", _schema_list(versions, "      ")))


def dp_alert_levels(wear, temperature):
    # shape of the documentation's example (no default namespace, SchemaVersion 1.1)
    return ('<?xml version="1.0" encoding="utf-8"?>\n<DiskPropertiesResponse xmlns:xsi="%s" '
            'xsi:noNamespaceSchemaLocation="http://www.axis.com/vapix/http_cgi/disks/properties/'
            'disk_properties1.xsd" SchemaVersion="1.1">\n  <Success>\n    <GetAlertLevelsSuccess>'
            '\n      <AlertLevels Wear="%d" Temperature="%d"/>\n    </GetAlertLevelsSuccess>\n'
            '  </Success>\n</DiskPropertiesResponse>\n' % (XSI, wear, temperature))


class Envelope:
    """A <Family>Response envelope (network shares, storage limits, recording groups, export) and the
    answers every family in one gives alike: GeneralSuccess, a GeneralError, its schema versions."""

    def __init__(self, opening, closing):
        self.opening = opening
        self.closing = closing

    def wrap(self, inner):
        return f"{self.opening}\n{inner}\n{self.closing}\n"

    def success(self):
        return self.wrap("  <GeneralSuccess />")

    def error(self, code, description):
        return self.wrap(_general_error(code, description, "  "))

    def schemaversions(self, versions):
        return self.wrap("  <SchemaVersionsSuccess>\n%s\n  </SchemaVersionsSuccess>" % _schema_list(versions, "    "))


NS = Envelope('<?xml version="1.0" encoding="utf-8"?>\n<NetworkShareResponse SchemaVersion="1.0" '
              'xmlns:xsi="%s" xsi:noNamespaceSchemaLocation="http://www.axis.com/vapix/http_cgi/'
              'networkshare1.xsd">' % XSI, "</NetworkShareResponse>")


def ns_list(shares):
    lines = []
    for s in shares:
        attrs = [("NiceName", s.nicename), ("ShareId", s.share_id), ("Address", s.address),
                 ("Share", s.share), ("User", s.user)]
        if s.disk_id:
            attrs.append(("DiskId", s.disk_id))
        text = " ".join(f'{k}="{a(v)}"' for k, v in attrs)
        lines.append("      <NetworkShare %s />" % text)
    body = ("\n" + "\n".join(lines)) if lines else ""
    return NS.wrap('  <ListSuccess>\n    <NetworkShares NumberOfShares="%d">%s\n'
                   '    </NetworkShares>\n  </ListSuccess>' % (len(shares), body))


def ns_add(share_id):
    return NS.wrap('  <AddSuccess ShareId="%s" />' % a(share_id))


def ns_bind(disk_id):
    return NS.wrap('  <BindSuccess DiskID="%s" />' % a(disk_id))


def ns_test(job):
    return NS.wrap('  <TestSuccess JobId="%d" />' % job.job_id)


def ns_job(model, job):
    if not job.done:
        inner = "    <Progress>%d</Progress>" % model.progress(job)
    elif job.error is not None or job.result == "ERROR":
        code, desc = job.error if job.error else (710, job.description)
        inner = _general_error(code, desc, "    ")
    else:
        inner = "    <GeneralSuccess />"
    return NS.wrap("  <JobSuccess>\n%s\n  </JobSuccess>" % inner)


SL = Envelope('<?xml version="1.0" encoding="utf-8"?>\n<StorageLimitsResponse xmlns:xsi="%s" '
              'SchemaVersion="1.0" xsi:noNamespaceSchemaLocation="http://www.axis.com/vapix/'
              'http_cgi/recordingstoragelimit1.xsd">' % XSI, "</StorageLimitsResponse>")


def sl_limits(limits):
    lines = ['    <StorageLimit diskid="%s" size="%d" usedspace="%d" />' % (a(d), size, used)
             for d, size, used in limits]
    return SL.wrap("  <GetStorageLimitsResponse>\n%s\n  </GetStorageLimitsResponse>" %
                   "\n".join(lines))


RG = Envelope('<?xml version="1.0" encoding="utf-8" ?>\n<RecordingGroupResponse schemaversion="1.0" '
              'xmlns:xsi="%s" xsi:noNameSpaceSchemaLocation="http://www.axis.com/vapix/http_cgi/'
              'recording_group.xsd">' % XSI, "</RecordingGroupResponse>")


def rg_create(group_id):
    return RG.wrap('  <CreateSuccess RecordingGroupId="%s" />' % a(group_id))


def rg_list(groups):
    lines = []
    for g in groups:
        attrs = [("RecordingGroupId", g.group_id), ("NiceName", g.nicename),
                 ("Description", g.description), ("RetentionTime", g.retention),
                 ("DiskId", g.disk_id), ("StreamOptions", g.streamoptions),
                 ("PreDuration", g.pre), ("PostDuration", g.post)]
        text = " ".join(f'{k}="{a(v)}"' for k, v in attrs)
        lines.append("    <RecordingGroup %s />" % text)
    return RG.wrap("  <ListSuccess>%s\n  </ListSuccess>" % (
        ("\n" + "\n".join(lines)) if lines else ""))


EX = Envelope('<?xml version="1.0" encoding="utf-8"?>\n<ExportRecordingResponse xmlns:xsi="%s" '
              'SchemaVersion="1.1" xsi:noNamespaceSchemaLocation="http://www.axis.com/vapix/'
              'http_cgi/exportrecording1.xsd">' % XSI, "</ExportRecordingResponse>")


def ex_capabilities(encryption=False):
    inner = '\n      <ExportEncryption EncryptionFormat="zip-aes256"/>\n    ' if encryption else ""
    return EX.wrap('  <CapabilitiesSuccess>\n    <ExportCapabilities ExportFormat="matroska"%s'
                   '\n  </CapabilitiesSuccess>' % ((">%s</ExportCapabilities>" % inner) if inner else " />"))


def ex_properties(rec, start, stop, size_kb, encryption=None):
    encrypted = ' EncryptionFormat="%s"' % a(encryption) if encryption else ""
    return EX.wrap('  <PropertiesSuccess>\n    <ExportProperties RecordingId="%s" '
                   'ExportFormat="matroska"%s EstimatedFileSize="%d" Starttime="%s" '
                   'Stoptime="%s"/>\n  </PropertiesSuccess>' % (a(rec.rec_id), encrypted, size_kb,
                                                                fmt_time(start), fmt_time(stop)))


# --------------------------------------------------------------------------------------
# recording API (root envelopes with result/errormsg attributes)
# --------------------------------------------------------------------------------------

def rec_list(total, recs, now=None):
    """record/list.cgi.  With now (the firmware shape, recording-api-examples): times with microseconds and a
    running recording listed with the stop time it has got to (now) beside recordingstatus="recording";
    without: the documentation's shape, whole seconds and an empty stop time while it runs."""
    lines = []
    fraction = now is not None
    for r in recs:
        width, height = r.resolution()
        stop = now if r.stop is None else r.stop
        attrs = [("diskid", r.disk_id), ("recordingid", r.rec_id), ("starttime", fmt_time(r.start, fraction)),
                 ("starttimelocal", fmt_local(r.start, fraction)), ("stoptime", fmt_time(stop, fraction)),
                 ("stoptimelocal", fmt_local(stop, fraction)), ("recordingtype", r.rtype),
                 ("eventid", r.event_id), ("eventtrigger", r.trigger),
                 ("recordingstatus", "recording" if r.active else "completed"),
                 ("source", r.source), ("locked", "No")]
        lines.append('    <recording %s>\n      <video mimetype="video/x-h264" width="%d" '
                     'height="%d" framerate="30:1" resolution="%dx%d"/>\n    </recording>' % (
                         " ".join(f'{k}="{a(v)}"' for k, v in attrs), width, height,
                         width, height))
    return _root("recording/list1.xsd", '  <recordings totalnumberofrecordings="%d" '
                 'numberofrecordings="%d">%s\n  </recordings>' % (
                     total, recs.matched if hasattr(recs, "matched") else len(recs),
                     ("\n" + "\n".join(lines)) if lines else ""))


class Page(list):
    """A page of recordings that remembers how many matched before paging."""

    def __init__(self, items, matched):
        list.__init__(self, items)
        self.matched = matched


def rec_entities(tag, values):
    inner = "\n".join(f"    <{tag}>{t(v)}</{tag}>" for v in values)
    body = ("\n" + inner) if inner else ""
    return _root("recording/list1.xsd", f"  <{tag}s>{body}\n  </{tag}s>")


def rec_result(xsd, tag, results):
    """results: list of dicts of attributes (recordingid/profile, result, errormsg)."""
    lines = []
    for attrs in results:
        lines.append("  <{} {} />".format(tag, " ".join(f'{k}="{a(v)}"'
                                                        for k, v in attrs.items())))
    return _root("recording/%s" % xsd, "\n".join(lines))


def profile_list(profiles):
    lines = ['    <continuousrecordingconfiguration profile="%d" diskid="%s" options="%s" '
             'eventid="%s" />' % (p.number, a(p.disk_id), a(p.options), a(p.event_id))
             for p in profiles]
    return _root("recording/continuousconfigurationlist1.xsd",
                 "  <continuousrecordingconfigurations>%s\n  </continuousrecordingconfigurations>"
                 % (("\n" + "\n".join(lines)) if lines else ""))


# --------------------------------------------------------------------------------------
# JSON / HTML
# --------------------------------------------------------------------------------------

def api_list(model):
    apis = [{"id": i, "version": v, "name": n,
             "docLink": "https://developer.axis.com/vapix/"} for i, v, n in model.profile["apis"]]
    return json.dumps({"method": "getApiList", "apiVersion": "1.0", "data": {"apiList": apis}})


def not_found_html(path):
    return ('<HTML><HEAD><TITLE>404 Not Found</TITLE></HEAD>\n<BODY><H1>404 Not Found</H1>\n'
            'The requested URL %s was not found on this server.\n</BODY></HTML>\n' % t(path))


def status_html(code, text):
    return ('<HTML><HEAD><TITLE>%d %s</TITLE></HEAD>\n<BODY><H1>%d %s</H1>\n</BODY></HTML>\n'
            % (code, text, code, text))
