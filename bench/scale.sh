#!/usr/bin/env bash
# Whole-process times for generated trees, dtkit beside dtc in the same run:
#  - compile DTS -> DTB at each size, labelled and --flat (../shared/tools/gen-large-dts.py);
#  - on the largest labelled DTB: decompile DTB -> DTS, and DTB read + write (-I dtb -O dtb).
# Prints wall seconds, peak RSS, throughput (MB/s of input, nodes/s), the ratio dtkit/dtc
# (<= 1 means dtkit is faster) and dtkit's growth from the smallest to the largest size.
# dtc gets DTC_TIMEOUT seconds (default 120) per run: it needs minutes on 100k labelled nodes
# and fails on ~10k flat siblings; dtkit gets DTKIT_TIMEOUT (default 900). Not a test: run by hand after `mvn -DskipTests package`.
# usage: bench/scale.sh [SIZES...]   (default: 10000 100000 1000000)
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
shared=${DTKIT_SHARED:-$here/../shared}
gen="$shared/tools/gen-large-dts.py"
dtkit="$here/bin/dtkit"
timeout_s=${DTC_TIMEOUT:-120}
ktimeout_s=${DTKIT_TIMEOUT:-900}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sizes=${*:-10000 100000 1000000}

load() { cut -d' ' -f1 /proc/loadavg; }
measure() { # command... -> "seconds peak_kib exit cpu_seconds"
  /usr/bin/time -f '%e %M %x %U %S' -o "$work/t" "$@" >/dev/null 2>"$work/err"
  tail -n 1 "$work/t" | awk '{ printf "%s %s %s %.2f\n", $1, $2, $3, $4 + $5 }'
}
rate() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a ~ /^[0-9.]+$/) printf "%.3f", a / b; else print "-" }'; }

row() { # label n mb ks km kx ds dm dx same kcpu
  local label=$1 n=$2 mb=$3 ks=$4 km=$5 kx=$6 ds=$7 dm=$8 dx=$9 same=${10} kcpu=${11}
  local kshow=$ks dshow=$ds r="-"
  if [ "$kx" = 124 ]; then kshow=">$ktimeout_s"; elif [ "$kx" != 0 ]; then kshow="fail($kx)"; fi
  if [ "$dx" = 0 ]; then
    r=$(ratio "$ks" "$ds")
    [ "$same" = 1 ] || r="$r(DIFF)"
  elif [ "$dx" = 124 ]; then dshow=">$timeout_s"
  else dshow="fail($dx)"
  fi
  printf '%-22s %8s %7s %9s %9s %9s %10s %9s %8s %9s %8s %5s\n' "$label" "$n" "$mb" "$kshow" "$kcpu" "$((km / 1024))" \
    "$(rate "$n" "$ks")" "$(rate "$mb" "$ks")" "$dshow" "$((dm / 1024))" "$r" "$(load)"
}

header() {
  printf '%-22s %8s %7s %9s %9s %9s %10s %9s %8s %9s %8s %5s\n' run nodes MB dtkit_s dtkit_cpu dtkit_MiB nodes/s MB/s dtc_s dtc_MiB ratio load
}

echo "== compile DTS -> DTB (bin/dtkit switches to C2 + ParallelGC for inputs over 4 MiB)"
header
declare -A first last
for shape in labelled flat; do
  for n in $sizes; do
    flag=""; [ "$shape" = flat ] && flag="--flat"
    python3 "$gen" "$n" "$work/in.dts" $flag
    mb=$(awk -v b="$(stat -c %s "$work/in.dts")" 'BEGIN { printf "%.1f", b / 1e6 }')
    read -r ks km kx kc < <(measure timeout "$ktimeout_s" "$dtkit" dtc -q -O dtb -o "$work/k.dtb" "$work/in.dts")
    read -r ds dm dx dc < <(measure timeout "$timeout_s" dtc -q -O dtb -o "$work/d.dtb" "$work/in.dts")
    same=0; cmp -s "$work/k.dtb" "$work/d.dtb" && same=1
    row "compile $shape" "$n" "$mb" "$ks" "$km" "$kx" "$ds" "$dm" "$dx" "$same" "$kc"
    [ -z "${first[$shape]:-}" ] && first[$shape]=$ks
    last[$shape]=$ks
    if [ "$shape" = labelled ] && [ "$kx" = 0 ]; then
      cp "$work/k.dtb" "$work/big.dtb"; bign=$n
    fi
    rm -f "$work/in.dts" "$work/k.dtb" "$work/d.dtb"
  done
  echo "dtkit $shape growth, smallest -> largest size: $(ratio "${last[$shape]}" "${first[$shape]}")x"
done

if [ -f "$work/big.dtb" ]; then
  mb=$(awk -v b="$(stat -c %s "$work/big.dtb")" 'BEGIN { printf "%.1f", b / 1e6 }')
  echo "== DTB of $bign labelled nodes ($mb MB)"
  header
  read -r ks km kx kc < <(measure "$dtkit" dtc -q -I dtb -O dts -o "$work/k.dts" "$work/big.dtb")
  read -r ds dm dx dc < <(measure timeout "$timeout_s" dtc -q -I dtb -O dts -o "$work/d.dts" "$work/big.dtb")
  same=0; cmp -s "$work/k.dts" "$work/d.dts" && same=1
  row "decompile DTB->DTS" "$bign" "$mb" "$ks" "$km" "$kx" "$ds" "$dm" "$dx" "$same" "$kc"
  rm -f "$work/k.dts" "$work/d.dts"
  read -r ks km kx kc < <(measure "$dtkit" dtc -q -I dtb -O dtb -o "$work/k.dtb" "$work/big.dtb")
  read -r ds dm dx dc < <(measure timeout "$timeout_s" dtc -q -I dtb -O dtb -o "$work/d.dtb" "$work/big.dtb")
  same=0; cmp -s "$work/k.dtb" "$work/d.dtb" && same=1
  row "round trip DTB->DTB" "$bign" "$mb" "$ks" "$km" "$kx" "$ds" "$dm" "$dx" "$same" "$kc"
fi
