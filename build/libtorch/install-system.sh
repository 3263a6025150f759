#!/usr/bin/env bash
# Installs Debian's libtorch-dev and python3-torch: a system PyTorch (libtorch_cpu.so 1.13) on the dynamic loader's
# default path, as an ML researcher's machine often has, and its Python module. The test that a notebook kernel still
# trains on the packaged libtorch beside it (tests/Warmstart.Tests/Runtime/PackagedLibTorchTests.cs) needs the first,
# the PyTorch cross-check of a run's validation loss (tests/Warmstart.Tests/Training/PyTorchCrossCheckTests.cs) the
# second; elsewhere those tests say "skipped: …". Idempotent: does nothing when both are already there.
set -euo pipefail
if [ -e /usr/lib/x86_64-linux-gnu/libtorch_cpu.so ] && /usr/bin/python3 -c 'import torch' 2> /dev/null; then
  echo "system libtorch present: $(readlink -f /usr/lib/x86_64-linux-gnu/libtorch_cpu.so), with python3-torch"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends libtorch-dev python3-torch >/dev/null
echo "installed: $(readlink -f /usr/lib/x86_64-linux-gnu/libtorch_cpu.so), python3-torch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)')"
