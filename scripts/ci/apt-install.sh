# Sourced by the scripts/ci/install-*.sh scripts (POSIX sh): apt_install SCRIPT HINT PACKAGE...
# installs the packages with apt-get, as root or through sudo, after one `apt-get update` per CI run
# (the first caller updates; the others reuse its package lists). Exits 1 naming the script and the
# hint (how else to get the packages) when there is neither root/sudo nor apt-get.
apt_install() {
  script="$1"; hint="$2"; shift 2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "$script: need root or sudo to apt-get install $*" >&2
      exit 1
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "$script: apt-get not found; $hint" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  marker="${TMPDIR:-/tmp}/metatune-ci-apt-updated"
  if [ ! -e "$marker" ]; then
    $SUDO apt-get update -q
    : > "$marker"
  fi
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -q --no-install-recommends "$@"
}
