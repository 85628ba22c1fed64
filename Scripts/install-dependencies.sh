#!/usr/bin/env bash
# Installs the Debian packages Shenguan builds and runs with. Safe to run again: it installs only
# what is missing. A fresh machine of this kind has Swift and the package mirror, nothing else.
set -euo pipefail

# SQLite for GRDB; libqrencode and libgd for certificate QR codes and images, with a CJK font;
# zbar-tools so the tests can read a rendered certificate's QR back.
source "$(dirname "$0")/lib/packages.sh"
install_missing_packages install-dependencies libsqlite3-dev libqrencode-dev libgd-dev fonts-wqy-zenhei zbar-tools
