#!/usr/bin/env bash
# Builds the local images that stand in for public ones where no container registry is reachable (CI):
#   localhost/kobot-ci/debian:bookworm  Debian minbase, by debootstrap from the mirror apt already uses
#   localhost/kobot-ci/java:17          + openjdk-17-jre-headless           (for eclipse-temurin:17-jre)
#   localhost/kobot-ci/kafka:4.3.1      + Kafka's Maven Central jars        (for apache/kafka:4.3.1)
#   localhost/kobot-ci/apicurio:2.6.13  + Apicurio Registry's runner        (for apicurio/apicurio-registry-mem)
# Each image carries a label with the hash of its inputs; an image whose label matches is kept, not rebuilt.
# E2E_MAVEN_ARGS: extra Maven arguments (e.g. -Dmaven.repo.local=...). Prints each build's seconds.
# --base-only: only the Debian and Java images, which need no Maven (so that .ci/run can build them while the
# project's build runs without two Maven processes writing one local repository).
set -euo pipefail
base_only=false
[[ ${1:-} != --base-only ]] || base_only=true
cd "$(dirname "$0")"
CI_DIR=$PWD
ROOT=$(cd ../.. && pwd)
LABEL=io.kobot.ci.inputs
read -r -a maven_args <<<"${E2E_MAVEN_ARGS:-}"

export BASE_IMAGE=localhost/kobot-ci/debian:bookworm
export JAVA_IMAGE=localhost/kobot-ci/java:17
export KAFKA_IMAGE=localhost/kobot-ci/kafka:4.3.1
export APICURIO_IMAGE=localhost/kobot-ci/apicurio:2.6.13

inputs_of() { # a stable hash of the given strings and files
    { printf '%s\n' "$@"; for f in "$@"; do if [[ -f $f ]]; then cat "$f"; fi; done; } | sha256sum | cut -c1-16
}

current() { # whether image $1 exists with inputs hash $2
    [[ $(podman image inspect --format "{{ index .Labels \"$LABEL\" }}" "$1" 2>/dev/null) == "$2" ]]
}

built() {
    echo "images.sh: $1 built in $2 s ($(podman image inspect --format '{{.Size}}' "$1" | numfmt --to=si)B)"
}

# 1. Debian base. The mirror is apt's own, so this works wherever apt does.
mirror=$({ cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null || :; } \
    | awk '$1 ~ /^(URIs:|deb)$/ && $2 ~ /^https?:/ && $2 !~ /security/ { print $2; exit }')
[[ -n $mirror ]] || { echo "images.sh: no Debian mirror found in /etc/apt/sources.list*" >&2; exit 1; }
hash=$(inputs_of debootstrap minbase bookworm "$mirror")
if ! current "$BASE_IMAGE" "$hash"; then
    start=$SECONDS
    rootfs=$(mktemp -d)
    trap 'rm -rf "$rootfs"' EXIT
    debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >/tmp/kobot-debootstrap.log 2>&1 \
        || { tail -20 /tmp/kobot-debootstrap.log >&2; echo "images.sh: debootstrap failed" >&2; exit 1; }
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -c . | podman import --quiet --change "LABEL $LABEL=$hash" - "$BASE_IMAGE" >/dev/null
    rm -rf "$rootfs"
    trap - EXIT
    built "$BASE_IMAGE" $((SECONDS - start))
fi
base_hash=$hash

build() { # build IMAGE HASH CONTEXT DOCKERFILE [build args...]
    local image=$1 hash=$2 context=$3 dockerfile=$4
    shift 4
    if current "$image" "$hash"; then
        return
    fi
    local start=$SECONDS
    podman build --quiet --label "$LABEL=$hash" -f "$dockerfile" -t "$image" "$@" "$context" >/dev/null
    built "$image" $((SECONDS - start))
}

# 2. Java 17 runtime.
hash=$(inputs_of "$base_hash" Dockerfile.java)
build "$JAVA_IMAGE" "$hash" "$CI_DIR" "$CI_DIR/Dockerfile.java" --build-arg "BASE_IMAGE=$BASE_IMAGE"
java_hash=$hash
if [[ $base_only == true ]]; then
    exit 0
fi

# 3. Kafka: the inputs are the jar set's definition (this pom, the root pom's versions), so that a current image
# costs no Maven run.
versions=$(grep -E '<(kafka|slf4j|apicurio)\.version>' "$ROOT/pom.xml")
hash=$(inputs_of "$java_hash" kafka/Dockerfile kafka/pom.xml kafka/run kafka/bin/* "$versions")
if ! current "$KAFKA_IMAGE" "$hash"; then
    rm -rf kafka/target/libs
    mvn -B -q -Dstyle.color=never "${maven_args[@]}" -f kafka/pom.xml dependency:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory=target/libs
    build "$KAFKA_IMAGE" "$hash" "$CI_DIR/kafka" "$CI_DIR/kafka/Dockerfile" --build-arg "JAVA_IMAGE=$JAVA_IMAGE"
fi

# 4. Apicurio Registry: the distribution the tests use, from the Maven repository.
apicurio_version=$(sed -n 's:.*<apicurio.version>\(.*\)</apicurio.version>.*:\1:p' "$ROOT/pom.xml")
hash=$(inputs_of "$java_hash" apicurio/Dockerfile "$apicurio_version")
if ! current "$APICURIO_IMAGE" "$hash"; then
    mkdir -p apicurio/target
    mvn -B -q -Dstyle.color=never "${maven_args[@]}" -f kafka/pom.xml dependency:copy \
        "-Dartifact=io.apicurio:apicurio-registry-app:$apicurio_version:tar.gz:all" \
        -DoutputDirectory=../apicurio/target -Dmdep.stripVersion=true
    build "$APICURIO_IMAGE" "$hash" "$CI_DIR/apicurio" "$CI_DIR/apicurio/Dockerfile" \
        --build-arg "JAVA_IMAGE=$JAVA_IMAGE" --build-arg "APICURIO_VERSION=$apicurio_version"
fi
