#!/usr/bin/env bash
# Every tests/invalid/<case>/ is a site built from the valid site tests/invalid/_base/ with the
# case's own files laid over it, the paths listed in the case's file `remove` deleted, and then
# the case's `setup` script (if any) run in the site folder, for what git does not keep well:
# byte-order marks, CRLF, NUL bytes, invalid UTF-8, symbolic links.
# The case's file `expect` says how the build must end:
#   exit 1                                          the exit code of `tandem build`
#   error content/pages/01-a.md:3:15 figure.unknown   a diagnostic that must be printed
#   warning content/site.json:4:3 site.unknown_key    ("file" alone: any line or none)
#   no figure.unknown                               an id that must NOT be reported
#   says some words                                 text that must appear in the output
#   absent some words                               text no published file may hold
# A case's file `out` gives another output path, relative to the folder that holds the site
# (`setup` can put something in the way there, as ../<path>); `args` adds command-line options.
# The build publishes over an existing site. When it fails (exit other than 0) the old site must
# come out exactly as it was; with `exit 0` the new site must have replaced it completely.
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
  rm -f "$site/expect" "$site/args" "$site/remove" "$site/setup" "$site/out"
  if [ -f "$case/remove" ]; then
    while read -r path; do [ -n "$path" ] && rm -rf "${site:?}/$path"; done <"$case/remove"
  fi
  if [ -f "$case/setup" ]; then
    setup=$(realpath "$case/setup")
    (cd "$site" && bash "$setup") || echo "     ($name: its setup script failed)"
  fi
  mkdir -p "$work/public/old"
  echo "previous site" >"$work/public/index.html"
  echo "{}" >"$work/public/figures.json"  # as every site tandem publishes has
  echo "kept" >"$work/public/old/page.html"
  args=()
  [ -f "$case/args" ] && read -r -a args <"$case/args"
  out="$work/public"
  [ -f "$case/out" ] && out="$work/$(cat "$case/out")"
  # A hang is a failure too: no case may take more than a minute.
  timeout -s KILL 60 "$tandem" build --site "$site" --out "$out" "${args[@]}" \
    >"$work/stdout" 2>"$work/stderr"
  code=$?
  problems=()
  expected_code=1
  while read -r kind a b c; do
    case "$kind" in
      exit)
        expected_code=$a
        [ "$code" = "$a" ] || problems+=("exit code $code, expected $a") ;;
      no)
        ! grep -qF -- "[$a]" "$work/stderr" || problems+=("reports [$a], which it must not") ;;
      error | warning)
        # "file:line" accepts any column; "file:line:col" must match exactly.
        pattern="^$(printf '%s' "$a" | sed 's/[.[\*^$]/\\&/g')"
        [[ "$a" =~ :[0-9]+:[0-9]+$ ]] || pattern="$pattern(:[0-9]+)?"
        grep -qE -- "$pattern: $kind: .*\[$b\]$" "$work/stderr" ||
          problems+=("no '$kind' at $a with [$b]") ;;
      says)
        text="$a${b:+ $b}${c:+ $c}"
        grep -qF -- "$text" "$work/stderr" "$work/stdout" || problems+=("does not say '$text'") ;;
      absent)
        text="$a${b:+ $b}${c:+ $c}"
        ! grep -rqF -- "$text" "$work/public" || problems+=("published '$text'") ;;
      "" | "#"*) ;;
      *) problems+=("unknown line in expect: $kind") ;;
    esac
  done <"$case/expect"
  if [ "$expected_code" = 0 ]; then
    if [ "$(cat "$work/public/index.html" 2>/dev/null)" = "previous site" ] || [ -e "$work/public/old" ] ||
      [ ! -f "$work/public/young/index.html" ]; then
      problems+=("the new site did not replace the previous one")
    fi
  elif [ "$(cat "$work/public/index.html")" != "previous site" ] || [ ! -f "$work/public/old/page.html" ] ||
    [ "$(find "$work/public" -type f | wc -l)" != 3 ]; then
    problems+=("the previously published site was changed")
  fi
  [ "$code" -le 3 ] || problems+=("crashed (exit code $code)")
  leftovers=$(find "$work" "$(dirname "$out")" -maxdepth 1 -name '.*.tandem-*' 2>/dev/null | wc -l)
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
