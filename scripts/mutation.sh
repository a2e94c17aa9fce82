#!/usr/bin/env bash
# Mutation testing over the code where a silent bug costs data or secrets.
# Slow (each surviving-or-not mutant is one `go test` of its package), so it is
# not part of `go test ./...`. Usage, from anywhere in the repository:
#
#   scripts/mutation.sh                 # every target below
#   scripts/mutation.sh redcap plugins  # only these targets (redcap upload api plugins)
#
# Environment: MUTATION_WORKERS (default 2), MUTATION_TIMEOUT_COEFFICIENT
# (default 5: a mutant's test run may take 5x the coverage run before it counts
# as timed out), MUTATION_OUT (directory for the JSON reports, default
# a temporary directory that is printed). docs/testing.md has the results.
set -euo pipefail

# Pinned so every run mutates the same way; `go run` fetches it through the
# module proxy on a fresh machine.
GREMLINS=github.com/go-gremlins/gremlins/cmd/gremlins@v0.6.0

# target -> "package directory|files in scope (space separated)"
declare -A TARGETS=(
  [redcap]="redcap|merge.go diff.go stack.go"
  [upload]="upload|upload.go"
  [api]="redcap/api|token.go errors.go"
  [plugins]="plugins/host|host.go lock.go resolve.go"
)
ORDER=(redcap upload api plugins)

root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
cd "$root"

workers=${MUTATION_WORKERS:-2}
coefficient=${MUTATION_TIMEOUT_COEFFICIENT:-5}
out=${MUTATION_OUT:-$(mktemp -d -t rcolpipe-mutation.XXXXXX)}
mkdir -p "$out"

if [ $# -eq 0 ]; then
  set -- "${ORDER[@]}"
fi

# A cached coverage run would finish in milliseconds and make gremlins'
# per-mutant timeout (coverage time x coefficient) far too short.
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-count=1"

for target in "$@"; do
  spec=${TARGETS[$target]:-}
  if [ -z "$spec" ]; then
    echo "mutation.sh: unknown target $target (known: ${ORDER[*]})" >&2
    exit 2
  fi
  dir=${spec%%|*}
  files=" ${spec#*|} "

  # Gremlins mutates every non-test .go file under dir, subdirectories too;
  # scope it by excluding the other files of the package and every
  # subdirectory (paths are relative to dir).
  others=()
  for f in "$dir"/*.go; do
    base=${f##*/}
    case $base in *_test.go) continue ;; esac
    case $files in *" $base "*) continue ;; esac
    others+=("${base%.go}")
  done
  excludes=(-E '/')
  if [ ${#others[@]} -gt 0 ]; then
    excludes+=(-E "^($(IFS='|'; echo "${others[*]}"))\\.go\$")
  fi

  echo "== $target: $dir/{$(echo $files | tr ' ' ',')}"
  go run "$GREMLINS" unleash \
    --workers "$workers" \
    --timeout-coefficient "$coefficient" \
    --output "$out/$target.json" \
    "${excludes[@]}" \
    --output-statuses lctv \
    "./$dir"
done
echo "JSON reports: $out"
