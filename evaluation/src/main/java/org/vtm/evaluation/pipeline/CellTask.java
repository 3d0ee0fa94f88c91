package org.vtm.evaluation.pipeline;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.factory.Nd4j;
import org.vtm.transforms.ProgressListener;

/**
 * One stage of one cell run as a Spark task: a training of one (cell, seed, variant), or a cell's
 * evaluation. The task rebuilds the cell from its configuration, gives a {@link StageRunner} of the
 * cell's directory the output hashes of the upstream stages the driver ran, and runs the stage —
 * so a stage finished earlier with the same inputs and the same code is skipped, as in
 * {@code vtm pipeline}. Tasks are single-threaded (ND4J limited to one thread; on a cluster the
 * executors also get {@code OMP_NUM_THREADS=1}), so that one task per core is the right load.
 *
 * <p>The task never opens a SparkSession (none exists in a task); what it prints comes back in
 * its {@link Result}, and a failure comes back as a result too (Spark does not retry it: the same
 * inputs would fail again).
 */
public final class CellTask implements org.apache.spark.api.java.function.Function<CellTask.Unit, CellTask.Result> {
    private static final long serialVersionUID = 1L;

    /**
     * A task's work: the stage {@code stage} of the cell {@code cell} (directory {@code dir},
     * effective configuration {@code configJson}), for the training seed {@code seed}; the driver's
     * code hash and the output hashes of the cell's stages that ran before.
     */
    public record Unit(String cell, String dir, String configJson, String stage, long seed, String codeHash,
                       Map<String, String> upstream, int k, int total) implements Serializable {
        public Unit {
            upstream = new LinkedHashMap<>(upstream);
        }
    }

    /**
     * What a task did: whether the stage ran or was skipped, its output hash and timing, or its
     * error; and the process it ran in (an executor's on a cluster).
     */
    public record Result(String cell, String stage, boolean ran, String outputHash, String timing, String log,
                         String error, long pid) implements Serializable {
    }

    @Override
    public Result call(Unit u) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        try {
            Nd4j.getEnvironment().setMaxThreads(1);
            Nd4j.getEnvironment().setMaxMasterThreads(1);
            ExperimentConfig config = ExperimentConfig.fromJson(u.configJson());
            StageRunner runner = new StageRunner(Path.of(u.dir()), u.codeHash(), log);
            u.upstream().forEach(runner::adoptOutput);
            Cell cell = new Cell(config, Path.of(u.dir()), log, ProgressListener.silent(), () -> {
                throw new IllegalStateException("stage " + u.stage() + " asked for Spark inside a Spark task");
            });
            List<StageRunner.Stage> stages = cell.stages(runner);
            StageRunner.Stage s = stages.stream().filter(x -> x.name().equals(u.stage())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("cell has no stage " + u.stage()));
            runner.run(u.k(), u.total(), s);
            log.flush();
            return new Result(u.cell(), u.stage(), runner.ran().contains(u.stage()), runner.outputHash(u.stage()),
                    runner.timings().get(u.stage()), buffer.toString(StandardCharsets.UTF_8), null, ProcessHandle.current().pid());
        } catch (Exception | LinkageError | OutOfMemoryError e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            log.flush();
            return new Result(u.cell(), u.stage(), false, null, null, buffer.toString(StandardCharsets.UTF_8) + trace,
                    e.getClass().getSimpleName() + ": " + e.getMessage(), ProcessHandle.current().pid());
        }
    }
}
