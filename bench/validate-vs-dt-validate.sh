#!/usr/bin/env bash
# Times dt-validate and `dtkit validate` on the same DTBs with the chosen schema, in one run, and
# prints the ratios (issue 5). Not a test: run it by hand (needs dt-validate and a built jar).
#   bench/validate-vs-dt-validate.sh [DTB_DIR]
# Environment:
#   RUNS=N      runs of each timed command; the minimum is reported (default 3)
#   PER_FILE=N  time dt-validate once per file on N files spread over the set and extrapolate
#               to all of them (default: every file, nothing extrapolated)
# Timed, each as a whole process, wall and CPU (user + system, children included):
#   - dt-validate over all files in one process;
#   - dt-validate once per file, as the kernel's `make dtbs_check` runs it;
#   - bin/dtkit validate (the launcher, with its class-data-sharing archive) over all files,
#     with dt-validate's (Debian) schema folder, then with dtkit's bundled schema;
#   - the same with the folder given instead of the file list (the launcher looks at each
#     argument, so the difference is the launcher's own cost per argument);
#   - both on the first file alone, giving the cost of each further file in one process
#     ((all - one) / (n - 1)), which leaves out start-up and schema loading.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$here/../shared/corpus/linux-arm64/expected}
runs=${RUNS:-3}
jar=$here/target/dtkit.jar
[ -f "$jar" ] || (cd "$here" && mvn -q -o -DskipTests package)
command -v dt-validate >/dev/null || { echo "dt-validate not installed" >&2; exit 2; }
py=$(head -1 "$(command -v dt-validate)" | sed 's/^#!//; s/ .*//')
schemas=$("$py" -c 'import dtschema, os; print(os.path.join(os.path.dirname(dtschema.__file__), "schemas"))')
mapfile -t files < <(find "$dir" -maxdepth 1 -name '*.dtb' | sort)
n=${#files[@]}
[ "$n" -gt 0 ] || { echo "no DTB in $dir" >&2; exit 2; }
per_file=${PER_FILE:-$n}
[ "$per_file" -gt "$n" ] && per_file=$n
[ "$per_file" -lt 1 ] && per_file=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "inputs: $n DTBs from $dir"
echo "schemas: $schemas; runs: $runs (minimum reported); $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"

# best_of NAME CMD...: runs CMD $runs times, keeps the minimum wall and CPU seconds in
# $tmp/NAME.wall and $tmp/NAME.cpu (each minimum taken on its own)
best_of() {
    local name=$1
    shift
    local w c
    for ((i = 0; i < runs; i++)); do
        /usr/bin/time -o "$tmp/t" -f '%e %U %S' "$@" >/dev/null 2>"$tmp/err" || true
        read -r w u s < <(tail -1 "$tmp/t")
        c=$(echo "$u + $s" | bc -l)
        if [ ! -f "$tmp/$name.wall" ] || [ "$(echo "$w < $(cat "$tmp/$name.wall")" | bc -l)" = 1 ]; then
            echo "$w" >"$tmp/$name.wall"
            cp "$tmp/err" "$tmp/$name.err"
        fi
        if [ ! -f "$tmp/$name.cpu" ] || [ "$(echo "$c < $(cat "$tmp/$name.cpu")" | bc -l)" = 1 ]; then
            echo "$c" >"$tmp/$name.cpu"
        fi
    done
}

best_of ref_all dt-validate -l chosen "${files[@]}"
# one file alone: what a process costs before its first file (start-up, schemas) is about the
# same, so (all - one) / (n - 1) is the cost of each further file
best_of ref_one dt-validate -l chosen "${files[0]}"

# an even spread of the files for the per-file timing
sample=()
for ((i = 0; i < per_file; i++)); do
    sample+=("${files[$((i * n / per_file))]}")
done
per_file_loop() {
    for f in "$@"; do
        dt-validate -l chosen "$f" >/dev/null 2>&1 || true
    done
}
export -f per_file_loop
best_of ref_each bash -c 'per_file_loop "$@"' _ "${sample[@]}"
scale=$(echo "$n / $per_file" | bc -l)
echo "$(echo "$(cat "$tmp/ref_each.wall") * $scale" | bc -l)" >"$tmp/ref_each.wall"
echo "$(echo "$(cat "$tmp/ref_each.cpu") * $scale" | bc -l)" >"$tmp/ref_each.cpu"

dtkit=$here/bin/dtkit
best_of deb "$dtkit" validate --schemas "$schemas" --limit chosen --no-progress --timing "${files[@]}"
best_of bundled "$dtkit" validate --limit chosen --no-progress "${files[@]}"
best_of deb_dir "$dtkit" validate --schemas "$schemas" --limit chosen --no-progress "$dir"
best_of deb_one "$dtkit" validate --schemas "$schemas" --limit chosen --no-progress "${files[0]}"
# the validation phase once the JIT has warmed up (as in a long-running service)
"$dtkit" validate --schemas "$schemas" --limit chosen --no-progress --timing --repeat 20 "$dir" \
    >/dev/null 2>"$tmp/warm.err" || true

load=$(sed -n 's/timing: schemas \([0-9.]*\) ms.*/\1/p' "$tmp/deb.err")
inproc=$(sed -n 's/.*files \([0-9.]*\) ms.*/\1/p' "$tmp/deb.err")
warm=$(sed -n 's/.*files \([0-9.]*\) ms.*/\1/p' "$tmp/warm.err")
v() { cat "$tmp/$1.$2"; }
ratio() { echo "$1 / $2" | bc -l; }

if [ "$per_file" -lt "$n" ]; then
    each_label="dt-validate once per file (extrapolated from $per_file of $n)"
else
    each_label="dt-validate once per file ($n processes)"
fi
printf '%-58s %8s %8s\n' "" "wall s" "CPU s"
printf '%-58s %8.3f %8.3f\n' "dt-validate -l chosen, all files in one process" "$(v ref_all wall)" "$(v ref_all cpu)"
printf '%-58s %8.3f %8.3f\n' "$each_label" "$(v ref_each wall)" "$(v ref_each cpu)"
for k in deb bundled deb_dir; do
    case $k in
        deb) label="bin/dtkit validate, Debian schemas, --limit chosen" ;;
        bundled) label="bin/dtkit validate, bundled schema, --limit chosen" ;;
        deb_dir) label="bin/dtkit validate, Debian schemas, folder argument" ;;
    esac
    printf '%-58s %8.3f %8.3f   x%-6.1f vs one process, x%-6.1f vs per file (wall)\n' "$label" \
        "$(v $k wall)" "$(v $k cpu)" "$(ratio "$(v ref_all wall)" "$(v $k wall)")" \
        "$(ratio "$(v ref_each wall)" "$(v $k wall)")"
    printf '%-58s %8s %8s   x%-6.1f vs one process, x%-6.1f vs per file (CPU)\n' "" "" "" \
        "$(ratio "$(v ref_all cpu)" "$(v $k cpu)")" "$(ratio "$(v ref_each cpu)" "$(v $k cpu)")"
done
if [ -n "$load" ] && [ -n "$inproc" ]; then
    printf '%-58s %8.3f\n' "   in dtkit: loading the Debian schemas (beside reading)" "$(echo "$load / 1000" | bc -l)"
    printf '%-58s %8.3f\n' "   in dtkit: validating the files after that" "$(echo "$inproc / 1000" | bc -l)"
fi
if [ -n "$warm" ]; then
    printf '%-58s %8.3f   x%.1f vs one process\n' "   in dtkit: validating, steady state (20th pass)" \
        "$(echo "$warm / 1000" | bc -l)" "$(ratio "$(v ref_all wall)" "$(echo "$warm / 1000" | bc -l)")"
fi
if [ "$n" -gt 1 ]; then
    ref_more=$(echo "($(v ref_all wall) - $(v ref_one wall)) / ($n - 1)" | bc -l)
    deb_more=$(echo "($(v deb wall) - $(v deb_one wall)) / ($n - 1)" | bc -l)
    printf '%-58s %8.3f   dtkit %.3f s alone\n' "dt-validate -l chosen, one file alone" "$(v ref_one wall)" "$(v deb_one wall)"
    printf '%-58s %8.2f   dtkit %.2f ms   x%.1f\n' "each further file in the same process, ms (wall)" \
        "$(echo "$ref_more * 1000" | bc -l)" "$(echo "$deb_more * 1000" | bc -l)" \
        "$(echo "if ($deb_more > 0) $ref_more / $deb_more else 0" | bc -l)"
fi
