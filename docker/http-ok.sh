#!/usr/bin/env bash
# Health probe for images without curl or wget: exits 0 when GET http://127.0.0.1:PORT/PATH answers 2xx.
# Pure bash (/dev/tcp); the caller's timeout (Docker's healthcheck timeout) bounds it.
# Usage: http-ok PORT [PATH]
set -euo pipefail
port=${1:?usage: http-ok PORT [PATH]}
path=${2:-/}
exec 3<>"/dev/tcp/127.0.0.1/${port}"
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
IFS=' ' read -r _ status _ <&3
[[ $status == 2* ]]
