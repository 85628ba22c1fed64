#!/usr/bin/env bash
# Installs the Debian packages Shenguan builds and runs with. Safe to run again: it installs only
# what is missing. A fresh machine of this kind has Swift and the package mirror, nothing else.
set -euo pipefail

# SQLite for GRDB; libqrencode and libgd for certificate QR codes and images, with a CJK font;
# zbar-tools so the tests can read a rendered certificate's QR back.
packages=(libsqlite3-dev libqrencode-dev libgd-dev fonts-wqy-zenhei zbar-tools)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
