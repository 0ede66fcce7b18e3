#!/usr/bin/env bash
# Installs the systemd units and the cron.d file with ExecStart and the cron line pointing at BINDIR/transcript-fsck:
# one template for the tarball (/usr/local/bin) and the .deb (/usr/bin).
#   Packaging/install-units.sh BINDIR UNIT_DIR CRON_DIR
set -euo pipefail
bindir=$1 units=$2 cron=$3
here=$(cd "$(dirname "$0")" && pwd)
install -d "$units" "$cron"
render() {
    sed "s|@BINDIR@|$bindir|g" "$1" > "$2"
    chmod 644 "$2"
    if grep -n '@[A-Z_]*@' "$2"; then echo "install-units: $2 keeps a placeholder" >&2; exit 1; fi
}
for unit in transcript-fsck-audit.service transcript-fsck-repair.service; do
    render "$here/systemd/$unit.in" "$units/$unit"
done
install -m 644 "$here/systemd/transcript-fsck-audit.timer" "$units/"
render "$here/cron/transcript-fsck.in" "$cron/transcript-fsck"
