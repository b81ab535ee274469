#!/usr/bin/env bash
# Hostile Markdown: inputs that take Debian's cmark-gfm 0.29.0.gfm.6 (or tandem's own passes)
# seconds to minutes, and the largest inputs each bound of src/limits.cpp still lets through.
# Every case is the site tests/invalid/_base with one file replaced by a generated one, and must
# finish within $HOSTILE_SECONDS (10) seconds without crashing. tests/hostile/cases has one case
# per line, fields separated by tabs:
#   name  where  expect  perl-expression
# where:  page    the body of content/pages/01-about.md (front matter added; body from line 4)
#         young   the body of content/pages/01-about.young.md (the same)
#         pledge  the body of content/pledges/01-hostile.md (role added; the home page lists it)
#         file    the whole of content/pages/01-about.md, front matter included
#         <path>  the whole of that file of the site, e.g. content/data/stats.json
# expect: ok                        builds (exit 0) with no limit.* problem
#         done                      exit 0 or 1, no limit.* problem (other content errors are fine)
#         id[:line][,id[:line]...]  exit 1, and each id reported as an error in that file (line)
# Failing builds must leave the previously published site exactly as it was.
set -u
tandem=$(realpath "$1")
cases=${2:-tests/hostile/cases}
limit=${HOSTILE_SECONDS:-10}
passed=0
failed=0
while IFS=$'\t' read -r name where expect expr; do
  [ -z "$name" ] || [ "${name#\#}" != "$name" ] && continue
  work=$(mktemp -d)
  site="$work/site"
  mkdir -p "$site"
  cp -r tests/invalid/_base/. "$site/"
  case "$where" in
    page | file) file=content/pages/01-about.md ;;
    young) file=content/pages/01-about.young.md ;;
    pledge)
      file=content/pledges/01-hostile.md
      mkdir -p "$site/content/pledges"
      printf '\n{{ pledges }}\n' >>"$site/content/pages/index.md"
      ;;
    */*) file=$where ;;
    *) echo "FAIL $name: unknown place '$where'"; failed=$((failed + 1)); rm -rf "$work"; continue ;;
  esac
  {
    case "$where" in
      page | young) printf -- '---\ntitle: About\n---\n' ;;
      pledge) printf -- '---\nrole: Director\n---\n' ;;
    esac
    perl -e "binmode STDOUT; print(($expr));"
  } >"$site/$file"
  mkdir -p "$work/public"
  echo "previous site" >"$work/public/index.html"
  echo "{}" >"$work/public/figures.json"  # as every site tandem publishes has
  started=$(date +%s%N)
  timeout -s KILL "$limit" "$tandem" build --site "$site" --out "$work/public" >"$work/stdout" 2>"$work/stderr"
  code=$?
  elapsed_ms=$((($(date +%s%N) - started) / 1000000))
  problems=()
  if [ "$code" = 137 ]; then
    problems+=("did not finish within $limit s")
  elif [ "$code" -gt 3 ]; then
    problems+=("crashed (exit $code)")
  fi
  limit_errors=$(grep -cE '\[limit\.[a-z]+\]$' "$work/stderr")
  case "$expect" in
    ok)
      [ "$code" = 0 ] || problems+=("exit $code, expected 0")
      [ "$limit_errors" = 0 ] || problems+=("reported a limit the input is within") ;;
    done)
      [ "$code" = 0 ] || [ "$code" = 1 ] || problems+=("exit $code, expected 0 or 1")
      [ "$limit_errors" = 0 ] || problems+=("reported a limit the input is within") ;;
    *)
      [ "$code" = 1 ] || [ "$code" = 137 ] || problems+=("exit $code, expected 1")
      IFS=',' read -r -a wanted <<<"$expect"
      for want in "${wanted[@]}"; do
        id=${want%%:*}
        line='[0-9]+'
        [ "$id" != "$want" ] && line=${want#*:}
        grep -qE "^$file:$line:[0-9]+: error: .*\[${id//./\\.}\]$" "$work/stderr" ||
          problems+=("no error [$id] at $file:${line/\[0-9\]+/<any line>}")
      done ;;
  esac
  if [ "$code" != 0 ] && [ "$(cat "$work/public/index.html" 2>/dev/null)" != "previous site" ]; then
    problems+=("the previously published site was changed")
  fi
  if [ ${#problems[@]} = 0 ]; then
    printf 'ok   %-34s %6d ms\n' "$name" "$elapsed_ms"
    passed=$((passed + 1))
  else
    printf 'FAIL %-34s %6d ms\n' "$name" "$elapsed_ms"
    printf '       %s\n' "${problems[@]}"
    cut -c1-200 "$work/stderr" | head -n 8 | sed 's/^/       | /'
    failed=$((failed + 1))
  fi
  rm -rf "$work"
done <"$cases"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
