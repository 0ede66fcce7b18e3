#!/usr/bin/env bash
# Builds DIST/transcript-fsck_VERSION-1_ARCH.deb from the tarball's tree (make dist: dist/NAME), laid out as Debian
# policy asks: /usr/bin, gzipped man pages, the completions in the distribution's vendor directories, the units in
# /usr/lib/systemd/system pointing at /usr/bin, docs with a machine-readable copyright. Every file of the tree must
# land somewhere (or be named below as left out): a file `make install` gains cannot be dropped from the package unseen.
# Depends comes from dpkg-shlibdeps (the libraries the binary needs, at the versions its symbols ask for).
# Reproducible: every mtime, and dpkg-deb's own, is the last commit's.
#   Packaging/make-deb.sh TREE DIST VERSION
set -euo pipefail
tree=$(cd "$1" && pwd) dist=$2 version=$3
here=$(cd "$(dirname "$0")" && pwd)
fail() { echo "make-deb: $*" >&2; exit 1; }
deb_version=$version-1
arch=$(dpkg --print-architecture)
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$here" log -1 --format=%ct)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
umask 022
cp -a "$tree" "$work/tree"
# Where dpkg-shlibdeps expects a package being built: debian/PACKAGE of a source tree.
root=$work/src/debian/transcript-fsck
doc=$root/usr/share/doc/transcript-fsck
# take FILE... DIR: move files of the tree into the package root.
take() {
    local target=${*: -1}
    install -d "$root/$target"
    for file in "${@:1:$#-1}"; do
        [ -f "$work/tree/$file" ] || fail "the tree lacks $file"
        mv "$work/tree/$file" "$root/$target/"
    done
}
take bin/transcript-fsck usr/bin
# Debian's SQLite, zlib and zstd, not copies linked in (the wheel's binary has those: make wheel relinks the same build).
grep -q 'NEEDED *libsqlite3\.so\.0$' <<<"$(objdump -p "$root/usr/bin/transcript-fsck")" || fail "the binary has SQLite linked in"
(cd "$work/tree" && ls share/man/man1/*.1 >/dev/null) || fail "the tree has no man pages"
take $(cd "$work/tree" && ls share/man/man1/*.1) usr/share/man/man1
gzip -9n "$root"/usr/share/man/man1/*.1
take share/bash-completion/completions/transcript-fsck usr/share/bash-completion/completions
take share/zsh/site-functions/_transcript-fsck usr/share/zsh/vendor-completions
take share/fish/vendor_completions.d/transcript-fsck.fish usr/share/fish/vendor_completions.d
take $(cd "$work/tree" && ls share/doc/transcript-fsck/*) usr/share/doc/transcript-fsck
# The tarball's units and cron file name /usr/local/bin; the package's are rendered from the same templates.
rm "$work"/tree/share/transcript-fsck/systemd/* "$work"/tree/share/transcript-fsck/cron.d/transcript-fsck
"$here"/install-units.sh /usr/bin "$root/usr/lib/systemd/system" "$doc/examples/cron.d"
leftover=$(find "$work/tree" -type f -o -type l)
[ -z "$leftover" ] || fail "files of the tree the package does not place: $leftover"

# Documentation larger than 4 KiB is compressed, as dh_compress does; the copyright file never is.
find "$doc" -maxdepth 1 -name '*.md' -size +4k -exec gzip -9n {} +
install -m 644 "$here/debian/copyright" "$doc/copyright"
changelog_date=$(date -u -R -d "@$SOURCE_DATE_EPOCH")
maintainer=$(sed -n 's/^Maintainer: //p' "$here/debian/control.in")
printf '%s\n' "transcript-fsck ($deb_version) unstable; urgency=medium" "" \
    "  * Upstream release $version, packaged from the repository's static build" \
    "    (make deb)." "" " -- $maintainer  $changelog_date" > "$doc/changelog.Debian"
gzip -9n "$doc/changelog.Debian"
install -d "$root/usr/share/lintian/overrides"
install -m 644 "$here/debian/lintian-overrides" "$root/usr/share/lintian/overrides/transcript-fsck"

# dpkg-shlibdeps reads a source package's debian/control; a two-line one is enough to ask it about the binary.
install -d "$root/DEBIAN"
printf 'Source: transcript-fsck\n\nPackage: transcript-fsck\nArchitecture: any\n' > "$work/src/debian/control"
depends=$(cd "$work/src" && dpkg-shlibdeps -O -e debian/transcript-fsck/usr/bin/transcript-fsck | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || fail "dpkg-shlibdeps found no dependency"

chmod -R u=rwX,go=rX "$root"
chmod 755 "$root/usr/bin/transcript-fsck"
(cd "$root" && find usr -type f | LC_ALL=C sort | xargs md5sum) > "$root/DEBIAN/md5sums"
size=$(du -sk --apparent-size "$root/usr" | cut -f1)
sed -e "s|@VERSION@|$deb_version|" -e "s|@ARCH@|$arch|" -e "s|@INSTALLED_SIZE@|$size|" -e "s|@DEPENDS@|$depends|" \
    "$here/debian/control.in" > "$root/DEBIAN/control"
chmod 644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"
find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
mkdir -p "$dist"
deb=$dist/transcript-fsck_${deb_version}_$arch.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb ($(du -k "$deb" | cut -f1) KiB; Depends: $depends)"
