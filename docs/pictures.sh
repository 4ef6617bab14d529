#!/usr/bin/env bash
# The README's pictures of the three HTML pages, taken by Chromium at 1280 px:  docs/pictures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ma=".venv/bin/ma-cli"
$ma plan --program caahep --expected 2026-12-10 --as-of 2026-10-31 --html "$work/plan.html" >/dev/null || true
(cd examples && "../$ma" batch eligible roster.csv --as-of 2026-11-23 --format html -o "$work/report.html" 2>/dev/null) || true
(cd examples && "../$ma" batch renew renewals.csv --as-of 2026-11-23 --format html -o "$work/renew.html" 2>/dev/null) || true
# the report's counts and chart for fourteen credentials fill the first screen: a taller shot shows its rows too
for shot in plan:1000 report:1800 renew:1000; do
  page=${shot%%:*}
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$work/profile-$page" \
    --window-size=1280,${shot##*:} --screenshot="docs/$page.png" "file://$work/$page.html" 2>/dev/null
done
ls -l docs/*.png
