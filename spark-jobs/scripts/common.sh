# Shared by local-cluster and submit (sourced). Paths, ports, JVM flags and environment.
MODULE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
ROOT="$(cd "$MODULE/.." && pwd)"
export SPARK_HOME="${SPARK_HOME:-$MODULE/target/spark-home}"
STATE="${VTM_CLUSTER_DIR:-$MODULE/target/local-cluster}"
MASTER_PORT="${VTM_SPARK_MASTER_PORT:-17077}"
MASTER_UI_PORT="${VTM_SPARK_MASTER_UI_PORT:-18080}"
WORKER_UI_PORT_BASE="${VTM_SPARK_WORKER_UI_PORT_BASE:-18081}"
WORKER_PORT_BASE="${VTM_SPARK_WORKER_PORT_BASE:-0}"
MASTER_URL="spark://127.0.0.1:$MASTER_PORT"
FLAGS_FILE="$MODULE/target/classes/org/vtm/spark/jvm-flags"
APP_JAR="$(ls "$MODULE"/target/spark-jobs-*-app.jar 2>/dev/null | head -1 || true)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
export SPARK_SCALA_VERSION="${SPARK_SCALA_VERSION:-2.13}"   # without it executors fail: "Cannot find any build directories"
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"         # the host name may resolve to a non-loopback address

ensure_built() {
    if [[ ! -d "$SPARK_HOME/jars" || ! -f "$FLAGS_FILE" || -z "$APP_JAR" ]]; then
        echo "building spark-jobs (SPARK_HOME/jars from Maven, the app jar)..." >&2
        (cd "$ROOT" && mvn -B -q -pl spark-jobs -am package -DskipTests) >&2
        APP_JAR="$(ls "$MODULE"/target/spark-jobs-*-app.jar | head -1)"
    fi
    read -r -a FLAGS < "$FLAGS_FILE"
    # the app jar relocates netty: let the relocated copy use reflection as well
    FLAGS+=("-Dorg.vtm.shaded.netty.tryReflectionSetAccessible=true")
}
