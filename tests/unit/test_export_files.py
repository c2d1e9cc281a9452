# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whether the file an export wrote is the whole recording asked for (export_problem)."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest

from tests.emulator import media

from ansible_collections.vapix.edge_storage.plugins.module_utils._recording_export import ENCRYPTION, export_problem

START = datetime.datetime(2026, 11, 20, 8, 0, tzinfo=datetime.UTC)
MKV = media.matroska("20261120_080000_0694_ACCC8EF7DE6B", START, START + datetime.timedelta(minutes=10))
HEADER_END = MKV.index(bytes.fromhex("18538067"))
SIZE_BYTES = 9 - MKV[HEADER_END + 4].bit_length()      # the length of the Segment's size (an EBML vint)
PAYLOAD = MKV[HEADER_END + 4 + SIZE_BYTES:]
UNKNOWN_SIZE = bytes.fromhex("01ffffffffffffff")


def problem(tmp_path, data, encryption=None):
    path = tmp_path / "export.part"
    path.write_bytes(data)
    return export_problem(str(path), len(data), encryption)


def segment_of_unknown_size(cut=None):
    """MKV with its Segment written live (size unknown), optionally cut after cut bytes of its payload."""
    return MKV[:HEADER_END + 4] + UNKNOWN_SIZE + PAYLOAD[:cut]


def test_the_emulator_exports_a_segment_of_known_size():
    size = int.from_bytes(MKV[HEADER_END + 4:HEADER_END + 4 + SIZE_BYTES], "big") & ((1 << (7 * SIZE_BYTES)) - 1)
    assert size == len(PAYLOAD)


@pytest.mark.parametrize("data", [
    MKV,
    MKV + b"\x00" * 7,                                                        # more than the Segment: not cut off
    MKV[:HEADER_END] + b"\xec\x83\x00\x00\x00" + MKV[HEADER_END:],           # Void padding before the Segment
    segment_of_unknown_size(),
    segment_of_unknown_size(cut=20),                                          # cannot be measured: accepted
], ids=["whole", "longer", "void", "unknown-size", "unknown-size-cut"])
def test_a_matroska_file_that_holds_its_segment(tmp_path, data):
    assert problem(tmp_path, data) is None


@pytest.mark.parametrize("data, why", [
    (b"", "the answer is empty"),
    (b"  <?xml version='1.0'?><root/>", "it starts with \"  <?xml version='1.0'?><root/>\", an HTML or XML page"),
    (b"\x00\x01garbage", r"the answer is not a Matroska file (no EBML header 1A 45 DF A3): it starts with '\x00\x01garb"),
    (MKV[:10], "the answer ends inside its EBML header (10 bytes): it was cut off"),
    (MKV[:HEADER_END + 2], "the answer ends after its EBML header, before its Segment"),
    (MKV[:HEADER_END + 4] + UNKNOWN_SIZE[:3], "the answer ends inside its Segment's size"),
    (MKV[:-1], "the answer is %d bytes long, but its Matroska Segment says the file is %d bytes: it was cut off"
     % (len(MKV) - 1, len(MKV))),
    (MKV[:HEADER_END] + b"\x1f\x43\xb6\x75\x80", "the answer has no Matroska Segment after its EBML header"),
], ids=["empty", "xml", "binary", "cut-in-header", "cut-before-segment", "cut-in-size", "cut-in-segment", "cluster"])
def test_a_matroska_answer_that_is_not_the_whole_file(tmp_path, data, why):
    assert why in problem(tmp_path, data)


def zip_archive(*names):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            archive.writestr(name, MKV)
    return out.getvalue()


def test_a_whole_zip_archive(tmp_path):
    archive = media.zip_aes256("20261120_080000_0694_ACCC8EF7DE6B.mkv", MKV, "evid3nce!", b"\x00" * 16, START)
    assert problem(tmp_path, archive, ENCRYPTION) is None
    assert problem(tmp_path, zip_archive("a.mkv"), ENCRYPTION) is None


@pytest.mark.parametrize("data, why", [
    (b"", "the answer is empty"),
    (MKV, r"the answer is not a ZIP archive (no local file header PK\x03\x04): it starts with '\x1aEß£"),
    (zip_archive("a.mkv")[:-30], "the answer is not a whole ZIP archive"),
    (zip_archive("a.mkv")[:200], "it was cut off"),
    (b"PK\x03\x04" + b"\x00" * 26 + b"PK\x05\x06" + b"\x00" * 18, "a ZIP archive without any file in it"),
], ids=["empty", "matroska", "cut-in-directory", "cut-in-data", "no-file"])
def test_a_zip_answer_that_is_not_the_whole_archive(tmp_path, data, why):
    assert why in problem(tmp_path, data, ENCRYPTION)
