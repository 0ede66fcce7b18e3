#!/usr/bin/env bash
# Packs a staged install tree (make install PREFIX=STAGE) into DIST/NAME.tar.gz with its SHA-256 file.
# The tarball is reproducible: sorted names, owner root, every mtime the last commit's, gzip without a name.
#   Packaging/make-dist.sh STAGE DIST NAME
set -euo pipefail
stage=$1 dist=$2 name=$3
here=$(cd "$(dirname "$0")" && pwd)

"$here"/install-units.sh /usr/local/bin "$stage/share/transcript-fsck/systemd" "$stage/share/transcript-fsck/cron.d"
install -d "$stage/share/doc/transcript-fsck"
install -m 644 "$here"/../README.md "$here"/../Docs/OPERATIONS.md "$here"/../Docs/REPAIR.md "$here"/../Docs/REPORTS.md \
    "$stage/share/doc/transcript-fsck/"
# Debug information is most of the file; a crash report from the field is symbolised from the build tree.
# .comment and .note (the compilers' names) go too, as dh_strip does; .note.gnu.build-id stays.
strip --remove-section=.comment --remove-section=.note "$stage/bin/transcript-fsck"

epoch=$(git -C "$here" log -1 --format=%ct 2>/dev/null || echo 0)
rm -rf "${dist:?}/$name" && mkdir -p "$dist" && cp -a "$stage" "$dist/$name"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" -C "$dist" -cf - "$name" | gzip -n -9 > "$dist/$name.tar.gz"
(cd "$dist" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
echo "$dist/$name.tar.gz ($(du -k "$dist/$name.tar.gz" | cut -f1) KiB; binary $(du -k "$dist/$name/bin/transcript-fsck" | cut -f1) KiB)"
