#!/usr/bin/env bash
# Set up a fresh checkout: a virtual environment in .venv with budgetbot and its dependencies.
#   scripts/setup.sh         what running the bot needs, and the CJK font its charts are drawn in
#                            (Debian package fonts-wqy-microhei)
#   scripts/setup.sh --dev   also the test tools (pytest, ruff, mypy, reportlab, Dask, Playwright),
#                            the CJK font the sample renderer embeds (fonts-arphic-uming) and the
#                            browser the web page is tested in (Debian package chromium)
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "setup: budgetbot needs Python 3.11 or newer; set PYTHON=/path/to/python3.11" >&2
    exit 1
fi

# Debian packages, each installed only when the file it provides is missing.
missing=()
need() {  # need FILE PACKAGE
    [ -e "$1" ] || missing+=("$2")
}
need /usr/share/fonts/truetype/wqy/wqy-microhei.ttc fonts-wqy-microhei
if [ "${1:-}" = "--dev" ]; then
    need /usr/share/fonts/truetype/arphic/uming.ttc fonts-arphic-uming
    need /usr/bin/chromium chromium
fi
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    if ! { $sudo apt-get update -qq &&
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
        if [ "${1:-}" = "--dev" ]; then
            echo "setup: could not install ${missing[*]} (the tests need them); install them and run again" >&2
            exit 1
        fi
        # running the bot does not need them: only charts lack their Chinese labels without the font
        echo "setup: could not install ${missing[*]}; charts will show no Chinese labels until it is installed" >&2
    fi
fi

if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
if [ "${1:-}" = "--dev" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
else
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
fi
