#!/usr/bin/env bash
# Compares dtkit validate with dt-validate over DTBs using ALL schemas of the installed
# dt-validate (no -l): prints how many (file, node, property) findings each reports and the
# differences. Slow (dt-validate takes about a minute for the corpus); not a test.
#   bench/agreement-full.sh [DTB_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$here/../shared/corpus/linux-arm64/expected}
jar=$here/target/dtkit.jar
[ -f "$jar" ] || (cd "$here" && mvn -q -o -DskipTests package)
py=$(head -1 "$(command -v dt-validate)" | sed 's/^#!//; s/ .*//')
schemas=$("$py" -c 'import dtschema, os; print(os.path.join(os.path.dirname(dtschema.__file__), "schemas"))')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
find "$dir" -maxdepth 1 -name '*.dtb' | sort > "$work/files"
dt-validate $(cat "$work/files") > "$work/dtv.txt" 2>&1 || true
java -jar "$jar" validate --schemas "$schemas" --format json --no-progress $(cat "$work/files") > "$work/ours.json" || true
cd "$work"
python3 - <<'PY'
import json, re, os, collections
line = re.compile(r"^(/\S+\.dtb): ([^:]+): (.*)$")
pathEl = re.compile(r"^([^\s:']+):(?:\d+:)* (.*)$")
quoted = re.compile(r"'([^']+)'")
ref = set()
for l in open('dtv.txt'):
    l = l.rstrip('\n')
    if not l or l.startswith('\t'): continue
    m = line.match(l)
    if not m: continue
    f = os.path.basename(m.group(1)); rest = m.group(3)
    pm = pathEl.match(rest)
    if pm:
        ref.add((f, m.group(2), pm.group(1)))
    elif ' do not match any of the regexes' in rest or ' were unexpected' in rest:
        # one message names every offending property
        head = rest.split(' do not match')[0].split(' were unexpected')[0]
        for q in quoted.findall(head):
            ref.add((f, m.group(2), q))
    else:
        q = quoted.search(rest)
        ref.add((f, m.group(2), q.group(1) if q else ''))
ours = set()
for fe in json.load(open('ours.json'))['files']:
    f = os.path.basename(fe['file'])
    for d in fe['diagnostics']:
        if not (d['check'] or '').endswith('.yaml'): continue
        node = d['node']; node = '/' if node == '/' else node.rsplit('/',1)[1]
        ours.add((f, node, d['property'] or ''))
both = ref & ours
print("dt-validate", len(ref), "dtkit", len(ours), "both", len(both))
fr = set((a,b) for a,b,c in ref); fo = set((a,b) for a,b,c in ours)
print("node-level: ref", len(fr), "ours", len(fo), "both", len(fr & fo))
print("only dt-validate:", sorted(ref - ours)[:15])
print("only dtkit:", sorted(ours - ref)[:15])
PY
