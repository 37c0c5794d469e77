# Sourced by test.sh: installs the outside programs the tests use, when missing and when we are allowed to.

apt_install() {
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "note: cannot install $* (not root or no apt-get); tests that need them will say so and be skipped"
    return 0
  fi
  if [ -z "${APT_UPDATED:-}" ]; then
    apt-get update -qq >/dev/null 2>&1 || true
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 \
    || echo "note: apt-get could not install $*; tests that need them will say so and be skipped"
}

install_test_prerequisites() {
  # Fernet interop tests run Python's cryptography against our tokens.
  if ! python3 -c 'import cryptography.fernet' >/dev/null 2>&1; then
    apt_install python3 python3-cryptography
  fi
  # The Python client's tests run pytest with httpx under Debian's own python3 (a pyenv python3 on PATH lacks them).
  if ! /usr/bin/python3 -c 'import httpx, pytest' >/dev/null 2>&1; then
    apt_install python3 python3-httpx python3-pytest
  fi
  # Browser tests drive Debian's Chromium through Playwright (no browser download).
  if [ ! -x /usr/bin/chromium ]; then
    apt_install chromium
  fi
  # PostgreSQL store tests start a throwaway cluster with initdb and pg_ctl (Debian keeps them off PATH).
  if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    apt_install postgresql
  fi
  # The unit in deploy/ is checked with systemd-analyze verify.
  if ! command -v systemd-analyze >/dev/null 2>&1; then
    apt_install systemd
  fi
}
