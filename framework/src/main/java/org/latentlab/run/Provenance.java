package org.latentlab.run;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.latentlab.engine.EngineOptions;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where a run came from: enough to rebuild it or to explain a difference between two runs
 * (code version and whether the checkout had uncommitted changes, library versions, backend and
 * device, JVM, host).
 */
public final class Provenance {
    private Provenance() {
    }

    /** A snapshot of the current process's provenance, with {@link EngineOptions#current()}. */
    public static Map<String, Object> capture() {
        return capture(EngineOptions.current());
    }

    /** A snapshot of the current process's provenance, as ordered key-value pairs, with the engine's {@code options}. */
    public static Map<String, Object> capture(EngineOptions options) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("latentlab_version", Version.project());
        Path checkout = checkoutRoot();
        p.put("git_commit", checkout == null ? "unknown" : git(checkout, "rev-parse", "HEAD"));
        String status = checkout == null ? "unknown" : git(checkout, "status", "--porcelain", "--untracked-files=no");
        p.put("git_dirty", "unknown".equals(status) ? "unknown" : !status.isBlank());
        p.put("dl4j_version", dl4jVersion());
        p.put("backend", Nd4j.getBackend().getClass().getSimpleName());
        p.put("device", device());
        p.put("cores", Runtime.getRuntime().availableProcessors());
        // What the numbers may depend on besides the seed, data and config (README, "Reliability"):
        // OpenBLAS's kernels for this CPU and the thread counts that sums are split over.
        p.put("openblas_coretype", options.openblasCoreType() == null ? "unset" : options.openblasCoreType());
        p.put("nd4j_threads", Nd4j.getEnvironment().maxMasterThreads());
        p.put("blas_threads", blasThreads());
        p.put("op_threads", options.opThreads().setting());
        p.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        p.put("host", hostName());
        return p;
    }

    private static Object blasThreads() {
        try {
            return Nd4j.factory().blas().getMaxThreads();
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    private static String dl4jVersion() {
        Properties props = new Properties();
        try (InputStream in = Nd4j.class.getResourceAsStream("/META-INF/maven/org.nd4j/nd4j-api/pom.properties")) {
            if (in != null) {
                props.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return props.getProperty("version", "unknown");
    }

    private static String device() {
        if (Nd4j.getBackend().getClass().getSimpleName().toLowerCase().contains("cuda")) {
            Object devices = Nd4j.getExecutioner().getEnvironmentInformation().get("cuda.devicesInformation");
            return devices == null ? "CUDA device" : devices.toString();
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The git checkout the running code was built from, found upward from its jar or classes folder. */
    private static Path checkoutRoot() {
        try {
            Path p = Path.of(Provenance.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
            for (; p != null; p = p.getParent()) {
                if (Files.exists(p.resolve(".git"))) {
                    return p;
                }
            }
        } catch (Exception e) {
            // no code source (e.g. a custom class loader): provenance says unknown
        }
        return null;
    }

    private static String git(Path dir, String... args) {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "git";
        cmd[1] = "-C";
        cmd[2] = dir.toString();
        System.arraycopy(args, 0, cmd, 3, args.length);
        try {
            Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!proc.waitFor(10, TimeUnit.SECONDS) || proc.exitValue() != 0) {
                return "unknown";
            }
            return out;
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
