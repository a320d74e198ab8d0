package org.latentlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.latentlab.data.MnistFetcher;
import org.latentlab.engine.Backend;
import org.latentlab.engine.TrainingEngine;
import org.latentlab.io.AtomicFiles;
import org.latentlab.run.Provenance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code latentlab bench}: runs every requested workload for Latent Lab and its peers, one process
 * per measurement and one after the other, then writes {@code bench-results.json} and, rendered
 * from exactly that data, {@code BENCHMARKS.md} (both atomically).
 */
public final class Benchmark {
    private static final Logger LOG = LoggerFactory.getLogger(Benchmark.class);
    public static final String JSON_FILE = "bench-results.json";
    public static final String MARKDOWN_FILE = "BENCHMARKS.md";
    static final String SCHEMA = "latentlab-bench/1";

    /**
     * What to run.
     *
     * @param workloads   workloads, in the order to run them
     * @param peers       peers to measure beside Latent Lab
     * @param runs        whole runs to time from launch to exit ({@link WholeRuns}); may be empty
     * @param quick       short windows (smoke tests)
     * @param out         folder for the two files
     * @param dataDir     the data folder (full MNIST in {@code mnist/} when present)
     * @param backend     the {@code --backend} value, passed on to every child JVM
     * @param command     the command line as the user typed it, for the document
     */
    public record Options(
            List<Workload> workloads,
            Set<Peer> peers,
            Set<WholeRuns.Kind> runs,
            boolean quick,
            Path out,
            Path dataDir,
            String backend,
            String command) {
        public Options {
            workloads = List.copyOf(workloads);
            peers = Set.copyOf(peers);
            runs = Set.copyOf(runs);
            if (workloads.isEmpty() && runs.isEmpty()) {
                throw new IllegalArgumentException("no workload or whole run to run");
            }
        }
    }

    private final Options options;
    private final ChildJvm jvm;

    /**
     * @param mainClass the command-line class the child JVMs run ({@code bench-worker} subcommand)
     */
    public Benchmark(Options options, String mainClass) {
        this.options = options;
        Duration timeout = options.quick() ? Duration.ofMinutes(5) : Duration.ofMinutes(20);
        this.jvm = ChildJvm.likeThisJvm(mainClass, timeout);
    }

    /** Runs everything and writes the two files; returns the results as JSON. */
    public JsonNode run() {
        Instant started = Instant.now();
        TimingPlan plan = options.quick() ? TimingPlan.quick() : TimingPlan.full();
        Path workDir = createWorkDir();
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("schema", SCHEMA);
        results.put("command", options.command());
        results.put("started", started.truncatedTo(ChronoUnit.SECONDS).toString());
        results.put("quick", options.quick());
        results.put("timing", plan.toMap());
        results.put("machine", machine());
        results.put("provenance", Provenance.capture());
        results.put(
                "jvm",
                Map.of(
                        "java",
                        jvm.java(),
                        "version",
                        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                        "flags",
                        jvm.jvmFlags()));
        results.put(
                "data",
                Map.of(
                        "source",
                        BenchData.source(options.dataDir()),
                        "description",
                        BenchData.describe(options.dataDir())));
        LOG.info(
                "bench: {} ({}); data: {}",
                options.quick() ? "quick windows" : "full windows",
                describe(plan),
                BenchData.describe(options.dataDir()));

        if (jvm.jvmFlags().stream().noneMatch(f -> f.startsWith("-XX:SharedArchiveFile"))
                && !"0".equals(System.getenv("LATENTLAB_CDS"))) {
            LOG.warn("no class archive is mapped (the launcher records cli/target/latentlab-classes.jsa in the first "
                    + "train, or sweep without --workers, after a build): every measured JVM starts without it, so "
                    + "first steps, whole runs and sweeps come out slower than users see them; run "
                    + "'./latentlab train --dataset mnist-sample --epochs 1' once, then the bench");
        }
        boolean failures = false;
        PyTorchPeer pytorch = null;
        Map<String, Object> peers = new LinkedHashMap<>();
        for (Peer p : Peer.values()) {
            peers.put(
                    p.id(),
                    options.peers().contains(p)
                            ? new LinkedHashMap<>(Map.of("status", "ok"))
                            : ChildJvm.unavailable("not requested"));
        }
        if (options.peers().contains(Peer.PYTORCH)) {
            pytorch = new PyTorchPeer(workDir, options.quick() ? Duration.ofMinutes(5) : Duration.ofMinutes(20));
            if (pytorch.prepare()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> entry = (Map<String, Object>) peers.get(Peer.PYTORCH.id());
                entry.putAll(pytorch.info());
                entry.put("python", PyTorchPeer.PYTHON);
            } else {
                LOG.warn("PyTorch peer unavailable: {}", pytorch.unavailableReason());
                peers.put(Peer.PYTORCH.id(), ChildJvm.unavailable(pytorch.unavailableReason()));
                pytorch = null;
            }
        }
        results.put("peers", peers);
        String torchDevice = "cuda".equals(Backend.loaded()) ? "cuda" : "cpu";

        // The arithmetic limit, measured before the workloads and again after them: the machine may be
        // shared, and the limit is the best of both.
        Map<String, List<Map<String, Object>>> gemm = new LinkedHashMap<>();
        if (options.peers().contains(Peer.GEMM)) {
            failures |= measureGemm("start", gemm, pytorch, plan, torchDevice);
        }
        results.put("gemm", gemm);

        PyTorchData torchData = pytorch == null ? null : pytorchData(workDir);
        List<Map<String, Object>> workloads = new ArrayList<>();
        for (Workload w : options.workloads()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", w.id());
            entry.put("description", w.description());
            entry.put("model", w.type().name());
            entry.put("batch_size", w.batchSize());
            entry.put("inference", w.inference());
            entry.put("flops_per_sample", w.flopsPerSample());
            entry.put("flops_formula", w.flopsFormula());
            Map<String, Object> byImpl = new LinkedHashMap<>();
            LOG.info("{}: Latent Lab ({})", w.id(), w.description());
            byImpl.put(
                    "latentlab", measure(w.id() + "-latentlab", List.of("--task", "latentlab", "--workload", w.id())));
            log(w.id(), "Latent Lab", byImpl.get("latentlab"), "samples_per_second", "samples/s");
            failures |= failed(byImpl.get("latentlab"));
            if (options.peers().contains(Peer.SAMEDIFF) && !w.inference()) {
                LOG.info("{}: Latent Lab with SameDiff's fit", w.id());
                byImpl.put(
                        "samediff",
                        measure(
                                w.id() + "-samediff",
                                List.of("--task", "latentlab", "--workload", w.id()),
                                Map.of(TrainingEngine.ENV, "samediff")));
                log(w.id(), "SameDiff's fit", byImpl.get("samediff"), "samples_per_second", "samples/s");
                failures |= failed(byImpl.get("samediff"));
            }
            if (options.peers().contains(Peer.DL4J) && w.hasDl4jLayerPeer()) {
                LOG.info("{}: DL4J VariationalAutoencoder layer", w.id());
                byImpl.put("dl4j", measure(w.id() + "-dl4j", List.of("--task", "dl4j", "--workload", w.id())));
                log(w.id(), "DL4J layer", byImpl.get("dl4j"), "samples_per_second", "samples/s");
                failures |= failed(byImpl.get("dl4j"));
            }
            if (pytorch != null) {
                LOG.info("{}: PyTorch", w.id());
                PyTorchPeer torch = pytorch;
                byImpl.put(
                        "pytorch",
                        withLoad(() -> torch.run(
                                w.id(), plan, options.quick(), torchData.images(), torchData.repeatTo(), torchDevice)));
                log(w.id(), "PyTorch", byImpl.get("pytorch"), "samples_per_second", "samples/s");
                failures |= failed(byImpl.get("pytorch"));
            }
            entry.put("results", byImpl);
            workloads.add(entry);
        }
        results.put("workloads", workloads);
        Map<String, Object> runs = new LinkedHashMap<>();
        WholeRuns whole = new WholeRuns(jvm, workDir, options.dataDir(), options.backend(), options.quick());
        if (options.runs().contains(WholeRuns.Kind.TRAIN)) {
            Map<String, Object> train = whole.train(pytorch);
            runs.put("train", train);
            failures |= failed(train.get("latentlab")) || failed(train.get("pytorch"));
        }
        if (options.runs().contains(WholeRuns.Kind.SWEEP)) {
            List<Map<String, Object>> sweeps = whole.sweeps();
            runs.put("sweep", sweeps);
            failures |= sweeps.stream().anyMatch(Benchmark::failed);
        }
        results.put("runs", runs);
        if (options.peers().contains(Peer.GEMM)) {
            failures |= measureGemm("end", gemm, pytorch, plan, torchDevice);
        }
        Instant finished = Instant.now();
        results.put("finished", finished.truncatedTo(ChronoUnit.SECONDS).toString());
        results.put("wall_seconds", Duration.between(started, finished).toSeconds());
        results.put("load_average_end", toList(ProcInfo.loadAverage()));

        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        JsonNode tree = mapper.valueToTree(results);
        try {
            Files.createDirectories(options.out());
            AtomicFiles.writeString(options.out().resolve(JSON_FILE), mapper.writeValueAsString(tree) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write " + options.out().resolve(JSON_FILE) + ": " + e.getMessage(), e);
        }
        AtomicFiles.writeString(options.out().resolve(MARKDOWN_FILE), BenchReport.markdown(tree));
        LOG.info(
                "wrote {} and {}",
                options.out().resolve(MARKDOWN_FILE),
                options.out().resolve(JSON_FILE));
        if (failures) {
            LOG.warn("some measurements failed; their logs are kept in {}", workDir);
        } else {
            deleteQuietly(workDir);
        }
        return tree;
    }

    /** ND4J's (and PyTorch's) sgemm, tagged {@code when}; returns true if ND4J's failed. */
    private boolean measureGemm(
            String when,
            Map<String, List<Map<String, Object>>> gemm,
            PyTorchPeer pytorch,
            TimingPlan plan,
            String torchDevice) {
        LOG.info("sgemm ({}): ND4J", when);
        Map<String, Object> nd4j = measure("gemm-nd4j-" + when, List.of("--task", "gemm"));
        nd4j.put("when", when);
        gemm.computeIfAbsent("nd4j", k -> new ArrayList<>()).add(nd4j);
        log("sgemm (" + when + ")", "ND4J", nd4j, "best_gflops", "GFLOP/s");
        if (pytorch != null) {
            LOG.info("sgemm ({}): PyTorch", when);
            Map<String, Object> torch =
                    withLoad(() -> pytorch.run("gemm", plan, options.quick(), null, 0, torchDevice));
            torch.put("when", when);
            gemm.computeIfAbsent("pytorch", k -> new ArrayList<>()).add(torch);
            log("sgemm (" + when + ")", "PyTorch", torch, "best_gflops", "GFLOP/s");
        }
        return failed(nd4j);
    }

    private Map<String, Object> measure(String name, List<String> taskArgs) {
        return measure(name, taskArgs, Map.of());
    }

    private Map<String, Object> measure(String name, List<String> taskArgs, Map<String, String> env) {
        List<String> args = new ArrayList<>(taskArgs);
        args.addAll(List.of("--data-dir", options.dataDir().toString(), "--backend", options.backend()));
        if (options.quick()) {
            args.add("--quick");
        }
        Path workDir = this.workDir;
        return withLoad(() -> jvm.run(name, args, workDir, env));
    }

    private Path workDir;

    private Path createWorkDir() {
        try {
            workDir = Files.createTempDirectory("latentlab-bench");
            return workDir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder: " + e.getMessage(), e);
        }
    }

    /** Runs a measurement and records the load average just before it. */
    private static Map<String, Object> withLoad(Supplier<Map<String, Object>> measurement) {
        List<Double> load = toList(ProcInfo.loadAverage());
        Map<String, Object> result = new LinkedHashMap<>(measurement.get());
        result.put("load_average_before", load);
        return result;
    }

    private static boolean failed(Object result) {
        return result instanceof Map<?, ?> m && !"ok".equals(m.get("status"));
    }

    private static void log(String workload, String who, Object result, String key, String unit) {
        if (result instanceof Map<?, ?> m) {
            if ("ok".equals(m.get("status"))) {
                Object rss = m.get("peak_rss_kib");
                LOG.info(
                        "{}: {} {} {}, peak RSS {} MiB",
                        workload,
                        who,
                        String.format("%,.0f", ((Number) m.get(key)).doubleValue()),
                        unit,
                        rss instanceof Number n ? String.format("%,.0f", n.doubleValue() / 1024) : "?");
            } else {
                LOG.warn("{}: {} {}: {}", workload, who, m.get("status"), m.get("reason"));
            }
        }
    }

    /** The images PyTorch reads: MNIST's IDX file, or the shipped sample (gzip) repeated to 60,000. */
    private record PyTorchData(Path images, int repeatTo) {}

    private PyTorchData pytorchData(Path dir) {
        if (BenchData.fullMnistPresent(options.dataDir())) {
            return new PyTorchData(
                    MnistFetcher.mnistDir(options.dataDir())
                            .resolve("train-images-idx3-ubyte")
                            .toAbsolutePath(),
                    0);
        }
        Path sample = dir.resolve("mnist-sample-train-images-idx3-ubyte.gz");
        if (Files.exists(sample)) {
            return new PyTorchData(sample, BenchData.REPEATED_SIZE);
        }
        try (InputStream in = Benchmark.class.getResourceAsStream(BenchData.SAMPLE_IMAGES_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "the MNIST sample is missing from the class path: " + BenchData.SAMPLE_IMAGES_RESOURCE);
            }
            Files.copy(in, sample);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + sample + ": " + e.getMessage(), e);
        }
        return new PyTorchData(sample, BenchData.REPEATED_SIZE);
    }

    /** The folder this machine's results go to by default: {@code <docs>/benchmarks/<cpu model and vector set>}. */
    public static Path defaultOut(Path docs) {
        return docs.resolve("benchmarks")
                .resolve(ProcInfo.machineSlug(ProcInfo.cpuModel(), ProcInfo.vectorExtensions()));
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu", ProcInfo.cpuModel());
        m.put("vector_extensions", ProcInfo.vectorExtensions());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("memory_kib", ProcInfo.memTotalKib().orElse(-1));
        m.put("os", ProcInfo.operatingSystem());
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("backend", Backend.loaded());
        m.put("gpus", Backend.gpus().stream().map(Object::toString).toList());
        // Native settings every child process inherits (./latentlab exports them; PyTorch gets the same).
        m.put(
                "openblas_coretype",
                System.getenv().getOrDefault("OPENBLAS_CORETYPE", "unset (OpenBLAS's own detection)"));
        m.put("omp_wait_policy", System.getenv().getOrDefault("OMP_WAIT_POLICY", "unset"));
        m.put("load_average_start", toList(ProcInfo.loadAverage()));
        return m;
    }

    private static List<Double> toList(double[] values) {
        List<Double> list = new ArrayList<>();
        for (double v : values) {
            list.add(v);
        }
        return list;
    }

    private static String describe(TimingPlan p) {
        return String.format(
                "warm-up %.0f s / %d steps, then %d windows of %.0f s / %d steps",
                p.warmupSeconds(), p.warmupSteps(), p.windows(), p.windowSeconds(), p.windowSteps());
    }

    private static void deleteQuietly(Path dir) {
        try {
            AtomicFiles.deleteRecursively(dir);
        } catch (IOException e) {
            LOG.debug("could not delete {}: {}", dir, e.getMessage());
        }
    }
}
