#!/usr/bin/env bash
# Makes a container engine answer on this machine, for docker/e2e.sh: installs podman and what it needs from
# Debian when missing (with docker-compose, curl and python3, which e2e.sh uses), writes the two podman settings this kind of machine needs (only when they are not set), and
# serves podman's Docker-compatible API on $PODMAN_SOCKET for Testcontainers and docker-compose.
# Fails with the reason when the engine cannot run a container (never skips).
set -euo pipefail

PODMAN_SOCKET=${PODMAN_SOCKET:-/run/podman/podman.sock}
CONF=/etc/containers/containers.conf

fail() {
    echo "engine.sh: FAIL: $*" >&2
    exit 1
}

# Without recommended packages Debian's podman networks through plain CNI, whose networks resolve no container
# names: the dnsname plugin makes the compose services find each other by name.
packages=(podman runc debootstrap uidmap slirp4netns fuse-overlayfs golang-github-containernetworking-plugin-dnsname
    podman-compose docker-compose curl python3)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if ((${#missing[@]})); then
    [[ $(id -u) -eq 0 ]] || fail "missing ${missing[*]}; install them (apt-get install ${missing[*]}) or run as root"
    echo "engine.sh: installing ${missing[*]}"
    log=$(mktemp)
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}"; } >"$log" 2>&1; then
        cat "$log" >&2
        fail "apt-get could not install ${missing[*]}"
    fi
    rm -f "$log"
fi

# crun fails on a hybrid cgroup (v1 controllers with a v2 "unified" mount); runc works. Podman's default open-files
# limit (1048576) cannot exceed the hard limit of the calling shell, so containers get a limit below it instead.
settings=()
if ! grep -qs '^[[:space:]]*runtime[[:space:]]*=' "$CONF" && [[ -d /sys/fs/cgroup/unified ]]; then
    settings+=('engine' 'runtime = "runc"')
fi
hard_nofile=$(ulimit -Hn)
if ! grep -qs '^[[:space:]]*default_ulimits[[:space:]]*=' "$CONF" \
    && [[ $hard_nofile != unlimited ]] && ((hard_nofile < 1048576)); then
    settings+=('containers' "default_ulimits = [\"nofile=${hard_nofile}:${hard_nofile}\", \"nproc=32768:32768\"]")
fi
if ((${#settings[@]})); then
    [[ $(id -u) -eq 0 ]] || fail "podman needs settings in $CONF (${settings[*]}); run as root"
    mkdir -p "$(dirname "$CONF")"
    touch "$CONF"
    for ((i = 0; i < ${#settings[@]}; i += 2)); do
        table=${settings[i]} line=${settings[i + 1]}
        if grep -q "^\[$table\]" "$CONF"; then
            sed -i "/^\[$table\]/a $line" "$CONF"
        else
            printf '\n[%s]\n%s\n' "$table" "$line" >>"$CONF"
        fi
        echo "engine.sh: $CONF [$table] $line"
    done
fi

# The Docker API: one podman service per socket, kept between runs (it holds no state of its own).
if ! curl -fsS --unix-socket "$PODMAN_SOCKET" http://d/_ping >/dev/null 2>&1; then
    mkdir -p "$(dirname "$PODMAN_SOCKET")"
    rm -f "$PODMAN_SOCKET"
    # From /: the service outlives this checkout, and its containers' monitors inherit its working directory
    # (one deleted with an old clone made every later start fail with "write child: broken pipe").
    (cd / && nohup podman system service --time=0 "unix://$PODMAN_SOCKET" >/var/log/kobot-podman-service.log 2>&1 &)
    for _ in $(seq 1 100); do
        curl -fsS --unix-socket "$PODMAN_SOCKET" http://d/_ping >/dev/null 2>&1 && break
        sleep 0.1
    done
    curl -fsS --unix-socket "$PODMAN_SOCKET" http://d/_ping >/dev/null 2>&1 \
        || fail "podman's API did not answer on $PODMAN_SOCKET (see /var/log/kobot-podman-service.log)"
fi
echo "engine.sh: podman $(podman version --format '{{.Client.Version}}') serving the Docker API on $PODMAN_SOCKET"
