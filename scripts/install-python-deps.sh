#!/usr/bin/env bash
# The Python packages the tests use (Selenium drives Debian's chromium; openapi-spec-validator
# checks the served API description; kubernetes-validate checks deploy/kubernetes/ offline against
# its bundled schemas), installed only when missing.
set -euo pipefail
python3 -c "import selenium, openapi_spec_validator, yaml, kubernetes_validate" 2>/dev/null && exit 0
echo "Installing Python packages: selenium openapi-spec-validator pyyaml kubernetes-validate"
python3 -m pip install --quiet selenium openapi-spec-validator pyyaml kubernetes-validate 2>/dev/null \
  || python3 -m pip install --quiet --break-system-packages selenium openapi-spec-validator pyyaml kubernetes-validate
