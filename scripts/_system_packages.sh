# Sourced by scripts/test: install the Debian packages the tests need (only the missing ones).
# Needs root and apt-get; elsewhere it says what is missing and the tests that need it skip.
PACKAGES=(chromium chromium-driver haproxy)

_missing_packages=()
for _package in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$_package" 2>/dev/null | grep -q "install ok installed"; then
        _missing_packages+=("$_package")
    fi
done
if [ "${#_missing_packages[@]}" -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get > /dev/null; then
        echo "installing system packages: ${_missing_packages[*]} ..."
        if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            "${_missing_packages[@]}"; } > /tmp/ecommerce-agents-apt.log 2>&1; then
            echo "warning: could not install ${_missing_packages[*]} (see /tmp/ecommerce-agents-apt.log);" \
                "the tests that need them will skip" >&2
        fi
    else
        echo "note: system packages missing: ${_missing_packages[*]} (root with apt-get installs them);" \
            "the tests that need them will skip" >&2
    fi
fi
unset _package _missing_packages
