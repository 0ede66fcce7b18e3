#!/usr/bin/env bash
# Installs the man pages swift-argument-parser generates, mended for man-db and lintian: a subcommand's NAME is
# its page's name (transcript-fsck.scan: whatis takes no spaces in a name) while its SYNOPSIS still reads
# "transcript-fsck scan", and a blank line (a paragraph in the help text) becomes mdoc's paragraph macro .Pp.
#   Packaging/install-manual.sh SOURCE_DIR MAN1_DIR
set -euo pipefail
source=$1 target=$2
pages=("$source"/*.1)
[ -f "${pages[0]}" ] || { echo "install-manual: no man page in $source" >&2; exit 1; }
for page in "${pages[@]}"; do
    name=$(basename "$page" .1)
    out=$target/$name.1
    if [ "$name" = transcript-fsck ]; then
        sed 's/^$/.Pp/' "$page" > "$out"
    else
        words="transcript-fsck ${name#transcript-fsck.}"
        grep -qx ".Nm \"$words\"" "$page" || { echo "install-manual: $page does not name \"$words\"" >&2; exit 1; }
        sed -e "s/^\.Nm \"$words\"\$/.Nm $name/" -e "/^\.Sh SYNOPSIS\$/,/^\.Sh /s/^\.Nm\$/.Nm \"$words\"/" \
            -e 's/^$/.Pp/' "$page" > "$out"
    fi
    chmod 644 "$out"
done
