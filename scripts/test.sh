#!/usr/bin/env bash
# Command 2: set up (with test tools), then lint, type-check and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
.venv/bin/ruff check .
.venv/bin/mypy
.venv/bin/pytest "$@"
