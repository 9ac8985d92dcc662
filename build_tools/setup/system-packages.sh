#!/usr/bin/env bash
# Installs the system programs Clearinfo uses, on Debian or Ubuntu, if any are missing.
# Safe to run again: when everything is there it only checks and exits.
#   chromium, chromium-driver  the real browser the accessibility checks run in
#   espeak-ng                  the speech engine pyttsx3 drives for audio
#   ffmpeg                     encodes and decodes the MP3 files
#   default-jre-headless       Java, for the Nu HTML Checker (vnu.jar) in the accessibility gate
#   libpango-1.0-0 ...         the text layout library WeasyPrint needs for PDFs
#   fonts-dejavu-core          a fallback font so PDFs never lack glyphs
set -euo pipefail

packages=(chromium chromium-driver espeak-ng ffmpeg default-jre-headless libpango-1.0-0 libpangoft2-1.0-0
          libharfbuzz-subset0 fonts-dejavu-core)

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "Clearinfo: this is not a Debian or Ubuntu machine, so I cannot install system packages."
  echo "Install these yourself (names differ between systems): ${packages[*]}"
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Clearinfo: installing system packages: ${missing[*]}"
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
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
