#!/usr/bin/env bash
# Checks payauth installed as a system library, from the library `cargo build --release` built:
#
#   1. exports: `nm -D --defined-only` of LIBDIR/libpayauth.so (and target/debug/libpayauth.so if
#      built) equals abi/symbols.txt, every symbol versioned (payauth_x@@PAYAUTH_0.1), nothing else
#      exported (no rust_eh_personality, no Rust symbols); readelf shows the SONAME and the
#      version nodes;
#   2. `make install DESTDIR=... PREFIX=/usr` installs exactly the expected files (multiarch
#      libdir); every examples-c program is built against that tree with
#      `pkg-config --cflags --libs payauth` (shared) and `pkg-config --static --libs payauth`
#      (static, with libpayauth.a) and run; `make uninstall` removes it all again. A second
#      install without multiarch (lib/) is used through `pkg-config --define-variable=prefix=`;
#   3. `make deb`'s script builds libpayauth0 and libpayauth-dev (checked against the library by
#      dpkg-gensymbols -c4); their control files are checked; both are unpacked with `dpkg -x`
#      into a scratch root and every example is built and run against it as in 2; dpkg-shlibdeps
#      computes an example's dependencies from the packaged symbols file.
#
# Usage: scripts/install-check.sh LIBDIR     (e.g. target/release; needs gcc, pkg-config,
#                                             binutils, make and dpkg-dev: see scripts/deps.sh)
# Outputs go to target/install/ (made anew each run). Never builds the library. The client example
# needs the loopback gateway emulator: without PAYAUTH_GATEWAY the script re-runs itself under
# scripts/with-emulator.sh (which needs target/debug or target/release payauth-emulator).
set -euo pipefail

if [ -z "${PAYAUTH_GATEWAY:-}" ]; then
  exec "$(dirname "$0")/with-emulator.sh" "$(cd "$(dirname "$0")" && pwd)/install-check.sh" "$(cd "${1:-.}" && pwd)"
fi
if [ $# -ne 1 ]; then
  echo "usage: $0 LIBDIR" >&2
  exit 2
fi
libdir=$(cd "$1" && pwd)
cd "$(dirname "$0")/.."
fail() {
  echo "install-check: $*" >&2
  exit 1
}
for f in libpayauth.so libpayauth.a; do
  [ -f "$libdir/$f" ] || fail "$libdir/$f not found (build with: cargo build --release)"
done
for tool in gcc pkg-config nm readelf make dpkg-deb dpkg-shlibdeps dpkg-gensymbols dpkg-architecture; do
  command -v "$tool" >/dev/null || fail "$tool not found (run scripts/deps.sh)"
done

out=$PWD/target/install
rm -rf "$out"
mkdir -p "$out"
eval "$(make -s print-vars | tr ' ' '\n' | grep -E '^(VERSION|SOVERSION)=')"
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null)
soname=libpayauth.so.$SOVERSION
# abi/symbols.txt as `symbol@@NODE` lines, and its version nodes.
grep -v '^[[:space:]]*\(#\|$\)' abi/symbols.txt | awk '{print $1 "@@" $2}' | LC_ALL=C sort >"$out/documented.txt"
mapfile -t nodes < <(sed 's/.*@@//' "$out/documented.txt" | sort -uV)

# --- 1. exports, versions, SONAME -----------------------------------------------------------
check_exports() { # library label
  local lib=$1 label=$2
  # Version nodes show up as absolute symbols (GNU ld); they are not functions.
  nm -D --defined-only "$lib" | awk '$2 != "A" {print $3}' | LC_ALL=C sort >"$out/exports-$label.txt"
  if ! cmp -s "$out/documented.txt" "$out/exports-$label.txt"; then
    {
      echo "install-check: $lib exports differ from abi/symbols.txt (nm -D --defined-only):"
      LC_ALL=C comm -13 "$out/documented.txt" "$out/exports-$label.txt" | sed 's/^/  exported, not documented: /'
      LC_ALL=C comm -23 "$out/documented.txt" "$out/exports-$label.txt" | sed 's/^/  documented, not exported: /'
      echo "  A symbol without @@ is not in abi/symbols.txt (or the build has no version script)."
      echo "  If the change is intended, edit abi/symbols.txt (docs/abi-policy.md says which node)"
      echo "  and rebuild; otherwise restore the function."
    } >&2
    exit 1
  fi
  readelf -d "$lib" >"$out/readelf-d-$label.txt"
  grep -q "Library soname: \[$soname\]" "$out/readelf-d-$label.txt" ||
    fail "$lib: SONAME is not $soname: $(grep -i soname "$out/readelf-d-$label.txt" || echo none)"
  readelf -V "$lib" >"$out/readelf-V-$label.txt"
  local defined
  mapfile -t defined < <(sed -n '/\.gnu\.version_d/,/\.gnu\.version_r/s/.*Name: \([^ ]*\).*/\1/p' \
    "$out/readelf-V-$label.txt")
  [ "${defined[*]}" = "$soname ${nodes[*]}" ] ||
    fail "$lib: version definitions are [${defined[*]}], expected [$soname ${nodes[*]}]"
  echo "$lib: SONAME $soname; $(wc -l <"$out/exports-$label.txt") exports, all as documented and versioned (${nodes[*]})"
}
echo "== install-check: exports and SONAME"
check_exports "$libdir/libpayauth.so" release
[ ! -f target/debug/libpayauth.so ] || check_exports target/debug/libpayauth.so debug

# --- helpers for 2 and 3 --------------------------------------------------------------------
cflags=(-std=c11 -Wall -Wextra -Werror -pedantic -O2)
# Builds every example against the payauth.pc found by the given pkg-config command, shared
# and (with `both`) static, checks what they link to, and runs them from the repository root
# (they read tests/vectors/keys).
# usage: build_examples shared|both OUTDIR RUNTIME-LIBDIR pkg-config [args...]
build_examples() {
  local kinds=$1 dir=$2 rtlib=$3
  shift 3
  local pc=("$@") name bin cf libs static n=0
  mkdir -p "$dir"
  [ "$("${pc[@]}" --modversion payauth)" = "$VERSION" ] || fail "pkg-config --modversion payauth is not $VERSION"
  read -r -a cf <<<"$("${pc[@]}" --cflags payauth)"
  read -r -a libs <<<"$("${pc[@]}" --libs payauth)"
  # Static: the archive by name (-l:libpayauth.a) since the .so sits beside it, plus
  # Libs.private, which this link proves sufficient.
  read -r -a static <<<"$("${pc[@]}" --static --libs payauth | sed 's/-lpayauth\b/-l:libpayauth.a/')"
  echo "  shared: gcc ${cf[*]} ${libs[*]}"
  [ "$kinds" = shared ] || echo "  static: gcc ${cf[*]} ${static[*]}"
  for src in examples-c/*.c; do
    name=$(basename "$src" .c)
    bin=$dir/$name
    gcc "${cflags[@]}" "$src" "${cf[@]}" "${libs[@]}" -o "$bin"
    # (Outputs go to files first: `cmd | grep -q` fails under pipefail when grep exits early.)
    { readelf -d "$bin" && readelf -V "$bin"; } >"$bin.readelf"
    LD_LIBRARY_PATH=$rtlib ldd "$bin" >"$bin.ldd"
    grep -q "NEEDED.*\[$soname\]" "$bin.readelf" || fail "$bin does not need $soname"
    grep -q "File: $soname" "$bin.readelf" || fail "$bin has no versioned reference to $soname"
    grep -q "$soname => $rtlib/$soname" "$bin.ldd" || fail "$bin does not load $rtlib/$soname"
    LD_LIBRARY_PATH=$rtlib "$bin" >"$bin.out" 2>&1 || fail "$bin failed (output: $bin.out)"
    if [ "$kinds" = both ]; then
      gcc "${cflags[@]}" "$src" "${cf[@]}" "${static[@]}" -o "$bin-static"
      readelf -d "$bin-static" >"$bin-static.readelf"
      ! grep -q libpayauth "$bin-static.readelf" || fail "$bin-static still needs libpayauth.so"
      "$bin-static" >"$bin-static.out" 2>&1 || fail "$bin-static failed (output: $bin-static.out)"
    fi
    n=$((n + 1))
  done
  [ "$n" -gt 0 ] || fail "no examples in examples-c/"
  echo "  built and ran $n examples ($([ "$kinds" = both ] && echo "shared and static" || echo shared))"
}
expect_files() { # root expected-list-file
  (cd "$1" && find . \( -type f -o -type l \) -printf '%P\n' | LC_ALL=C sort) >"$2.actual"
  LC_ALL=C sort "$2" | diff -u - "$2.actual" >&2 || fail "installed files differ from $2 (see the diff above)"
}

# --- 2. make install / uninstall ------------------------------------------------------------
echo "== install-check: make install DESTDIR=target/install/destdir PREFIX=/usr"
dest=$out/destdir
make -s install DESTDIR="$dest" PREFIX=/usr BUILD_DIR="$libdir" LDCONFIG=false >"$out/make-install.log"
lib=usr/lib/$multiarch
cat >"$out/expected-install.txt" <<EOF
$lib/libpayauth.so.$VERSION
$lib/libpayauth.so.$SOVERSION
$lib/libpayauth.so
$lib/libpayauth.a
$lib/pkgconfig/payauth.pc
usr/include/payauth.h
usr/include/payauth_ffi.h
EOF
expect_files "$dest" "$out/expected-install.txt"
[ "$(readlink "$dest/$lib/libpayauth.so.$SOVERSION")" = "libpayauth.so.$VERSION" ] || fail "bad $soname link"
[ "$(readlink "$dest/$lib/libpayauth.so")" = "libpayauth.so.$VERSION" ] || fail "bad libpayauth.so link"
cmp -s "$libdir/libpayauth.so" "$dest/$lib/libpayauth.so.$VERSION" || fail "installed .so differs from $libdir"
PKG_CONFIG_LIBDIR=$dest/$lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$dest \
  build_examples both "$out/examples-destdir" "$dest/$lib" pkg-config
make -s uninstall DESTDIR="$dest" PREFIX=/usr LDCONFIG=false
left=$(find "$dest" \( -type f -o -type l \) | head -5)
[ -z "$left" ] || fail "make uninstall left: $left"
echo "  make uninstall removed every file"

echo "== install-check: make install PREFIX=/opt/payauth DEB_HOST_MULTIARCH= (plain lib/; pkg-config --define-variable=prefix=)"
plain=$out/plain
make -s install PREFIX=/opt/payauth DESTDIR="$plain" DEB_HOST_MULTIARCH= BUILD_DIR="$libdir" LDCONFIG=false \
  >>"$out/make-install.log"
[ -f "$plain/opt/payauth/lib/pkgconfig/payauth.pc" ] || fail "no lib/pkgconfig/payauth.pc without multiarch"
PKG_CONFIG_LIBDIR=$plain/opt/payauth/lib/pkgconfig \
  build_examples shared "$out/examples-plain" "$plain/opt/payauth/lib" pkg-config --define-variable=prefix="$plain/opt/payauth"

# --- 3. Debian packages ---------------------------------------------------------------------
echo "== install-check: Debian packages (packaging/build-deb.sh)"
DEB_COMPRESS=gzip packaging/build-deb.sh "$libdir" "$out/deb" >"$out/build-deb.log"
debver=$VERSION-${DEB_REVISION:-1}
rt_deb=$(ls "$out"/deb/libpayauth"$SOVERSION"_"$debver"_*.deb)
dev_deb=$(ls "$out"/deb/libpayauth-dev_"$debver"_*.deb)
for deb in "$rt_deb" "$dev_deb"; do
  dpkg-deb -I "$deb" >"$deb.info"
  dpkg-deb -c "$deb" >"$deb.contents"
done
field() { dpkg-deb -f "$1" "$2"; }
[[ "$(field "$rt_deb" Depends)" == *"libc6 (>= "* ]] || fail "libpayauth$SOVERSION Depends lacks libc6: $(field "$rt_deb" Depends)"
[ "$(field "$dev_deb" Depends)" = "libpayauth$SOVERSION (= $debver)" ] || fail "libpayauth-dev Depends: $(field "$dev_deb" Depends)"
ctl=$out/deb/control-$SOVERSION
dpkg-deb -e "$rt_deb" "$ctl"
grep -qx 'activate-noawait ldconfig' "$ctl/triggers" || fail "no ldconfig trigger in libpayauth$SOVERSION"
grep -q "^libpayauth $SOVERSION libpayauth$SOVERSION (>= " "$ctl/shlibs" || fail "bad shlibs: $(cat "$ctl/shlibs")"
[ "$(grep -c '@PAYAUTH_' "$ctl/symbols")" = "$(wc -l <"$out/documented.txt")" ] || fail "symbols file does not list every export"
# The host-tier cache roots (docs/caching.md): a tmpfiles.d entry, made at configure time.
grep -q '\./usr/lib/tmpfiles.d/payauth.conf$' "$rt_deb.contents" || fail "no tmpfiles.d entry in libpayauth$SOVERSION"
for d in /run/payauth /var/cache/payauth; do
  dpkg-deb --fsys-tarfile "$rt_deb" | tar -xO ./usr/lib/tmpfiles.d/payauth.conf | grep -q "^d $d 1733 root root" ||
    fail "tmpfiles.d entry lacks $d 1733"
done
for script in postinst postrm; do
  [ -x "$ctl/$script" ] && sh -n "$ctl/$script" || fail "bad $script in libpayauth$SOVERSION"
done
echo "  $(basename "$rt_deb"): Depends: $(field "$rt_deb" Depends); shlibs: $(cat "$ctl/shlibs")"
echo "  $(basename "$dev_deb"): Depends: $(field "$dev_deb" Depends)"

root=$out/debroot
dpkg -x "$rt_deb" "$root"
dpkg -x "$dev_deb" "$root"
PKG_CONFIG_LIBDIR=$root/$lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$root \
  build_examples both "$out/examples-deb" "$root/$lib" pkg-config
check_exports "$root/$lib/libpayauth.so.$VERSION" deb

echo "== install-check: dpkg-shlibdeps on an example linked against the packaged library"
sd=$out/shlibdeps
mkdir -p "$sd/debian/payauth-example/DEBIAN" "$sd/debian/payauth-example/usr/bin"
printf 'Source: payauth-example\n\nPackage: payauth-example\nArchitecture: any\n' >"$sd/debian/control"
dpkg-deb -R "$rt_deb" "$sd/debian/libpayauth$SOVERSION" # the library and its DEBIAN/symbols
cp "$out/examples-deb/snap" "$sd/debian/payauth-example/usr/bin/"
deps=$(cd "$sd" && dpkg-shlibdeps -O debian/payauth-example/usr/bin/snap)
echo "  $deps"
[[ "$deps" == *"libpayauth$SOVERSION (>= "* ]] || fail "dpkg-shlibdeps gave no libpayauth$SOVERSION dependency: $deps"

echo "== install-check: ok (outputs in target/install/)"
