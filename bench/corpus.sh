#!/usr/bin/env bash
# Compile the 150 corpus boards: dtc run once per file versus one `dtkit batch` over all of
# them, and single-file `dtkit dtc` start-up on one board, in the same run. Prints wall times,
# ratios (dtkit / dtc; <= 1 means dtkit is faster), peak RSS, and how many DTBs are
# byte-identical to dtc's. Not a test: run it by hand after `mvn -DskipTests package`.
# usage: bench/corpus.sh            (DTKIT_SHARED overrides ../shared; RUNS=N single-file runs;
#                                   BATCH_RUNS=N rounds of the whole corpus, default 3)
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
shared=${DTKIT_SHARED:-$here/../shared}
corpus="$shared/corpus/linux-arm64"
dtkit="$here/bin/dtkit"
runs=${RUNS:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/dtc" "$work/dtkit"
load() { cut -d' ' -f1 /proc/loadavg; }

# one dtc line and one batch line per board
: > "$work/dtc.sh"
: > "$work/batch.txt"
n=0
bytes=0
while IFS=$'\t' read -r name source cpp_dirs dtc_dir dtc_exit; do
  [ "$name" = name ] && continue
  src="$corpus/expected/$name.pp.dts"
  printf 'dtc -q -O dtb -b 0 -i %q -o %q %q || true\n' "$corpus/$dtc_dir" "$work/dtc/$name.dtb" "$src" >> "$work/dtc.sh"
  printf "dtc -q -O dtb -b 0 -i '%s' -o '%s' '%s'\n" "$corpus/$dtc_dir" "$work/dtkit/$name.dtb" "$src" >> "$work/batch.txt"
  bytes=$((bytes + $(stat -c %s "$src")))
  n=$((n + 1))
done < "$corpus/manifest.tsv"

l1=$(load)
# BATCH_RUNS rounds, dtc and dtkit alternating; the round with the lowest wall time of each
# tool is reported (other processes only ever add time)
best() { # file "wall rss user sys" -> keeps the line with the lowest wall time in $2
  if [ ! -s "$2" ] || awk -v a="$(cut -d' ' -f1 "$1")" -v b="$(cut -d' ' -f1 "$2")" 'BEGIN { exit !(a < b) }'; then
    cp "$1" "$2"
  fi
}
: > "$work/best.dtc"; : > "$work/best.dtkit"
kx=0
for _ in $(seq "${BATCH_RUNS:-3}"); do
  /usr/bin/time -f '%e %M %U %S' -o "$work/t.dtc" bash "$work/dtc.sh" 2>/dev/null
  best "$work/t.dtc" "$work/best.dtc"
  /usr/bin/time -f '%e %M %U %S' -o "$work/t.dtkit" "$dtkit" batch "$work/batch.txt" 2>"$work/batch.err" >/dev/null
  kx=$(( kx | $? ))
  best "$work/t.dtkit" "$work/best.dtkit"
done
read -r dtc_s dtc_kib du ds < "$work/best.dtc"
read -r k_s k_kib ku ks < "$work/best.dtkit"
l2=$(load)
same=0
for f in "$work"/dtc/*.dtb; do
  cmp -s "$f" "$work/dtkit/$(basename "$f")" && same=$((same + 1))
done
mb=$(echo "$bytes / 1000000" | bc -l)
printf '== corpus compile: %d boards, %.1f MB preprocessed source, best of %s rounds, load %s -> %s\n' "$n" "$mb" "${BATCH_RUNS:-3}" "$l1" "$l2"
printf '%-30s %8s %8s %9s %8s\n' tool wall_s cpu_s peak_MiB MB/s
printf '%-30s %8s %8.2f %9s %8.1f\n' "dtc, once per file" "$dtc_s" "$(echo "$du + $ds" | bc -l)" "-" "$(echo "$mb / $dtc_s" | bc -l)"
printf '%-30s %8s %8.2f %9d %8.1f\n' "dtkit batch (exit $kx)" "$k_s" "$(echo "$ku + $ks" | bc -l)" $((k_kib / 1024)) "$(echo "$mb / $k_s" | bc -l)"
printf 'ratio dtkit/dtc: %.2f   identical DTBs: %d/%d\n' "$(echo "$k_s / $dtc_s" | bc -l)" "$same" "$n"

# single-file start-up: one board, RUNS times each, minimum and median wall time
board=arm64__arm__juno
args=(-q -O dtb -b 0 -i "$corpus/src/arm64/arm" "$corpus/expected/$board.pp.dts")
stats() { sort -n | awk '{a[NR]=$1} END{printf "%.4f %.4f", a[1], a[int((NR+1)/2)]}'; }
one() { # command... -> "min med" wall seconds
  for _ in $(seq "$runs"); do
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s%N)
    echo "$(( (t1 - t0) / 1000 ))" | awk '{ printf "%.4f\n", $1 / 1e6 }'
  done | stats
}
l1=$(load)
read -r dmin dmed < <(one dtc "${args[@]}" -o "$work/one-dtc.dtb")
read -r kmin kmed < <(one "$dtkit" dtc "${args[@]}" -o "$work/one-dtkit.dtb")
read -r nmin nmed < <(DTKIT_CDS=0 one "$dtkit" dtc "${args[@]}" -o "$work/one-nocds.dtb")
l2=$(load)
printf '== single file: %s, %d runs each, load %s -> %s\n' "$board" "$runs" "$l1" "$l2"
printf '%-30s %8s %8s\n' tool min_s median_s
printf '%-30s %8s %8s\n' "dtc" "$dmin" "$dmed"
printf '%-30s %8s %8s\n' "bin/dtkit dtc (AppCDS)" "$kmin" "$kmed"
printf '%-30s %8s %8s\n' "bin/dtkit dtc (no archive)" "$nmin" "$nmed"
cmp -s "$work/one-dtc.dtb" "$work/one-dtkit.dtb" && echo "single-file output identical to dtc" || echo "single-file output DIFFERS from dtc"
