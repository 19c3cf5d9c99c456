#!/usr/bin/env bash
# Installs the system libraries HybridSign links against, when they are missing.
# Debian/Ubuntu: uses apt-get (as root, or through sudo). Elsewhere: says what to install.
set -euo pipefail
need=()
pkg-config --exists openblas 2>/dev/null || need+=(libopenblas-dev)
pkg-config --exists libedit 2>/dev/null || need+=(libedit-dev)
pkg-config --exists libpng 2>/dev/null || need+=(libpng-dev)
pkg-config --exists zlib 2>/dev/null || need+=(zlib1g-dev)
pkg-config --exists libzmq 2>/dev/null || need+=(libzmq3-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
[ ${#need[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing system packages: ${need[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" pkg-config >&2
else
  echo "HybridSign needs OpenBLAS, libedit, libpng, zlib and ZeroMQ with their headers and pkg-config files." >&2
  echo "Install them with your package manager (for example: brew install openblas libedit libpng zlib zeromq pkg-config)." >&2
  exit 1
fi
