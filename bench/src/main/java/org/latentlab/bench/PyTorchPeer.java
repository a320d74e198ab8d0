package org.latentlab.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PyTorch peer: {@code bench/pytorch/bench.py} (packed into the jar at build time) run with
 * Debian's {@code /usr/bin/python3} and {@code python3-torch}. When torch is missing it is
 * installed with apt-get ({@code python3-torch libopenblas0-pthread}, the latter because without
 * it torch falls back to the slow reference BLAS) if this process runs as root; otherwise the
 * peer is reported as unavailable, with the reason.
 */
final class PyTorchPeer {
    private static final Logger LOG = LoggerFactory.getLogger(PyTorchPeer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String PYTHON = "/usr/bin/python3";
    static final List<String> PACKAGES = List.of("python3-torch", "libopenblas0-pthread");
    private static final String SCRIPT_RESOURCE = "/org/latentlab/bench/bench.py";

    private final Path workDir;
    private final Duration timeout;
    private Path script;
    /** torch_version, threads, and what was done to get there (installed, openblas). */
    private final Map<String, Object> info = new LinkedHashMap<>();

    private String unavailableReason;

    PyTorchPeer(Path workDir, Duration timeout) {
        this.workDir = workDir;
        this.timeout = timeout;
    }

    /** Checks for (and if need be installs) torch; returns true when the peer can run. */
    boolean prepare() {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            unavailableReason = PYTHON + " not found (install Debian's python3 and python3-torch)";
            return false;
        }
        String probe = probe();
        if (probe == null) {
            if (!canInstall()) {
                unavailableReason =
                        "torch is not importable by " + PYTHON + " and installing it needs root and apt-get "
                                + "(apt-get install -y --no-install-recommends " + String.join(" ", PACKAGES) + ")";
                return false;
            }
            LOG.info("PyTorch peer: torch is missing; installing {} with apt-get", PACKAGES);
            info.put("installed_now", "apt-get install " + String.join(" ", PACKAGES));
            String failure = aptInstall(PACKAGES);
            probe = probe();
            if (probe == null) {
                unavailableReason =
                        "torch is missing and apt-get could not install it" + (failure == null ? "" : ": " + failure);
                return false;
            }
        } else if (!packageInstalled("libopenblas0-pthread") && canInstall()) {
            LOG.info("PyTorch peer: installing libopenblas0-pthread with apt-get (else torch uses the reference BLAS)");
            info.put("installed_now", "apt-get install libopenblas0-pthread");
            aptInstall(List.of("libopenblas0-pthread"));
        }
        try {
            info.putAll(JSON.readValue(probe, new TypeReference<LinkedHashMap<String, Object>>() {}));
        } catch (IOException e) {
            unavailableReason = "unexpected answer from " + PYTHON + ": " + probe;
            return false;
        }
        info.put("libopenblas0_pthread", packageInstalled("libopenblas0-pthread"));
        try (InputStream in = PyTorchPeer.class.getResourceAsStream(SCRIPT_RESOURCE)) {
            if (in == null) {
                unavailableReason =
                        "bench.py is missing from the class path (" + SCRIPT_RESOURCE + "): rebuild the project";
                return false;
            }
            script = workDir.resolve("bench.py");
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            unavailableReason = "cannot write bench.py to " + workDir + ": " + e.getMessage();
            return false;
        }
        Map<String, String> malloc = new LinkedHashMap<>();
        MALLOC_ENV.keySet().forEach(k -> malloc.put(k, System.getenv().getOrDefault(k, MALLOC_ENV.get(k))));
        info.put("malloc_env", malloc);
        LOG.info("PyTorch peer: torch {} with {} threads ({})", info.get("torch_version"), info.get("threads"), PYTHON);
        return true;
    }

    String unavailableReason() {
        return unavailableReason;
    }

    Map<String, Object> info() {
        return info;
    }

    /**
     * Runs one workload ({@code gemm} included) in its own Python process.
     *
     * @param images   IDX image file (gzip allowed) for the training and encode workloads
     * @param repeatTo repeat the images up to this many (0: use them as they are)
     */
    Map<String, Object> run(String workload, TimingPlan plan, boolean quick, Path images, int repeatTo, String device) {
        List<String> cmd = new ArrayList<>(List.of(
                PYTHON,
                script.toString(),
                "--workload",
                workload,
                "--warmup-seconds",
                String.valueOf(plan.warmupSeconds()),
                "--warmup-steps",
                String.valueOf(plan.warmupSteps()),
                "--window-seconds",
                String.valueOf(plan.windowSeconds()),
                "--window-steps",
                String.valueOf(plan.windowSteps()),
                "--windows",
                String.valueOf(plan.windows()),
                "--device",
                device));
        if (quick) {
            cmd.add("--quick");
        }
        if (images != null) {
            cmd.addAll(List.of("--images", images.toString(), "--repeat-to", String.valueOf(repeatTo)));
        }
        Path result = workDir.resolve("pytorch-" + workload + ".json");
        cmd.addAll(List.of("--out", result.toString()));
        return ChildJvm.runProcess(cmd, mallocEnv(), workDir.resolve("pytorch-" + workload + ".log"), result, timeout);
    }

    /**
     * glibc's malloc settings every PyTorch process runs with (a value the user exported wins): without them glibc
     * hands each large tensor freed in a step back to the kernel and maps fresh pages for the next one, and the page
     * faults cost more than the arithmetic. Measured 2026-12-04 on a 2-core AMD EPYC VM, bench.py vae128: about
     * 7,000-10,000 samples/s by default, 23,000-29,000 with both settings, 3,200 and 7,000 with only one of them
     * (docs/PERFORMANCE.md, "The PyTorch peer's allocator"). PyTorch's CPU tuning guide recommends a caching
     * allocator for the same reason; these two variables give glibc's one without installing another. Latent Lab's
     * planned step reuses its arrays, and measured the same with and without them.
     */
    static final Map<String, String> MALLOC_ENV = Map.of(
            "MALLOC_MMAP_THRESHOLD_", "33554432",
            "MALLOC_TRIM_THRESHOLD_", "4294967296");

    /** {@link #MALLOC_ENV}, less what this process's environment already sets. */
    static Map<String, String> mallocEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        MALLOC_ENV.forEach((k, v) -> {
            if (System.getenv(k) == null) {
                env.put(k, v);
            }
        });
        return env;
    }

    private static final String VAE_SCRIPT_RESOURCE = "/org/latentlab/bench/vae_mnist.py";

    /**
     * PyTorch's whole training run, {@code vae_mnist.py --epochs N}, timed from launch to exit; with what the script
     * reports (test loss, samples per second, {@code first_step_seconds} from its process's start).
     */
    Map<String, Object> runVaeMnist(int epochs, Path trainImages, Path testImages) {
        Path vae = workDir.resolve("vae_mnist.py");
        try (InputStream in = PyTorchPeer.class.getResourceAsStream(VAE_SCRIPT_RESOURCE)) {
            if (in == null) {
                return ChildJvm.failed("vae_mnist.py is missing from the class path (" + VAE_SCRIPT_RESOURCE + ")");
            }
            Files.copy(in, vae, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            return ChildJvm.failed("cannot write " + vae + ": " + e.getMessage());
        }
        Path result = workDir.resolve("pytorch-vae_mnist.json");
        List<String> cmd = List.of(
                PYTHON,
                vae.toString(),
                "--epochs",
                String.valueOf(epochs),
                "--train-images",
                trainImages.toString(),
                "--test-images",
                testImages.toString(),
                "--out",
                result.toString());
        Map<String, Object> run =
                ChildJvm.timedProcess(cmd, mallocEnv(), workDir.resolve("pytorch-vae_mnist.log"), timeout);
        if (!"ok".equals(run.get("status"))) {
            return run;
        }
        try {
            JsonNode r = JSON.readTree(result.toFile());
            for (String key : List.of(
                    "test_neg_elbo",
                    "mean_samples_per_sec",
                    "total_train_seconds",
                    "first_step_seconds",
                    "process_seconds",
                    "threads")) {
                if (r.hasNonNull(key)) {
                    run.put(key, r.get(key).asDouble());
                }
            }
        } catch (IOException e) {
            return ChildJvm.failed("cannot read " + result + ": " + e.getMessage());
        }
        return run;
    }

    /** torch's version and default thread count as JSON, or null when torch does not import. */
    private static String probe() {
        String out = run(
                List.of(
                        PYTHON,
                        "-c",
                        "import json, torch; print(json.dumps({'torch_version': torch.__version__, "
                                + "'threads': torch.get_num_threads(), 'python_version': __import__('platform').python_version()}))"),
                Duration.ofMinutes(2));
        return out != null && out.trim().startsWith("{")
                ? out.trim().lines().reduce((a, b) -> b).orElse(null)
                : null;
    }

    private static boolean canInstall() {
        return ProcInfo.uid() == 0 && Files.isExecutable(Path.of("/usr/bin/apt-get"));
    }

    private static boolean packageInstalled(String name) {
        String out = run(List.of("dpkg-query", "-W", "-f=${Status}", name), Duration.ofSeconds(30));
        return out != null && out.contains("install ok installed");
    }

    /** apt-get install (after an apt-get update if the first try fails); returns null on success, else the reason. */
    private static String aptInstall(List<String> packages) {
        List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "--no-install-recommends"));
        install.addAll(packages);
        if (run(install, Duration.ofMinutes(20)) != null) {
            return null;
        }
        LOG.info("apt-get install failed; running apt-get update and trying again");
        run(List.of("apt-get", "update"), Duration.ofMinutes(10));
        return run(install, Duration.ofMinutes(20)) != null
                ? null
                : "apt-get install " + String.join(" ", packages) + " failed";
    }

    /** Runs a command; its stdout if it exits 0 in time, else null. */
    private static String run(List<String> cmd, Duration timeout) {
        Path out = null;
        try {
            out = Files.createTempFile("latentlab-bench", ".out");
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectOutput(out.toFile());
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = pb.start();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? Files.readString(out, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException e) {
                    // a leftover temp file is harmless
                }
            }
        }
    }
}
