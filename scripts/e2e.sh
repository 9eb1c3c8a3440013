#!/usr/bin/env bash
# The end-to-end suite under a private X server and D-Bus session, its output kept in LOG.
#
# WebKitWebDriver, the WebDriver server WebKitGTK ships, now and then segfaults in the middle of a
# test (the kernel log says "WebKitWebDriver[…]: segfault at 48"; twice in a day of runs here). The
# test then fails with its driver's socket closed (UND_ERR_SOCKET), through no fault of the app. A test
# file that failed only so is run once more, and the summary says so; any other failure fails the suite.
set -euo pipefail
log="$1"
rerun_log="${log%.log}-rerun.log"
rm -f "$rerun_log"

suite() {
  xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- env RELMAN_E2E_PRIVATE_BUS=1 \
    node --test --test-concurrency=1 "$@"
}

if suite tests/e2e/ 2>&1 | tee "$log"; then
  exit 0
fi

# The files of the failed tests, if every failure is the driver's connection dying; else nothing.
files=$(python3 - "$log" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
blocks = re.findall(r"^not ok \d+ - .*?\n(.*?)\n  \.\.\.", text, re.S | re.M)
files = set()
for block in blocks:
    location = re.search(r"location: '([^':]+\.mjs)", block)
    if "UND_ERR_SOCKET" not in block or not location:
        sys.exit(0)
    files.add(location.group(1))
print("\n".join(sorted(files)))
PY
)
if [ -z "$files" ]; then
  exit 1
fi
echo "WebKitWebDriver's connection died during: $(echo "$files" | xargs -n1 basename | tr '\n' ' ')— running them once more." | tee "$rerun_log"
# shellcheck disable=SC2086
suite $files 2>&1 | tee -a "$rerun_log"
