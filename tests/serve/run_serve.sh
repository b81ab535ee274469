#!/usr/bin/env bash
# `tandem serve` and `tandem new` as a comms officer runs them: the real binary on a copy of the
# example, on 127.0.0.1 only, with curl as the browser. Every wait is bounded.
set -u
tandem=$(realpath "$1")
source_dir=$(realpath "${2:-.}")
work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT
passed=0
failed=0
check() {
  if eval "$2"; then echo "ok   $1"; passed=$((passed + 1)); else echo "FAIL $1"; failed=$((failed + 1)); fi
}
# Waits up to $2 seconds (in tenths) for the command $1 to succeed.
wait_for() {
  local tries=$(($2 * 10))
  while [ $tries -gt 0 ]; do
    eval "$1" && return 0
    sleep 0.1
    tries=$((tries - 1))
  done
  return 1
}
get() { curl -s --max-time 5 --path-as-is "$@"; }
# page_has PATH TEXT: the page at PATH holds TEXT (a grep pattern).
page_has() { get "$base$1" | grep -q "$2"; }
status() { curl -s --max-time 5 --path-as-is -o /dev/null -w '%{http_code}' "$@"; }

site="$work/site"
mkdir -p "$site"
cp -r "$source_dir/content" "$site/content"

# Starts the server on a free port (the system's ephemeral ports are tried at random).
start_server() {
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    port=$((20000 + RANDOM % 20000))
    timeout 120 "$tandem" serve --site "$site" --port "$port" "$@" >"$work/serve.out" 2>"$work/serve.err" &
    server_pid=$!
    if wait_for 'grep -q "^Previewing" "$work/serve.out"' 30; then return 0; fi
    wait "$server_pid" 2>/dev/null
    server_pid=""
    grep -q "cannot listen" "$work/serve.err" || break
  done
  cat "$work/serve.out" "$work/serve.err"
  return 1
}

check "serve starts and prints its address" 'start_server'
base="http://127.0.0.1:$port"
check "the address is 127.0.0.1 and each edition's is listed" \
  'grep -q "^Previewing .* at $base/$" "$work/serve.out" && grep -q "$base/young/$" "$work/serve.out"'
check "home pages of both editions answer" '[ "$(status "$base/")" = 200 ] && [ "$(status "$base/young/")" = 200 ]'
get "$base/our-promise/" >"$work/page.html"
check "a preview page has the reload script before </body>" \
  'grep -q "<script src=\"/_tandem/reload.js\" data-version=\"1\"></script>" "$work/page.html"'
check "the reload script is served" '[ "$(status "$base/_tandem/reload.js")" = 200 ]'
check "the stylesheet has its Content-Type" \
  'curl -s --max-time 5 -o /dev/null -w "%{content_type}" "$base/assets/council/style.css" | grep -q "^text/css"'
echo "TOP-SECRET" >"$work/secret.txt"
for target in "/../secret.txt" "/%2e%2e/secret.txt" "/..%2fsecret.txt" "/..%2f..%2fsecret.txt" \
  "/young/../../secret.txt" "$work/secret.txt" "/content/pages/06-our-promise.md"; do
  check "traversal $target is 404 without the file" \
    '[ "$(status "$base$target")" = 404 ] && ! get "$base$target" | grep -q "TOP-SECRET\|{{ "'
done
check "an unknown page is the site's 404 page" \
  '[ "$(status "$base/no-such-page/")" = 404 ] && get "$base/no-such-page/" | grep -q "Page not found"'
check "POST is refused" '[ "$(status -X POST "$base/")" = 405 ]'

# A save shows after the rebuild; the terminal says what was rebuilt.
echo "This sentence was added by the serve test." >>"$site/content/pages/06-our-promise.md"
check "an edit is served after the save" \
  'wait_for "page_has /our-promise/ \"added by the serve test\"" 10'
check "the rebuild is reported in the terminal" \
  'wait_for "grep -q \"^content/pages/06-our-promise.md changed: built\" $work/serve.out" 5'

# A broken save: the page stays, with the problems panel; fixing it removes the panel.
cp "$site/content/pages/06-our-promise.md" "$work/good.md"
echo "We look after {{ children_in_kare }} children." >>"$site/content/pages/06-our-promise.md"
check "a broken save shows the problems on the page" \
  'wait_for "page_has /young/ tandem-problems" 10'
check "the last good page is still served" 'page_has /our-promise/ "added by the serve test"'
check "the terminal lists the error" 'grep -q "children_in_kare" "$work/serve.out" "$work/serve.err"'
cp "$work/good.md" "$site/content/pages/06-our-promise.md"
check "fixing it removes the panel" 'wait_for "! page_has /young/ tandem-problems" 10'

# The same port twice: the second one says so and exits 3.
timeout 30 "$tandem" serve --site "$site" --port "$port" >"$work/second.out" 2>"$work/second.err"
code=$?
check "a port in use is a system failure (exit 3) with a hint" '[ $code = 3 ] && grep -q -- "--port" "$work/second.err"'

# Ctrl+C stops it cleanly.
kill -INT "$server_pid"
wait_for '! kill -0 "$server_pid" 2>/dev/null' 10
wait "$server_pid"
code=$?
server_pid=""
check "Ctrl+C stops the preview (exit 0)" '[ $code = 0 ] && grep -q "Preview stopped" "$work/serve.out"'

check "another --host is used only when typed, with a warning" \
  '"$tandem" serve --site "$site" --port 1 --host 203.0.113.1 >/dev/null 2>"$work/host.err"; grep -q "other computers" "$work/host.err"'
"$tandem" serve --site "$site" --port 0 >/dev/null 2>&1
check "port 0 is a usage error (exit 2)" '[ $? = 2 ]'

# tandem new, from the command line: the next numbers after the highest in the example.
next_number() { printf '%02d' $((10#$(ls "$site/content/$1" | grep -o '^[0-9]*' | sort -n | tail -1) + 1)); }
page_number=$(next_number pages)
pledge_number=$(next_number pledges)
"$tandem" new page "Staying close" --site "$site" >"$work/new.out" 2>&1
code=$?
check "new page creates a file per edition (exit 0)" \
  '[ $code = 0 ] && grep -q "content/pages/$page_number-staying-close.md$" "$work/new.out" && [ -f "$site/content/pages/$page_number-staying-close.young.md" ]'
"$tandem" new page "staying-close" --site "$site" >"$work/new2.out" 2>&1
code=$?
check "the same name again is refused (exit 1)" '[ $code = 1 ] && grep -q "$page_number-staying-close.md" "$work/new2.out"'
"$tandem" new pledge "Head of libraries" --site "$site" >/dev/null 2>&1
check "new pledge (exit 0)" '[ $? = 0 ] && [ -f "$site/content/pledges/$pledge_number-head-of-libraries.young.md" ]'
"$tandem" new chapter "x" --site "$site" >/dev/null 2>&1
check "an unknown kind is a usage error (exit 2)" '[ $? = 2 ]'
"$tandem" check --site "$site" >"$work/check.out" 2>&1
check "the new files pass tandem check" '[ $? = 0 ]'

# tandem build writes no preview script.
"$tandem" build --site "$site" --out "$work/public" >/dev/null 2>&1
check "tandem build output has no preview script" '[ -f "$work/public/index.html" ] && ! grep -rq "_tandem" "$work/public"'

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
