package org.vtm.interpreter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vtm.interpreter.TrainerConfig;
import picocli.CommandLine;

/** {@code vtm train --engine layers|samediff}: a typed option, the layer engine by default, listed in --help. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TrainCommandEngineTest {
    private static final String[] REQUIRED = {"--corpus", "c", "--family", "chebyshev", "--order", "2", "--epochs", "1",
        "--out", "o"};

    private static TrainCommand parse(String... extra) {
        TrainCommand c = new TrainCommand();
        String[] args = java.util.Arrays.copyOf(REQUIRED, REQUIRED.length + extra.length);
        System.arraycopy(extra, 0, args, REQUIRED.length, extra.length);
        new CommandLine(c).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args); // as VtmMain configures it
        return c;
    }

    @Test
    void engineDefaultsToLayersAndAcceptsSameDiff() {
        assertEquals(TrainerConfig.Engine.LAYERS, parse().engine);
        assertEquals(TrainerConfig.Engine.LAYERS, parse("--engine", "layers").engine);
        assertEquals(TrainerConfig.Engine.SAMEDIFF, parse("--engine", "samediff").engine);
    }

    @Test
    void unknownEngineIsAUsageErrorNamingTheChoices() {
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                () -> parse("--engine", "torch"));
        assertTrue(e.getMessage().contains("--engine") && e.getMessage().contains("LAYERS"), e.getMessage());
    }

    @Test
    void dtypeDefaultsToFloat32OnLayersAndFloat64OnSameDiff() {
        assertEquals(TrainerConfig.Precision.FLOAT32, parse().precision());
        assertEquals(TrainerConfig.Precision.FLOAT64, parse("--engine", "samediff").precision());
        assertEquals(TrainerConfig.Precision.FLOAT64, parse("--dtype", "float64").precision());
        assertEquals(TrainerConfig.Precision.FLOAT64, parse("--engine", "samediff", "--dtype", "float64").precision());
        assertEquals(TrainerConfig.Precision.FLOAT32, parse("--dtype", "float32").precision());
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                () -> parse("--dtype", "float16"));
        assertTrue(e.getMessage().contains("--dtype") && e.getMessage().contains("FLOAT32"), e.getMessage());
        String help = new CommandLine(new TrainCommand()).getUsageMessage();
        assertTrue(help.contains("--dtype=float32|float64") && help.replaceAll("\\s+", " ").contains("Default: float32"),
                help);
    }

    /** samediff with float32 is one usage line (exit 2), before anything is written to --out. */
    @Test
    void sameDiffInFloat32IsRefusedBeforeTheOutputIsClaimed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        TrainCommand c = parse("--engine", "samediff", "--dtype", "float32");
        c.out = tmp.resolve("out");
        org.vtm.transforms.cli.UsageException e = assertThrows(org.vtm.transforms.cli.UsageException.class, c::call);
        assertTrue(e.getMessage().contains("--engine samediff trains in float64 only"), e.getMessage());
        assertTrue(!java.nio.file.Files.exists(c.out), "the output directory was created");
    }

    /** --head tail parses; with --engine samediff it is one usage line before --out is claimed; --help explains it. */
    @Test
    void tailHeadParsesIsRefusedOnSameDiffAndIsDocumented(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        assertEquals(org.vtm.interpreter.ModelConfig.Head.TAIL, parse("--head", "tail").head);
        assertEquals(org.vtm.interpreter.ModelConfig.Head.TRANSFORM, parse().head);
        TrainCommand c = parse("--head", "tail", "--engine", "samediff");
        c.out = tmp.resolve("out");
        org.vtm.transforms.cli.UsageException e = assertThrows(org.vtm.transforms.cli.UsageException.class, c::call);
        assertEquals("--engine samediff has no tail head; use --engine layers for --head tail", e.getMessage());
        assertTrue(!java.nio.file.Files.exists(c.out), "the output directory was created");
        String help = new CommandLine(new TrainCommand()).getUsageMessage().replaceAll("\\s+", " ");
        assertTrue(help.contains("--head=transform|direct|tail") && help.contains("tail: transform plus a predicted Taylor "
                + "tail") && help.contains("Q*"), help);
    }

    @Test
    void helpDocumentsTheEngine() {
        String help = new CommandLine(new TrainCommand()).getUsageMessage();
        assertTrue(help.contains("--engine=layers|samediff"), help);
        assertTrue(help.contains("default: layers"), help);
    }

    /** --loss-eps: parsed, refused out of range, on samediff and with --loss rel (one usage line each, --out untouched). */
    @Test
    void lossFloorParsesAndBadValuesAreUsageErrors(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        assertEquals(1e-10, parse().lossEps);
        assertEquals(1e-24, parse("--loss-eps", "1e-24").lossEps);
        String[][] bad = {{"--loss-eps", "0"}, {"--loss-eps", "2"}, {"--loss-eps", "NaN"},
            {"--loss-eps", "1e-24", "--engine", "samediff", "--dtype", "float64"}, {"--loss-eps", "1e-24", "--loss", "rel"}};
        String[] expected = {"--loss-eps must be within [1e-300, 1], got 0.0", "--loss-eps must be within [1e-300, 1], got 2.0",
            "--loss-eps must be within [1e-300, 1], got NaN",
            "--engine samediff has the fixed floor 1e-10; use --engine layers for --loss-eps 1.0E-24",
            "--loss-eps applies to --loss log_rel only"};
        for (int i = 0; i < bad.length; i++) {
            TrainCommand c = parse(bad[i]);
            c.out = tmp.resolve("out" + i);
            org.vtm.transforms.cli.UsageException e = assertThrows(org.vtm.transforms.cli.UsageException.class, c::call);
            assertEquals(expected[i], e.getMessage());
            assertTrue(!java.nio.file.Files.exists(c.out), "the output directory was created");
        }
        String help = new CommandLine(new TrainCommand()).getUsageMessage().replaceAll("\\s+", " ");
        assertTrue(help.contains("--loss-eps=EPS") && help.contains("far below √ε"), help);
    }
}
