#!/usr/bin/env bash
# Regenerate site_templates/data/countries.geojson (+ .txt attribution).
# Usage (from anywhere): bash scripts/boundaries/make_boundaries.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# Install the pinned packages from package-lock.json unless they are already there.
# --ignore-scripts: mapshaper's optional native extras are not needed here.
if ! npm ls --depth=0 >/dev/null 2>&1; then
  npm ci --ignore-scripts --no-audit --no-fund
fi
node make_boundaries.mjs
