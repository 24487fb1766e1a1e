#!/usr/bin/env bash
# The Python packages the web tests use (Selenium drives Debian's chromium; openapi-spec-validator
# checks the served API description), installed only when missing.
set -euo pipefail
python3 -c "import selenium, openapi_spec_validator, yaml" 2>/dev/null && exit 0
echo "Installing Python packages: selenium openapi-spec-validator pyyaml"
python3 -m pip install --quiet selenium openapi-spec-validator pyyaml 2>/dev/null \
  || python3 -m pip install --quiet --break-system-packages selenium openapi-spec-validator pyyaml
