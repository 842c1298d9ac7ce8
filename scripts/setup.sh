#!/usr/bin/env bash
# Create the virtual environment and install everything vlrkit and its tests need.
# As root it also installs the Debian packages (fonts, PDF tools, Chromium, PostgreSQL);
# otherwise it lists them for you to install with sudo.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}

DEBIAN_PACKAGES=(
  fonts-noto-cjk        # CJK glyphs for PDF, DOCX previews and charts
  fonts-dejavu-core     # the ⟦ ⟧ marks of unresolved figure references, and other symbols Noto CJK lacks
  poppler-utils         # pdftotext, pdffonts, pdftoppm: report tests
  chromium              # headless browser tests (/usr/bin/chromium)
  postgresql            # the PostgreSQL run of the test suite
  python3-venv
)

missing=()
for p in "${DEBIAN_PACKAGES[@]%% *}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: not root; please install these Debian packages first:" >&2
    echo "  sudo apt-get install ${missing[*]}" >&2
    echo "setup: continuing; tests that need them will fail until they are installed." >&2
  fi
fi

if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --upgrade pip
"$VENV/bin/python" -m pip install -q -e ".[test]"
echo "setup: environment ready in $VENV"
