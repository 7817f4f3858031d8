#!/usr/bin/env bash
# Whole-process compile times for generated trees, dtkit beside dtc in the same run.
# usage: bench/scale.sh [SIZES...]   (default: 10000 100000 1000000)
# dtc is given DTC_TIMEOUT seconds (default 120) per file; it is known to need minutes on
# 100k labelled nodes and to fail on ~10k flat siblings.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
shared=${DTKIT_SHARED:-$here/../shared}
gen="$shared/tools/gen-large-dts.py"
dtkit="$here/bin/dtkit"
timeout_s=${DTC_TIMEOUT:-120}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sizes=${*:-10000 100000 1000000}

measure() { # prints "seconds peak_kib exit"
  /usr/bin/time -f '%e %M %x' -o "$work/t" "$@" >/dev/null 2>"$work/err"
  tail -n 1 "$work/t"
}

printf '%-10s %-8s %10s %10s %10s %10s %8s\n' nodes shape dtkit_s dtkit_MiB dtc_s dtc_MiB ratio
for shape in labelled flat; do
  for n in $sizes; do
    flag=""; [ "$shape" = flat ] && flag="--flat"
    python3 "$gen" "$n" "$work/in.dts" $flag
    read -r ks km kx < <(measure "$dtkit" dtc -q -O dtb -o "$work/k.dtb" "$work/in.dts")
    [ "$kx" = 0 ] || ks="fail($kx)"
    read -r ds dm dx < <(measure timeout "$timeout_s" dtc -q -O dtb -o "$work/d.dtb" "$work/in.dts")
    if [ "$dx" = 0 ]; then
      ratio=$(awk -v a="$ks" -v b="$ds" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "-" }')
      cmp -s "$work/k.dtb" "$work/d.dtb" || ratio="$ratio(DIFF)"
    else
      [ "$dx" = 124 ] && ds=">${timeout_s}" || ds="fail($dx)"
      ratio="-"
    fi
    printf '%-10s %-8s %10s %10s %10s %10s %8s\n' "$n" "$shape" "$ks" "$((km / 1024))" "$ds" "$((dm / 1024))" "$ratio"
  done
done
