#!/usr/bin/env bash
# The example strategy in content/: builds with --strict, has both editions, and two builds in
# different time zones and locales are byte-identical.
set -u
tandem=$(realpath "$1")
# "Today" for the data.stale check: a fixed date, so the example's 2025 data does not go stale
# in the test when the calendar moves on (2026-01-01).
export SOURCE_DATE_EPOCH=1767225600
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
check() {
  if eval "$2"; then echo "ok   $1"; passed=$((passed + 1)); else echo "FAIL $1"; failed=$((failed + 1)); fi
}
TZ=UTC LC_ALL=C "$tandem" build --site . --out "$work/a" --strict >"$work/out-a" 2>"$work/err-a"
code=$?
cat "$work/err-a"
check "example builds with --strict" '[ $code = 0 ]'
check "summary line printed" 'grep -q "^Built 2 editions, .* pages" "$work/out-a"'
check "formal home page" '[ -f "$work/a/index.html" ]'
check "young home page" '[ -f "$work/a/young/index.html" ]'
check "sitemap, robots, 404, figures.json" '[ -f "$work/a/sitemap.xml" ] && [ -f "$work/a/robots.txt" ] && [ -f "$work/a/404.html" ] && [ -f "$work/a/figures.json" ]'
TZ=Pacific/Kiritimati LC_ALL=C.UTF-8 LANG=de_DE.UTF-8 "$tandem" build --site . --out "$work/b" --strict >/dev/null 2>&1
check "byte-identical in another time zone and locale" 'diff -r "$work/a" "$work/b" >/dev/null'
"$tandem" check --site . --strict >"$work/check" 2>&1
check "check --strict passes" 'grep -q "No problems found" "$work/check"'
"$tandem" figures --site . >"$work/figures" 2>&1
check "figures lists each figure with its places" 'grep -q "^children_in_care = 777  (children looked after)" "$work/figures" && grep -q "content/pages/index.md:[0-9]*:[0-9]*  formal  cards  \"777\"" "$work/figures"'
check "figures lists the places of the date too" 'grep -q "^as_of = 14 December 2025  (the date of the figures)" "$work/figures" && grep -q "content/pages/index.md:[0-9]*:[0-9]*  formal  plain  \"14 December 2025\"" "$work/figures"'
"$tandem" frobnicate >/dev/null 2>&1
code=$?
check "an unknown command is a usage error (exit 2)" '[ $code = 2 ]'
"$tandem" biuld >/dev/null 2>"$work/err-cmd"
code=$?
check "a misspelt command names the one meant (exit 2)" '[ $code = 2 ] && grep -q "did you mean .build.?" "$work/err-cmd"'
"$tandem" help >"$work/help" 2>&1
code=$?
check "tandem help lists the commands (exit 0)" '[ $code = 0 ] && grep -q "figures" "$work/help" && grep -q "serve" "$work/help"'
"$tandem" >"$work/help" 2>&1
code=$?
check "tandem alone lists the commands (exit 2)" '[ $code = 2 ] && grep -q "build" "$work/help"'
cp -r content "$work/new-site-content" && mkdir -p "$work/new-site" && mv "$work/new-site-content" "$work/new-site/content"
"$tandem" new page Staying close --site "$work/new-site" >/dev/null 2>&1
code=$?
check "tandem new takes a name of several words without quotes" '[ $code = 0 ] && ls "$work/new-site/content/pages" | grep -q "^[0-9]*-staying-close.md$"'
"$tandem" new "Staying close" --site "$work/new-site" >/dev/null 2>"$work/err-new"
code=$?
check "tandem new without page or pledge says to write it (exit 2)" '[ $code = 2 ] && grep -q "tandem new page \"Staying close\"" "$work/err-new"'
"$tandem" build --site "$work/no-such-folder" >/dev/null 2>&1
code=$?
check "a missing site folder is a usage error (exit 2)" '[ $code = 2 ]'
echo "not a folder" >"$work/file"
"$tandem" build --site . --out "$work/file" >/dev/null 2>"$work/err-file"
code=$?
check "an output path that is a file is a system failure (exit 3), file untouched" '[ $code = 3 ] && [ "$(cat "$work/file")" = "not a folder" ] && grep -q "is a file" "$work/err-file"'
mkdir -p "$work/readonly" && chmod 555 "$work/readonly"
if [ "$(id -u)" != 0 ]; then
  "$tandem" build --site . --out "$work/readonly/public" >/dev/null 2>&1
  code=$?
  check "an output folder that cannot be written is a system failure (exit 3)" '[ $code = 3 ]'
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
