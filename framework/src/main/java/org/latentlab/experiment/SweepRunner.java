package org.latentlab.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.latentlab.io.AtomicFiles;
import org.latentlab.model.ModelRegistry;
import org.latentlab.run.TrainingRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the trials of an experiment (all of them, or one shard) into a sweep folder:
 * <pre>
 *   sweep.json                 experiment, ranking metric, every trial's id and parameters
 *   trials/NNN-key=value.../   a run folder per trial (see TrainingRun) plus status.json
 *   results.csv, results.md    the table, rebuilt after each shard finishes (or by 'collect')
 * </pre>
 * A trial whose status is completed is skipped; one that was interrupted (status running, or
 * failed) is redone, from its latest checkpoint when it has one. A trial that throws is recorded
 * as failed with its error and the sweep goes on. Every file is written atomically, so killing
 * the runner at any moment loses only the trial in progress.
 */
public final class SweepRunner {
    private static final Logger LOG = LoggerFactory.getLogger(SweepRunner.class);
    public static final String SWEEP_FILE = "sweep.json";
    public static final String TRIALS_DIR = "trials";
    public static final String STATUS_FILE = "status.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ModelRegistry registry;
    private final Path dataDir;
    private final boolean progressBar;

    public SweepRunner(ModelRegistry registry, Path dataDir, boolean progressBar) {
        this.registry = registry;
        this.dataDir = dataDir;
        this.progressBar = progressBar;
    }

    /** Counts of what one call did. */
    public record Outcome(int completed, int skipped, int failed) {
    }

    /** Plans the trials and records them in {@value #SWEEP_FILE} (checking an existing one matches). */
    public List<Trial> prepare(Experiment experiment, Path sweepDir) {
        List<Trial> trials = new TrialPlanner(registry).plan(experiment);
        ObjectNode sweep = JSON.createObjectNode();
        sweep.put("experiment", experiment.name());
        sweep.put("class", experiment.getClass().getName());
        sweep.put("metric", experiment.metric());
        sweep.put("minimize", experiment.minimize());
        ArrayNode list = sweep.putArray("trials");
        for (Trial t : trials) {
            ObjectNode n = list.addObject();
            n.put("index", t.index());
            n.put("id", t.id());
            n.set("params", JSON.valueToTree(t.params()));
        }
        Path file = sweepDir.resolve(SWEEP_FILE);
        try {
            if (Files.isRegularFile(file)) {
                JsonNode existing = JSON.readTree(file.toFile());
                // compare as re-read JSON, so number types (int vs long) do not matter
                JsonNode planned = JSON.readTree(JSON.writeValueAsString(sweep.get("trials")));
                if (!existing.path("trials").equals(planned)) {
                    throw new IllegalArgumentException("the sweep in " + sweepDir + " was started with other trials than "
                            + experiment.name() + " now defines; choose another --out or restore the experiment");
                }
            } else {
                AtomicFiles.writeString(file, JSON.writeValueAsString(sweep));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return trials;
    }

    /** Runs this shard's trials in order. */
    public Outcome run(Experiment experiment, Path sweepDir, Shard shard) {
        List<Trial> trials = prepare(experiment, sweepDir);
        List<Trial> mine = trials.stream().filter(shard::contains).toList();
        LOG.info("sweep {}: {} trials, this process runs {} (shard {} of {})", experiment.name(), trials.size(),
                mine.size(), shard.index(), shard.count());
        int completed = 0;
        int skipped = 0;
        int failed = 0;
        for (Trial trial : mine) {
            switch (runTrial(trial, sweepDir.resolve(TRIALS_DIR).resolve(trial.id()))) {
                case "completed" -> completed++;
                case "skipped" -> skipped++;
                default -> failed++;
            }
        }
        LOG.info("sweep {} shard {}/{}: {} trained, {} already complete, {} failed", experiment.name(), shard.index(),
                shard.count(), completed, skipped, failed);
        return new Outcome(completed, skipped, failed);
    }

    /** Builds, writes and returns the results table, then runs the experiment's analysis. */
    public ResultsTable collect(Experiment experiment, Path sweepDir) {
        ResultsTable table = ResultsTable.collect(sweepDir);
        table.write(sweepDir);
        if (experiment != null) {
            experiment.analyze(table, sweepDir);
        }
        table.best().ifPresent(best -> LOG.info("best trial by {}: {} ({})", table.metric(), best.trial(),
                best.metrics().get(table.metric())));
        return table;
    }

    private String runTrial(Trial trial, Path dir) {
        String previous = status(dir);
        if ("completed".equals(previous) && Files.isRegularFile(dir.resolve(TrainingRun.SUMMARY_FILE))) {
            LOG.info("trial {}: already completed, skipped", trial.id());
            return "skipped";
        }
        writeStatus(dir, "running", null);
        TrainingRun run = new TrainingRun(registry, dataDir, progressBar);
        try {
            if (Files.isRegularFile(dir.resolve(TrainingRun.CONFIG_FILE))) {
                LOG.info("trial {}: interrupted before ({}), continuing", trial.id(), previous);
                run.resume(dir, java.util.Optional.empty());
            } else {
                LOG.info("trial {}: {}", trial.id(), trial.params());
                run.train(trial.config(), dir);
            }
            writeStatus(dir, "completed", null);
            return "completed";
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            String message = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.error("trial {} failed: {}", trial.id(), message);
            LOG.debug("trial failure", e);
            writeStatus(dir, "failed", message);
            return "failed";
        }
    }

    private static String status(Path dir) {
        Path file = dir.resolve(STATUS_FILE);
        if (!Files.isRegularFile(file)) {
            return "new";
        }
        try {
            return JSON.readTree(file.toFile()).path("status").asText("unknown");
        } catch (IOException e) {
            return "unreadable";
        }
    }

    private static void writeStatus(Path dir, String status, String error) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("status", status);
        if (error != null) {
            s.put("error", error);
        }
        s.put("host", host());
        s.put("pid", ProcessHandle.current().pid());
        s.put("time", Instant.now().toString());
        try {
            AtomicFiles.writeString(dir.resolve(STATUS_FILE), JSON.writeValueAsString(s));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
