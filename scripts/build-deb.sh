#!/usr/bin/env bash
# Builds the Debian package of Numeral with dpkg-deb: the binary (its RUNPATH set to
# /usr/lib/numeral, where the Swift runtime libraries are bundled: no Debian package ships them),
# the shipped models, the desktop entry and icon, the kiosk session files, the hardened
# numeral-serve.service, a man page and the README. Depends is what dpkg-shlibdeps finds the
# binary and the bundled libraries need from Debian's packages, so apt resolves it.
#
# Usage: scripts/build-deb.sh [--binary PATH] [--output DIR] [--compression xz|gzip|none] [--level N] [--lint]
#   --binary       the numeral binary (default .build/release/numeral)
#   --output       where the .deb goes (default out/); its path is the last line printed
#   --compression  dpkg-deb's compressor (default xz)
#   --level        its level (default: dpkg-deb's; the tests use gzip level 1: 6 s instead of minutes)
#   --lint         run lintian on the result; an error or warning fails the build
set -euo pipefail
cd "$(dirname "$0")/.."
binary=.build/release/numeral output=out compression=xz level="" lint=false
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary="$2"; shift 2 ;;
    --output) output="$2"; shift 2 ;;
    --compression) compression="$2"; shift 2 ;;
    --level) level="$2"; shift 2 ;;
    --lint) lint=true; shift ;;
    *) echo "build-deb.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
for tool in dpkg-deb dpkg-shlibdeps; do
  command -v "$tool" >/dev/null || { echo "build-deb.sh: $tool is missing (scripts/install-deps.sh installs dpkg-dev)" >&2; exit 1; }
done
[ -x "$binary" ] || { echo "build-deb.sh: no executable at $binary (make release, or --binary PATH)" >&2; exit 1; }
version=$("$binary" --version) || { echo "build-deb.sh: $binary --version failed" >&2; exit 1; }
arch=$(dpkg --print-architecture)
maintainer="Numeral maintainers <maintainers@users.noreply.b-seed-7672b1ba.example>"

work=$(mktemp -d /tmp/numeral-deb.XXXXXX)
trap 'rm -rf "$work"' EXIT
pkg="$work/debian/numeral"
scripts/stage-numeral.sh --binary "$binary" --root "$pkg"

# Desktop entry and icon (the program draws its own icon).
install -d "$pkg/usr/share/applications" "$pkg/usr/share/icons/hicolor/256x256/apps"
"$binary" icon --output "$pkg/usr/share/icons/hicolor/256x256/apps/numeral.png" --size 256 >/dev/null
chmod 644 "$pkg/usr/share/icons/hicolor/256x256/apps/numeral.png"
cat > "$pkg/usr/share/applications/numeral.desktop" <<'EOF'
[Desktop Entry]
Type=Application
Name=Numeral
GenericName=Handwritten digit recognizer
Comment=Draw a digit and see what a neural network reads
Exec=numeral app
Icon=numeral
Terminal=false
Categories=Education;Science;
Keywords=digit;handwriting;mnist;neural;
EOF

# Kiosk session: the login-screen session and the tty1 unit (not enabled: it needs its own user).
install -D -m644 Resources/kiosk/numeral-kiosk.desktop "$pkg/usr/share/wayland-sessions/numeral-kiosk.desktop"
install -d "$pkg/lib/systemd/system"
sed -e 's|/usr/local/bin/numeral|/usr/bin/numeral|g' \
    -e 's|sudo make install PREFIX=/usr/local|sudo apt install ./numeral_VERSION_ARCH.deb (or: sudo make install PREFIX=/usr/local)|' \
    -e 's|sudo install -m644 Resources/kiosk/numeral-kiosk.service /etc/systemd/system/|(the package installs the unit; after make install: sudo install -m644 Resources/kiosk/numeral-kiosk.service /etc/systemd/system/)|' \
    Resources/kiosk/numeral-kiosk.service > "$pkg/lib/systemd/system/numeral-kiosk.service"
install -m644 deploy/systemd/numeral-serve.service "$pkg/lib/systemd/system/numeral-serve.service"
chmod 644 "$pkg/lib/systemd/system/numeral-kiosk.service"

# Documentation.
doc="$pkg/usr/share/doc/numeral"
install -d "$doc" "$pkg/usr/share/man/man1"
install -m644 README.md "$doc/README.md"
gzip -9n "$doc/README.md"
gzip -9nc deploy/debian/numeral.1 > "$pkg/usr/share/man/man1/numeral.1.gz"
cat > "$doc/copyright" <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: numeral
Upstream-Contact: $maintainer

Files: *
Copyright: 2026 the Numeral authors
License: all-rights-reserved
 The Numeral authors have not published Numeral under a licence; all rights are reserved.
 The package bundles the Swift runtime libraries (Apache License 2.0 with Runtime Library
 Exception, see https://swift.org/LICENSE.txt) in /usr/lib/numeral.
EOF
printf 'numeral (%s) unstable; urgency=medium\n\n  * Package built by scripts/build-deb.sh.\n\n -- %s  %s\n' \
  "$version" "$maintainer" "$(date -R -d "@$(git log -1 --format=%ct 2>/dev/null || date +%s)")" \
  | gzip -9n > "$doc/changelog.gz"
chmod 644 "$doc"/*

# Depends: what the binary and the bundled runtime need from Debian's packages.
mkdir -p "$work/debian"
printf 'Source: numeral\n\nPackage: numeral\nArchitecture: any\n' > "$work/debian/control"
depends=$(cd "$work" && dpkg-shlibdeps -O -ldebian/numeral/usr/lib/numeral \
            debian/numeral/usr/bin/numeral debian/numeral/usr/lib/numeral/*.so 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "build-deb.sh: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
rm -rf "$work/debian/control"

install -d "$pkg/DEBIAN"
installed_size=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
cat > "$pkg/DEBIAN/control" <<EOF
Package: numeral
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $installed_size
Depends: $depends
Recommends: fonts-dejavu-core
Suggests: cage, xwayland, postgresql
Section: science
Priority: optional
Description: handwritten digit recognition: desktop app, kiosk and HTTP server
 Numeral recognizes handwritten digits with a convolutional network trained
 on MNIST. Draw a digit with a mouse, pen or touchscreen and see what the
 model reads, its top three guesses and a probability bar for every digit;
 tell it when it was wrong. Every prediction and correction is logged, a
 dashboard shows accuracy and confusions, and the model can be fine-tuned on
 the corrections.
 .
 The package also runs it as a locked-down kiosk (cage session) and as a
 hardened web service (numeral-serve.service: drawing page, dashboard and
 HTTP API). The Swift runtime libraries are bundled in /usr/lib/numeral.
EOF
# Maintainer scripts: systemd learns about the units; purge removes the service's state.
cat > "$pkg/DEBIAN/postinst" <<'EOF'
#!/bin/sh
set -e
if [ "$1" = "configure" ] && [ -d /run/systemd/system ]; then
  systemctl --system daemon-reload >/dev/null || true
fi
EOF
cat > "$pkg/DEBIAN/prerm" <<'EOF'
#!/bin/sh
set -e
if [ "$1" = "remove" ] && [ -d /run/systemd/system ] && command -v deb-systemd-invoke >/dev/null; then
  deb-systemd-invoke stop numeral-serve.service numeral-kiosk.service >/dev/null || true
fi
EOF
cat > "$pkg/DEBIAN/postrm" <<'EOF'
#!/bin/sh
set -e
if [ -d /run/systemd/system ]; then
  systemctl --system daemon-reload >/dev/null || true
fi
if [ "$1" = "purge" ]; then
  # Units an administrator enabled, and the service's log, model versions and spool
  # (StateDirectory with DynamicUser: /var/lib/private/numeral, /var/lib/numeral a link to it).
  for unit in numeral-serve.service numeral-kiosk.service; do
    rm -f "/etc/systemd/system/multi-user.target.wants/$unit" "/etc/systemd/system/graphical.target.wants/$unit"
    if command -v deb-systemd-helper >/dev/null; then deb-systemd-helper purge "$unit" >/dev/null || true; fi
  done
  rm -rf /var/lib/private/numeral /var/lib/numeral
fi
EOF
chmod 755 "$pkg/DEBIAN/postinst" "$pkg/DEBIAN/prerm" "$pkg/DEBIAN/postrm"
(cd "$pkg" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) > "$pkg/DEBIAN/md5sums"
chmod 644 "$pkg/DEBIAN/control" "$pkg/DEBIAN/md5sums"

mkdir -p "$output"
deb="$output/numeral_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Z"$compression" ${level:+-z"$level"} --build "$pkg" "$deb" >/dev/null
if $lint; then
  command -v lintian >/dev/null || { echo "build-deb.sh: lintian is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }
  # Errors and warnings both fail: the package has none today.
  status=0
  report=$(lintian --fail-on error,warning "$deb" 2>&1) || status=$?
  grep -v "^running with root privileges" <<<"$report" >&2 || true
  [ "$status" -eq 0 ] || { echo "build-deb.sh: lintian failed on $deb" >&2; exit 1; }
fi
echo "$deb"
