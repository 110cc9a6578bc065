#!/bin/sh
# Makes sure Debian's Chromium is installed for the explorer's browser tests.
# Prints the browser's path on success; exits non-zero (with the reason on stderr) when it is
# missing and cannot be installed (not root, no apt-get, or no package source reachable).
# Playwright's own browser download is never used: tests drive this binary with playwright-core.
set -u
for candidate in "${KOTOBA_CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then
    echo "$candidate"
    exit 0
  fi
done
if [ "$(id -u)" != "0" ]; then
  echo "ensure-chromium: /usr/bin/chromium is missing and we are not root, so it cannot be installed (apt-get install chromium)" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: /usr/bin/chromium is missing and there is no apt-get to install it" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# Another apt process (e.g. a parallel test) may hold the lock: apt-get waits for it up to 5 minutes.
if ! apt-get -o DPkg::Lock::Timeout=300 update -qq >&2 || ! apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends chromium >&2; then
  echo "ensure-chromium: apt-get could not install chromium" >&2
  exit 1
fi
if [ -x /usr/bin/chromium ]; then
  echo /usr/bin/chromium
  exit 0
fi
echo "ensure-chromium: apt-get finished but /usr/bin/chromium is still missing" >&2
exit 1
