#!/usr/bin/env python3
"""Fetches the released codex CLI binaries (PyPI wheel openai-codex-cli-bin) into a cache, idempotently.

Usage: fetch_codex.py [VERSION ...]   (default: every pinned version)
Prints one line per version: "<version> <path to the codex binary>".

Cache: $TRANSCRIPT_FSCK_CACHE or ~/.cache/transcript-fsck
  codex-wheels/openai_codex_cli_bin-<v>-*.whl   the downloaded wheel
  codex/<v>/codex_cli_bin/bin/codex             the unpacked binary
A version whose binary is already there is neither downloaded nor unpacked again.
"""
import glob, os, stat, subprocess, sys, zipfile

PINNED = ["0.163.0", "0.133.0"]
PACKAGE = "openai-codex-cli-bin"


def cache_root():
    return os.environ.get("TRANSCRIPT_FSCK_CACHE") or os.path.expanduser("~/.cache/transcript-fsck")


def binary_path(version):
    return os.path.join(cache_root(), "codex", version, "codex_cli_bin", "bin", "codex")


def wheel_path(version):
    wheels = glob.glob(os.path.join(cache_root(), "codex-wheels", f"openai_codex_cli_bin-{version}-*.whl"))
    return wheels[0] if wheels else None


def fetch(version):
    binary = binary_path(version)
    if os.path.isfile(binary) and os.access(binary, os.X_OK):
        return binary
    wheel = wheel_path(version)
    if wheel is None:
        wheel_dir = os.path.join(cache_root(), "codex-wheels")
        os.makedirs(wheel_dir, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                        f"{PACKAGE}=={version}", "-d", wheel_dir], check=True, stdout=sys.stderr)
        wheel = wheel_path(version)
        if wheel is None:
            sys.exit(f"pip download of {PACKAGE}=={version} left no wheel in {wheel_dir}")
    dest = os.path.join(cache_root(), "codex", version)
    tmp = dest + ".partial"
    subprocess.run(["rm", "-rf", tmp], check=True)
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(tmp)
        # zipfile drops the mode bits; the wheel keeps them in external_attr.
        for info in zf.infolist():
            mode = (info.external_attr >> 16) & 0o777
            target = os.path.join(tmp, info.filename)
            if mode and os.path.isfile(target):
                os.chmod(target, mode)
    for sub in ("bin", "codex-path", "codex-resources"):
        for f in glob.glob(os.path.join(tmp, "codex_cli_bin", sub, "*")):
            os.chmod(f, os.stat(f).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    subprocess.run(["rm", "-rf", dest], check=True)
    os.rename(tmp, dest)
    if not os.path.isfile(binary):
        sys.exit(f"{wheel} has no codex_cli_bin/bin/codex")
    return binary


def main():
    versions = sys.argv[1:] or PINNED
    for v in versions:
        print(v, fetch(v))


if __name__ == "__main__":
    main()
