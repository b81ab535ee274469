#!/usr/bin/env bash
# The benchmark suite (`make bench`): tandem against Hugo on the same synthetic strategy, the
# cmark-gfm floor, the example site, and incremental rebuild latency.
#
#   bench/run.sh TANDEM BENCH_BIN_DIR WORK_DIR
#
# TANDEM is the tandem binary; BENCH_BIN_DIR holds gen_site, cmark_floor and harness (built by
# mk/bench.mk); WORK_DIR gets the generated sites and outputs. Settings from the environment:
#   BENCH_SIZES="1000 10000"  sections per generated site
#   BENCH_RUNS=5              timed runs of each tool per size (after one warm-up run each)
#   BENCH_THEME_SIZES="1000 10000"  sizes also built with the full default theme
#   BENCH_OUT=DIR             where both tools write their sites; by default a folder in the RAM
#                             disk /dev/shm when there is one, else WORK_DIR. On a disk, each run
#                             deletes and creates ~40,000 files and folders, and ext4 without a
#                             journal then skips the inodes deleted in the last seconds one by
#                             one: that kernel time grew run after run and swamped both tools.
set -euo pipefail
tandem=$(realpath "$1")
bin=$(realpath "$2")
work=$(realpath -m "$3")
sizes=${BENCH_SIZES:-1000 10000}
runs=${BENCH_RUNS:-5}
theme_sizes=${BENCH_THEME_SIZES:-1000 10000}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
mkdir -p "$work"
summary="$work/summary.txt"
if [ -n "${BENCH_OUT:-}" ]; then
  out=$(realpath -m "$BENCH_OUT")
  mkdir -p "$out"
elif [ -d /dev/shm ] && [ -w /dev/shm ]; then
  out=$(mktemp -d /dev/shm/tandem-bench.XXXXXX)
  trap 'rm -rf "$out"' EXIT
else
  out="$work"
fi
: >"$summary"

say() { echo "$*" | tee -a "$summary"; }

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Runs a command under /usr/bin/time; appends "wall cpu max_rss_kb" to the file $1.
timed() {
  local into=$1
  shift
  local t
  t=$(mktemp)
  if ! /usr/bin/time -f "%e %U %S %M" -o "$t" "$@" >/dev/null 2>"$t.err"; then
    echo "bench: failed: $*" >&2
    tail -5 "$t.err" >&2
    rm -f "$t" "$t.err"
    return 1
  fi
  awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$t" >>"$into"
  rm -f "$t" "$t.err"
}

column_median() { awk -v c="$2" '{ print $c }' "$1" | median; }

# Reads every file under $1, so that a timed run finds its input in the page cache. On this kind
# of virtual machine the kernel pages out files left untouched for a while (kdamond), and a run
# that read its 20,000 pages back from the disk took 9 s instead of 5.
warm() { find "$1" -type f -exec cat {} + >/dev/null; }

build_tandem() { rm -rf "$2"; "$tandem" build --site "$1" --out "$2"; }
build_hugo() { rm -rf "$2"; hugo --quiet --source "$1" --destination "$2"; }

# Alternates tandem on $1 and Hugo on $2: a warm-up each, then $runs timed runs each.
compare() {
  local name=$1 tandem_site=$2 hugo_site=$3
  local t_times="$work/$name.tandem.times" h_times="$work/$name.hugo.times"
  : >"$t_times"
  : >"$h_times"
  build_tandem "$tandem_site" "$out/out-tandem" >/dev/null 2>&1
  build_hugo "$hugo_site" "$out/out-hugo" >/dev/null 2>&1
  for ((i = 0; i < runs; i++)); do
    rm -rf "$out/out-tandem" "$out/out-hugo"
    warm "$tandem_site"
    timed "$t_times" "$tandem" build --site "$tandem_site" --out "$out/out-tandem"
    warm "$hugo_site"
    timed "$h_times" hugo --quiet --source "$hugo_site" --destination "$out/out-hugo"
  done
  rm -rf "$out/out-tandem" "$out/out-hugo"
  local tw tc tm hw hc hm
  tw=$(column_median "$t_times" 1)
  tc=$(column_median "$t_times" 2)
  tm=$(column_median "$t_times" 3)
  hw=$(column_median "$h_times" 1)
  hc=$(column_median "$h_times" 2)
  hm=$(column_median "$h_times" 3)
  say "$(printf '%-22s tandem: wall %6.2f s  cpu %6.2f s  peak %5d MB | hugo: wall %6.2f s  cpu %6.2f s  peak %5d MB | hugo/tandem wall %5.1fx  memory %5.1fx' \
    "$name" "$tw" "$tc" $((tm / 1024)) "$hw" "$hc" $((hm / 1024)) \
    "$(awk -v a="$hw" -v b="$tw" 'BEGIN { print a / b }')" \
    "$(awk -v a="$hm" -v b="$tm" 'BEGIN { print a / b }')")"
  echo "$tw $tc" >"$work/$name.tandem.median"
}

say "tandem benchmark, $(date -u +%Y-%m-%d), $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg)"
say "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(hugo version | cut -d' ' -f1-2); runs: warm-up + $runs each, medians"
say "sites written to $out ($(df -T "$out" | awk 'NR == 2 { print $2 }')); tandem's allocator: $(case "$(ldd "$tandem")" in *jemalloc*) echo jemalloc ;; *) echo "the C library's malloc" ;; esac)"
say ""

for n in $sizes; do
  site="$work/site-$n"
  "$bin/gen_site" "$n" "$site" >/dev/null
  rm -rf "$site/tandem/templates"
  cp -r "$here/templates" "$site/tandem/templates"
  compare "$n sections" "$site/tandem" "$site/hugo"
  floor=$("$bin/cmark_floor" "$site/tandem/content/pages" 3 | sed 's/.*cpu_seconds=//')
  read -r tw tc <"$work/$n sections.tandem.median"
  say "$(printf '%-22s cmark-gfm floor (1 thread): %.2f s cpu; tandem cpu = %.1fx the floor' \
    "$n sections" "$floor" "$(awk -v a="$tc" -v b="$floor" 'BEGIN { print a / b }')")"
  # The same with the files a generator cannot avoid: each page read, and its HTML written into
  # a folder of its own where both tools write theirs (not the issue's floor: reported beside it).
  floor_files=$("$bin/cmark_floor" "$site/tandem/content/pages" 3 --files "$out/out-floor" |
    sed 's/.*cpu_seconds=//')
  say "$(printf '%-22s cmark-gfm floor with files (1 thread, each page read and written): %.2f s cpu; tandem cpu = %.1fx' \
    "$n sections" "$floor_files" "$(awk -v a="$tc" -v b="$floor_files" 'BEGIN { print a / b }')")"
  "$bin/harness" phases "$site/tandem" | sed "s/^/  $n sections, 1 build: /" | tee -a "$summary"
  for m in $theme_sizes; do
    if [ "$m" = "$n" ]; then
      themed="$work/site-$n-theme"
      rm -rf "$themed"
      mkdir -p "$themed"
      cp -r "$site/tandem/content" "$themed/content"
      compare "$n, default theme" "$themed" "$site/hugo"
    fi
  done
  say ""
done

first=$(echo "$sizes" | awk '{ print $1 }')
last=$(echo "$sizes" | awk '{ print $NF }')
if [ "$first" != "$last" ]; then
  # The smallest and the largest site built in turn, rather than minutes apart as above: this
  # kind of virtual machine runs the same build up to half again slower from one minute to
  # the next, which made the ratio of the medians above swing by more than a tenth.
  for n in "$first" "$last"; do : >"$work/growth-$n.times"; done
  for ((i = 0; i < runs; i++)); do
    for n in "$first" "$last"; do
      rm -rf "$out/out-tandem"
      warm "$work/site-$n/tandem"
      timed "$work/growth-$n.times" "$tandem" build --site "$work/site-$n/tandem" \
        --out "$out/out-tandem"
    done
  done
  rm -rf "$out/out-tandem"
  w1=$(column_median "$work/growth-$first.times" 1)
  c1=$(column_median "$work/growth-$first.times" 2)
  w2=$(column_median "$work/growth-$last.times" 1)
  c2=$(column_median "$work/growth-$last.times" 2)
  say "$(printf 'growth %s -> %s sections (x%s), the two built in turn: wall %.1fx, cpu %.1fx' \
    "$first" "$last" \
    "$(awk -v a="$last" -v b="$first" 'BEGIN { print a / b }')" \
    "$(awk -v a="$w2" -v b="$w1" 'BEGIN { print a / b }')" \
    "$(awk -v a="$c2" -v b="$c1" 'BEGIN { print a / b }')")"
fi

# The example site: wall time of `tandem build` (median of 9), and the build's own figure.
example_times="$work/example.times"
: >"$example_times"
build_tandem "$repo" "$out/out-example" >/dev/null 2>&1
for ((i = 0; i < 9; i++)); do
  rm -rf "$out/out-example"
  timed "$example_times" "$tandem" build --site "$repo" --out "$out/out-example"
done
rm -rf "$out/out-example"
say "$(printf 'example site: wall %.0f ms (median of 9, including process start)' \
  "$(awk -v s="$(column_median "$example_times" 1)" 'BEGIN { print s * 1000 }')")"

# Incremental rebuilds: from the saved file to the rebuilt site in memory, and through the
# preview server (save, inotify, rebuild, HTTP GET of the new page). The edits are made
# to copies, never to the project's own content/.
rm -rf "$work/example"
mkdir -p "$work/example"
cp -r "$repo/content" "$work/example/content"
for target in "example:$work/example" "1000 sections:$work/site-1000/tandem"; do
  name=${target%%:*}
  dir=${target#*:}
  [ -d "$dir/content" ] || continue
  for kind in section title stats; do
    say "$(printf 'rebuild after a %-7s edit, %-13s, in memory: ' "$kind" "$name")$("$bin/harness" rebuild "$dir" "$kind" 9 | grep '^rebuild=' | sed 's/^rebuild=[a-z]* //')"
    say "$(printf 'rebuild after a %-7s edit, %-13s, served:    ' "$kind" "$name")$("$bin/harness" served "$dir" "$kind" 9 | grep '^served=' | sed 's/^served=[a-z]* //')"
  done
done
echo
echo "Summary written to $summary"
