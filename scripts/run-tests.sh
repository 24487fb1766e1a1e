#!/usr/bin/env bash
# The whole test suite. Window tests need a display, so the suite runs under Xvfb when there is none.
set -euo pipefail
cd "$(dirname "$0")/.."
export NUMERAL_MNIST="${NUMERAL_MNIST:-$(cd .. && pwd)/shared/data/mnist}"
export NUMERAL_PENDIGITS="${NUMERAL_PENDIGITS:-$(cd .. && pwd)/shared/data/pendigits/pendigits-orig-train.json}"
swift build --build-tests
if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null; then
  exec xvfb-run -a -s "-screen 0 1280x1024x24" swift test --skip-build "$@"
fi
exec swift test --skip-build "$@"
