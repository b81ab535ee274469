#!/usr/bin/env bash
# Seed corpus for the harnesses, from the example site and every fixture site of the tests:
#   OUT/frontmatter, OUT/page   whole Markdown files (pages and pledges)
#   OUT/markdown                their bodies, without the front matter
#   OUT/stats                   every JSON file (stats.json, site.json, glossary.json, theme.json)
# Files are named by their SHA-1, so the same seed is kept once. usage: make_corpus.sh OUT
set -eu
out=$1
cd "$(dirname "$0")/.."
mkdir -p "$out/frontmatter" "$out/page" "$out/markdown" "$out/stats"
add() { # add FOLDER FILE: copies FILE into OUT/FOLDER under its hash
  local hash
  hash=$(sha1sum "$2" | cut -c1-40)
  cp "$2" "$out/$1/$hash"
}
sources() { find content tests/sites tests/invalid themes -type f -name "$1" 2>/dev/null | sort; }
while read -r md; do
  add frontmatter "$md"
  add page "$md"
  body=$(mktemp)
  # The body: everything after the second '---' line (or the whole file if there is none).
  awk 'seen >= 2 { print; next } /^---[ \t]*$/ { seen++; next } NR == 1 { seen = 2; print }' "$md" >"$body"
  [ -s "$body" ] && add markdown "$body"
  rm -f "$body"
done < <(sources '*.md')
while read -r json; do add stats "$json"; done < <(sources '*.json')
for h in frontmatter page markdown stats; do
  echo "seeds for $h: $(find "$out/$h" -type f | wc -l)"
done
