#!/usr/bin/env bash
# get / put / overlay against fdtget / fdtput / fdtoverlay, and kdump against the pylibfdt call
# sequence of kexec-tools, on the same inputs in one run. Not a test: run it by hand after
# `mvn -DskipTests package` (needs dtc's tools and python3-libfdt).
#
# Each job is timed three ways:
#   ref      the reference tool, one process per operation (as a shell script or make calls it)
#   dtkit    bin/dtkit, one process per operation (JVM start-up every time)
#   batch    `dtkit batch`, all operations in one JVM
# and for kdump also `pylibfdt 1 proc`: the whole sequence in one python process. Ratios are
# dtkit / reference (<= 1 means dtkit is faster). Outputs are compared byte for byte.
# usage: bench/tools.sh      (DTKIT_SHARED overrides ../shared; N=files for get/put, default 150)
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
shared=${DTKIT_SHARED:-$here/../shared}
corpus="$shared/corpus/linux-arm64"
dtkit="$here/bin/dtkit"
n=${N:-150}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for t in fdtget fdtput fdtoverlay dtc; do
  command -v "$t" >/dev/null || { echo "$t not installed" >&2; exit 2; }
done
/usr/bin/python3 -c 'import libfdt' 2>/dev/null || { echo "python3-libfdt not installed" >&2; exit 2; }

load() { cut -d' ' -f1 /proc/loadavg; }
timed() { # label command... -> prints "wall cpu" and keeps the exit status in $work/rc
  /usr/bin/time -f '%e %U %S' -o "$work/t" "$@" >/dev/null 2>"$work/err"
  echo $? > "$work/rc"
  awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$work/t"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
row() { printf '%-34s %7s %9s %9s %9s %8s %8s\n' "$@"; }
three_ways() { # label ops ref-script dtkit-script batch-file: time each and print a row
  local rs ks bs c
  read -r rs c < <(timed bash "$3")
  read -r ks c < <(timed bash "$4")
  read -r bs c < <(timed "$dtkit" batch "$5")
  row "$1" "$2" "$rs" "$ks" "$bs" "$(ratio "$ks" "$rs")" "$(ratio "$bs" "$rs")"
}

mapfile -t dtbs < <(find "$corpus/expected" -maxdepth 1 -name '*.dtb' | sort | head -n "$n")
echo "== $(date -u +%FT%TZ), $(nproc) cores, load $(load); ${#dtbs[@]} corpus DTBs"
row job ops ref_s dtkit_s batch_s dtkit/r batch/r

# ---- get: one property of every blob (fdtget's default type guessing)
: > "$work/get-ref.sh"; : > "$work/get-dtkit.sh"; : > "$work/get-batch.txt"
for f in "${dtbs[@]}"; do
  printf 'fdtget %q / compatible\n' "$f" >> "$work/get-ref.sh"
  printf '%q get %q / compatible\n' "$dtkit" "$f" >> "$work/get-dtkit.sh"
  printf "get '%s' / compatible\n" "$f" >> "$work/get-batch.txt"
done
bash "$work/get-ref.sh" > "$work/get-ref.out" 2>&1
"$dtkit" batch "$work/get-batch.txt" > "$work/get-batch.out" 2>&1
three_ways "get (fdtget)" "${#dtbs[@]}" "$work/get-ref.sh" "$work/get-dtkit.sh" "$work/get-batch.txt"
cmp -s "$work/get-ref.out" "$work/get-batch.out" && same_get=yes || same_get=NO

# ---- put: set a string on the root of a copy of every blob, in place
mkdir -p "$work/ref" "$work/k1" "$work/kb"
for f in "${dtbs[@]}"; do
  b=$(basename "$f"); cp "$f" "$work/ref/$b"; cp "$f" "$work/k1/$b"; cp "$f" "$work/kb/$b"
done
: > "$work/put-ref.sh"; : > "$work/put-dtkit.sh"; : > "$work/put-batch.txt"
for f in "${dtbs[@]}"; do
  b=$(basename "$f")
  printf 'fdtput -t s %q / model "dtkit bench board"\n' "$work/ref/$b" >> "$work/put-ref.sh"
  printf '%q put -t s %q / model "dtkit bench board"\n' "$dtkit" "$work/k1/$b" >> "$work/put-dtkit.sh"
  printf "put -t s '%s' / model 'dtkit bench board'\n" "$work/kb/$b" >> "$work/put-batch.txt"
done
three_ways "put (fdtput)" "${#dtbs[@]}" "$work/put-ref.sh" "$work/put-dtkit.sh" "$work/put-batch.txt"
same_put=0
for f in "${dtbs[@]}"; do
  b=$(basename "$f")
  cmp -s "$work/ref/$b" "$work/k1/$b" && cmp -s "$work/ref/$b" "$work/kb/$b" && same_put=$((same_put + 1))
done

# ---- overlay: the fixtures' base and overlay (fixups and local fixups), applied N times
ov=$here/fixtures/overlay
dtc -q -@ -O dtb -o "$work/base.dtb" "$ov/base.dts"
dtc -q -@ -O dtb -o "$work/ov.dtbo" "$ov/fixups-and-local.dts"
: > "$work/ov-ref.sh"; : > "$work/ov-dtkit.sh"; : > "$work/ov-batch.txt"
for i in $(seq "${#dtbs[@]}"); do
  printf 'fdtoverlay -i %q -o %q %q\n' "$work/base.dtb" "$work/ref/o$i.dtb" "$work/ov.dtbo" >> "$work/ov-ref.sh"
  printf '%q overlay -i %q -o %q %q\n' "$dtkit" "$work/base.dtb" "$work/k1/o$i.dtb" "$work/ov.dtbo" >> "$work/ov-dtkit.sh"
  printf "overlay -i '%s' -o '%s' '%s'\n" "$work/base.dtb" "$work/kb/o$i.dtb" "$work/ov.dtbo" >> "$work/ov-batch.txt"
done
three_ways "overlay (fdtoverlay)" "${#dtbs[@]}" "$work/ov-ref.sh" "$work/ov-dtkit.sh" "$work/ov-batch.txt"
same_ov=0
for i in $(seq "${#dtbs[@]}"); do
  cmp -s "$work/ref/o$i.dtb" "$work/k1/o$i.dtb" && cmp -s "$work/ref/o$i.dtb" "$work/kb/o$i.dtb" && same_ov=$((same_ov + 1))
done

# ---- kdump: the shared cases with a golden, each run REPEAT times
repeat=${REPEAT:-30}
kd="$shared/kdump"
: > "$work/kd-dtkit.sh"; : > "$work/kd-batch.txt"; : > "$work/kd-py.tsv"
ops=0
while IFS=$'\t' read -r name input iomem elf bootargs seed expect; do
  [ "$name" = case ] && continue
  case "$expect" in refused*) continue ;; esac
  boot=(); [ "$bootargs" != - ] && boot=(--bootargs "$bootargs")
  for i in $(seq "$repeat"); do
    printf '%q kdump --dtb %q --iomem %q --elfcorehdr %q --kaslr-seed %q' "$dtkit" "$kd/$input" "$kd/$iomem" \
      "$elf" "$seed" >> "$work/kd-dtkit.sh"
    [ ${#boot[@]} -gt 0 ] && printf ' --bootargs %q' "$bootargs" >> "$work/kd-dtkit.sh"
    printf ' -o %q\n' "$work/k1/$name-$i.dtb" >> "$work/kd-dtkit.sh"
    printf "kdump --dtb '%s' --iomem '%s' --elfcorehdr %s --kaslr-seed %s" "$kd/$input" "$kd/$iomem" "$elf" "$seed" \
      >> "$work/kd-batch.txt"
    [ ${#boot[@]} -gt 0 ] && printf " --bootargs '%s'" "$bootargs" >> "$work/kd-batch.txt"
    printf " -o '%s'\n" "$work/kb/$name-$i.dtb" >> "$work/kd-batch.txt"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$kd/$input" "$kd/$iomem" "$elf" "$bootargs" "$seed" \
      "$work/ref/$name-$i.dtb" "$kd/$expect" >> "$work/kd-py.tsv"
    ops=$((ops + 1))
  done
done < "$kd/cases.tsv"
cat > "$work/kd.py" <<'EOF'
# The kexec-tools call sequence through pylibfdt (fixtures/kdump/gen-goldens.py's prepare()).
import sys
sys.path.insert(0, sys.argv[1])
import importlib.util
spec = importlib.util.spec_from_file_location("gen", sys.argv[1] + "/gen-goldens.py")
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[2])]
if len(sys.argv) > 3:
    rows = rows[int(sys.argv[3]):int(sys.argv[3]) + 1]
for dtb, iomem, elf, bootargs, seed, out, _ in rows:
    blob = open(dtb, "rb").read()
    regs = gen.iomem_regions(open(iomem).read())
    res = gen.prepare(blob, regs, gen.pair(elf), None if bootargs == "-" else bootargs, None, None, int(seed, 0))
    with open(out, "wb") as f:
        f.write(res)
# Debian's pylibfdt releases None once too often: after some hundred calls the interpreter
# aborts while shutting down ("none_dealloc"). The work is done by then; skip the shutdown.
import os
os._exit(0)
EOF
: > "$work/kd-py1.sh"
for i in $(seq 0 $((ops - 1))); do
  printf '/usr/bin/python3 %q %q %q %d\n' "$work/kd.py" "$here/fixtures/kdump" "$work/kd-py.tsv" "$i" >> "$work/kd-py1.sh"
done
read -r rs rc < <(timed bash "$work/kd-py1.sh")
read -r ps pc < <(timed /usr/bin/python3 "$work/kd.py" "$here/fixtures/kdump" "$work/kd-py.tsv")
read -r ks kc < <(timed bash "$work/kd-dtkit.sh")
read -r bs bc < <(timed "$dtkit" batch "$work/kd-batch.txt")
row "kdump (pylibfdt, 1 proc/op)" "$ops" "$rs" "$ks" "$bs" "$(ratio "$ks" "$rs")" "$(ratio "$bs" "$rs")"
row "kdump (pylibfdt, 1 proc in all)" "$ops" "$ps" "-" "$bs" "-" "$(ratio "$bs" "$ps")"
same_kd=0
while IFS=$'\t' read -r _ _ _ _ _ out golden; do
  b=$(basename "$out")
  cmp -s "$golden" "$out" && cmp -s "$golden" "$work/k1/$b" && cmp -s "$golden" "$work/kb/$b" && same_kd=$((same_kd + 1))
done < "$work/kd-py.tsv"

echo "identical output: get $same_get; put $same_put/${#dtbs[@]}; overlay $same_ov/${#dtbs[@]}; kdump $same_kd/$ops (pylibfdt, dtkit and batch equal to the shared goldens)"
echo "load at the end: $(load)"
