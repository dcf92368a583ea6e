#!/bin/sh
# Installs the Debian packages lector needs, or says exactly how to.
# Usage: scripts/build/deps.sh [build|test|fuzz|bench]   (default: build)
# test adds what the tests use when it is there (Chromium for the HTML
# reports, xmllint for GraphML and GEXF): when those cannot be installed
# the tests that need them count as skipped, so their failure is a warning.
set -u
set_=${1:-build}
build_pkgs="gcc make pkg-config libluajit-5.1-dev luajit libunistring-dev libsqlite3-dev sqlite3 libedit-dev lua-cjson tmux unicode-data libxml2-dev parallel python3-distributed"
test_pkgs="chromium libxml2-utils"
case "$set_" in
  build) pkgs=$build_pkgs ;;
  test) pkgs=$build_pkgs
        sh "$0" build || exit 1
        missing_t=""
        for p in $test_pkgs; do
          dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing_t="$missing_t $p"
        done
        [ -z "$missing_t" ] && exit 0
        if [ "$(id -u)" = 0 ]; then
          echo "lector: installing Debian packages for the tests:$missing_t" >&2
          { DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing_t ||
            { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing_t; }
          } >&2 || echo "lector: WARNING: could not install$missing_t: the tests that need them will be SKIPPED" >&2
        else
          echo "lector: WARNING: missing$missing_t (apt-get install -y$missing_t as root): the tests that need them will be SKIPPED" >&2
        fi
        exit 0 ;;
  fuzz) pkgs="$build_pkgs clang libclang-rt-14-dev" ;;
  bench) pkgs="$build_pkgs python3 python3-icu python3-nltk python3-ahocorasick libhyperscan-dev libicu-dev ripgrep hyperfine time"
         # Node.js may come from elsewhere (NodeSource bundles npm and
         # conflicts with Debian's npm): only ask Debian when it is missing.
         command -v node >/dev/null 2>&1 || pkgs="$pkgs nodejs"
         command -v npm >/dev/null 2>&1 || pkgs="$pkgs npm" ;;
  *) echo "usage: scripts/build/deps.sh [build|test|fuzz|bench]" >&2; exit 2 ;;
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
