#!/usr/bin/env bash
# Times dt-validate and `dtkit validate` on the same DTBs with the chosen schema, in one run, and
# prints the ratios. Not a test: run it by hand (needs dt-validate and a built jar).
#   bench/validate-vs-dt-validate.sh [DTB_DIR]
# Reported: the whole dtkit process (JVM start, schema loading, validation), its validation
# phase alone, and the same phase once the JIT has warmed up (as in a long-running service).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$here/../shared/corpus/linux-arm64/expected}
jar=$here/target/dtkit.jar
[ -f "$jar" ] || (cd "$here" && mvn -q -o -DskipTests package)
command -v dt-validate >/dev/null || { echo "dt-validate not installed" >&2; exit 2; }
py=$(head -1 "$(command -v dt-validate)" | sed 's/^#!//; s/ .*//')
schemas=$("$py" -c 'import dtschema, os; print(os.path.join(os.path.dirname(dtschema.__file__), "schemas"))')
mapfile -t files < <(find "$dir" -maxdepth 1 -name '*.dtb' | sort)
echo "inputs: ${#files[@]} DTBs from $dir"

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l; }

t0=$(now); dt-validate -l chosen "${files[@]}" >/dev/null 2>&1 || true; t1=$(now)
ref=$(secs "$t0" "$t1")

java_opts=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss16m)
t0=$(now)
java "${java_opts[@]}" -jar "$jar" validate --schemas "$schemas" --limit chosen --no-progress --timing \
    "${files[@]}" >/dev/null 2>/tmp/dtkit-bench.$$ || true
t1=$(now)
ours=$(secs "$t0" "$t1")
inproc=$(sed -n 's/.*files \([0-9.]*\) ms.*/\1/p' /tmp/dtkit-bench.$$)
load=$(sed -n 's/timing: schemas \([0-9.]*\) ms.*/\1/p' /tmp/dtkit-bench.$$)

java "${java_opts[@]}" -jar "$jar" validate --schemas "$schemas" --limit chosen --no-progress --timing \
    --repeat 20 "${files[@]}" >/dev/null 2>/tmp/dtkit-bench.$$ || true
warm=$(sed -n 's/.*files \([0-9.]*\) ms.*/\1/p' /tmp/dtkit-bench.$$)

# The same run with a class-data-sharing archive (made once, kept in target/): start-up is
# mostly class loading, which the archive skips.
jsa=$here/target/dtkit-validate.jsa
[ -f "$jsa" ] || java -XX:ArchiveClassesAtExit="$jsa" "${java_opts[@]}" -jar "$jar" validate --schemas "$schemas" \
    --limit chosen --no-progress "${files[@]}" >/dev/null 2>&1 || true
t0=$(now)
java -XX:SharedArchiveFile="$jsa" "${java_opts[@]}" -jar "$jar" validate --schemas "$schemas" --limit chosen \
    --no-progress "${files[@]}" >/dev/null 2>&1 || true
t1=$(now)
cds=$(secs "$t0" "$t1")

t0=$(now)
java "${java_opts[@]}" -jar "$jar" validate --limit chosen --no-progress "${files[@]}" >/dev/null 2>&1 || true
t1=$(now)
bundled=$(secs "$t0" "$t1")
rm -f /tmp/dtkit-bench.$$

printf 'dt-validate -l chosen (Debian schemas)      %8.3f s\n' "$ref"
printf 'dtkit validate, same schemas, whole process %8.3f s   ratio %6.1fx\n' "$ours" "$(echo "$ref / $ours" | bc -l)"
printf '   of which loading schemas                 %8.3f s\n' "$(echo "$load / 1000" | bc -l)"
printf '   of which validating the files            %8.3f s   ratio %6.1fx\n' "$(echo "$inproc / 1000" | bc -l)" "$(echo "$ref / ($inproc / 1000)" | bc -l)"
printf '   validating, steady state (20th pass)     %8.3f s   ratio %6.1fx\n' "$(echo "$warm / 1000" | bc -l)" "$(echo "$ref / ($warm / 1000)" | bc -l)"
printf 'dtkit validate, same schemas, with AppCDS   %8.3f s   ratio %6.1fx\n' "$cds" "$(echo "$ref / $cds" | bc -l)"
printf 'dtkit validate, bundled schema, process     %8.3f s   ratio %6.1fx\n' "$bundled" "$(echo "$ref / $bundled" | bc -l)"
