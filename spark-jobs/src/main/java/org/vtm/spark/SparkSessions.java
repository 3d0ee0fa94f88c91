package org.vtm.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Where VTM's Spark jobs get their session. The master is never hard-coded: an explicit
 * {@code --master} wins, then {@code spark.master} as set by spark-submit, then {@code local[*]}
 * (embedded runs with no cluster and no {@code SPARK_HOME}). A session that was already active
 * (tests, notebooks) is reused and left running.
 */
public final class SparkSessions {
    private SparkSessions() {
    }

    /** A session and whether closing it should stop it. */
    public static final class Handle implements AutoCloseable {
        private final SparkSession session;
        private final boolean owned;

        Handle(SparkSession session, boolean owned) {
            this.session = session;
            this.owned = owned;
        }

        public SparkSession session() {
            return session;
        }

        @Override
        public void close() {
            if (owned) {
                session.stop();
            }
        }
    }

    /** The active session, or a new one for {@code master} (null: spark-submit's, else {@code local[*]}). */
    public static Handle open(String master, String appName) {
        return open(master, appName, java.util.Map.of());
    }

    /**
     * {@link #open(String, String)} with settings for a new session (a reused active session keeps
     * its own): e.g. {@code spark.jars} for a cluster's executors.
     */
    public static Handle open(String master, String appName, java.util.Map<String, String> settings) {
        SparkSession active = SparkSession.getActiveSession().getOrElse(() -> SparkSession.getDefaultSession().getOrElse(() -> null));
        if (active != null && !active.sparkContext().isStopped()) {
            return new Handle(active, false);
        }
        SparkConf conf = new SparkConf(); // picks up spark.* system properties (spark-submit)
        String chosen = master != null ? master : conf.get("spark.master", "local[*]");
        SparkSession.Builder b = SparkSession.builder().appName(appName).master(chosen);
        settings.forEach(b::config);
        if (!conf.contains("spark.ui.enabled")) {
            b.config("spark.ui.enabled", "false");
        }
        if (chosen.startsWith("local") && !conf.contains("spark.driver.host") && !settings.containsKey("spark.driver.host")) {
            b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        }
        return new Handle(b.getOrCreate(), true);
    }
}
