#!/usr/bin/env bash
# The whole test suite. Window tests need a display, so the suite runs under Xvfb when there is none.
set -euo pipefail
cd "$(dirname "$0")/.."
export NUMERAL_MNIST="${NUMERAL_MNIST:-$(cd .. && pwd)/shared/data/mnist}"
export NUMERAL_PENDIGITS="${NUMERAL_PENDIGITS:-$(cd .. && pwd)/shared/data/pendigits/pendigits-orig-train.json}"
export NUMERAL_DIGILETS="${NUMERAL_DIGILETS:-$(cd .. && pwd)/shared/data/digilets}"
swift build --build-tests
# The shared-log tests run against a throwaway PostgreSQL server on loopback.
if [ -z "${NUMERAL_TEST_POSTGRES:-}" ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  NUMERAL_TEST_POSTGRES=$(scripts/test-postgres.sh start)
  export NUMERAL_TEST_POSTGRES
  trap 'scripts/test-postgres.sh stop' EXIT
fi
status=0
if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null; then
  xvfb-run -a -s "-screen 0 1280x1024x24" swift test --skip-build "$@" || status=$?
else
  swift test --skip-build "$@" || status=$?
fi
# The web page and the served API in a real browser (headless chromium), against the built binary.
if [ $# -eq 0 ]; then
  python3 Tests/Web/run_web_tests.py .build/debug/numeral || status=$?
fi
exit $status
