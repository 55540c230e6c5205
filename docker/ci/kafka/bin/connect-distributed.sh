#!/usr/bin/env bash
export KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xms256M -Xmx2G} KAFKA_LOG_LEVEL=${KAFKA_LOG_LEVEL:-info}
exec "$(dirname "$0")/kafka-run-class.sh" org.apache.kafka.connect.cli.ConnectDistributed "$@"
