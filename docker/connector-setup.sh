#!/usr/bin/env bash
# Creates or updates the Kochava sink through Connect's REST API (PUT is idempotent), retrying while the worker
# starts. Pure bash (/dev/tcp): the image has no curl. Settings from the environment:
#   CONNECT_HOST, CONNECT_PORT    the worker (default connect:8083)
#   KOCHAVA_ENDPOINT              where the sink POSTs events (required)
#   KOCHAVA_ALLOW_PRIVATE_ADDRESSES  true to reach an endpoint on a private network, as the stand-in is
#   TASKS_MAX                     the connector's tasks (default 1)
set -euo pipefail
host=${CONNECT_HOST:-connect}
port=${CONNECT_PORT:-8083}
endpoint=${KOCHAVA_ENDPOINT:?KOCHAVA_ENDPOINT is required}
private=${KOCHAVA_ALLOW_PRIVATE_ADDRESSES:-false}
tasks=${TASKS_MAX:-1}
[[ $endpoint =~ ^https?://[^\"\\[:space:]]+$ ]] || { echo "connector-setup: not an http(s) URL: $endpoint" >&2; exit 2; }
[[ $private =~ ^(true|false)$ && $tasks =~ ^[1-9][0-9]*$ ]] || { echo "connector-setup: bad settings" >&2; exit 2; }

body=$(cat <<JSON
{
  "connector.class": "io.kobot.connect.kochava.KochavaSinkConnector",
  "tasks.max": "$tasks",
  "topics": "bot.engagements",
  "kochava.endpoint": "$endpoint",
  "kochava.allow-private-addresses": "$private",
  "delivery.max-retry-time": "PT5M",
  "errors.tolerance": "all",
  "errors.deadletterqueue.topic.name": "bot.engagements.connect-dlq",
  "errors.deadletterqueue.topic.replication.factor": "1",
  "errors.deadletterqueue.context.headers.enable": "true",
  "errors.log.enable": "true"
}
JSON
)

put() {
    exec 3<>"/dev/tcp/$host/$port" || return 1
    printf 'PUT /connectors/kochava-sink/config HTTP/1.0\r\nHost: %s\r\nContent-Type: application/json\r\n' "$host" >&3
    printf 'Content-Length: %d\r\nConnection: close\r\n\r\n%s' "$(printf '%s' "$body" | wc -c)" "$body" >&3
    local response
    response=$(cat <&3)
    exec 3<&-
    echo "${response##*$'\r\n\r\n'}"
    [[ ${response:9:1} == 2 ]]
}

for attempt in $(seq 1 30); do
    if put; then
        echo
        echo "connector-setup: kochava-sink configured (endpoint $endpoint)"
        exit 0
    fi
    echo "connector-setup: attempt $attempt refused; retrying in 2 s" >&2
    sleep 2
done
echo "connector-setup: Connect at $host:$port did not accept the connector" >&2
exit 1
