"""The files the emulated camera exports: a small but well-formed Matroska file per recording.

Real cameras export the recorded video; the emulator has none, so a file holds the EBML header
(DocType ``matroska``) and a Segment whose Info names the recording (Title), its duration in
milliseconds and its start (DateUTC), which any Matroska reader (mkvinfo, ffprobe) opens.
"""

import datetime as _dt
import struct

EBML = 0x1A45DFA3
SEGMENT = 0x18538067
INFO = 0x1549A966
TITLE = 0x7BA9
DURATION = 0x4489
DATE_UTC = 0x4461
MATROSKA_EPOCH = _dt.datetime(2001, 1, 1, tzinfo=_dt.timezone.utc)


def _id(element_id):
    length = (element_id.bit_length() + 7) // 8
    return element_id.to_bytes(length, "big")


def _size(length):
    if length < 0x7F:
        return bytes([0x80 | length])
    return b"\x01" + length.to_bytes(7, "big")


def element(element_id, payload):
    return _id(element_id) + _size(len(payload)) + payload


def uint(element_id, value):
    return element(element_id, value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big"))


def text(element_id, value):
    return element(element_id, value.encode("utf-8"))


def matroska(title, start, stop):
    """A Matroska file for a recording from start to stop (aware datetimes)."""
    header = element(EBML, b"".join([
        uint(0x4286, 1), uint(0x42F7, 1), uint(0x42F2, 4), uint(0x42F3, 8),
        text(0x4282, "matroska"), uint(0x4287, 4), uint(0x4285, 2)]))
    milliseconds = max(0.0, (stop - start).total_seconds() * 1000.0)
    nanoseconds = int((start - MATROSKA_EPOCH).total_seconds()) * 1000000000
    info = element(INFO, b"".join([
        uint(0x2AD7B1, 1000000),                       # TimestampScale: 1 ms
        element(DURATION, struct.pack(">d", milliseconds)),
        element(DATE_UTC, struct.pack(">q", nanoseconds)),
        text(TITLE, title),
        text(0x4D80, "vapix.edge_storage emulator"),   # MuxingApp
        text(0x5741, "vapix.edge_storage emulator"),   # WritingApp
    ]))
    return header + element(SEGMENT, info)


# --------------------------------------------------------------------------------------
# zip-aes256: a ZIP archive with one stored entry encrypted the WinZip AES way (AE-2)
# --------------------------------------------------------------------------------------

AES_SALT = 16                  # AES-256
AES_KEY = 32
PBKDF2_ROUNDS = 1000
AES_EXTRA = struct.pack("<HHH2sBH", 0x9901, 7, 2, b"AE", 3, 0)   # AE-2, AES-256, stored


def _aes_ctr_le(key, data):
    """AES in counter mode with the little-endian counter from 1 that WinZip AES uses."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    out = bytearray()
    for index in range(0, len(data), 16):
        block = encryptor.update((index // 16 + 1).to_bytes(16, "little"))
        out.extend(b ^ k for b, k in zip(data[index:index + 16], block))
    return bytes(out)


def zip_aes256(name, data, password, salt, moment):
    """The archive bytes; salt (16 bytes) is given so the emulator stays deterministic."""
    import hashlib
    import hmac
    keys = hashlib.pbkdf2_hmac("sha1", password.encode("utf-8"), salt, PBKDF2_ROUNDS, 2 * AES_KEY + 2)
    encrypted = _aes_ctr_le(keys[:AES_KEY], data)
    mac = hmac.new(keys[AES_KEY:2 * AES_KEY], encrypted, "sha1").digest()[:10]
    payload = salt + keys[2 * AES_KEY:] + encrypted + mac
    filename = name.encode("utf-8")
    dos_time = (moment.hour << 11) | (moment.minute << 5) | (moment.second // 2)
    dos_date = ((moment.year - 1980) << 9) | (moment.month << 5) | moment.day
    # version needed 5.1, flag 1 (encrypted), method 99 (AES), CRC 0 (AE-2)
    common = struct.pack("<HHHHHIII", 51, 1, 99, dos_time, dos_date, 0, len(payload), len(data))
    local = b"PK\x03\x04" + common + struct.pack("<HH", len(filename), len(AES_EXTRA)) + filename + AES_EXTRA
    central = (b"PK\x01\x02" + struct.pack("<H", 51) + common
               + struct.pack("<HHHHHII", len(filename), len(AES_EXTRA), 0, 0, 0, 0, 0) + filename + AES_EXTRA)
    end = b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, 1, 1, len(central), len(local) + len(payload), 0)
    return local + payload + central + end
