#!/usr/bin/env bash
# Renders the picture of an alert in the README (docs/alert.png): the message GoldenMessageTests holds the formatter to
# (tests/Syndication.Tests/testdata/golden/fixture.html), shown in a Telegram-like channel post with its "Not relevant"
# button, by headless Chromium (Debian's package `chromium`). Run it again when the message's layout changes.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d "${TMPDIR:-/tmp}/syndication-render.XXXXXX")
trap 'rm -rf "$work"' EXIT
message=$(cat tests/Syndication.Tests/testdata/golden/fixture.html)
cat >"$work/alert.html" <<HTML
<!doctype html><html><head><meta charset="utf-8"><style>
  body { margin: 0; background: #c8d7b4; font: 15px/1.38 "DejaVu Sans", "Noto Sans", Arial, sans-serif; }
  .post { width: 460px; margin: 18px auto 14px; }
  .bubble { background: #fff; border-radius: 14px 14px 14px 4px; padding: 8px 12px 6px; box-shadow: 0 1px 1px rgba(0,0,0,.15); }
  .channel { color: #3a8fd9; font-weight: bold; margin-bottom: 2px; }
  .text { white-space: pre-wrap; color: #000; }
  .text a { color: #3a8fd9; text-decoration: none; }
  .meta { text-align: right; color: #8c9a83; font-size: 12px; margin-top: 2px; }
  .button { margin-top: 4px; background: rgba(60,90,40,.35); color: #fff; text-align: center; border-radius: 10px; padding: 7px; font-weight: bold; }
</style></head><body><div class="post">
  <div class="bubble"><div class="channel">Security Desk</div><div class="text">$message</div><div class="meta">11:00</div></div>
  <div class="button">Not relevant</div>
</div></body></html>
HTML
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$work/profile" --hide-scrollbars \
  --window-size=500,610 --screenshot="$work/alert.png" "file://$work/alert.html" >/dev/null 2>&1
cp "$work/alert.png" docs/alert.png
echo "Wrote docs/alert.png" >&2
