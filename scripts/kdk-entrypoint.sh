#!/usr/bin/env bash
# kdk in-pod entrypoint: placeholder until the runtime lands.
set -o errexit -o nounset -o pipefail
echo "kdk entrypoint not implemented yet" >&2
exit 1
