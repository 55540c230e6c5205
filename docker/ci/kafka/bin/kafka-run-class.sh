#!/usr/bin/env bash
# Runs a class of the Kafka distribution: kafka-run-class.sh CLASS [ARGS...]. KAFKA_HEAP_OPTS and KAFKA_OPTS as in
# Apache Kafka's own script; a tool's heap defaults to 256 MB. Logs go to stderr at KAFKA_LOG_LEVEL (tools: warn).
exec java ${KAFKA_HEAP_OPTS:--Xmx256M} ${KAFKA_JVM_PERFORMANCE_OPTS:-} ${KAFKA_OPTS:-} \
    -Dorg.slf4j.simpleLogger.defaultLogLevel="${KAFKA_LOG_LEVEL:-warn}" -cp '/opt/kafka/libs/*' "$@"
