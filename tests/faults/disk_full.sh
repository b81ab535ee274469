#!/usr/bin/env bash
# A full disk while publishing: the build stops with exit 3 and a message naming the problem, the
# previous site is exactly as it was, and no half-written folder is left behind. Two ways: a
# small tmpfs (ENOSPC; needs a private mount namespace, as root) and a file size limit (`ulimit
# -f`, EFBIG), which works anywhere.
script=$(realpath "$0")
set -- "$(realpath "$1")"
cd "$(dirname "$script")/../.." || exit 1
source tests/faults/lib.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r tests/invalid/_base "$work/small"
bash tests/faults/make_big_site.sh "$work/big" 5 12 2 # 12 one-megabyte pictures
bash tests/faults/make_big_site.sh "$work/many" 400 0 3 # 800 pages (14 MB), no pictures
"$tandem" build --site "$work/small" --out "$work/ref" >/dev/null 2>&1
[ -n "${TANDEM_FAULTS_INSIDE:-}" ] || check "the small site builds" '[ -f "$work/ref/index.html" ]'

# Publishes the small site into $1/public, then tries $2 with the rest of the arguments in front.
fill_up() {
  local dir=$1 big=$2 how=$3
  "$tandem" build --site "$work/small" --out "$dir/public" >/dev/null 2>&1
  check "$how: the small site is published first" 'same_tree "$dir/public" "$work/ref"'
  "${@:4}" "$tandem" build --site "$big" --out "$dir/public" >"$work/stdout" 2>"$work/stderr"
  code=$?
  check "$how: publishing the big site fails with exit 3" '[ "$code" = 3 ]'
  check "$how: the message says what went wrong and that nothing was published" \
    'grep -qiE "no space left|file too large" "$work/stderr" && grep -q "Nothing was published" "$work/stderr"'
  check "$how: the previous site is exactly as it was" 'same_tree "$dir/public" "$work/ref"'
  check "$how: no half-written folder is left behind" '[ "$(leftovers "$dir/public")" = 0 ]'
  sed 's/^/       | /' "$work/stderr" | head -n 3
}

# 1. ENOSPC on a tmpfs of 6 MB, mounted in a private mount namespace that ends with this command.
if [ "${TANDEM_FAULTS_INSIDE:-}" = tmpfs ]; then
  mnt="$work/disk"
  mkdir -p "$mnt"
  mount -t tmpfs -o size=6m tmpfs "$mnt"
  fill_up "$mnt" "$work/big" "tmpfs of 6 MB, pictures"
  fill_up "$mnt" "$work/many" "tmpfs of 6 MB, pages"
  umount "$mnt"
  finish
  exit
fi
if [ "$(id -u)" = 0 ] && unshare -m --propagation private true 2>/dev/null &&
  unshare -m --propagation private sh -c 'd=$(mktemp -d) && mount -t tmpfs -o size=1m tmpfs "$d" && umount "$d"; r=$?; rmdir "$d"; exit $r' 2>/dev/null; then
  TANDEM_FAULTS_INSIDE=tmpfs unshare -m --propagation private bash "$script" "$tandem"
  code=$?
  check "the tmpfs test ran in its own mount namespace and passed" '[ "$code" = 0 ]'
else
  skip "full tmpfs" "mounting a tmpfs needs root and a private mount namespace (unshare -m), not available here"
fi

# 2. EFBIG: no file over 512 KB may be written (the pictures are 1 MB). tandem ignores SIGXFSZ
# itself, so the write fails with a message instead of the signal killing it mid-publish.
mkdir -p "$work/limited"
with_file_limit() { (ulimit -f 512; exec "$@"); }
fill_up "$work/limited" "$work/big" "files limited to 512 KB (ulimit -f)" with_file_limit
finish
