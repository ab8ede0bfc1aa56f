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

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-webgpu.sh: need root or sudo to apt-get install$missing" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-webgpu.sh: apt-get not found; install Mesa's EGL and llvmpipe ($PACKAGES) another way" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
echo "installed:$missing"
