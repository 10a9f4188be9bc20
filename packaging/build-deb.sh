#!/usr/bin/env bash
# Builds the Debian packages libpayauth0 (runtime) and libpayauth-dev from the library that
# `cargo build --release` left in BUILD_DIR, without debhelper:
#
#   1. `make install DESTDIR=<stage> PREFIX=/usr` (the same install as everyone's);
#   2. splits the staged tree into debian/libpayauth0 and debian/libpayauth-dev (the layout
#      dpkg-shlibdeps and dpkg-gensymbols expect) and strips the static library's debug info and
#      embedded LLVM bitcode, as dh_strip would;
#   3. writes the control files: Depends from dpkg-shlibdeps, shlibs, symbols made from
#      abi/symbols.txt and checked against the library by `dpkg-gensymbols -c4` (a symbol added,
#      removed or in another version node fails), triggers (activate-noawait ldconfig), md5sums;
#   4. dpkg-deb --build --root-owner-group.
#
# Usage: packaging/build-deb.sh BUILD_DIR OUT_DIR    (normally `make deb`; needs dpkg-dev)
# Environment: DEB_REVISION (default 1), DEB_MAINTAINER, DEB_COMPRESS (dpkg-deb -Z: xz by
# default; the tests use gzip for speed). Idempotent: OUT_DIR/work is made anew each time.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 BUILD_DIR OUT_DIR" >&2
  exit 2
fi
build_dir=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
cd "$(dirname "$0")/.."
for tool in dpkg-deb dpkg-shlibdeps dpkg-gensymbols dpkg-architecture strip; do
  command -v "$tool" >/dev/null || { echo "build-deb: $tool not found (apt-get install dpkg-dev binutils)" >&2; exit 1; }
done

version=$(make -s print-vars | sed -n 's/^VERSION=\([^ ]*\) .*/\1/p')
[ -n "$version" ] || { echo "build-deb: no version from the Makefile" >&2; exit 1; }
soversion=${version%%.*}
debversion="$version-${DEB_REVISION:-1}"
arch=$(dpkg-architecture -qDEB_HOST_ARCH 2>/dev/null)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null)
maintainer=${DEB_MAINTAINER:-payauth maintainers <maintainers@payauth.invalid>}
runtime=libpayauth$soversion
dev=libpayauth-dev
libdir=usr/lib/$multiarch

work=$out/work
rm -rf "$work"
mkdir -p "$work/debian"
stage=$work/stage
make -s install DESTDIR="$stage" PREFIX=/usr LIBDIR="/$libdir" BUILD_DIR="$build_dir" LDCONFIG=true >/dev/null

# The layout dpkg-shlibdeps and dpkg-gensymbols work in: debian/control plus one tree per package.
cat >"$work/debian/control" <<EOF
Source: payauth

Package: $runtime
Architecture: any

Package: $dev
Architecture: any
EOF
rt=$work/debian/$runtime
dv=$work/debian/$dev
mkdir -p "$rt/$libdir" "$rt/DEBIAN" "$dv/$libdir" "$dv/DEBIAN" "$dv/usr" \
  "$rt/usr/share/doc/$runtime" "$dv/usr/share/doc/$dev"
mv "$stage/$libdir/libpayauth.so.$version" "$stage/$libdir/libpayauth.so.$soversion" "$rt/$libdir/"
mv "$stage/$libdir/libpayauth.so" "$stage/$libdir/libpayauth.a" "$stage/$libdir/pkgconfig" "$dv/$libdir/"
mv "$stage/usr/include" "$dv/usr/"
if find "$stage" -type f -o -type l | grep -q .; then
  echo "build-deb: files installed by make install but in no package:" >&2
  find "$stage" -type f -o -type l >&2
  exit 1
fi
# Debug info and the embedded LLVM bitcode (.llvmbc, only for cross-language LTO) are most of the
# archive's size; the release .so is already stripped by the release profile.
strip --strip-debug --remove-section=.llvmbc --remove-section=.llvmcmd --remove-section=.comment \
  --enable-deterministic-archives "$dv/$libdir/libpayauth.a"
# changelog.Debian.gz: dated by SOURCE_DATE_EPOCH, else the last commit, so rebuilds are identical.
if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
  date=$(date -R -u -d "@$SOURCE_DATE_EPOCH")
else
  date=$(git log -1 --format=%cD 2>/dev/null || date -R)
fi
sed -e "s|@DEBVERSION@|$debversion|" -e "s|@MAINTAINER@|$maintainer|" -e "s|@DATE@|$date|" \
  packaging/changelog.in | gzip -9n >"$work/changelog.Debian.gz"
for pkg in "$runtime" "$dev"; do
  install -m 0644 packaging/copyright "$work/debian/$pkg/usr/share/doc/$pkg/copyright"
  install -m 0644 "$work/changelog.Debian.gz" "$work/debian/$pkg/usr/share/doc/$pkg/"
done
install -m 0644 docs/abi-policy.md docs/install.md "$dv/usr/share/doc/$dev/"

# symbols: from abi/symbols.txt; a symbol in node PAYAUTH_M.N first shipped in M.N.0.
{
  echo "libpayauth.so.$soversion $runtime #MINVER#"
  echo "* Build-Depends-Package: $dev"
  grep -v '^[[:space:]]*\(#\|$\)' abi/symbols.txt | sort |
    awk '{ split($2, v, "_"); print " " $1 "@" $2 " " v[2] ".0" }'
} >"$work/symbols.template"
# The shlibs dependency is the release that brought the newest node.
minver=$(awk '{print $NF}' "$work/symbols.template" | tail -n +3 | sort -V | tail -1)
(
  cd "$work"
  # -c4: fail on any difference between the template and the library's exports.
  dpkg-gensymbols -c4 -v"$version" -p"$runtime" -P"debian/$runtime" -I"symbols.template" \
    -O"debian/$runtime/DEBIAN/symbols" >&2
  dpkg-shlibdeps -O -e"debian/$runtime/$libdir/libpayauth.so.$version"
) >"$work/substvars"
depends=$(sed -n 's/^shlibs:Depends=//p' "$work/substvars")
[ -n "$depends" ] || { echo "build-deb: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
echo "libpayauth $soversion $runtime (>= $minver)" >"$rt/DEBIAN/shlibs"
install -m 0644 packaging/libpayauth0.triggers "$rt/DEBIAN/triggers"
install -m 0755 packaging/libpayauth0.postinst "$rt/DEBIAN/postinst"
install -m 0755 packaging/libpayauth0.postrm "$rt/DEBIAN/postrm"
install -D -m 0644 packaging/payauth.tmpfiles "$rt/usr/lib/tmpfiles.d/payauth.conf"

control() { # template package-dir depends
  local size
  size=$(du -sk --exclude=DEBIAN "$2" | cut -f1)
  sed -e "s|@DEBVERSION@|$debversion|g" -e "s|@ARCH@|$arch|" -e "s|@MAINTAINER@|$maintainer|" \
    -e "s|@SIZE@|$size|" -e "s|@DEPENDS@|$3|" -e "s|^Package: libpayauth0|Package: $runtime|" "$1" \
    >"$2/DEBIAN/control"
  (cd "$2" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z |
    xargs -0 md5sum >DEBIAN/md5sums)
  chmod 0644 "$2"/DEBIAN/*
  chmod 0755 "$2"/DEBIAN/post* 2>/dev/null || true
}
control packaging/libpayauth0.control.in "$rt" "$depends"
control packaging/libpayauth-dev.control.in "$dv" ""

rm -f "$out"/libpayauth*.deb
for pkg in "$rt" "$dv"; do
  dpkg-deb --root-owner-group -Z"${DEB_COMPRESS:-xz}" --build "$pkg" "$out" >/dev/null
done
rm -rf "$stage"
ls "$out"/libpayauth*.deb
