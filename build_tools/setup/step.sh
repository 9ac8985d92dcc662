#!/usr/bin/env bash
# Runs one set-up step and says so in one line; what the step itself prints goes to the log.
#   build_tools/setup/step.sh "Installing the Python packages into .venv" COMMAND [ARGS...]
# prints
#   Installing the Python packages into .venv (log: .cache/setup.log) ... done
# If the step fails, it says "failed", prints the step's last 40 lines from the log, and exits
# with the step's own exit code, so make stops there.
# CLEARINFO_SETUP_LOG names another log file.
set -uo pipefail

what=$1
shift
log=${CLEARINFO_SETUP_LOG:-.cache/setup.log}
mkdir -p "$(dirname "$log")"
# Keep the log small: when it passes 5 MB, the old one becomes setup.log.old.
if [ -f "$log" ] && [ "$(wc -c <"$log")" -gt 5000000 ]; then
  mv -f "$log" "$log.old"
fi

start=0
[ -f "$log" ] && start=$(wc -c <"$log")
printf '%s (log: %s) ... ' "$what" "$log"
{
  echo
  echo "=== $(date '+%Y-%m-%d %H:%M:%S') $what"
  echo "\$ $*"
} >>"$log"

"$@" </dev/null >>"$log" 2>&1
code=$?
if [ "$code" -eq 0 ]; then
  echo "done"
  exit 0
fi
echo "failed (exit code $code). The end of $log:"
tail -c +"$((start + 1))" "$log" | tail -n 40 | sed 's/^/    /'
exit "$code"
