#!/usr/bin/env bash
# Checks the .deb `make package` built: unpacks it into a scratch root (as dpkg would install it) and
# checks that a user gets the app, the relman CLI, a desktop entry that starts the app, an icon, and
# binaries whose shared libraries all resolve on this machine. Prints the sizes for docs/BENCHMARKS.md.
set -euo pipefail
dir="${1:?the folder of the built .deb}"
deb="$(ls -t "$dir"/*.deb | head -n 1)"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
dpkg -x "$deb" "$root"
fail() { echo "check-deb: $*" >&2; exit 1; }
app="$root/usr/bin/relman-app"
cli="$root/usr/bin/relman"
[ -x "$app" ] || fail "the app binary /usr/bin/relman-app is missing"
[ -x "$cli" ] || fail "the relman CLI /usr/bin/relman is missing"
desktop="$(ls "$root"/usr/share/applications/*.desktop 2>/dev/null | head -n 1)"
[ -n "$desktop" ] || fail "no desktop entry in /usr/share/applications"
grep -q '^Exec=relman-app' "$desktop" || fail "$(basename "$desktop") does not start relman-app"
icon="$(grep '^Icon=' "$desktop" | cut -d= -f2)"
ls "$root"/usr/share/icons/hicolor/*/apps/"$icon".png >/dev/null 2>&1 || fail "the icon $icon is not in the hicolor theme"
for binary in "$app" "$cli"; do
  missing="$(ldd "$binary" | grep 'not found' || true)"
  [ -z "$missing" ] || fail "$(basename "$binary") needs libraries this machine lacks: $missing"
done
"$cli" --version >/dev/null || fail "the installed relman CLI does not run"
dpkg-deb -I "$deb" | grep -q 'Depends:.*libwebkit2gtk-4.1' || fail "the package does not depend on libwebkit2gtk-4.1"
printf 'check-deb: %s holds the app and the CLI; desktop entry, icon and libraries check out.\n' "$(basename "$deb")"
printf 'sizes: .deb %s bytes, relman-app %s bytes, relman %s bytes\n' "$(stat -c %s "$deb")" "$(stat -c %s "$app")" "$(stat -c %s "$cli")"
