#!/usr/bin/env bash
# Checks a dist tarball the way an operator's server would use it, with no Swift toolchain in reach:
# the README's install lines, then the binary run inside a root that holds only it, the C libraries
# ldd names and a copy of the demo store.
#   Packaging/check-dist.sh DIST/NAME.tar.gz DEMO_HOME VERSION
set -euo pipefail
tarball=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
demo=$2 version=$3
name=$(basename "$tarball" .tar.gz)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "check-dist: $*" >&2; exit 1; }

# The README's lines, with /usr/local inside the test root.
cp "$tarball" "$tarball.sha256" "$work/"
(cd "$work" && sha256sum -c --quiet "$name.tar.gz.sha256") || fail "checksum does not match"
root=$work/root
mkdir -p "$root/usr/local" "$root/tmp"
tar -xzf "$work/$name.tar.gz" -C "$root/usr/local" --strip-components=1
binary=$root/usr/local/bin/transcript-fsck
for file in share/man/man1/transcript-fsck.1 share/bash-completion/completions/transcript-fsck \
            share/zsh/site-functions/_transcript-fsck share/fish/vendor_completions.d/transcript-fsck.fish \
            share/transcript-fsck/systemd/transcript-fsck-audit.service share/transcript-fsck/systemd/transcript-fsck-audit.timer \
            share/transcript-fsck/systemd/transcript-fsck-repair.service \
            share/transcript-fsck/cron.d/transcript-fsck; do
    test -s "$root/usr/local/$file" || fail "the tarball lacks $file"
done
for unit in transcript-fsck-audit.service transcript-fsck-repair.service; do
    grep -q '^ExecStart=/usr/local/bin/transcript-fsck ' "$root/usr/local/share/transcript-fsck/systemd/$unit" \
        || fail "the tarball's $unit does not run /usr/local/bin/transcript-fsck"
done

# Linked against the system's C libraries only: no Swift library, no run path into a toolchain.
libraries=$(ldd "$binary")
if grep -qi swift <<<"$libraries"; then fail "ldd lists a Swift library: $libraries"; fi
if grep -q "not found" <<<"$libraries"; then fail "ldd: $libraries"; fi
# No run path at all (built with --disable-local-rpath: SwiftPM's default $ORIGIN would name a directory with no library).
if readelf -d "$binary" | grep -E "RUNPATH|RPATH"; then fail "the binary carries a run path"; fi
size=$(stat -c %s "$binary")
[ "$size" -lt $((20 * 1024 * 1024)) ] || fail "the binary is $((size >> 20)) MiB, over the 20 MiB budget"

# A root with nothing but the binary, the libraries ldd resolved, and the demo store.
for library in $(awk '/=>/ { print $3 } !/=>/ && /^\t\// { print $1 }' <<<"$libraries"); do
    mkdir -p "$root$(dirname "$library")"
    cp -L "$library" "$root$library"
done
# -a: a copy keeps the transcripts' modification times, which tell rows a transcript never saw from rows it dropped.
cp -a "$demo" "$root/store"
chrooted=false
if [ "$(id -u)" = 0 ]; then
    # Without /proc the static runtime sees no arguments: the tool must say so and exit 2, not print help and 0.
    status=0; output=$(chroot "$root" /usr/local/bin/transcript-fsck scan 2>&1) || status=$?
    [ "$status" = 2 ] && grep -q "/proc is not mounted" <<<"$output" || fail "without /proc: exit $status, $output"
    mkdir -p "$root/proc"
    if mount -t proc proc "$root/proc"; then
        trap 'umount "$root/proc"; rm -rf "$work"' EXIT
        chrooted=true
    fi
fi
if $chrooted; then
    run() { chroot "$root" /usr/local/bin/transcript-fsck "$@"; }
    store=/store
    where="in a root that holds only the binary, $(grep -c . <<<"$libraries") C libraries, /proc and the store"
else
    run() { (cd "$root" && env -i PATH=/usr/bin:/bin "$binary" "$@"); }
    store=$root/store
    where="with an empty environment (no chroot: not root, or /proc cannot be mounted)"
fi
[ "$(run --version)" = "$version" ] || fail "--version says $(run --version), not $version"
status=0; output=$(run scan --home "$store") || status=$?
[ "$status" = 1 ] || fail "scan of the demo store exited $status, not 1: $output"
grep -q "^transcript-fsck scan: 15 sessions" <<<"$output" || fail "scan printed: $output"
grep -q "^continued " <<<"$output" || fail "the demo's continued session is not continued: $output"
status=0; run repair --home "$store" --lock-budget 0 --create-missing >/dev/null || status=$?
[ "$status" = 1 ] || fail "repair of the demo store exited $status, not 1 (diverged and corrupt sessions are refused)"
status=0; output=$(run scan --home "$store" --format json) || status=$?
grep -q '"truncated": 0' <<<"$output" && grep -q '"missing": 0' <<<"$output" || fail "after the repair: $output"
echo "check-dist: $name runs $where: --version $version, scan, repair, scan again; ldd: $(awk '{ print $1 }' <<<"$libraries" | tr '\n' ' ')"
