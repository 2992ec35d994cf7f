#!/usr/bin/env python3
"""Writes openai-whisper's 80-bin mel filterbank as raw little-endian f32 (80 x 201).

Reference fixture for the Rust filterbank in crates/alter-models/src/convert/mel.rs.
Standard library only. Usage:
    pip download --no-deps -d /tmp/ow openai-whisper==20250625
    python3 tools/extract_whisper_mel.py /tmp/ow/openai_whisper-20250625.tar.gz \
        crates/alter-models/tests/fixtures/whisper_mel_80.f32
"""
import io
import struct
import sys
import tarfile
import zipfile

src, dst = sys.argv[1], sys.argv[2]
with tarfile.open(src) as tar:
    member = next(m for m in tar.getmembers() if m.name.endswith("whisper/assets/mel_filters.npz"))
    npz = zipfile.ZipFile(io.BytesIO(tar.extractfile(member).read()))
npy = npz.read("mel_80.npy")
assert npy[:6] == b"\x93NUMPY"
header_len = struct.unpack("<H", npy[8:10])[0]
header = npy[10 : 10 + header_len].decode()
assert "'<f4'" in header and "(80, 201)" in header, header
data = npy[10 + header_len :]
assert len(data) == 80 * 201 * 4
with open(dst, "wb") as f:
    f.write(data)
