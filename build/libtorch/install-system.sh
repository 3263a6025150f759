#!/usr/bin/env bash
# Installs Debian's libtorch-dev: a system PyTorch (libtorch_cpu.so 1.13) on the dynamic loader's default path, as an ML
# researcher's machine often has. The test that a notebook kernel still trains on the packaged libtorch beside it
# (tests/Warmstart.Tests/Runtime/PackagedLibTorchTests.cs) needs it; elsewhere that test says "skipped: …".
# Idempotent: does nothing when the system copy is already there.
set -euo pipefail
if [ -e /usr/lib/x86_64-linux-gnu/libtorch_cpu.so ]; then
  echo "system libtorch present: $(readlink -f /usr/lib/x86_64-linux-gnu/libtorch_cpu.so)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends libtorch-dev >/dev/null
echo "installed: $(readlink -f /usr/lib/x86_64-linux-gnu/libtorch_cpu.so)"
