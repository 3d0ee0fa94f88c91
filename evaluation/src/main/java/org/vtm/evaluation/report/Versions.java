package org.vtm.evaluation.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The VTM version and the engines it runs on, as found at run time (not only as declared at build
 * time): Java, the ND4J backend and its devices, Spark and Arrow. {@code vtm version} prints these
 * lines and every report records them.
 */
public final class Versions {
    private Versions() {
    }

    /** The lines {@code vtm version} prints. */
    public static List<String> report() {
        Properties build = buildProperties();
        List<String> lines = new ArrayList<>();
        lines.add("VTM " + build.getProperty("vtm.version"));
        lines.add("Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name")
                + ", " + System.getProperty("java.vendor") + ") at " + System.getProperty("java.home"));
        lines.add("OS " + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                + ", " + Runtime.getRuntime().availableProcessors() + " cores, max heap "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        lines.add(nd4jLine(build));
        lines.add("Spark " + sparkVersion(build) + " (Scala " + scala.util.Properties.versionNumberString() + ")");
        lines.add("Arrow " + implementationVersion(org.apache.arrow.vector.VectorSchemaRoot.class,
                build.getProperty("arrow.version")));
        return lines;
    }

    private static String nd4jLine(Properties build) {
        String backend = Nd4j.getBackend().getClass().getSimpleName();
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        int devices = Nd4j.getAffinityManager().getNumberOfDevices();
        StringBuilder s = new StringBuilder("ND4J ")
                .append(implementationVersion(Nd4j.class, build.getProperty("nd4j.version")))
                .append(" backend ").append(backend)
                .append(", devices: ").append(devices);
        Object blas = env.get("blas.vendor");
        if (blas != null) {
            s.append(" (").append(env.getOrDefault("backend", "CPU")).append(", BLAS ").append(blas)
                    .append(", ").append(env.getOrDefault("omp.threads", "?")).append(" OpenMP threads)");
        }
        return s.toString();
    }

    private static String sparkVersion(Properties build) {
        try (InputStream in = Versions.class.getClassLoader()
                .getResourceAsStream("spark-version-info.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null) {
                    return v;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return build.getProperty("spark.version") + " (declared; spark-version-info.properties not found)";
    }

    private static String implementationVersion(Class<?> c, String declared) {
        Package p = c.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v != null ? v : declared;
    }

    public static Properties buildProperties() {
        Properties p = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream("/org/vtm/evaluation/vtm-build.properties")) {
            if (in == null) {
                throw new IllegalStateException("vtm-build.properties missing from the classpath (broken build)");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
