#!/bin/sh
# Installs what the WebGPU tests (test/backend/webgpu*.test.ts, test/learners/webgpu.test.ts) need
# on a machine without a GPU: Mesa's EGL and its llvmpipe driver, on which Dawn (the `webgpu`
# package) runs its OpenGL ES "compatibility" adapter without a display. metatune sets
# EGL_PLATFORM=surfaceless itself when it starts that adapter.
#
# Debian 12's stock packages are enough. (Its Vulkan software driver, lavapipe in Mesa 22.3, is
# refused by Dawn; Mesa 25 from bookworm-backports works but replaces the whole Mesa stack, so it is
# not used here.)
# Idempotent: does nothing when the packages are installed. Needs root (or sudo) and apt.
set -eu

PACKAGES="libegl1 libegl-dev libegl-mesa0 libgl1-mesa-dri"

missing=""
for package in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $package"
  fi
done
if [ -z "$missing" ]; then
  echo "webgpu software adapter packages present: $PACKAGES"
  exit 0
fi

. "$(dirname "$0")/apt-install.sh"
# shellcheck disable=SC2086
apt_install install-webgpu.sh "install Mesa's EGL and llvmpipe ($PACKAGES) another way" $missing
echo "installed:$missing"
