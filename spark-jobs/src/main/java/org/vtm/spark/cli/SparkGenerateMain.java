package org.vtm.spark.cli;

import org.vtm.datagen.cli.GenerateCommand;
import org.vtm.spark.SparkCorpusEngine;

/**
 * The spark-submit entry point of corpus generation
 * ({@code --class org.vtm.spark.cli.SparkGenerateMain}): takes the options of
 * {@code vtm generate} and runs that command with {@code --engine spark}
 * ({@link SparkCorpusEngine}, which runs {@code GenerateCorpusJob}); the master comes from
 * spark-submit.
 */
public final class SparkGenerateMain {
    private SparkGenerateMain() {
    }

    public static void main(String[] args) {
        System.exit(JobMain.execute(new GenerateCommand(), withSparkEngine(args)));
    }

    /** {@code args} preceded by {@code --engine spark}. */
    static String[] withSparkEngine(String[] args) {
        String[] all = new String[args.length + 2];
        all[0] = "--engine";
        all[1] = SparkCorpusEngine.NAME;
        System.arraycopy(args, 0, all, 2, args.length);
        return all;
    }
}
