#!/usr/bin/env bash
# Installs the Debian packages Numeral builds and tests against, only those that are missing,
# so running it again is quick and harmless. buildah (make image), patchelf and dpkg-dev (make deb,
# make image), lintian and systemd's systemd-analyze check what the deployment targets make.
set -euo pipefail
packages=(libopenblas-dev libdnnl-dev libpng-dev zlib1g-dev libsdl2-dev libsdl2-ttf-dev libfontconfig-dev
          fonts-dejavu-core libcairo2-dev poppler-utils pkg-config xvfb xdotool xauth imagemagick cage xwayland
          postgresql postgresql-client
          libturbojpeg0-dev libjpeg62-turbo-dev
          libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev gstreamer1.0-plugins-base gstreamer1.0-plugins-good
          gstreamer1.0-tools
          chromium chromium-driver wrk python3-pip
          buildah patchelf curl dpkg-dev lintian systemd)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exec "$(dirname "$0")/install-python-deps.sh"
echo "Installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
exec "$(dirname "$0")/install-python-deps.sh"
