#!/usr/bin/env bash
# Two builds of the same content are byte-identical whatever the time zone, locale, working
# folder, way of naming the site folder (relative or absolute), file order on disk or umask.
script=$(realpath "$0")
set -- "$(realpath "$1")"
cd "$(dirname "$script")/../.." || exit 1
source tests/faults/lib.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$(pwd)
TZ=UTC LC_ALL=C "$tandem" build --site "$root" --out "$work/a" >/dev/null 2>&1
check "the example builds" '[ -f "$work/a/index.html" ]'
# A Turkish locale (where "I" lowercases to a dotless i) when the machine has one.
other_locale=C.UTF-8
locale -a 2>/dev/null | grep -qi '^tr_TR.utf-\?8$' && other_locale=tr_TR.UTF-8
(cd / && TZ=Asia/Kathmandu LANG=$other_locale LC_ALL=$other_locale umask 077 &&
  "$tandem" build --site "${root#/}" --out "$work/b" >/dev/null 2>&1)
check "another time zone, locale ($other_locale), working folder and umask: identical" \
  'same_tree "$work/a" "$work/b"'
# The same content copied file by file in reverse order, so the folder lists in another order.
mkdir -p "$work/copy"
(cd "$root" && find content templates themes -type f 2>/dev/null | sort -r | while read -r f; do
  mkdir -p "$work/copy/$(dirname "$f")" && cp "$f" "$work/copy/$f"
done)
TZ=America/St_Johns LC_ALL=C.UTF-8 "$tandem" build --site "$work/copy" --out "$work/c" >/dev/null 2>&1
check "a copy written in reverse order, in Newfoundland: identical" 'same_tree "$work/a" "$work/c"'
# One thread and many: the same site and the same messages (a site with problems, so that
# there are messages to compare; "in N ms" aside).
for threads in 1 8; do
  TANDEM_THREADS=$threads TZ=UTC LC_ALL=C "$tandem" build --site "$root" --out "$work/t$threads" \
    >/dev/null 2>&1
  TANDEM_THREADS=$threads "$tandem" check --site tests/invalid/every-check-at-once 2>&1 |
    sed -E 's/in [0-9.]+ m?s/in T/' >"$work/messages-$threads.txt"
done
check "one thread and eight: identical sites" 'same_tree "$work/t1" "$work/t8" && same_tree "$work/a" "$work/t1"'
check "one thread and eight: identical messages" \
  '[ -s "$work/messages-1.txt" ] && cmp -s "$work/messages-1.txt" "$work/messages-8.txt"'
finish
