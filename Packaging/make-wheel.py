#!/usr/bin/env python3
"""Packs the static binary into a wheel, as ruff and uv ship theirs: the binary is the wheel's one script
(NAME-VERSION.data/scripts/), which pip, pipx and uv put on the environment's PATH.

    python3 Packaging/make-wheel.py BINARY DIST VERSION

The platform tag comes from the binary: manylinux_2_N_ARCH for the newest glibc symbol version it asks for, after
checking that it needs no library outside manylinux's list (PEP 600: a wheel may assume only those). The wheel is
reproducible: sorted names, every timestamp the last commit's (SOURCE_DATE_EPOCH), fixed permissions.
Standard library only.
"""
import base64
import hashlib
import os
import re
import subprocess
import sys
import time
import zipfile

# The libraries a manylinux wheel may need from the system (auditwheel's policy for manylinux_2_17 and later,
# less the X11 and GLib ones nothing here could use).
MANYLINUX_LIBRARIES = {
    "libc.so.6", "libm.so.6", "libdl.so.2", "librt.so.1", "libpthread.so.0", "libutil.so.1", "libresolv.so.2",
    "libnsl.so.1", "libgcc_s.so.1", "libstdc++.so.6", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1",
}
ELF_MACHINES = {0x3E: "x86_64", 0xB7: "aarch64"}

SUMMARY = "Audit and repair the chat history of AI agents (Hermes): transcripts against the SQLite store"
DESCRIPTION = """\
# transcript-fsck

Finds and repairs chat history that an AI agent's SQLite store lost but its JSONL transcripts kept.
This wheel carries the tool's static Linux binary, with SQLite, zlib and zstd linked in; `pip install`, `pipx install`
or `uv tool install` puts `transcript-fsck` on PATH. Start with `transcript-fsck doctor` and
`transcript-fsck scan --home ~/.hermes`; `transcript-fsck --help` and each command's `--help` say the rest.
"""


def fail(message):
    sys.exit(f"make-wheel: {message}")


def platform_tag(binary):
    with open(binary, "rb") as elf:
        header = elf.read(20)
    if header[:4] != b"\x7fELF" or header[4] != 2 or header[5] != 1:
        fail(f"{binary} is not a 64-bit little-endian ELF file")
    machine = ELF_MACHINES.get(int.from_bytes(header[18:20], "little"))
    if machine is None:
        fail(f"{binary}: no manylinux tag for ELF machine {int.from_bytes(header[18:20], 'little'):#x}")
    headers = subprocess.run(["objdump", "-p", binary], check=True, capture_output=True, text=True).stdout
    needed = set(re.findall(r"^\s*NEEDED\s+(\S+)$", headers, re.M))
    outside = sorted(needed - MANYLINUX_LIBRARIES)
    if outside:
        fail(f"{binary} needs {', '.join(outside)}, which manylinux does not promise (link them in)")
    symbols = subprocess.run(["objdump", "-T", binary], check=True, capture_output=True, text=True).stdout
    versions = {tuple(map(int, v.split("."))) for v in re.findall(r"\bGLIBC_(\d+\.\d+(?:\.\d+)?)\b", symbols)}
    if not versions:
        fail(f"{binary} asks for no glibc symbol version: not a dynamically linked glibc binary")
    major, minor = max(versions)[:2]
    return f"manylinux_{major}_{minor}_{machine}"


def record_hash(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    binary, dist, version = sys.argv[1:]
    tag = f"py3-none-{platform_tag(binary)}"
    name = "transcript_fsck"
    dist_info = f"{name}-{version}.dist-info"
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or subprocess.run(
        ["git", "-C", os.path.dirname(os.path.abspath(__file__)), "log", "-1", "--format=%ct"],
        check=True, capture_output=True, text=True).stdout)
    # Zip timestamps are local-time fields from 1980 on; UTC, so that the file is the same in every time zone.
    stamp = max(time.gmtime(epoch)[:6], (1980, 1, 1, 0, 0, 0))

    metadata = "\n".join([
        "Metadata-Version: 2.1",
        "Name: transcript-fsck",
        f"Version: {version}",
        f"Summary: {SUMMARY}",
        "Keywords: hermes,sqlite,jsonl,fsck,chat-history",
        "Classifier: Environment :: Console",
        "Classifier: Operating System :: POSIX :: Linux",
        "Classifier: Topic :: System :: Recovery Tools",
        "Requires-Python: >=3.7",
        "Description-Content-Type: text/markdown",
        "",
        DESCRIPTION,
    ])
    wheel = "\n".join([
        "Wheel-Version: 1.0",
        "Generator: transcript-fsck Packaging/make-wheel.py",
        "Root-Is-Purelib: false",
        f"Tag: {tag}",
        "",
    ])
    with open(binary, "rb") as file:
        program = file.read()
    files = [
        (f"{name}-{version}.data/scripts/transcript-fsck", program, 0o755),
        (f"{dist_info}/METADATA", metadata.encode(), 0o644),
        (f"{dist_info}/WHEEL", wheel.encode(), 0o644),
    ]
    record = "".join(f"{path},{record_hash(data)},{len(data)}\n" for path, data, _ in files)
    record += f"{dist_info}/RECORD,,\n"
    files.append((f"{dist_info}/RECORD", record.encode(), 0o644))  # last, as the wheel spec recommends

    os.makedirs(dist, exist_ok=True)
    for old in os.listdir(dist):
        if old.startswith(f"{name}-") and old.endswith(".whl"):
            os.remove(os.path.join(dist, old))
    path = os.path.join(dist, f"{name}-{version}-{tag}.whl")
    with zipfile.ZipFile(path, "w") as archive:
        for member, data, mode in files:
            info = zipfile.ZipInfo(member, date_time=stamp)
            info.external_attr = (0o100000 | mode) << 16
            info.create_system = 3  # Unix, so that the mode above is read
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=9)
    print(f"{path} ({os.path.getsize(path) >> 10} KiB; {tag})")


if __name__ == "__main__":
    main()
