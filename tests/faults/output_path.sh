#!/usr/bin/env bash
# Output paths that cannot be a site folder: a file, a folder under a file, the site's own
# content folder, a folder of someone's own files. Each is refused (exit 3, or 2 for a usage mistake) and nothing is changed.
script=$(realpath "$0")
set -- "$(realpath "$1")"
cd "$(dirname "$script")/../.." || exit 1
source tests/faults/lib.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
site=tests/invalid/_base

echo "not a folder" >"$work/file"
"$tandem" build --site "$site" --out "$work/file" >/dev/null 2>"$work/stderr"
code=$?
check "output path that is a file: exit 3, the file untouched, the message says it is a file" \
  '[ "$code" = 3 ] && [ "$(cat "$work/file")" = "not a folder" ] && grep -q "is a file" "$work/stderr"'
check "output path that is a file: nothing left beside it" \
  '[ "$(ls -A "$work")" = "$(printf "file\nstderr")" ]'

"$tandem" build --site "$site" --out "$work/file/public" >/dev/null 2>"$work/stderr"
code=$?
check "output path under a file: exit 3 and a message naming the path" \
  '[ "$code" = 3 ] && grep -q "$work/file" "$work/stderr" && [ "$(cat "$work/file")" = "not a folder" ]'

# A symbolic link as the output folder (a common way to publish): the link is replaced by the
# new site or followed, but the folder it points to is never half-written.
mkdir -p "$work/real"
"$tandem" build --site "$site" --out "$work/real/public" >/dev/null 2>&1
ln -s "$work/real/public" "$work/link"
"$tandem" build --site "$site" --out "$work/link" >/dev/null 2>"$work/stderr"
code=$?
check "output path that is a link to a site folder: exit 0 or 3, never a half-written site" \
  '{ [ "$code" = 0 ] || [ "$code" = 3 ]; } && [ -f "$work/real/public/index.html" ] &&
   [ "$(leftovers "$work/real/public")" = 0 ] && [ "$(leftovers "$work/link")" = 0 ]'

# Publishing swaps the output folder away and deletes it: an output folder that is the site
# folder, holds it, or is one of its source folders would delete the writer's own files. Every
# attempt runs on a copy in a sandbox folder, from inside the sandbox.
cp -r "$site" "$work/reference"
box="$work/box"
for out in site site/content site/content/pages site/templates site/themes/mine . "'.' in the site folder"; do
  rm -rf "$box" && mkdir -p "$box" && cp -r "$work/reference" "$box/site"
  if [ "$out" = "'.' in the site folder" ]; then
    (cd "$box/site" && exec "$tandem" build --out . >/dev/null 2>"$work/stderr")
  else
    (cd "$box" && exec "$tandem" build --site "$box/site" --out "$box/$out" >/dev/null 2>"$work/stderr")
  fi
  code=$?
  check "output folder $out (of a site in $box): refused (exit 2) with a message, the site untouched" \
    '[ "$code" = 2 ] && grep -q "would delete your own files" "$work/stderr" &&
     diff -r -q "$work/reference" "$box/site" >/dev/null 2>&1'
done
# A folder that already holds files tandem did not make (no figures.json at its top): refused,
# every file kept. An empty folder, or one tandem published before, is fine.
mkdir -p "$work/documents/letters"
echo "Dear Sam" >"$work/documents/letters/sam.txt"
echo "budget" >"$work/documents/budget.csv"
"$tandem" build --site "$site" --out "$work/documents" >/dev/null 2>"$work/stderr"
code=$?
check "output folder that holds someone's own files: refused (exit 2) naming them, every file kept" \
  '[ "$code" = 2 ] && grep -q "already holds files that tandem did not make (budget.csv and letters, and no figures.json)" "$work/stderr" &&
   [ "$(cat "$work/documents/letters/sam.txt")" = "Dear Sam" ] &&
   [ "$(find "$work/documents" -type f | wc -l)" = 2 ] && [ "$(leftovers "$work/documents")" = 0 ]'
mkdir -p "$work/empty"
"$tandem" build --site "$site" --out "$work/empty" >/dev/null 2>"$work/stderr"
code=$?
check "an empty output folder: builds" '[ "$code" = 0 ] && [ -f "$work/empty/figures.json" ]'
# Files a computer leaves in a folder by itself, hidden in Finder and Explorer, do not count.
mkdir -p "$work/looks-empty"
touch "$work/looks-empty/.DS_Store" "$work/looks-empty/Thumbs.db"
"$tandem" build --site "$site" --out "$work/looks-empty" >/dev/null 2>"$work/stderr"
code=$?
check "an output folder holding only .DS_Store and Thumbs.db: builds" \
  '[ "$code" = 0 ] && [ -f "$work/looks-empty/figures.json" ]'
"$tandem" build --site "$site" --out "$work/empty" >/dev/null 2>"$work/stderr"
code=$?
check "the same folder again, now a tandem site: builds" '[ "$code" = 0 ]'

# The default, public/ inside the site folder, and any other folder of the site stay allowed.
rm -rf "$box" && mkdir -p "$box" && cp -r "$work/reference" "$box/site"
(cd "$box/site" && exec "$tandem" build >/dev/null 2>"$work/stderr")
code=$?
check "the default output folder public/ inside the site folder: builds" \
  '[ "$code" = 0 ] && [ -f "$box/site/public/index.html" ]'
"$tandem" build --site "$box/site" --out "$box/site/site-preview" >/dev/null 2>"$work/stderr"
code=$?
check "another folder of its own inside the site folder: builds" \
  '[ "$code" = 0 ] && [ -f "$box/site/site-preview/index.html" ]'
finish
