# Sourced by the other scripts: create .venv on first use and install the project into it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
    .venv/bin/python -m pip install --quiet --upgrade pip
fi
stamp=".venv/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)-$1"
if [ ! -f "$stamp" ]; then
    .venv/bin/python -m pip install --quiet -e ".[$1]"
    rm -f .venv/.installed-*
    touch "$stamp"
fi
