#!/usr/bin/env bash
# Writes a large valid site into DIR: tests/invalid/_base plus SECTIONS sections in both editions
# and MEDIA_MB megabytes of pictures, so that a build takes long enough to be interrupted.
# usage: make_big_site.sh DIR [SECTIONS] [MEDIA_MB] [VERSION]
set -eu
dir=$1
sections=${2:-400}
media_mb=${3:-64}
version=${4:-1}
mkdir -p "$dir"
cp -r tests/invalid/_base/. "$dir/"
mkdir -p "$dir/content/media"
for ((i = 1; i <= sections; i++)); do
  n=$(printf '%04d' $((i + 1)))
  for suffix in "" ".young"; do
    {
      printf -- '---\ntitle: Section %d\nsummary: Section %d of the large test site, version %s.\n---\n' "$i" "$i" "$version"
      for ((p = 1; p <= 6; p++)); do
        printf '## Part %d\n\nWe look after {{ children_in_care }} children. About {{ foster_care:in_ten }} live with foster carers. Read [about us](01-about.md).\n\n' "$p"
      done
    } >"$dir/content/pages/$n-section-$i$suffix.md"
  done
done
# Pictures: incompressible bytes, one megabyte each, different in every version.
for ((m = 1; m <= media_mb; m++)); do
  head -c 1048576 /dev/urandom >"$dir/content/media/picture-$m.bin"
done
echo "version $version" >"$dir/content/media/version.txt"
