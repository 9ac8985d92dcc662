#!/usr/bin/env bash
# Installs the system programs Clearinfo uses, on Debian or Ubuntu, if any are missing.
# Safe to run again: when everything is there it only checks and exits. It says what it does in
# one line; apt-get's own output goes to .cache/setup.log (build_tools/setup/step.sh).
#   chromium, chromium-driver  the real browser the accessibility checks run in
#   espeak-ng                  the speech engine pyttsx3 drives for audio
#   ffmpeg                     encodes and decodes the MP3 files
#   default-jre-headless       Java, for the Nu HTML Checker (vnu.jar) in the accessibility gate
#   libpango-1.0-0 ...         the text layout library WeasyPrint needs for PDFs
#   fonts-dejavu-core          a fallback font so PDFs never lack glyphs
set -euo pipefail

packages=(chromium chromium-driver espeak-ng ffmpeg default-jre-headless libpango-1.0-0 libpangoft2-1.0-0
          libharfbuzz-subset0 fonts-dejavu-core)

step="$(dirname "$0")/step.sh"

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "Checking the system packages ... this is not Debian or Ubuntu, so I cannot install them."
  echo "    Install these yourself (names differ between systems): ${packages[*]}"
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "Checking the Debian packages ... all there"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
  else
    echo "Clearinfo: I need to install ${missing[*]} but I am not root and there is no sudo."
    echo "Ask someone with admin rights to run: apt-get install ${missing[*]}"
    exit 2
  fi
fi
# sudo may ask for a password here, before the step (whose output goes to the log) starts.
if [ -n "$sudo" ]; then
  sudo -v || exit 2
fi
bash "$step" "Installing the Debian packages ${missing[*]}" bash -c \
  '$1 apt-get update -qq && $1 env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${@:2}"' \
  apt "$sudo" "${missing[@]}"
