#!/usr/bin/env bash
# Installs, from Debian's packages, what the tests need outside Python:
# Chromium (Playwright browser tests, Kaleido PNG export), PostgreSQL and LibreOffice Impress
# (opens the PowerPoint report in a test: about 40 MB to download, 20 s to install),
# and nginx (the reverse proxy of `make serve REPLICAS=N`).
# Does nothing when they are already there.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-impress)
[ -x /usr/sbin/nginx ] || missing+=(nginx)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
  else
    echo "Missing system packages (${missing[*]}) and not root: install them with apt-get." >&2
    exit 1
  fi
fi
echo "Installing system packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
