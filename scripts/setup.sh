#!/usr/bin/env bash
# Set up a fresh checkout: a virtual environment in .venv with budgetbot and its dependencies.
#   scripts/setup.sh         what running the bot needs
#   scripts/setup.sh --dev   also the test tools (pytest, ruff, mypy, reportlab) and the CJK font
#                            the sample renderer embeds (Debian package fonts-arphic-uming)
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "setup: budgetbot needs Python 3.11 or newer; set PYTHON=/path/to/python3.11" >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip

if [ "${1:-}" = "--dev" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
    font=/usr/share/fonts/truetype/arphic/uming.ttc
    if [ ! -f "$font" ]; then
        echo "setup: installing the CJK font fonts-arphic-uming (needed to render the sample PDF)"
        sudo=""
        [ "$(id -u)" = 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq fonts-arphic-uming >/dev/null
    fi
else
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
fi
