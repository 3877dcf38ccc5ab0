#!/usr/bin/env bash
# Unpacks the release tarball (mvn -Prelease -DskipTests package) outside the source tree and checks that
# it runs without Maven or the checkout: --help, the completion script, and the embedded dataset.
# Usage: scripts/test-release.sh [cli/target/vprompt-VERSION.tar.gz]
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tarball="${1:-$(ls "$repo"/cli/target/vprompt-*.tar.gz 2>/dev/null | head -1)}"
if [[ -z "$tarball" || ! -f "$tarball" ]]; then
  echo "no release tarball; build it with: mvn -Prelease -DskipTests package" >&2
  exit 2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar xzf "$tarball" -C "$work"
home="$(ls -d "$work"/vprompt-*)"
fail() { echo "FAIL: $*" >&2; exit 1; }

for path in bin/vprompt bin/quiet-tf-stderr bin/vprompt_completion lib/vprompt-cli.jar README.md NOTICE licenses/THIRD-PARTY.txt \
    licenses/LICENSES.txt testdata/fashion-mnist-small; do
  [[ -e "$home/$path" ]] || fail "$path missing from $(basename "$tarball")"
done
[[ -x "$home/bin/vprompt" ]] || fail "bin/vprompt is not executable"
if grep -q "dev.vprompt" "$home/licenses/THIRD-PARTY.txt"; then fail "THIRD-PARTY.txt lists vprompt itself"; fi
# every bundled jar: listed in THIRD-PARTY.txt, and the full text of its licence in licenses/
jars=0
for jar in "$home"/lib/*.jar; do
  name="$(basename "$jar" .jar)"
  [[ "$name" == vprompt-* ]] && continue
  artifact="$(sed -E 's/-[0-9][^-]*(-.*)?$//' <<<"$name")"
  grep -q ":$artifact:" "$home/licenses/THIRD-PARTY.txt" || fail "lib/$name.jar is not in licenses/THIRD-PARTY.txt"
  files="$(awk -v a="$artifact" '$1 == a { $1 = ""; print }' "$home/licenses/LICENSES.txt")"
  [[ -n "$files" ]] || fail "lib/$name.jar has no licence text listed in licenses/LICENSES.txt"
  for file in $files; do
    [[ -s "$home/licenses/$file" ]] || fail "licenses/$file (the licence of lib/$name.jar) is missing or empty"
  done
  jars=$((jars + 1))
done

cd "$work"   # neither the checkout nor its build on any path the launcher looks at
help="$("$home/bin/vprompt" --help 2> help.err)" || fail "vprompt --help exited $?"
[[ ! -s help.err ]] || fail "vprompt --help wrote to standard error: $(head -3 help.err)"
grep -q "generate-completion" <<<"$help" || fail "--help does not list generate-completion"
grep -q "^Usage: vprompt" <<<"$help" || fail "--help printed no usage"
"$home/bin/vprompt" generate-completion > completion.sh || fail "generate-completion exited $?"
diff -B -q completion.sh "$home/bin/vprompt_completion" > /dev/null || fail "bin/vprompt_completion differs from generate-completion"
bash -c "source completion.sh && complete -p vprompt" > /dev/null || fail "the completion script does not load in bash"
params="$("$home/bin/vprompt" params --backbone cnn --prompt msvp --input 28x28x1 --classes 10)" \
  || fail "vprompt params exited $?"
"$home/bin/vprompt" --version > /dev/null || fail "vprompt --version exited $?"
echo "release OK: $(basename "$tarball") unpacks, licence texts for $jars bundled jars, --help, generate-completion (bash), params: $(wc -l <<<"$params") lines"
