#!/usr/bin/env bash
# Every tests/invalid/<case>/ is a site that must fail: the valid site tests/invalid/_base/ with the
# case's own files laid over it (and the paths listed in the case's file `remove` deleted).
# The case's file `expect` says how it must fail:
#   exit 1                                          the exit code of `tandem build`
#   error content/pages/01-a.md:3:15 figure.unknown   a diagnostic that must be printed
#   warning content/site.json:4:3 site.unknown_key
#   says some words                                 text that must appear in the output
# The build publishes over an existing site, which must come out exactly as it was.
set -u
tandem=$(realpath "$1")
passed=0
failed=0
base_out=$(mktemp -d)
if "$tandem" build --site tests/invalid/_base --out "$base_out/public" >/dev/null 2>"$base_out/stderr"; then
  echo "ok   _base (the valid site the cases start from)"
  passed=$((passed + 1))
else
  echo "FAIL _base: the valid base site does not build"
  cat "$base_out/stderr"
  failed=$((failed + 1))
fi
rm -rf "$base_out"
for case in tests/invalid/*/; do
  name=$(basename "$case")
  [ "${name#_}" = "$name" ] || continue
  work=$(mktemp -d)
  site="$work/site"
  mkdir -p "$site"
  cp -r tests/invalid/_base/. "$site/"
  cp -r "$case/." "$site/"
  rm -f "$site/expect" "$site/args" "$site/remove"
  if [ -f "$case/remove" ]; then
    while read -r path; do [ -n "$path" ] && rm -rf "${site:?}/$path"; done <"$case/remove"
  fi
  mkdir -p "$work/public/old"
  echo "previous site" >"$work/public/index.html"
  echo "kept" >"$work/public/old/page.html"
  args=()
  [ -f "$case/args" ] && read -r -a args <"$case/args"
  "$tandem" build --site "$site" --out "$work/public" "${args[@]}" >"$work/stdout" 2>"$work/stderr"
  code=$?
  problems=()
  while read -r kind a b c; do
    case "$kind" in
      exit) [ "$code" = "$a" ] || problems+=("exit code $code, expected $a") ;;
      error | warning)
        # "file:line" accepts any column; "file:line:col" must match exactly.
        pattern="^$(printf '%s' "$a" | sed 's/[.[\*^$]/\\&/g')"
        [[ "$a" =~ :[0-9]+:[0-9]+$ ]] || pattern="$pattern(:[0-9]+)?"
        grep -qE -- "$pattern: $kind: .*\[$b\]$" "$work/stderr" ||
          problems+=("no '$kind' at $a with [$b]") ;;
      says)
        text="$a${b:+ $b}${c:+ $c}"
        grep -qF -- "$text" "$work/stderr" "$work/stdout" || problems+=("does not say '$text'") ;;
      "" | "#"*) ;;
      *) problems+=("unknown line in expect: $kind") ;;
    esac
  done <"$case/expect"
  if [ "$(cat "$work/public/index.html")" != "previous site" ] || [ ! -f "$work/public/old/page.html" ] ||
    [ "$(find "$work/public" -type f | wc -l)" != 2 ]; then
    problems+=("the previously published site was changed")
  fi
  leftovers=$(find "$work" -maxdepth 1 -name '.public.tandem-*' | wc -l)
  [ "$leftovers" = 0 ] || problems+=("temporary folders left beside the output")
  if [ ${#problems[@]} = 0 ]; then
    echo "ok   $name"
    passed=$((passed + 1))
  else
    echo "FAIL $name:"
    printf '       %s\n' "${problems[@]}"
    sed 's/^/       | /' "$work/stderr" | head -n 30
    failed=$((failed + 1))
  fi
  rm -rf "$work"
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
