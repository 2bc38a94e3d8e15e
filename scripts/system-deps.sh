#!/usr/bin/env bash
# Install the Debian/Ubuntu packages gongkai needs, when they are missing and we are root.
#   base: python3-venv (for .venv), gettext (msgfmt, for the Chinese catalogue), Pango
#         (WeasyPrint's text layout, for PDF letters) and fonts-noto-cjk (Chinese glyphs;
#         on Debian 12 it holds both Noto Serif CJK, the letters' 仿宋/楷体/小标宋 stand-in,
#         and Noto Sans CJK, the 黑体 stand-in, Regular and Bold)
#   node: nodejs and npm (front-end libraries come from the npm registry)
#   test: chromium (browser tests), fonts-noto-cjk (Chinese glyphs in pages and PDFs) and
#         poppler-utils (pdftoppm: the letter tests render a PDF page to PNG)
#   bench: wrk (HTTP load for bench/portal.py)
# Without root it only says what is missing; the test runner then skips (or, in CI,
# fails) the tests that need it.
set -u
what="${1:-base}"
need=()
case "$what" in
  base)
    python3 -c 'import ensurepip, venv' 2>/dev/null || need+=(python3-venv)
    command -v msgfmt >/dev/null || need+=(gettext)
    ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0' || need+=(libpango-1.0-0 libpangoft2-1.0-0)
    command -v fc-list >/dev/null || need+=(fontconfig)
    fc-list 2>/dev/null | grep -qi 'Noto Serif CJK' || need+=(fonts-noto-cjk)
    ;;
  node)
    command -v npm >/dev/null || need+=(nodejs npm)
    ;;
  test)
    command -v chromium >/dev/null || [ -x /usr/bin/chromium ] || need+=(chromium)
    fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || need+=(fonts-noto-cjk)
    command -v pdftoppm >/dev/null || need+=(poppler-utils)
    ;;
  bench)
    command -v wrk >/dev/null || need+=(wrk)
    ;;
esac
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null 2>&1 || true
  if apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; then
    exit 0
  fi
  echo "apt-get could not install ${need[*]}" >&2
else
  echo "Missing system packages: ${need[*]} (run as root, or: sudo apt-get install ${need[*]})" >&2
fi
# Missing test packages only skip tests; missing base packages stop the set-up.
[ "$what" = "test" ] || [ "$what" = "bench" ] && exit 0
exit 1
