# Shared by the fault tests: `check NAME CONDITION`, `skip NAME REASON`, and the summary.
# Each test script sources this from the repository root, with the tandem binary as $1.
set -u
tandem=$(realpath "$1")
passed=0
failed=0
skipped=0
check() {
  if eval "$2"; then
    echo "ok   $1"
    passed=$((passed + 1))
  else
    echo "FAIL $1"
    failed=$((failed + 1))
  fi
}
skip() {
  echo "skip $1: $2"
  skipped=$((skipped + 1))
}
finish() {
  echo "$passed passed, $failed failed, $skipped skipped"
  [ "$failed" = 0 ]
}
# True when two folders hold the same files with the same bytes.
same_tree() { diff -r -q "$1" "$2" >/dev/null 2>&1; }
# Temporary folders a publish of $1 left beside it.
leftovers() { find "$(dirname "$1")" -maxdepth 1 -name ".$(basename "$1").tandem-*" | wc -l; }
