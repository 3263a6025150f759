#!/usr/bin/env bash
# Installs Debian's chromium for the browser test and the PNG export (lib/Warmstart.Presentation/Reporting/ChartRenderer.cs).
# Idempotent: does nothing when /usr/bin/chromium already exists. Never downloads a browser of its own.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "chromium present: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
echo "installed: $(/usr/bin/chromium --version)"
