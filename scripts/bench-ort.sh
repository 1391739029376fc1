#!/usr/bin/env bash
# Stage benchmark on another ONNX Runtime version, back to back with the pinned one, so an upgrade
# can be judged by ratios from one run (docs/benchmarks.md):
#   scripts/bench-ort.sh 1.29.0 [--repeat N]
# Runs `facestream bench stages` twice: with the build's pinned ONNX Runtime, then with the given
# version's jar swapped into the same classpath (fetched by Maven). Both JVMs get a manifest-only
# classpath jar, so their command lines stay short (1.29.0 crashes on long ones).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="${1:?usage: scripts/bench-ort.sh VERSION [bench stages options]}"
shift
"$root/bin/facestream" models >/dev/null # builds the CLI jar and classpath when stale
cp_file="$root/job/target/classpath.txt"
m2="${MAVEN_REPO:-$HOME/.m2/repository}"
jar="$m2/com/microsoft/onnxruntime/onnxruntime/$version/onnxruntime-$version.jar"
[[ -f "$jar" ]] || mvn -q -B dependency:get -Dartifact="com.microsoft.onnxruntime:onnxruntime:$version" >&2
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

pathing() { # $1 = jar to write, $2 = classpath (colon-separated)
  local urls="file:$root/job/target/classes/" e
  IFS=":" read -r -a entries <<< "$2"
  for e in "${entries[@]}"; do urls+=" file:$e"; done
  { printf 'Manifest-Version: 1.0\n'
    printf 'Class-Path: %s\n' "$urls" | fold -w 71 | sed '2,$s/^/ /'
    printf 'Main-Class: io.facestream.cli.FacestreamCli\n'
  } > "$tmp/MANIFEST.MF"
  jar --create --file "$1" --manifest "$tmp/MANIFEST.MF"
}

pinned="$(cat "$cp_file")"
other="$(tr ':' '\n' < "$cp_file" | sed "s#.*/onnxruntime-[0-9.]*\.jar\$#$jar#" | paste -sd: -)"
pathing "$tmp/pinned.jar" "$pinned"
pathing "$tmp/other.jar" "$other"
pinned_version="$(tr ':' '\n' < "$cp_file" | sed -n 's#.*/onnxruntime-\([0-9.]*\)\.jar$#\1#p')"
for run in pinned other; do
  v="$pinned_version"; [[ "$run" == other ]] && v="$version"
  echo "== ONNX Runtime $v" >&2
  (cd "$tmp" && java -Dfacestream.project.root="$root" -jar "$tmp/$run.jar" bench stages \
      --append - "$@") | sed "s/^/[$v] /"
done
