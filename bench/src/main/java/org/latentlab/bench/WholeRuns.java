package org.latentlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.latentlab.data.MnistFetcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whole runs, timed from launch to exit, beside the steady-state windows: what a user waits for.
 *
 * <ul>
 *   <li>{@code train}: the README's 10-epoch VAE command ({@code train --dataset mnist --epochs 10 --batch-size 128
 *       --lr 1e-3 --seed 1 --validation-fraction 0}) and, right after it, PyTorch's {@code vae_mnist.py --epochs 10}
 *       on the same files; each reports when its first training step ended, counted from its process's start (JVM
 *       start, ND4J's initialisation, data and planning included), and Latent Lab where the rest of the time went
 *       ({@code summary.json}'s {@code timings}). Needs full MNIST; {@code --quick} runs 2 epochs on the sample.
 *   <li>{@code sweep}: a spec of {@value #SWEEP_TRIALS} one-epoch VAE trials on {@code mnist-sample}, with {@code
 *       --workers 1} and {@code --workers 2}: trials per hour, and the time outside training steps per trial
 *       (process start, data, planning, evaluation, writing) from each trial's timings and the sweep's wall time.
 *       {@code --quick} runs 4 trials.
 * </ul>
 */
public final class WholeRuns {
    /** The whole runs {@code latentlab bench --runs} chooses from. */
    public enum Kind {
        TRAIN("train"),
        SWEEP("sweep");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        /** The kind with this id; the error lists the valid ones. */
        public static Kind parse(String id) {
            for (Kind k : values()) {
                if (k.id.equals(id.trim())) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown whole run '" + id + "'; valid: train, sweep");
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(WholeRuns.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int SWEEP_TRIALS = 16;
    static final int QUICK_SWEEP_TRIALS = 4;
    static final int TRAIN_EPOCHS = 10;
    static final int QUICK_TRAIN_EPOCHS = 2;
    private static final String SAMPLE_RESOURCES = "/org/latentlab/data/mnist-sample/";

    private final ChildJvm jvm;
    private final Path workDir;
    private final Path dataDir;
    private final String backend;
    private final boolean quick;

    WholeRuns(ChildJvm jvm, Path workDir, Path dataDir, String backend, boolean quick) {
        this.jvm = jvm;
        this.workDir = workDir;
        this.dataDir = dataDir;
        this.backend = backend;
        this.quick = quick;
    }

    /** The training run of Latent Lab, then PyTorch's (null: not measured). */
    Map<String, Object> train(PyTorchPeer pytorch) {
        Map<String, Object> entry = new LinkedHashMap<>();
        boolean full = BenchData.fullMnistPresent(dataDir);
        if (!full && !quick) {
            entry.put("status", "unavailable");
            entry.put(
                    "reason",
                    "needs full MNIST in " + MnistFetcher.mnistDir(dataDir) + " (./latentlab fetch-data mnist)");
            return entry;
        }
        int epochs = quick ? QUICK_TRAIN_EPOCHS : TRAIN_EPOCHS;
        String dataset = full && !quick ? "mnist" : "mnist-sample";
        List<String> args = List.of(
                "train",
                "--dataset",
                dataset,
                "--epochs",
                String.valueOf(epochs),
                "--batch-size",
                "128",
                "--lr",
                "1e-3",
                "--seed",
                "1",
                "--validation-fraction",
                "0");
        entry.put("command", "./latentlab " + String.join(" ", args) + " --out DIR");
        entry.put("dataset", dataset);
        entry.put("epochs", epochs);
        Path out = workDir.resolve("run-train");
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--out", out.toString(), "--data-dir", dataDir.toString(), "--backend", backend));
        LOG.info("whole run: {} ({} epochs on {})", "train", epochs, dataset);
        Map<String, Object> latentlab = jvm.launch("run-train", all, workDir);
        if ("ok".equals(latentlab.get("status"))) {
            latentlab.putAll(summaryFacts(out));
        }
        entry.put("latentlab", latentlab);
        if (pytorch != null) {
            LOG.info("whole run: PyTorch's vae_mnist.py ({} epochs)", epochs);
            Path train;
            Path test;
            if (dataset.equals("mnist")) {
                train = MnistFetcher.mnistDir(dataDir).resolve("train-images-idx3-ubyte");
                test = MnistFetcher.mnistDir(dataDir).resolve("t10k-images-idx3-ubyte");
            } else {
                train = sampleFile("train-images-idx3-ubyte.gz");
                test = sampleFile("t10k-images-idx3-ubyte.gz");
            }
            entry.put("pytorch", pytorch.runVaeMnist(epochs, train, test));
        }
        return entry;
    }

    /** Facts of a finished run from its summary.json: timings, test loss, samples per second. */
    static Map<String, Object> summaryFacts(Path runDir) {
        Map<String, Object> facts = new LinkedHashMap<>();
        try {
            JsonNode s = JSON.readTree(runDir.resolve("summary.json").toFile());
            for (String key : List.of("test_neg_elbo", "test_loss", "samples_per_second", "train_seconds")) {
                if (s.hasNonNull(key)) {
                    facts.put(key, s.get(key).asDouble());
                }
            }
            Map<String, Object> timings = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = s.path("timings").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                timings.put(f.getKey(), f.getValue().asDouble());
            }
            facts.put("timings", timings);
        } catch (IOException e) {
            facts.put("summary_error", "cannot read " + runDir.resolve("summary.json") + ": " + e.getMessage());
        }
        return facts;
    }

    /** The sweep with 1 and with 2 workers. */
    List<Map<String, Object>> sweeps() {
        int trials = quick ? QUICK_SWEEP_TRIALS : SWEEP_TRIALS;
        Path spec = workDir.resolve("bench-sweep.yaml");
        try {
            Files.writeString(spec, spec(trials));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + spec + ": " + e.getMessage(), e);
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (int workers : List.of(1, 2)) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("workers", workers);
            entry.put("trials", trials);
            entry.put("command", "./latentlab sweep --spec SPEC --out DIR --workers " + workers);
            Path out = workDir.resolve("sweep-w" + workers);
            LOG.info("whole run: sweep of {} one-epoch trials, {} worker(s)", trials, workers);
            Map<String, Object> run = jvm.launch(
                    "sweep-w" + workers,
                    List.of(
                            "sweep",
                            "--spec",
                            spec.toString(),
                            "--out",
                            out.toString(),
                            "--workers",
                            String.valueOf(workers),
                            "--data-dir",
                            dataDir.toString(),
                            "--backend",
                            backend),
                    workDir);
            entry.putAll(run);
            if ("ok".equals(run.get("status"))) {
                entry.putAll(sweepFacts(out, trials, workers, ((Number) run.get("wall_seconds")).doubleValue()));
            }
            results.add(entry);
        }
        return results;
    }

    /** The spec: VAE trials on the sample, one epoch each; 4 latent sizes x 2 learning rates x 2 seeds (16). */
    static String spec(int trials) {
        String grid = trials >= SWEEP_TRIALS
                ? "grid:\n  model.latentSize: [2, 8, 16, 32]\n  trainer.learningRate: [0.001, 0.003]\nseeds: [1, 2]\n"
                : "grid:\n  model.latentSize: [2, 8]\n  trainer.learningRate: [0.001, 0.003]\n";
        return "# written by ./latentlab bench: one-epoch VAE trials on the shipped sample\n"
                + "name: bench-sweep\n"
                + "base:\n"
                + "  dataset: mnist-sample\n"
                + "  model: {type: vae}\n"
                + "  trainer: {epochs: 1}\n"
                + grid
                + "metric: test_loss\n";
    }

    /**
     * Per-trial facts of a finished sweep: the trials' own timings (means) and, from the wall time, the time outside
     * training steps per trial: {@code (workers x wall - sum of step seconds) / trials}.
     */
    static Map<String, Object> sweepFacts(Path sweepDir, int trials, int workers, double wallSeconds) {
        Map<String, Object> facts = new LinkedHashMap<>();
        List<Map<String, Double>> timings = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(sweepDir.resolve("trials"))) {
            for (Path d : dirs.sorted().toList()) {
                Map<String, Object> f = summaryFacts(d);
                @SuppressWarnings("unchecked")
                Map<String, Object> t = (Map<String, Object>) f.getOrDefault("timings", Map.of());
                Map<String, Double> numbers = new LinkedHashMap<>();
                t.forEach((k, v) -> numbers.put(k, ((Number) v).doubleValue()));
                if (!numbers.isEmpty()) {
                    timings.add(numbers);
                }
            }
        } catch (IOException e) {
            facts.put("trials_error", "cannot list " + sweepDir.resolve("trials") + ": " + e.getMessage());
            return facts;
        }
        facts.put("trials_finished", timings.size());
        if (timings.size() != trials) {
            facts.put("trials_error", timings.size() + " of " + trials + " trials have timings");
        }
        if (timings.isEmpty()) {
            return facts;
        }
        double steps =
                timings.stream().mapToDouble(t -> t.getOrDefault("steps", 0.0)).sum();
        facts.put("trials_per_hour", trials / wallSeconds * 3600);
        facts.put("seconds_per_trial", workers * wallSeconds / trials);
        facts.put("step_seconds_per_trial", steps / timings.size());
        double overhead = (workers * wallSeconds - steps) / trials;
        facts.put("overhead_seconds_per_trial", overhead);
        facts.put("overhead_fraction", overhead / (workers * wallSeconds / trials));
        Map<String, Double> means = new LinkedHashMap<>();
        for (String key : List.of(
                "run_to_first_step",
                "prepare",
                "steps",
                "epoch_evaluation",
                "epoch_end",
                "after_training",
                "run_total")) {
            means.put(
                    key,
                    timings.stream()
                            .mapToDouble(t -> t.getOrDefault(key, 0.0))
                            .average()
                            .orElse(0));
        }
        facts.put("mean_trial_timings", means);
        double inRuns = timings.stream()
                .mapToDouble(t -> t.getOrDefault("run_total", 0.0))
                .sum();
        // what no trial's clock saw: JVM starts, the sweep's own bookkeeping and writing, workers' uneven ends
        facts.put("outside_trials_seconds_per_trial", (workers * wallSeconds - inRuns) / trials);
        return facts;
    }

    /** A file of the shipped sample, copied out of the class path once. */
    private Path sampleFile(String name) {
        Path file = workDir.resolve("mnist-sample-" + name);
        if (Files.exists(file)) {
            return file;
        }
        try (InputStream in = WholeRuns.class.getResourceAsStream(SAMPLE_RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("the MNIST sample is missing from the class path: " + name);
            }
            Files.copy(in, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }
}
