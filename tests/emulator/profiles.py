"""Named device profiles for the camera emulator.

A profile is plain data: which APIs the emulated firmware serves, the factory state of its
disks and shares, and the static parameters (Brand, Properties, Network.HTTP) it reports.
The facts come from the vendor documentation and from two real devices (an AXIS Companion
Bullet LE on 9.80.2.2 and an AXIS P5512 on 5.51.7); the values are written out here, not
copied from the captures.

Choices where the documentation is silent are marked "CHOICE" and listed in README.md.
"""

import copy

# Features a profile may serve.  A route whose feature is missing answers 404, as firmware
# that predates the API does.
ALL_FEATURES = frozenset({
    "local_storage",      # disks/* and record/* CGIs, the Storage and Recording parameters (an encoder or I/O
                          # module without local storage has none: the M7001 and A9188 captures)
    "apidiscovery",       # /axis-cgi/apidiscovery.cgi (AXIS OS 9.x; the 5.51 capture answers 404)
    "disk_properties",    # /axis-cgi/disks/properties/*  (added with disk encryption, AXIS OS 5.80)
    "encryption",         # encryption supported by the SD card (5.80)
    "requiredfs",         # required file system (Storage.S#.RequiredFileSystem)
    "health",             # disks/gethealth.cgi (AXIS OS 7.20)
    "storage_limit",      # record/storage/* (AXIS OS 5.70)
    "export",             # record/export/* (AXIS OS 5.60)
    "export_encryption",  # record/export zip-aes256 with a password (Export recording API 1.2)
    "recording_groups",   # record/recording_group/* (API published 2020-12)
    "modern_storage_keys",  # Storage.S#.Enabled / AutoRepair / RequiredFileSystem / ... keys
})

_COMMON_SD = {
    "disk_id": "SD_DISK",
    "kind": "sd",
    "device_node": "/dev/mmcblk0p1",
    "present": True,
    "mounted": True,
    "filesystem": "ext4",
    "total_kb": 116109036,
    "base_used_kb": 52982796,
    "cleanup_level": 90,
    "cleanup_max_age": 7000,
    "cleanup_policy": "fifo",
    "friendly_name": "",
    "wear": 3,
}

_COMMON_NAS = {
    "disk_id": "NetworkShare",
    "kind": "share",
    "device_node": "NetworkShare:/com/axis/NetworkShare/Device/0",
    "present": False,
    "mounted": False,
    "filesystem": "cifs",
    "total_kb": 1073741824,
    "base_used_kb": 152754432,
    "cleanup_level": 90,
    "cleanup_max_age": 7000,
    "cleanup_policy": "fifo",
    "friendly_name": "",
    "wear": -1,
}

# Recordings present on the SD card at factory state (triggered motion recordings from the
# past), so list/paging/filter/format behaviour is visible without recording first.
_SEED_RECORDINGS = [
    {"disk_id": "SD_DISK", "start": "2026-11-20T08:00:00Z", "stop": "2026-11-20T08:05:00Z",
     "event_id": "motion", "type": "triggered", "trigger": "motion", "options": "resolution=1920x1080"},
    {"disk_id": "SD_DISK", "start": "2026-11-21T12:30:00Z", "stop": "2026-11-21T12:31:30Z",
     "event_id": "motion", "type": "triggered", "trigger": "motion", "options": "resolution=1920x1080"},
    {"disk_id": "SD_DISK", "start": "2026-11-22T18:00:00Z", "stop": "2026-11-22T19:00:00Z",
     "event_id": "audio detection", "type": "triggered", "trigger": "audio", "options": "resolution=1280x720"},
]

MODERN = {
    "name": "modern",
    "features": set(ALL_FEATURES) - {"export_encryption"},
    "serial": "ACCC8EF7DE6B",
    "firmware": {"Version": "9.80.2.2", "BuildDate": "Jul 09 2020 08:35", "BuildNumber": "36"},
    "brand": [
        ("Brand", "AXIS"),
        ("ProdFullName", "AXIS Companion Bullet LE Network Camera"),
        ("ProdNbr", "C Bullet LE"),
        ("ProdShortName", "AXIS Companion Bullet LE"),
        ("ProdType", "Network Camera"),
        ("ProdVariant", ""),
        ("WebURL", "http://www.axis.com"),
    ],
    # CHOICE: the 9.80 capture says AuthenticationWithQop=no, but the emulator offers
    # qop="auth" (issue #2); the parameter follows what is offered.
    "auth_policy": "digest",
    "auth_with_qop": "yes",
    "local_storage": [
        ("AutoRepair", "yes"),
        ("ContinuousRecording", "yes"),
        ("DiskEncryption", "yes"),
        ("DiskHealth", "yes"),
        ("ExportRecording", "yes"),
        ("FailOverRecording", "yes"),
        ("LocalStorage", "yes"),
        ("NbrOfContinuousRecordingProfiles", None),   # filled from max_profiles
        ("RequiredFileSystem", "yes"),
        ("SDCard", "yes"),
        ("StorageLimit", "yes"),
        ("Version", "1.00"),
    ],
    "networkshare_props": [("CIFS", "yes"), ("IPV6", "yes"), ("NameLookup", "yes"), ("NetworkShare", "yes")],
    "api_props": [("HTTP.AdminPath", "/index.html"), ("HTTP.Version", "3")],
    "max_profiles": 1,
    # CHOICE: the documentation gives no number; 8 recording groups, 4 network shares.
    "max_groups": 8,
    "max_shares": 4,
    "sorted_params": True,        # 9.80 lists parameters in alphabetical order
    # record/list.cgi as firmware answers it (recording-api-examples): times with microseconds, and a running
    # recording with the stop time it has got to; the legacy profile keeps the documentation's shape
    # (whole seconds, empty stop time while it runs), so both stay covered.
    "firmware_recording_times": True,
    "disks": [dict(_COMMON_SD), dict(_COMMON_NAS)],
    "shares": [],
    "recordings": _SEED_RECORDINGS,
    # schema versions served per family ("major.minor", deprecated)
    "schemas": {
        "disk_properties": [("1.0", False), ("1.1", False)],
        "networkshare": [("1.0", False)],
        "storage_limit": [("1.0", False)],
        "recording_groups": [("1.0", False)],
        "export": [("1.0", False), ("1.1", False)],
    },
    # apidiscovery: only the APIs this emulator serves (CHOICE: recording-group is listed
    # because the modern profile serves it, although the 9.80 capture predates it).
    "apis": [
        ("api-discovery", "1.0", "API Discovery Service"),
        ("disk-management", "1.0", "Edge storage Disk management"),
        ("disk-properties", "1.1", "Edge storage Disk properties"),
        ("disk-network-share", "1.0", "Edge storage Network share"),
        ("recording", "1.0", "Edge Recording"),
        ("recording-storage-limit", "1.0", "Edge Recording storage limit"),
        ("recording-export", "1.1", "Export edge recording"),
        ("recording-group", "1.0", "Recording group"),
        ("param-cgi", "1.0", "Legacy Parameter Handling"),
    ],
}

LEGACY = {
    "name": "legacy",
    "features": {"local_storage"},
    "serial": "00408CFB6888",
    "firmware": {"BuildNumber": "6", "BuildDate": "Jul 16 2020 14:38", "Version": "5.51.7"},
    "brand": [
        ("Brand", "AXIS"),
        ("ProdFullName", "AXIS P5512 PTZ Dome Network Camera"),
        ("ProdShortName", "AXIS P5512"),
        ("ProdNbr", "P5512"),
        ("ProdType", "PTZ Dome Network Camera"),
        ("WebURL", "http://www.axis.com/"),
    ],
    "auth_policy": "basic_digest",
    "auth_with_qop": "no",        # as the 5.51 capture: Digest without qop (RFC 2069)
    "local_storage": [
        ("LocalStorage", "yes"),
        ("Version", "1.00"),
        ("ContinuousRecording", "yes"),
        ("NbrOfContinuousRecordingProfiles", None),
        ("FailOverRecording", "yes"),
        ("SDCard", "yes"),
    ],
    "networkshare_props": [("NetworkShare", "yes"), ("CIFS", "yes"), ("IPV6", "yes")],
    "api_props": [("HTTP.Version", "3"), ("HTTP.AdminPath", "/operator/basic.shtml")],
    "max_profiles": 1,
    "max_groups": 0,
    "max_shares": 4,
    "sorted_params": False,       # 5.51 lists parameters in its own (unsorted) order
    "firmware_recording_times": False,
    # record/list.cgi startatresultnumber counts from 1 here, from 0 on the modern profiles (the documentation's
    # "start on the n:th recording" says neither), so a client meets both.
    "first_result_number": 1,
    "disks": [
        dict(_COMMON_SD, filesystem="vfat", total_kb=7757824, base_used_kb=1048576,
             cleanup_max_age=7, wear=-1),
        dict(_COMMON_NAS, device_node="NetworkShare:", cleanup_max_age=7),
    ],
    "shares": [],
    "recordings": _SEED_RECORDINGS,
    "schemas": {"networkshare": [("1.0", False)]},
    "apis": [],
}


def _variant(base, name, **changes):
    prof = copy.deepcopy(base)
    prof["name"] = name
    for key, value in changes.items():
        prof[key] = value
    return prof


# modern-share: the modern camera with share "nas1" added, bound and mounted.
MODERN_SHARE = _variant(MODERN, "modern-share")
MODERN_SHARE["disks"][1].update(present=True, mounted=True, share_id="nas1")
MODERN_SHARE["shares"] = [{"share_id": "nas1", "nicename": "nas1", "address": "nas.example.com",
                           "share": "cameras", "user": "cam", "password": "s3cr&t=x"}]

# modern-nocard: the modern camera with no SD card inserted.
MODERN_NOCARD = _variant(MODERN, "modern-nocard")
MODERN_NOCARD["disks"][0].update(present=False, mounted=False)
MODERN_NOCARD["recordings"] = []

# modern-encrypted: SD card encrypted with passphrase "secret", mounted.
MODERN_ENCRYPTED = _variant(MODERN, "modern-encrypted")
MODERN_ENCRYPTED["disks"][0].update(encryption_enabled=True, encrypted=True, passphrase="secret",
                                    base_used_kb=0)
MODERN_ENCRYPTED["recordings"] = []

# modern-export-zip: the modern camera with the Export recording API 1.2, which exports
# password-protected zip-aes256 archives.
MODERN_EXPORT_ZIP = _variant(MODERN, "modern-export-zip")
MODERN_EXPORT_ZIP["features"].add("export_encryption")
MODERN_EXPORT_ZIP["schemas"]["export"] = [("1.0", False), ("1.1", False), ("1.2", False)]
MODERN_EXPORT_ZIP["apis"] = [(api, "1.2" if api == "recording-export" else version, name)
                             for api, version, name in MODERN["apis"]]

# modern-latin1: the modern camera, but its answers are ISO-8859-1 with the charset declared:
# param.cgi as "text/plain; charset=iso-8859-1" (as the M1065-LW capture, whose values hold
# "Entrée" and "Haustür"), XML with encoding="ISO-8859-1" in its declaration. The modern
# profiles send UTF-8 and declare no charset at all.
MODERN_LATIN1 = _variant(MODERN, "modern-latin1", charset="iso-8859-1")

# encoder: a device with no local storage at all (as the AXIS M7001 5.20.5 capture: no Properties.LocalStorage or
# Properties.NetworkShare group); fleets hold such devices beside cameras. Its disks/* and record/* CGIs answer 404.
ENCODER = _variant(LEGACY, "encoder", features=set(), serial="ACCC8E1A909D",
                   firmware={"BuildNumber": "1", "BuildDate": "Jun 13 2017 14:38", "Version": "5.20.5"},
                   brand=[("Brand", "AXIS"), ("ProdFullName", "AXIS M7001 Video Encoder"),
                          ("ProdShortName", "AXIS M7001"), ("ProdNbr", "M7001"), ("ProdType", "Video Server"),
                          ("WebURL", "http://www.axis.com/")],
                   local_storage=[], networkshare_props=[], max_profiles=0, max_shares=0, disks=[], shares=[],
                   recordings=[], schemas={})

PROFILES = {p["name"]: p for p in (MODERN, LEGACY, MODERN_SHARE, MODERN_NOCARD, MODERN_ENCRYPTED,
                                   MODERN_EXPORT_ZIP, MODERN_LATIN1, ENCODER)}


def get_profile(name):
    try:
        return copy.deepcopy(PROFILES[name])
    except KeyError:
        raise ValueError("unknown profile {!r} (known: {})".format(name, ", ".join(sorted(PROFILES))))
