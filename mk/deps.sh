#!/bin/sh
# Installs the Debian packages lector needs, or says exactly how to.
# Usage: mk/deps.sh [build|fuzz|bench]   (default: build — build and tests)
set -u
set_=${1:-build}
build_pkgs="gcc make pkg-config libluajit-5.1-dev luajit libunistring-dev libsqlite3-dev sqlite3 libedit-dev lua-cjson tmux unicode-data parallel python3-distributed"
case "$set_" in
  build) pkgs=$build_pkgs ;;
  fuzz) pkgs="$build_pkgs clang libclang-rt-14-dev" ;;
  bench) pkgs="$build_pkgs python3 python3-icu python3-nltk python3-ahocorasick libhyperscan-dev libicu-dev ripgrep hyperfine time"
         # Node.js may come from elsewhere (NodeSource bundles npm and
         # conflicts with Debian's npm): only ask Debian when it is missing.
         command -v node >/dev/null 2>&1 || pkgs="$pkgs nodejs"
         command -v npm >/dev/null 2>&1 || pkgs="$pkgs npm" ;;
  *) echo "usage: mk/deps.sh [build|fuzz|bench]" >&2; exit 2 ;;
esac
missing=""
for p in $pkgs; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "lector: installing missing Debian packages:$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -q && apt-get install -y -q --no-install-recommends $missing; } >&2 || {
    echo "lector: apt-get install failed for:$missing" >&2; exit 1; }
  exit 0
fi
echo "lector: missing Debian packages:$missing" >&2
echo "lector: run this as root, then try again:" >&2
echo "  apt-get update && apt-get install -y$missing" >&2
exit 1
