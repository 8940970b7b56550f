#!/usr/bin/env bash
# Command 1: set up, ingest the bundled sample PDF, then chat in the terminal.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/budgetbot ingest samples
exec .venv/bin/budgetbot chat
