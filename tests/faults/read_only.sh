#!/usr/bin/env bash
# A folder that cannot be written: the output's parent (nowhere to write the new site beside the
# old one) and the output folder itself (it cannot be swapped). The build stops with exit 3, says
# so, and the previous site is exactly as it was. The tests run as root, for whom file modes do
# not stop writes: a read-only bind mount (in a private mount namespace) or, failing that, the
# immutable attribute (chattr +i) makes the folder read-only; without either the test is skipped.
script=$(realpath "$0")
set -- "$(realpath "$1")"
cd "$(dirname "$script")/../.." || exit 1
source tests/faults/lib.sh
work=$(mktemp -d)
cleanup() {
  chattr -R -i "$work" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
site=tests/invalid/_base
"$tandem" build --site "$site" --out "$work/ref" >/dev/null 2>&1

# Makes folder $1 read-only by `how` (bind or immutable); false if this machine cannot.
make_read_only() {
  case "$2" in
    bind) mount --bind "$1" "$1" 2>/dev/null && mount -o remount,bind,ro "$1" 2>/dev/null ;;
    immutable) chattr +i "$1" 2>/dev/null ;;
  esac
}
make_writable() {
  case "$2" in
    bind) umount "$1" ;;
    immutable) chattr -i "$1" ;;
  esac
}

# Builds into $dir/public with folder `which` ("parent" or "output") read-only.
try_read_only() {
  local how=$1 which=$2 dir="$work/$1-$2"
  mkdir -p "$dir"
  "$tandem" build --site "$site" --out "$dir/public" >/dev/null 2>&1
  echo "an old page" >"$dir/public/old.html"
  local target="$dir"
  [ "$which" = output ] && target="$dir/public"
  if ! make_read_only "$target" "$how"; then
    skip "read-only $which folder ($how)" "this machine does not allow it"
    return
  fi
  if touch "$target/probe" 2>/dev/null; then
    rm -f "$target/probe"
    make_writable "$target" "$how"
    skip "read-only $which folder ($how)" "the folder is still writable after making it read-only"
    return
  fi
  "$tandem" build --site "$site" --out "$dir/public" >"$work/stdout" 2>"$work/stderr"
  local code=$?
  make_writable "$target" "$how"
  check "read-only $which folder ($how): exit 3" '[ "$code" = 3 ]'
  check "read-only $which folder ($how): the message names the folder and the reason" \
    'grep -qE "(Read-only file system|Operation not permitted|Permission denied|Device or resource busy)" "$work/stderr" &&
     grep -q "Nothing was published" "$work/stderr"'
  check "read-only $which folder ($how): the previous site is exactly as it was" \
    '[ -f "$dir/public/old.html" ] && rm "$dir/public/old.html" && same_tree "$dir/public" "$work/ref"'
  check "read-only $which folder ($how): nothing is left beside it" '[ "$(leftovers "$dir/public")" = 0 ]'
  sed 's/^/       | /' "$work/stderr" | head -n 2
}

if [ "${TANDEM_FAULTS_INSIDE:-}" = mounts ]; then
  try_read_only bind parent
  try_read_only bind output
  finish
  exit
fi
if [ "$(id -u)" != 0 ]; then
  # Not root: the file mode is enough, and is what a user meets.
  mkdir -p "$work/mode/public"
  cp -r "$work/ref/." "$work/mode/public/"
  chmod 555 "$work/mode"
  "$tandem" build --site "$site" --out "$work/mode/public" >"$work/stdout" 2>"$work/stderr"
  code=$?
  chmod 755 "$work/mode"
  check "read-only parent folder (file mode): exit 3, previous site kept" \
    '[ "$code" = 3 ] && same_tree "$work/mode/public" "$work/ref"'
elif unshare -m --propagation private true 2>/dev/null; then
  TANDEM_FAULTS_INSIDE=mounts unshare -m --propagation private bash "$script" "$tandem"
  code=$?
  check "the bind-mount tests ran in their own mount namespace and passed" '[ "$code" = 0 ]'
else
  skip "read-only bind mounts" "no private mount namespace (unshare -m) here"
fi
if [ "$(id -u)" = 0 ]; then
  try_read_only immutable parent
  try_read_only immutable output
fi
finish
