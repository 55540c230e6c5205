# CI only: a Java 17 runtime on the local Debian base (docker/ci/images.sh), standing in for the public JRE image
# where no container registry is reachable.
ARG BASE_IMAGE=localhost/kobot-ci/debian:bookworm
FROM ${BASE_IMAGE}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jre-headless \
    && rm -rf /var/lib/apt/lists/*
