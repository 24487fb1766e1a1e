#!/usr/bin/env bash
# Installs (or with --uninstall removes) Numeral under PREFIX (default ~/.local): the binary, the
# shipped model, an icon the program draws itself and a .desktop entry for the application menu.
set -euo pipefail
cd "$(dirname "$0")/.."
uninstall=false
if [ "${1:-}" = "--uninstall" ]; then uninstall=true; shift; fi
prefix="${1:-$HOME/.local}"
bin="$prefix/bin/numeral"
share="$prefix/share/numeral"
desktop="$prefix/share/applications/numeral.desktop"
icon="$prefix/share/icons/hicolor/256x256/apps/numeral.png"

if $uninstall; then
  rm -f "$bin" "$desktop" "$icon"
  rm -rf "$share"
  echo "Removed Numeral from $prefix (your prediction log in ~/.local/share/numeral is kept)."
  exit 0
fi

install -Dm755 .build/release/numeral "$bin"
install -Dm644 Models/mnist-cnn.safetensors "$share/Models/mnist-cnn.safetensors"
install -Dm644 Models/mnist-cnn.json "$share/Models/mnist-cnn.json"
install -Dm644 Models/pen-trajectory.safetensors "$share/Models/pen-trajectory.safetensors"
install -Dm644 Models/pen-trajectory.json "$share/Models/pen-trajectory.json"
install -Dm644 Models/picture-scans.safetensors "$share/Models/picture-scans.safetensors"
install -Dm644 Models/picture-scans.json "$share/Models/picture-scans.json"
mkdir -p "$(dirname "$icon")" "$(dirname "$desktop")"
"$bin" icon --output "$icon" --size 256
cat > "$desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=Numeral
GenericName=Handwritten digit recognizer
Comment=Draw a digit and see what a neural network reads
Exec=$bin app
Icon=$icon
Terminal=false
Categories=Education;Science;Graphics;
Keywords=digit;handwriting;mnist;neural;
DESKTOP
command -v update-desktop-database >/dev/null && update-desktop-database "$prefix/share/applications" 2>/dev/null || true
echo "Installed Numeral in $prefix: run 'numeral' or pick Numeral in the application menu."
