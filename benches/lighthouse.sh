#!/usr/bin/env bash
# Lighthouse (mobile) on site-example, offline, against Debian's Chromium.
# Not part of CI: it needs `npm install lighthouse@12` (npm registry) and chromium.
# Usage: bash benches/lighthouse.sh [page paths…]   → one line of scores per page.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
cargo run --quiet --release -- build --root site-example --output "$work/site"
(cd "$work" && npm init -y >/dev/null && npm install --silent lighthouse@12 >/dev/null)
port=8799
(cd "$work/site" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
server=$!
trap 'kill $server' EXIT
sleep 1
pages=("$@")
[ ${#pages[@]} -eq 0 ] && pages=("" "blog/" "blog/how-to-taste-olive-oil/" "products/early-harvest-500ml/" "offers/spring-sale/" "quiz/")
for p in "${pages[@]}"; do
  out="$work/report.json"
  CHROME_PATH=/usr/bin/chromium "$work/node_modules/.bin/lighthouse" "http://127.0.0.1:$port/$p" \
    --only-categories=seo,accessibility,best-practices,performance --form-factor=mobile --quiet \
    --chrome-flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run --disable-sync --user-data-dir=$work/profile" \
    --output=json --output-path="$out" 2>/dev/null
  python3 -c "import json,sys; r=json.load(open('$out')); print('/$p', ' '.join(f\"{k}={round(v['score']*100)}\" for k,v in r['categories'].items()))"
done
