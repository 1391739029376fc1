#!/usr/bin/env bash
# Writes every pair of images of the labelled folders given (as `enroll` reads them: Name_N.jpg
# directly in a folder, or folder per person) as a `facestream eval --pairs` file on stdout:
# "IMAGE_A<TAB>IMAGE_B<TAB>same|different", absolute paths. Used for the shipped thresholds
# (docs/accuracy.md):  scripts/all-pairs.sh ../shared/data/{friends,bbt,people}/gallery > pairs.txt
set -euo pipefail
for dir in "$@"; do
  root="$(cd "$dir" && pwd)"
  find "$root" -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' \) | sort |
    while IFS= read -r f; do
      rel="${f#"$root"/}"
      if [[ "$rel" == */* ]]; then id="${rel%%/*}"; else id="$(basename "${rel%.*}")"; id="${id%_[0-9]*}"; fi
      printf '%s\t%s\n' "$id" "$f"
    done
done | awk -F'\t' '{ id[NR] = $1; f[NR] = $2 }
  END { for (i = 1; i <= NR; i++) for (j = i + 1; j <= NR; j++)
          printf "%s\t%s\t%s\n", f[i], f[j], (id[i] == id[j] ? "same" : "different") }'
