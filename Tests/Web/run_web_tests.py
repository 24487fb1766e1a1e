#!/usr/bin/env python3
"""Runs the web tests against a built `numeral` (argument or $NUMERAL_BINARY) and ends with the
plain 'N passed, N failed' line."""
import os
import sys
import unittest

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
if len(sys.argv) > 1:
    os.environ["NUMERAL_BINARY"] = sys.argv[1]
os.environ.setdefault("NUMERAL_BINARY", os.path.join(here, "..", "..", ".build", "debug", "numeral"))
suite = unittest.defaultTestLoader.discover(here, pattern="test_*.py")
result = unittest.TextTestRunner(verbosity=2).run(suite)
failed = len(result.failures) + len(result.errors)
print(f"web: {result.testsRun - failed - len(result.skipped)} passed, {failed} failed, {len(result.skipped)} skipped")
sys.exit(1 if failed else 0)
