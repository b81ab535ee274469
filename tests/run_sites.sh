#!/usr/bin/env bash
# Builds every fixture site tests/sites/<case>/ and compares the output with <case>/expected/.
# Theme assets (assets/) are left out of the comparison: they are the designs, not the engine.
# Set UPDATE_EXPECTED=1 to rewrite the expected files from the current output (then review the diff).
set -u
tandem=$(realpath "$1")
passed=0
failed=0
for case in tests/sites/*/; do
  name=$(basename "$case")
  work=$(mktemp -d)
  if ! "$tandem" build --site "$case" --out "$work/public" >"$work/stdout" 2>"$work/stderr"; then
    echo "FAIL $name: build failed"; cat "$work/stderr"; failed=$((failed + 1)); rm -rf "$work"; continue
  fi
  rm -rf "$work/public/assets"
  if [ "${UPDATE_EXPECTED:-}" = 1 ]; then
    rm -rf "$case/expected" && cp -r "$work/public" "$case/expected"
    echo "updated $name"
    passed=$((passed + 1))
  elif diff -r "$case/expected" "$work/public" >"$work/diff"; then
    echo "ok   $name"
    passed=$((passed + 1))
  else
    echo "FAIL $name: output differs from $case/expected (UPDATE_EXPECTED=1 rewrites it)"
    head -n 60 "$work/diff"
    failed=$((failed + 1))
  fi
  rm -rf "$work"
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
