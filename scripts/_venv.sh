# Sourced by the other scripts: create .venv on first use and install the project (with its test tools).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
    .venv/bin/python -m pip install --quiet --upgrade pip
fi
# (Re)install when pyproject.toml changed since the last install.
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
    echo "installing ecommerce-agents and its dependencies into .venv ..."
    if ! .venv/bin/python -m pip install --quiet -e ".[dev]" > .venv/install.log 2>&1; then
        cat .venv/install.log >&2
        exit 1
    fi
    rm -f .venv/.installed-*
    touch "$stamp"
fi
