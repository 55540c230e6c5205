#!/usr/bin/env bash
# Validates docker/docker-compose.yml without a Docker engine:
#   1. yamllint: YAML syntax and style;
#   2. docker-compose (v1, Debian's python package) `config -q`: the Compose schema (keys, types, depends_on
#      conditions, healthchecks), variable interpolation and the files it refers to. It needs no engine;
#   3. no Dockerfile has a `# syntax=` line (BuildKit would fetch that frontend image from a registry on every build).
# Installs both from Debian when missing (as root, as on CI). Exits non-zero on the first problem.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v yamllint >/dev/null 2>&1 || missing+=(yamllint)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
if ((${#missing[@]})); then
    if [[ $(id -u) -ne 0 ]]; then
        echo "lint.sh: missing ${missing[*]}; install them (apt-get install ${missing[*]}) or run as root" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    log=$(mktemp)
    if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
        cat "$log" >&2
        exit 1
    fi
    rm -f "$log"
fi

yamllint --strict -d '{extends: default, rules: {line-length: {max: 120}, document-start: disable}}' docker-compose.yml
docker-compose --file docker-compose.yml config --quiet
if grep -nE '^#[[:space:]]*syntax[[:space:]]*=' Dockerfile* ci/Dockerfile.* ci/*/Dockerfile; then
    echo "lint.sh: a # syntax= line fetches a frontend image on every build; remove it" >&2
    exit 1
fi
echo "docker/: yamllint, docker-compose config and the Dockerfile check passed"
