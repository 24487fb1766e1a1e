#!/bin/sh
# The engine's training and single-image speed compiled with -O and with -Ounchecked, side by side
# (interleaved, so load from other processes hits both alike). Builds the engine sources directly
# with swiftc (no SwiftPM, about a minute each), so it also works on an older checkout:
#   benchmarks/engine-flags.sh [SOURCE_ROOT (default .)] [rounds (default 2)] [batches (default 12)]
set -eu
root=${1:-.}
rounds=${2:-2}
batches=${3:-12}
out=$(mktemp -d)
here=$(cd "$(dirname "$0")" && pwd)
for flag in O Ounchecked; do
    swiftc -$flag -wmo -swift-version 5 -module-name EngineLoop -I "$root/Sources/CCBLAS" \
        $(find "$root/Sources/NumeralEngine" -name '*.swift') "$here/engine-loop/main.swift" -o "$out/engine-$flag" 2>&1 | grep error || true
done
for r in $(seq "$rounds"); do
    for flag in O Ounchecked; do
        printf '%-11s ' "-$flag"; "$out/engine-$flag" shipped "$batches"
    done
done
rm -rf "$out"
