# Source it, do not run it. install_missing_packages PREFIX PACKAGE...: installs with apt-get the
# Debian packages not yet installed (sudo unless root), saying so under PREFIX; nothing when all are.
install_missing_packages() {
  local prefix=$1 package sudo=""
  shift
  local missing=()
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "$prefix: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}
