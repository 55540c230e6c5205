#!/usr/bin/env bash
# The container end-to-end test (.ci/run calls it after `mvn -B verify`, whose jars it uses):
#   1. a container engine (docker/ci/engine.sh: podman, its settings, its Docker API socket);
#   2. the local base, Java, Kafka and Apicurio images (docker/ci/images.sh; kept while their inputs are unchanged);
#   3. the project's images: pipeline, Connect with the Kochava sink, Kochava stand-in;
#   4. the compose stack, then interactions and identity links published from the host; it asserts that the
#      stand-in received every expected event exactly once with the linked device ids, that the bad records are
#      dead letters in bot.interactions.dlq, that /health/ready and /metrics answer on the published port, that
#      every container has a memory limit and the pipeline runs as non-root without build tools, and that
#      `down` leaves no container and no anonymous volume;
#   5. the broker integration tests of streams-app (and the harness's own) on a Kafka container (Testcontainers),
#      run in the background while step 4 checks the stack (mostly waiting) and waited for at the end.
# Time-boxed (E2E_TIMEOUT seconds, default 900); prints its figures; exits non-zero with the reason on any failure.
# Never skips: an engine that cannot start is a failure. Needs root (it installs packages) and Java 17 + Maven.
# E2E_MAVEN_ARGS: extra Maven arguments (e.g. -Dmaven.repo.local=/path). No variable here starts with KOBOT_: the
# pipeline reads those as configuration, and the pipeline processes the ITs start inherit this environment.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z ${E2E_TIMED:-} ]]; then
    export E2E_TIMED=1
    exec timeout --kill-after=60 "${E2E_TIMEOUT:-900}" "$0" "$@"
fi

PROJECT=kobot-e2e
COMPOSE_FILE=docker/docker-compose.yml
export PODMAN_SOCKET=/run/podman/podman.sock
export DOCKER_HOST=unix://$PODMAN_SOCKET
export TESTCONTAINERS_RYUK_DISABLED=true
export KAFKA_IMAGE=localhost/kobot-ci/kafka:4.3.1
export SCHEMA_REGISTRY_IMAGE=localhost/kobot-ci/apicurio:2.6.13
export JRE_IMAGE=localhost/kobot-ci/java:17
export E2E_MAVEN_ARGS=${E2E_MAVEN_ARGS:-}
read -r -a maven_args <<<"$E2E_MAVEN_ARGS"
RUN_ID=$(date +%s)
START=$SECONDS
figures=()
ticker_pid=
its_pid=
stack_up=false

log() { echo "e2e: $*"; }
figure() { figures+=("$1"); log "$1"; }
fail() {
    echo "e2e: FAIL: $*" >&2
    exit 1
}

compose() { docker-compose -p "$PROJECT" -f "$COMPOSE_FILE" "$@"; }

cleanup() {
    local status=$?
    if [[ $stack_up == true ]]; then
        if ((status != 0)); then
            log "logs of the failed stack (last 40 lines per service):"
            compose logs --no-color --tail=40 2>&1 | sed 's/^/  | /' || true
        fi
        compose down -v --timeout 20 >/dev/null 2>&1 || true
    fi
    if [[ -n $ticker_pid ]]; then
        kill "$ticker_pid" 2>/dev/null || true
    fi
    if [[ -n $its_pid ]]; then
        pkill -TERM -P "$its_pid" 2>/dev/null || true
        kill "$its_pid" 2>/dev/null || true
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'fail "timed out or interrupted"' TERM INT

# Waits until a command succeeds: until SECONDS DESCRIPTION COMMAND...
until_ok() {
    local limit=$1 what=$2
    shift 2
    local deadline=$((SECONDS + limit)) output
    until output=$("$@" 2>&1); do
        ((SECONDS < deadline)) || fail "$what: not within $limit s (last answer: ${output:0:500})"
        sleep 1
    done
}

# 1. The engine.
step=$SECONDS
command -v docker-compose >/dev/null 2>&1 || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        docker-compose >/dev/null
} || fail "could not install docker-compose"
bash docker/ci/engine.sh || fail "no container engine (see above)"
figure "engine ready in $((SECONDS - step)) s"

# 2. Local base images (cached).
step=$SECONDS
E2E_MAVEN_ARGS="$E2E_MAVEN_ARGS" bash docker/ci/images.sh || fail "local base images did not build"
podman run --rm --network=none "$JRE_IMAGE" java -version >/dev/null 2>&1 || fail "podman cannot run $JRE_IMAGE"
figure "base images ready in $((SECONDS - step)) s"

# 3. The project's images, from the build's jars.
step=$SECONDS
shopt -s nullglob
plugin_jars=(connectors/kafka-connect-kochava/target/kobot-kafka-connect-kochava-*-plugin.jar)
dev_stack_jars=(dev-stack/target/kobot-dev-stack-*.jar)
shopt -u nullglob
if [[ ! -f streams-app/target/kobot.jar || ${#plugin_jars[@]} -eq 0 || ${#dev_stack_jars[@]} -eq 0 ]]; then
    log "jars missing: mvn package (streams-app, the Connect plugin, dev-stack)"
    mvn -B -q -Dstyle.color=never "${maven_args[@]}" package -DskipTests -pl streams-app,connectors/kafka-connect-kochava,dev-stack -am \
        || fail "mvn package failed"
fi
rm -rf dev-stack/target/stand-in-libs
mvn -B -q -Dstyle.color=never "${maven_args[@]}" -pl dev-stack dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory=target/stand-in-libs || fail "could not collect the stand-in's libraries"
build_image() { # IMAGE DOCKERFILE BUILD-ARG
    local image=$1 dockerfile=$2 arg=$3 started=$SECONDS
    podman build --quiet --format docker --build-arg "$arg" -f "$dockerfile" -t "$image" . >/dev/null \
        || fail "$image did not build ($dockerfile)"
    figure "image $image built in $((SECONDS - started)) s, $(podman image inspect --format '{{.Size}}' "$image" \
        | numfmt --to=si)B"
}
build_image kobot/pipeline:local docker/Dockerfile "JRE_IMAGE=$JRE_IMAGE"
build_image kobot/connect:local docker/Dockerfile.connect "KAFKA_IMAGE=$KAFKA_IMAGE"
build_image kobot/kochava-stand-in:local docker/Dockerfile.kochava-stand-in "JRE_IMAGE=$JRE_IMAGE"
figure "project images built in $((SECONDS - step)) s"
# The images these replaced, untagged now, would pile up run after run on a machine that keeps its images.
podman image prune -f >/dev/null 2>&1 || true

# The pipeline image: non-root, no build tools.
[[ $(podman image inspect --format '{{.Config.User}}' kobot/pipeline:local) == 10001:10001 ]] \
    || fail "the pipeline image does not run as user 10001"
tools=$(podman run --rm --network=none --entrypoint bash kobot/pipeline:local -c \
    'for t in mvn javac jar gcc make git curl wget; do command -v $t; done; true' 2>/dev/null)
[[ -z $tools ]] || fail "the pipeline image holds build tools: $tools"

# 5. Broker integration tests on a Kafka container (Testcontainers through podman's Docker API). They run in the
# background while the stack is checked (most of that is waiting: deliveries, a 15 s hold, the metrics binder's
# one-minute refresh), and are waited for at the end.
its=PipelineTopologyIT,RunCommandIT,KafkaBrokerIT
run_container_its() {
    mvn -B -Dstyle.color=never "${maven_args[@]}" -pl streams-app -am verify -Dtest=NONE \
        -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=$its -Dfailsafe.failIfNoSpecifiedTests=false \
        -Dspotless.check.skip=true -Dkobot.test.kafka=container -Dkobot.test.kafka.image=$KAFKA_IMAGE \
        -Djunit.jupiter.tempdir.cleanup.mode.default=ON_SUCCESS >/tmp/kobot-e2e-its.log 2>&1
}
check_container_its() { # STATUS STARTED: the ITs' exit status and when they began
    if (($1 != 0)); then
        grep -E 'Tests run:|FAIL|ERROR' /tmp/kobot-e2e-its.log | head -40 >&2
        # A failed test keeps its temporary directory: show the log of a pipeline process it ran, if any.
        run_log=$(find /tmp -maxdepth 2 -name run.log -newer /tmp/kobot-e2e-up.log 2>/dev/null | head -1)
        [[ -z $run_log ]] || { echo "e2e: $run_log (last 30 lines):" >&2; tail -30 "$run_log" | cut -c1-300 >&2; }
        fail "the Testcontainers integration tests failed (full log: /tmp/kobot-e2e-its.log)"
    fi
    grep -E 'Tests run: .* in io\.kobot' /tmp/kobot-e2e-its.log | sed 's/^\[INFO\] /  /'
    grep -q 'kobot.test.kafka=container: Kafka brokers run in containers' /tmp/kobot-e2e-its.log \
        || fail "the integration tests did not run on a Kafka container"
    for it in ${its//,/ }; do
        grep -qE "Tests run: [1-9].* in io\.kobot\..*\.$it\$" /tmp/kobot-e2e-its.log || fail "$it did not run"
    done
    figure "Testcontainers ITs ($its) passed in $((SECONDS - $2)) s (beside the stack checks)"
}

# 4. The stack. Podman runs health checks from systemd timers; where there is no systemd, this loop runs them until
# each container is healthy (that is what compose waits for; a JVM-based check every 2 s would load the machine).
for port in 8080 8081 8083 8090 9092; do
    ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || fail "host port $port is taken: the stack publishes it"
done
(
    while :; do
        for id in $(podman ps -q --filter label=com.docker.compose.project=$PROJECT --filter health=starting \
            2>/dev/null) $(podman ps -q --filter label=com.docker.compose.project=$PROJECT --filter health=unhealthy \
            2>/dev/null); do
            podman healthcheck run "$id" >/dev/null 2>&1 || true
        done
        sleep 2
    done
) &
ticker_pid=$!

step=$SECONDS
stack_up=true
compose up -d --no-build >/tmp/kobot-e2e-up.log 2>&1 || { cat /tmp/kobot-e2e-up.log >&2; fail "compose up failed"; }
until_ok 180 "pipeline /health/ready" curl -fsS http://localhost:8080/health/ready
until_ok 120 "connector kochava-sink RUNNING" \
    bash -c 's=$(curl -fsS localhost:8083/connectors/kochava-sink/status) && grep -q "\"tasks\":\[{" <<<"$s" && ! grep -qE "\"state\":\"(FAILED|UNASSIGNED|PAUSED)\"" <<<"$s"'
figure "stack started in $((SECONDS - step)) s (up to ready pipeline and running connector)"
its_started=$SECONDS
log "Testcontainers: $its on $KAFKA_IMAGE, in the background"
run_container_its &
its_pid=$!

for service in kafka schema-registry kochava-stand-in pipeline connect; do
    id=$(compose ps -q "$service")
    memory=$(podman inspect --format '{{.HostConfig.Memory}}' "$id")
    ((memory > 0)) || fail "$service runs without a memory limit"
done
[[ $(compose exec -T pipeline id -u | tr -d '\r') != 0 ]] || fail "the pipeline runs as root"
max_heap=$(compose exec -T pipeline java -XX:+PrintFlagsFinal -version 2>/dev/null | awk '$2 == "MaxHeapSize" {print $4}')
# 60 % of the 1 GiB limit, give or take the heap's alignment.
((max_heap > 1024 * 1024 * 1024 * 55 / 100 && max_heap <= 1024 * 1024 * 1024 * 62 / 100)) \
    || fail "the pipeline's max heap ($max_heap bytes) is not 60 % of its 1 GB limit"
figure "pipeline max heap $((max_heap / 1024 / 1024)) MB under a 1024 MB limit"

# Publish: identity links first (the join needs them in the table), then interactions.
produce() { # TOPIC < lines "key|json"
    compose exec -T kafka /opt/kafka/bin/kafka-console-producer.sh --bootstrap-server kafka:19092 --topic "$1" \
        --reader-property parse.key=true --reader-property 'key.separator=|' >/dev/null
}
users=10
now_ms=$(($(date +%s) * 1000))
for i in $(seq 1 $users); do
    echo "e2e-$RUN_ID-u$i|{\"fb_user_id\":\"e2e-$RUN_ID-u$i\",\"device_ids\":{\"kochava_device_id\":\"KD-$RUN_ID-$i\"},\"updated_at\":$now_ms}"
done | produce bot.identity-links || fail "could not publish identity links"
metric() { # the value of one /metrics series, 0 when absent
    curl -fsS localhost:8080/metrics | awk -v s="$1" 'index($0, s" ") == 1 {v=$2} END {print (v == "" ? 0 : v)}'
}
until_ok 60 "the pipeline's identity-link table" \
    bash -c "(( \$(curl -fsS localhost:8080/metrics | awk 'index(\$0, \"kobot_records_total{outcome=\\\"updates\\\",stage=\\\"links\\\"} \") == 1 {print int(\$2)}') >= $users ))"
{
    for i in $(seq 1 $users); do
        for e in 1 2; do
            echo "e2e-$RUN_ID-u$i|{\"interaction_id\":\"$RUN_ID-u$i-e$e\",\"kochava_app_id\":\"kobot-e2e\",\"type\":\"EVENT\",\"fb_user_id\":\"e2e-$RUN_ID-u$i\",\"occurred_at\":$now_ms,\"event_name\":\"Step $e\",\"event_data\":{\"id\":\"$RUN_ID-u$i-e$e\"}}"
        done
    done
    # A retried webhook (same interaction_id): delivered once.
    echo "e2e-$RUN_ID-u1|{\"interaction_id\":\"$RUN_ID-u1-e1\",\"kochava_app_id\":\"kobot-e2e\",\"type\":\"EVENT\",\"fb_user_id\":\"e2e-$RUN_ID-u1\",\"occurred_at\":$now_ms,\"event_name\":\"Step 1\",\"event_data\":{\"id\":\"$RUN_ID-u1-e1\"}}"
    # Two bad records: not JSON, and an event without its event_name.
    echo "e2e-$RUN_ID-u1|this is not a record"
    echo "e2e-$RUN_ID-u2|{\"interaction_id\":\"$RUN_ID-bad\",\"kochava_app_id\":\"kobot-e2e\",\"type\":\"EVENT\",\"fb_user_id\":\"e2e-$RUN_ID-u2\",\"occurred_at\":$now_ms}"
} | produce bot.interactions || fail "could not publish interactions"
expected=$((users * 2))

# Every event reaches the stand-in once, with its user's linked device id.
step=$SECONDS
check_delivery() { # [final]: exit 0 when all expected events arrived (final: and each exactly once)
    curl -fsS localhost:8090/stand-in/requests | python3 -c '
import json, sys
run, users, final = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "final"
seen = {}
for request in json.load(sys.stdin):
    body = request.get("body")
    if request.get("method") != "POST" or not body:
        continue
    if isinstance(body, str):
        body = json.loads(body)
    for event in body if isinstance(body, list) else [body]:
        data = event.get("data", {})
        event_id = (data.get("event_data") or {}).get("id", "")
        if event_id.startswith(run + "-"):
            seen.setdefault(event_id, []).append(data.get("device_ids", {}))
wanted = {f"{run}-u{i}-e{e}": i for i in range(1, users + 1) for e in (1, 2)}
missing = sorted(set(wanted) - set(seen))
if missing:
    sys.exit(f"{len(missing)} of {len(wanted)} events not received yet, e.g. {missing[:3]}")
if final:
    problems = [f"{k}: received {len(v)} times" for k, v in seen.items() if len(v) != 1]
    problems += [f"{k} not expected" for k in seen if k not in wanted]
    for k, i in wanted.items():
        ids = seen[k][0]
        if ids.get("fb_user_id") != f"e2e-{run}-u{i}" or ids.get("kochava_device_id") != f"KD-{run}-{i}":
            problems.append(f"{k}: device_ids {sorted(ids)} lack the linked ids")
    if problems:
        sys.exit("; ".join(problems))
print(len(seen))
' "$RUN_ID" "$users" "${1:-}"
}
until_ok 120 "delivery of $expected events to the stand-in" check_delivery
# Duplicates are judged once the pipeline has dropped the retried copy (it wrote 20 engagements, no more).
until_ok 60 "the pipeline dropping the duplicate" \
    bash -c "(( \$(curl -fsS localhost:8080/metrics | awk 'index(\$0, \"kobot_records_total{outcome=\\\"duplicates-dropped\\\",stage=\\\"dedup\\\"} \") == 1 {print int(\$2)}') >= 1 ))"
[[ $(metric 'kobot_records_total{outcome="unique",stage="dedup"}') == "$expected.0" ]] \
    || fail "the pipeline let $(metric 'kobot_records_total{outcome="unique",stage="dedup"}') engagements through, not $expected"
# Then nothing more may arrive: each event stays received exactly once for 15 s (a re-send after a timeout, a
# retry or a task restart would come within that).
hold() { # SECONDS DESCRIPTION COMMAND...: the command succeeds on every try for that long
    local limit=$1 what=$2
    shift 2
    local until=$((SECONDS + limit)) output
    while ((SECONDS < until)); do
        output=$("$@" 2>&1) || fail "$what: ${output:0:500}"
        sleep 1
    done
}
hold 15 "events received exactly once" check_delivery final
delivered=$(check_delivery final) || fail "stand-in: $delivered"
figure "$delivered events delivered to the stand-in, each once with its linked device id, $((SECONDS - step)) s after publishing"

# The bad records are dead letters, with their reason codes.
dead_letters=$(compose exec -T kafka /opt/kafka/bin/kafka-console-consumer.sh --bootstrap-server kafka:19092 \
    --topic bot.interactions.dlq --from-beginning --max-messages 2 --timeout-ms 30000 2>/dev/null | tr -d '\0' || true)
for reason in UNPARSEABLE MISSING_EVENT_NAME; do
    grep -q "$reason" <<<"$dead_letters" || fail "no $reason dead letter in bot.interactions.dlq"
    [[ $(metric "kobot_dead_letters_total{reason=\"$reason\",stage=\"$( [[ $reason == UNPARSEABLE ]] && echo ingest || echo validate)\"}") == 1.0 ]] \
        || fail "kobot_dead_letters_total for $reason is not 1"
done
figure "2 dead letters (UNPARSEABLE, MISSING_EVENT_NAME) in bot.interactions.dlq"

# Health and metrics through the published port, Kafka Streams' RocksDB metrics included.
curl -fsS http://localhost:8080/health/ready | grep -q '"state":"RUNNING"' || fail "/health/ready"
curl -fsS http://localhost:8080/metrics | grep -q '^kobot_records_total{' || fail "/metrics has no kobot_records_total"
# The pipeline's metrics binder looks for new Kafka metrics every 10 s: the stores' metrics follow their tasks' start.
until_ok 60 "RocksDB metrics of the dedup (window) store and an identity-link (key-value) store on /metrics" bash -c \
    'm=$(curl -fsS localhost:8080/metrics | grep "^kafka_stream_state_estimate_pending_compaction_bytes{") &&
     grep -q "state_id=\"dedup-first-copies\"" <<<"$m" && grep -q "state_id=\"identity-link-versions\"" <<<"$m"'
log "/health/ready and /metrics answer on localhost:8080"

# down: nothing left running. The stack mounts named volumes only (an anonymous one would outlive `down`).
stack_volumes=$(podman ps -a -q --filter label=com.docker.compose.project=$PROJECT \
    | xargs podman inspect --format '{{range .Mounts}}{{if eq .Type "volume"}}{{.Name}}{{"\n"}}{{end}}{{end}}' \
    | sed '/^$/d' | sort -u)
unexpected=$(grep -vxE "${PROJECT}_(kafka-data|pipeline-state)" <<<"$stack_volumes" || true)
[[ -z $unexpected ]] || fail "the stack mounts volumes that are not its named ones (down leaves them): $unexpected"
step=$SECONDS
compose down --timeout 30 >/dev/null 2>&1 || fail "compose down failed"
stack_up=false
left=$(podman ps -a -q --filter label=com.docker.compose.project=$PROJECT)
[[ -z $left ]] || fail "containers left after down: $left"
podman volume rm $stack_volumes >/dev/null 2>&1 || true
figure "compose down in $((SECONDS - step)) s: no container left, named volumes only ($(echo $stack_volumes))"
kill "$ticker_pid" 2>/dev/null || true
ticker_pid=

its_status=0
wait "$its_pid" || its_status=$?
its_pid=
check_container_its "$its_status" "$its_started"


echo
echo "e2e: PASSED in $((SECONDS - START)) s"
printf '  %s\n' "${figures[@]}"
