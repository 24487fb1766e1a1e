#!/usr/bin/env bash
# Lays out Numeral under a root directory the way the container image and the Debian package
# install it, from a built binary (release or debug):
#   ROOT/usr/bin/numeral                     the binary, stripped, its RUNPATH set to /usr/lib/numeral
#   ROOT/usr/lib/numeral/*.so                the Swift runtime libraries it loads (every library ldd
#                                            resolves that no Debian package owns: Swift's toolchain)
#   ROOT/usr/share/numeral/Models/           the shipped models, where the binary looks for them
# With --system-libs it also copies every other shared library ldd names and the dynamic loader
# (merged-/usr layout, as Debian 12), so ROOT runs the binary with nothing from the host: the image.
#
# Usage: scripts/stage-numeral.sh --binary PATH --root DIR [--system-libs]
set -euo pipefail
cd "$(dirname "$0")/.."
binary="" root="" system_libs=false
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary="$2"; shift 2 ;;
    --root) root="$2"; shift 2 ;;
    --system-libs) system_libs=true; shift ;;
    *) echo "stage-numeral.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$binary" ] && [ -n "$root" ] || { echo "usage: $0 --binary PATH --root DIR [--system-libs]" >&2; exit 2; }
[ -x "$binary" ] || { echo "stage-numeral.sh: no executable at $binary (build it first: swift build)" >&2; exit 1; }
for tool in patchelf strip ldd; do
  command -v "$tool" >/dev/null || { echo "stage-numeral.sh: $tool is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }
done

mkdir -p "$root/usr/bin" "$root/usr/lib/numeral" "$root/usr/share/numeral/Models"
install -m755 "$binary" "$root/usr/bin/numeral"
# Debug information is most of a Swift binary (114 MB -> 27 MB for the release build); the
# runtime metadata Swift needs is in sections strip keeps.
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/bin/numeral"
patchelf --set-rpath /usr/lib/numeral "$root/usr/bin/numeral"

# ldd lists every library the binary needs, directly or through another library.
ldd_out=$(ldd "$binary")
if grep -q "not found" <<<"$ldd_out"; then
  echo "stage-numeral.sh: the binary needs libraries this machine lacks:" >&2
  grep "not found" <<<"$ldd_out" >&2
  exit 1
fi
# "libX.so.N => /path/libX.so.N (0x...)" -> name and path.
libs=$(awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }' <<<"$ldd_out")
# The files Debian packages own, asked once for all (a package may list a library under /lib or /usr/lib).
candidates=()
while read -r name path; do candidates+=("$path" "$(readlink -f "$path")"); done <<<"$libs"
owned=$(dpkg-query -S "${candidates[@]}" 2>/dev/null | sed 's/^.*: //' || true)
while read -r name path; do
  real=$(readlink -f "$path")
  if grep -qxF -e "$path" -e "$real" <<<"$owned"; then
    $system_libs || continue
    # A Debian package's library: same directory as on this machine, under /usr (merged /usr).
    dir=$(dirname "$path"); dir=${dir#/usr}
    install -D -m644 "$real" "$root/usr$dir/$name"
  else
    # Not from a package: Swift's runtime (libswiftCore, Foundation, dispatch, ICU data...),
    # stripped as Debian's own libraries are (their dynamic symbols stay).
    install -m644 "$real" "$root/usr/lib/numeral/$name"
    strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/lib/numeral/$name"
  fi
done <<<"$libs"

if $system_libs; then
  # The loader the binary names (PT_INTERP), as Debian lays it out: /lib64 -> usr/lib64.
  interp=$(patchelf --print-interpreter "$binary")
  loader=$(readlink -f "$interp")
  install -D -m755 "$loader" "$root/usr/lib/x86_64-linux-gnu/$(basename "$loader")"
  mkdir -p "$root/usr/lib64"
  ln -sfn "../lib/x86_64-linux-gnu/$(basename "$loader")" "$root/usr/lib64/$(basename "$interp")"
  ln -sfn usr/lib "$root/lib"
  ln -sfn usr/lib64 "$root/lib64"
  ln -sfn usr/bin "$root/bin"
fi

for model in mnist-cnn pen-trajectory picture-scans; do
  install -m644 "Models/$model.safetensors" "Models/$model.json" "$root/usr/share/numeral/Models/"
done
