#!/usr/bin/env bash
# Checks the packages the way operators install them, each on a clean root, each running the demo audit:
# - the .deb: lintian (no error, no warning); dpkg -i into a fresh Debian root that holds the minimal base system,
#   systemd and man-db, and the libraries the package's Depends names (so dpkg itself checks Depends: a library
#   missing from it fails the install); every file where Debian puts it; the audit of a demo store from /usr/bin;
#   systemd-analyze verify of the units and their exposure score (4.0 or more fails); then that root booted with
#   systemd-nspawn, the audit and repair units started through drop-ins as the units' comments tell the operator
#   (a store under /home, another user), so the sandbox is the one systemd enforces; and dpkg --purge leaving nothing.
# - the wheel: pip install into a fresh venv (pip check), pipx install and uv tool install, each with no network,
#   then --version and the demo audit from the bin directory each put on PATH.
# The root is built once with mmdebstrap (from the distribution's mirror) and cached as a tarball in
# ~/.cache/transcript-fsck/roots/, keyed by the packages it holds; later runs unpack it and fetch nothing.
#   Packaging/check-packages.sh DEB WHEEL DEMO_HOME VERSION
set -euo pipefail
deb=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
wheel=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
demo=$(cd "$3" && pwd) version=$4
fail() { echo "check-packages: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "needs root (dpkg -i into a root, chroot, systemd-nspawn)"
for tool in lintian mmdebstrap systemd-nspawn; do
    command -v $tool >/dev/null || fail "$tool is missing (make packages-check installs it)"
done
work=$(mktemp -d)
root=$work/root
cleanup() {
    mountpoint -q "$root/proc" && umount "$root/proc"
    rm -rf "$work"
}
trap cleanup EXIT

# The demo audit: exit 1 (problems found, as planted), every session seen.
check_scan() { # STATUS OUTPUT WHERE
    [ "$1" = 1 ] || fail "$3: scan of the demo store exited $1, not 1: $2"
    grep -q "^transcript-fsck scan: 15 sessions" <<<"$2" || fail "$3: scan printed: $2"
}

echo "== lintian"
lintian --fail-on error,warning "$deb" || fail "lintian finds errors or warnings in $deb"

echo "== the .deb on a clean root"
suite=$(. /etc/os-release && echo "$VERSION_CODENAME")
[ -n "$suite" ] || fail "cannot tell the host's Debian suite from /etc/os-release"
depends=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/(.*)//; s/|.*//; s/ //g' | grep . | LC_ALL=C sort -u)
[ -n "$depends" ] || fail "$deb has no Depends"
packages=$(printf '%s\n' systemd systemd-sysv dbus man-db $depends | LC_ALL=C sort -u | paste -sd, -)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/transcript-fsck/roots
tarball=$cache/$suite-$(dpkg --print-architecture)-$(sha256sum <<<"$packages" | cut -c1-12).tar
if [ ! -f "$tarball" ]; then
    echo "building a $suite root with $packages into $tarball (once)"
    mkdir -p "$cache" && rm -rf "$tarball.partial"
    mmdebstrap --quiet --variant=minbase --format=tar --include="$packages" "$suite" "$tarball.partial"
    mv "$tarball.partial" "$tarball"
fi
mkdir "$root"
tar -xf "$tarball" -C "$root"
chroot "$root" sh -c 'command -v swift' && fail "the clean root has a Swift toolchain"
cp "$deb" "$root/tmp/"
chroot "$root" dpkg -i "/tmp/$(basename "$deb")" >/dev/null || fail "dpkg -i of $(basename "$deb") fails on a clean root"
for file in /usr/bin/transcript-fsck /usr/share/bash-completion/completions/transcript-fsck \
            /usr/share/zsh/vendor-completions/_transcript-fsck /usr/share/fish/vendor_completions.d/transcript-fsck.fish \
            /usr/lib/systemd/system/transcript-fsck-audit.service /usr/lib/systemd/system/transcript-fsck-audit.timer \
            /usr/lib/systemd/system/transcript-fsck-repair.service /usr/share/doc/transcript-fsck/copyright \
            /usr/share/doc/transcript-fsck/changelog.Debian.gz /usr/share/doc/transcript-fsck/examples/cron.d/transcript-fsck; do
    test -s "$root$file" || fail "the package did not install $file"
done
for page in transcript-fsck transcript-fsck.scan transcript-fsck.repair transcript-fsck.doctor transcript-fsck.export; do
    [ "$(chroot "$root" man -w "$page")" = "/usr/share/man/man1/$page.1.gz" ] || fail "man -w $page: not the package's page"
done
grep -rn "/usr/local" "$root"/usr/lib/systemd/system/transcript-fsck-* "$root"/usr/share/doc/transcript-fsck/examples/ \
    && fail "the package's units or cron example name /usr/local"
mount -t proc proc "$root/proc"
[ "$(chroot "$root" transcript-fsck --version)" = "$version" ] || fail "the installed binary is not version $version"
cp -a "$demo" "$root/srv/demo"
status=0; output=$(chroot "$root" transcript-fsck scan --home /srv/demo) || status=$?
check_scan "$status" "$output" "the installed .deb"
echo "installed: files in place, man -w finds the pages, the demo audit exits 1 with 15 sessions"

echo "== the units"
units=(/usr/lib/systemd/system/transcript-fsck-audit.service /usr/lib/systemd/system/transcript-fsck-audit.timer
       /usr/lib/systemd/system/transcript-fsck-repair.service)
# With man-db in the root, verify also checks that every Documentation=man:... page is installed.
chroot "$root" systemd-analyze verify "${units[@]}" || fail "systemd-analyze verify finds problems in the units"
for unit in transcript-fsck-audit.service transcript-fsck-repair.service; do
    report=$(chroot "$root" systemd-analyze security --offline=true "/usr/lib/systemd/system/$unit" 2>&1) \
        || fail "systemd-analyze security $unit: $report"
    score=$(sed -n 's/^→ Overall exposure level for [^:]*: \([0-9.]*\) .*/\1/p' <<<"$report")
    [ -n "$score" ] || fail "systemd-analyze security printed no exposure level for $unit: $report"
    awk -v score="$score" 'BEGIN { exit !(score < 4.0) }' || fail "$unit: exposure $score, not under 4.0: $report"
    echo "$unit: exposure $score (systemd-analyze security; 4.0 or more fails)"
done
umount "$root/proc"

# The units run by systemd itself: the root booted in a container. A store under /home owned by another user, set in
# drop-ins the way the units' comments say; a oneshot test service starts both and writes what it saw to /result.
chroot "$root" useradd --create-home alice
cp -a "$demo" "$root/home/alice/.hermes"
chroot "$root" chown -R alice: /home/alice/.hermes
install -d "$root/etc/systemd/system/transcript-fsck-audit.service.d" "$root/etc/systemd/system/transcript-fsck-repair.service.d"
printf '[Service]\nUser=alice\nEnvironment=HERMES_HOME=/home/alice/.hermes\n' \
    > "$root/etc/systemd/system/transcript-fsck-audit.service.d/override.conf"
printf '[Service]\nUser=alice\nEnvironment=HERMES_HOME=/home/alice/.hermes\nReadWritePaths=\nReadWritePaths=/home/alice/.hermes\n' \
    > "$root/etc/systemd/system/transcript-fsck-repair.service.d/override.conf"
cat > "$root/usr/local/sbin/units-test" <<'EOF'
#!/bin/sh
{
    systemctl start transcript-fsck-audit.service; echo "audit start $?"
    stat -c 'state %U %n' /var/lib/transcript-fsck/state.json /var/lib/transcript-fsck/last-audit.xml
    sed -n 's/^transcript_fsck_problem_sessions{.*} /problem_sessions /p' /var/lib/transcript-fsck/transcript_fsck.prom
    systemctl start transcript-fsck-repair.service; echo "repair start $?"
    systemctl show -p Result -p ExecMainStatus transcript-fsck-repair.service | sed 's/^/repair /'
    ls /home/alice/.hermes | sed 's/^/store /'
    runuser -u alice -- transcript-fsck scan --home /home/alice/.hermes --format json | grep -E '"(truncated|missing)":'
    journalctl --no-pager -o cat -u transcript-fsck-audit.service -u transcript-fsck-repair.service | sed 's/^/journal /'
} > /result 2>&1
EOF
chmod 755 "$root/usr/local/sbin/units-test"
printf '%s\n' '[Unit]' 'After=multi-user.target' '[Service]' 'Type=oneshot' 'ExecStart=/usr/local/sbin/units-test' \
    'ExecStopPost=/bin/systemctl --no-block poweroff' '[Install]' 'WantedBy=multi-user.target' \
    > "$root/etc/systemd/system/units-test.service"
ln -s /etc/systemd/system/units-test.service "$root/etc/systemd/system/multi-user.target.wants/units-test.service"
# --register=no --keep-unit: the host need not run systemd itself.
timeout 180 systemd-nspawn --quiet --register=no --keep-unit --directory="$root" --boot >"$work/boot.log" 2>&1 \
    || fail "the container did not boot and power off: $(tail -n 20 "$work/boot.log")"
[ -s "$root/result" ] || fail "the units test wrote nothing: $(tail -n 20 "$work/boot.log")"
result=$(cat "$root/result")
expect() { grep -qx -- "$1" <<<"$result" || fail "under systemd, expected \"$1\" in: $result"; }
# The audit exits 1 on the demo store (checked above): problems found is the unit's success (SuccessExitStatus=1).
# (A oneshot that succeeded is unloaded at once: systemctl show would tell nothing of its run.)
expect "audit start 0"
expect "state alice /var/lib/transcript-fsck/state.json"
expect "state alice /var/lib/transcript-fsck/last-audit.xml"
expect "problem_sessions 9"
expect "repair start 1"             # the demo's diverged and corrupt sessions are refused: the unit fails
expect "repair Result=exit-code"
expect "repair ExecMainStatus=1"    # 1, not 2: the repair itself ran (its store writable, the sandbox let it)
expect "store state.db.repair.lock"
grep -q "^store state.db.bak-" <<<"$result" || fail "the repair unit made no backup: $result"
grep -q '"truncated": 0' <<<"$result" && grep -q '"missing": 1' <<<"$result" || fail "after the repair unit: $result"
echo "under systemd (nspawn): the audit unit audits a store in /home as alice and writes its state; the repair unit" \
    "backs up and backfills it (exit 1: the refused sessions); a scan after it finds nothing truncated"

rm "$root/etc/systemd/system/multi-user.target.wants/units-test.service" "$root/result"
chroot "$root" dpkg --purge transcript-fsck >/dev/null || fail "dpkg --purge fails"
left=$(chroot "$root" sh -c 'ls -d /usr/bin/transcript-fsck /usr/share/doc/transcript-fsck /usr/lib/systemd/system/transcript-fsck-* /usr/share/man/man1/transcript-fsck* 2>/dev/null' || true)
[ -z "$left" ] || fail "dpkg --purge left $left"
echo "dpkg --purge: nothing left"

echo "== the wheel: pip into a fresh venv, pipx, uv tool install"
# Every installer runs with no network (unshare --net): the wheel must install from itself alone.
offline() { unshare --net "$@"; }
python3 -m venv "$work/venv"
offline "$work/venv/bin/python" -m pip install --quiet --no-index --dry-run "$wheel" || fail "pip install --dry-run refuses $wheel"
offline "$work/venv/bin/python" -m pip install --quiet --no-index "$wheel" || fail "pip install refuses $wheel"
"$work/venv/bin/python" -m pip check || fail "pip check"
cp -a "$demo" "$work/demo"
check_wheel() { # BIN_DIR INSTALLER
    [ -x "$1/transcript-fsck" ] || fail "$2 did not put an executable transcript-fsck in $1"
    local found
    found=$(env -i PATH="$1:/usr/bin:/bin" sh -c 'command -v transcript-fsck')
    [ "$found" = "$1/transcript-fsck" ] || fail "$2: transcript-fsck on PATH is $found"
    [ "$(env -i PATH="$1:/usr/bin:/bin" transcript-fsck --version)" = "$version" ] || fail "$2: transcript-fsck --version is not $version"
    local status=0 output
    output=$(env -i PATH="$1:/usr/bin:/bin" transcript-fsck scan --home "$work/demo") || status=$?
    check_scan "$status" "$output" "the wheel installed by $2"
}
check_wheel "$work/venv/bin" pip
"$work/venv/bin/python" -m pip uninstall --quiet --yes transcript-fsck
[ ! -e "$work/venv/bin/transcript-fsck" ] || fail "pip uninstall left the venv's transcript-fsck"
# pipx and uv themselves come from PyPI once, into a venv cached beside the root.
tools=${XDG_CACHE_HOME:-$HOME/.cache}/transcript-fsck/package-tools
if [ ! -x "$tools/bin/uv" ] || [ ! -x "$tools/bin/pipx" ]; then
    rm -rf "$tools" && python3 -m venv "$tools" && "$tools/bin/python" -m pip install --quiet uv==0.13.9 pipx==1.18.4 \
        || fail "cannot install uv and pipx into $tools"
fi
output=$(PIPX_HOME=$work/pipx PIPX_BIN_DIR=$work/pipx-bin PIPX_MAN_DIR=$work/pipx-man \
    offline "$tools/bin/pipx" install --pip-args=--no-index "$wheel" 2>&1) || fail "pipx install refuses $wheel: $output"
check_wheel "$work/pipx-bin" pipx
output=$(UV_TOOL_DIR=$work/uv-tools UV_TOOL_BIN_DIR=$work/uv-bin UV_CACHE_DIR=$work/uv-cache \
    offline "$tools/bin/uv" tool install --offline "$wheel" 2>&1) || fail "uv tool install refuses $wheel: $output"
check_wheel "$work/uv-bin" "uv tool install"
echo "the wheel $(basename "$wheel"): pip (pip check clean, uninstall removes it), pipx and uv tool install, each" \
    "with no network, put transcript-fsck $version on PATH; the demo audit exits 1"
