#!/bin/sh
# Installs Debian's chromium for the browser tests (test/report/browser.test.ts,
# test/dashboard/browser.test.ts), which drive it with playwright-core at /usr/bin/chromium.
# Idempotent: does nothing when /usr/bin/chromium already runs. Needs root (or sudo) and apt.
set -eu

if [ -x /usr/bin/chromium ] && /usr/bin/chromium --version >/dev/null 2>&1; then
  echo "chromium present: $(/usr/bin/chromium --version 2>/dev/null)"
  exit 0
fi

. "$(dirname "$0")/apt-install.sh"
apt_install install-chromium.sh "install Chromium at /usr/bin/chromium another way" chromium
/usr/bin/chromium --version
