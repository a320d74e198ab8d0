package org.latentlab.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.latentlab.core.ModelRegistry;
import org.latentlab.eval.EvaluationOptions;
import org.latentlab.eval.EvaluationResult;
import org.latentlab.eval.Evaluator;
import org.latentlab.io.AtomicFiles;
import org.latentlab.run.RunSummary;
import org.latentlab.run.TensorBoardListener;
import org.latentlab.run.TrainingRun;
import org.latentlab.train.Checkpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the trials of an experiment (all of them, or one shard) into a sweep folder:
 * <pre>
 *   sweep.json                 experiment, scale, dataset override and trial datasets, ranking metric, every
 *                              trial's id and parameters
 *   events.log                 one line per trial event, from every process (see SweepEvents)
 *   trials/NNN-key=value.../   a run folder per trial (see TrainingRun) plus status.json and .lock
 *   results.csv, results.md    the table, rebuilt after each shard finishes (or by 'collect')
 * </pre>
 * A trial is complete when its {@code status.json} says so (written after its
 * {@code summary.json}); a complete trial is never trained again. Before training a trial a
 * process claims it ({@link TrialClaim}, a file lock the kernel drops when the process dies, even
 * by SIGKILL); a trial claimed by another live process is skipped, so processes that were given
 * the same trials share them instead of training them twice. A claimed trial that was interrupted
 * (status running, or failed) is redone, from its latest checkpoint when it has one; one whose
 * {@code summary.json} was written by a process killed before it could mark the trial complete
 * is marked complete without training. A trial that throws (a NaN loss, bad data, out of memory)
 * is recorded as failed with its error and the sweep goes on. Every file is written atomically,
 * so killing the runner at any moment loses only the trial in progress since its last checkpoint.
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

    private boolean tensorBoard = true;

    /** Whether the trials write TensorBoard events (on by default; {@link TrainingRun#tensorBoard}). */
    public SweepRunner tensorBoard(boolean on) {
        this.tensorBoard = on;
        return this;
    }

    /**
     * Counts of what one call did: trials trained to completion, skipped as already complete,
     * failed, and skipped because another process was running them.
     */
    public record Outcome(int completed, int skipped, int failed, int busy) {
        public Outcome(int completed, int skipped, int failed) {
            this(completed, skipped, failed, 0);
        }
    }

    /** Plans the trials and records them in {@value #SWEEP_FILE} (checking an existing one matches). */
    public List<Trial> prepare(Experiment experiment, Path sweepDir) {
        boolean adaptive = experiment.sweep().isAdaptive();
        List<Trial> trials =
                new TrialPlanner(registry).plan(experiment, adaptive ? adaptiveValues(sweepDir) : List.of());
        ObjectNode sweep = JSON.createObjectNode();
        sweep.put("experiment", experiment.name());
        sweep.put("class", experiment.getClass().getName());
        sweep.put("metric", experiment.metric());
        sweep.put("minimize", experiment.minimize());
        sweep.put("scale", experiment.scale().name().toLowerCase(Locale.ROOT));
        experiment.datasetOverride().ifPresent(d -> sweep.put("dataset", d));
        List<String> datasets = datasets(trials);
        ArrayNode datasetList = sweep.putArray("datasets");
        datasets.forEach(datasetList::add);
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
                Experiment.Scale started = scaleOf(existing);
                if (started != experiment.scale()) {
                    throw new IllegalArgumentException("the sweep in " + sweepDir + " was started at scale "
                            + started.name().toLowerCase(Locale.ROOT) + ", not "
                            + experiment.scale().name().toLowerCase(Locale.ROOT) + " ("
                            + (started == Experiment.Scale.QUICK ? "add" : "drop")
                            + " --quick, or choose another --out)");
                }
                requireSameDataset(existing, experiment, datasets, sweepDir);
                // compare as re-read JSON, so number types (int vs long) do not matter
                JsonNode planned = JSON.readTree(JSON.writeValueAsString(sweep.get("trials")));
                JsonNode recorded = existing.path("trials");
                boolean same = adaptive ? isPrefix(recorded, planned) : recorded.equals(planned);
                if (!same) {
                    throw new IllegalArgumentException(
                            "the sweep in " + sweepDir + " was started with other trials than " + experiment.name()
                                    + " now defines; choose another --out or restore the experiment");
                }
                if (adaptive && planned.size() > recorded.size()) {
                    AtomicFiles.writeString(file, JSON.writeValueAsString(sweep)); // the next round's trials
                }
            } else {
                AtomicFiles.writeString(file, JSON.writeValueAsString(sweep));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return trials;
    }

    /** The distinct datasets of {@code trials}, in trial order. */
    static List<String> datasets(List<Trial> trials) {
        return trials.stream().map(t -> t.config().dataset()).distinct().toList();
    }

    /**
     * Fails unless the sweep recorded in {@code existing} was started on the dataset the experiment now plans for:
     * the same {@code --dataset} override (or none), and, when it recorded them, the same trial datasets.
     */
    private static void requireSameDataset(
            JsonNode existing, Experiment experiment, List<String> datasets, Path sweepDir) {
        String started =
                existing.hasNonNull("dataset") ? existing.get("dataset").asText() : null;
        String now = experiment.datasetOverride().orElse(null);
        List<String> recorded = new ArrayList<>();
        existing.path("datasets").forEach(d -> recorded.add(d.asText()));
        boolean sameOverride = Objects.equals(started, now);
        if (sameOverride && (!existing.has("datasets") || recorded.equals(datasets))) {
            return;
        }
        String was = started != null
                ? "dataset " + started + " (--dataset " + started + ")"
                : recorded.isEmpty()
                        ? "the experiment's own dataset (no --dataset)"
                        : "the experiment's own dataset " + String.join(", ", recorded) + " (no --dataset)";
        String fix = started != null
                ? "pass --dataset " + started
                : now != null ? "drop --dataset" : "restore the experiment";
        throw new IllegalArgumentException("the sweep in " + sweepDir + " was started on " + was + ", not "
                + String.join(", ", datasets) + "; " + fix + ", or choose another --out");
    }

    /**
     * The {@code --dataset} override recorded in a sweep folder's {@value #SWEEP_FILE}, empty when the sweep runs
     * on the experiment's own dataset (or has no such file).
     */
    public static Optional<String> datasetOverrideOf(Path sweepDir) {
        JsonNode sweep = readSweep(sweepDir);
        return sweep != null && sweep.hasNonNull("dataset")
                ? Optional.of(sweep.get("dataset").asText())
                : Optional.empty();
    }

    /**
     * The datasets of a sweep's trials as recorded in its {@value #SWEEP_FILE}; empty for a sweep started before
     * they were recorded.
     */
    public static List<String> datasetsOf(Path sweepDir) {
        JsonNode sweep = readSweep(sweepDir);
        List<String> out = new ArrayList<>();
        if (sweep != null) {
            sweep.path("datasets").forEach(d -> out.add(d.asText()));
        }
        return out;
    }

    private static JsonNode readSweep(Path sweepDir) {
        Path file = sweepDir.resolve(SWEEP_FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Whether JSON array {@code prefix} is the start of {@code all}. */
    private static boolean isPrefix(JsonNode prefix, JsonNode all) {
        if (!prefix.isArray() || prefix.size() > all.size()) {
            return false;
        }
        for (int i = 0; i < prefix.size(); i++) {
            if (!prefix.get(i).equals(all.get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The ranking values of an adaptive sweep's first finished trials, in trial order, oriented so that lower is
     * better: a failed trial (or one without the metric) is NaN, the worst; the list stops at the first trial that
     * is not finished.
     */
    static List<Double> adaptiveValues(Path sweepDir) {
        if (!Files.isRegularFile(sweepDir.resolve(SWEEP_FILE))) {
            return List.of();
        }
        ResultsTable table = ResultsTable.collect(sweepDir);
        List<Double> values = new ArrayList<>();
        for (ResultsTable.Row row : table.rows()) {
            if ("failed".equals(row.status())) {
                values.add(Double.NaN);
            } else if ("completed".equals(row.status())) {
                Double v = row.metrics().get(table.metric());
                values.add(v == null ? Double.NaN : table.minimize() ? v : -v);
            } else {
                break;
            }
        }
        return values;
    }

    /** Runs this shard's trials in order. */
    public Outcome run(Experiment experiment, Path sweepDir, Shard shard) {
        if (experiment.sweep().isAdaptive()) {
            return runAdaptive(experiment, sweepDir, shard);
        }
        List<Trial> trials = prepare(experiment, sweepDir);
        List<Trial> mine = trials.stream().filter(shard::contains).toList();
        LOG.info(
                "sweep {}: {} trials, this process (pid {}) runs {} (shard {} of {})",
                experiment.name(),
                trials.size(),
                ProcessHandle.current().pid(),
                mine.size(),
                shard.index(),
                shard.count());
        SweepEvents events = new SweepEvents(sweepDir);
        Set<String> loggedComplete = events.read().stream()
                .filter(e -> e.event().equals("completed"))
                .map(SweepEvents.Event::trial)
                .collect(Collectors.toSet());
        int completed = 0;
        int skipped = 0;
        int failed = 0;
        int busy = 0;
        SweepJudges judges = new SweepJudges(sweepDir, dataDir);
        for (Trial trial : mine) {
            Path dir = sweepDir.resolve(TRIALS_DIR).resolve(trial.id());
            switch (runTrial(experiment, trial, dir, null, events, loggedComplete, judges)) {
                case COMPLETED -> completed++;
                case SKIPPED -> skipped++;
                case BUSY -> busy++;
                case FAILED -> failed++;
            }
        }
        LOG.info(
                "sweep {} shard {}/{}: {} trained, {} already complete, {} failed, {} left to other processes",
                experiment.name(),
                shard.index(),
                shard.count(),
                completed,
                skipped,
                failed,
                busy);
        return new Outcome(completed, skipped, failed, busy);
    }

    /**
     * An adaptive search: round after round, plans the trials the results so far allow, runs this shard's unfinished
     * ones, then helps with any other unfinished one that no live process holds (a worker that died leaves its trial
     * to the others), and waits for trials other processes are running, until every trial of the search is done.
     */
    private Outcome runAdaptive(Experiment experiment, Path sweepDir, Shard shard) {
        int total = experiment
                .sweep()
                .adaptiveTrials(experiment.baseConfig().trainer().epochs());
        int completed = 0;
        int skipped = 0;
        int failed = 0;
        SweepEvents events = new SweepEvents(sweepDir);
        SweepJudges judges = new SweepJudges(sweepDir, dataDir);
        LOG.info(
                "sweep {}: adaptive search of {} trials, this process (pid {}) is shard {} of {}",
                experiment.name(),
                total,
                ProcessHandle.current().pid(),
                shard.index(),
                shard.count());
        while (true) {
            List<Trial> trials = prepare(experiment, sweepDir);
            List<Trial> open = trials.stream()
                    .filter(t -> !isDone(sweepDir.resolve(TRIALS_DIR).resolve(t.id())))
                    .sorted(java.util.Comparator.comparing(t -> !shard.contains(t))) // this shard's first
                    .toList();
            if (open.isEmpty()) {
                if (trials.size() >= total) {
                    break;
                }
                continue; // the next round can be planned now
            }
            Set<String> loggedComplete = events.read().stream()
                    .filter(e -> e.event().equals("completed"))
                    .map(SweepEvents.Event::trial)
                    .collect(Collectors.toSet());
            boolean busy = false;
            for (Trial trial : open) {
                Path dir = sweepDir.resolve(TRIALS_DIR).resolve(trial.id());
                Path parent = trial.parent() == null
                        ? null
                        : sweepDir.resolve(TRIALS_DIR)
                                .resolve(trials.get(trial.parent()).id());
                switch (runTrial(experiment, trial, dir, parent, events, loggedComplete, judges)) {
                    case COMPLETED -> completed++;
                    case SKIPPED -> skipped++;
                    case FAILED -> failed++;
                    case BUSY -> busy = true;
                }
            }
            if (busy) {
                try {
                    Thread.sleep(1000); // another process is running a trial this round needs
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for other shards' trials", e);
                }
            }
        }
        LOG.info(
                "sweep {} shard {}/{}: {} trained, {} already complete, {} failed",
                experiment.name(),
                shard.index(),
                shard.count(),
                completed,
                skipped,
                failed);
        return new Outcome(completed, skipped, failed, 0);
    }

    /** Whether a trial is finished for good: completed, or failed. */
    private static boolean isDone(Path dir) {
        return isComplete(dir) || "failed".equals(status(dir));
    }

    /**
     * Builds, writes and returns the results table, then runs the experiment's analysis (at the scale the sweep was
     * started at) and writes what it found to {@value SweepAnalysis#FILE}.
     */
    public ResultsTable collect(Experiment experiment, Path sweepDir) {
        ResultsTable table = ResultsTable.collect(sweepDir);
        table.write(sweepDir);
        if (experiment != null) {
            Experiment.Scale scale = scaleOf(sweepDir);
            experiment.atScale(scale);
            experiment.onDataset(datasetOverrideOf(sweepDir).orElse(null));
            SweepAnalysis analysis = new SweepAnalysis(table, sweepDir, scale, registry, dataDir);
            experiment.analyze(analysis);
            Path written = analysis.write(experiment.name());
            if (written != null) {
                LOG.info("analysis of {}: {}", experiment.name(), written);
            }
        }
        table.best()
                .ifPresent(best -> LOG.info(
                        "best trial by {}: {} ({})",
                        table.metric(),
                        best.trial(),
                        best.metrics().get(table.metric())));
        return table;
    }

    private enum TrialResult {
        COMPLETED,
        SKIPPED,
        FAILED,
        BUSY
    }

    /**
     * One trial: skip it if complete, else claim it, look again (another process may have
     * finished it between the first look and the claim), and train or resume it.
     */
    private TrialResult runTrial(
            Experiment experiment,
            Trial trial,
            Path dir,
            Path parentDir,
            SweepEvents events,
            Set<String> loggedComplete,
            SweepJudges judges) {
        if (isComplete(dir) && loggedComplete.contains(trial.id())) {
            LOG.info("trial {}: already completed, skipped", trial.id());
            return TrialResult.SKIPPED;
        }
        Optional<TrialClaim> claim = TrialClaim.tryAcquire(dir);
        if (claim.isEmpty()) {
            String holder = TrialClaim.holder(dir);
            LOG.info("trial {}: claimed by {}, skipped here", trial.id(), holder);
            events.append(trial.id(), "busy", "claimed by " + holder);
            return TrialResult.BUSY;
        }
        try (TrialClaim held = claim.get()) {
            String previous = status(dir);
            if (isComplete(dir)) {
                if (!events.hasCompleted(trial.id())) {
                    // Its process was killed between writing status.json and appending to the log, or the
                    // sweep was made before there was a log.
                    events.append(trial.id(), "completed", "status.json said completed; logged late");
                }
                LOG.info("trial {}: already completed, skipped", trial.id());
                return TrialResult.SKIPPED;
            }
            List<String> removed = AtomicFiles.removeLeftovers(dir);
            if (!removed.isEmpty()) {
                LOG.info(
                        "trial {}: removed what an interrupted write left: {}", trial.id(), String.join(", ", removed));
            }
            if (Files.isRegularFile(dir.resolve(RunSummary.FILE))) {
                // summary.json is the last file a run writes: its process died before marking the trial complete.
                LOG.info(
                        "trial {}: finished before ({} has {}) but not marked complete; marked now, not retrained",
                        trial.id(),
                        previous,
                        RunSummary.FILE);
                try {
                    evaluate(experiment, trial, dir, judges);
                } catch (Exception | OutOfMemoryError e) {
                    return failed(trial, dir, events, e);
                }
                writeStatus(dir, "completed", null);
                events.append(trial.id(), "completed", "found finished (summary.json), status was " + previous);
                return TrialResult.COMPLETED;
            }
            writeStatus(dir, "running", null);
            TrainingRun run = new TrainingRun(registry, dataDir, progressBar).tensorBoard(tensorBoard);
            try {
                if (Files.isRegularFile(dir.resolve(TrainingRun.CONFIG_FILE))) {
                    LOG.info("trial {}: interrupted before ({}), continuing", trial.id(), previous);
                    events.append(trial.id(), "resumed", "status was " + previous);
                    // with the planned epochs: a promoted trial's config.json is its parent's until it resumes
                    run.resume(dir, Optional.of(trial.config().trainer().epochs()));
                } else if (parentDir != null) {
                    // Successive halving: continue the promoted trial's run from its last checkpoint.
                    LOG.info(
                            "trial {}: continues {} to {} epochs",
                            trial.id(),
                            parentDir.getFileName(),
                            trial.config().trainer().epochs());
                    events.append(trial.id(), "started", "continues " + parentDir.getFileName());
                    copyRun(parentDir, dir);
                    run.resume(dir, Optional.of(trial.config().trainer().epochs()));
                } else {
                    LOG.info("trial {}: {}", trial.id(), trial.params());
                    events.append(trial.id(), "started", previous.equals("new") ? "" : "status was " + previous);
                    run.train(trial.config(), dir);
                }
                evaluate(experiment, trial, dir, judges);
                writeStatus(dir, "completed", null);
                events.append(trial.id(), "completed", "");
                return TrialResult.COMPLETED;
            } catch (Exception | OutOfMemoryError | StackOverflowError e) {
                return failed(trial, dir, events, e);
            }
        }
    }

    /**
     * Copies what a run needs to continue ({@code config.json}, {@code metrics.csv}, its newest checkpoint, its
     * TensorBoard events and curves) from a finished trial into a new trial's folder; the copy of the config.json is
     * written last, so a copy cut short is redone, not resumed.
     */
    private void copyRun(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        Checkpoints checkpoints = new Checkpoints(from.resolve(TrainingRun.CHECKPOINT_DIR), registry);
        Path latest = checkpoints
                .latest()
                .orElseThrow(() -> new IllegalStateException(
                        "trial " + from.getFileName() + " has no checkpoint to " + "continue from"));
        copyTree(latest, to.resolve(TrainingRun.CHECKPOINT_DIR).resolve(latest.getFileName()));
        Path best = from.resolve(TrainingRun.CHECKPOINT_DIR).resolve(Checkpoints.BEST);
        if (Files.isDirectory(best)) {
            copyTree(best, to.resolve(TrainingRun.CHECKPOINT_DIR).resolve(Checkpoints.BEST));
        }
        for (String name : List.of(TrainingRun.METRICS_FILE, "likelihood.csv")) {
            if (Files.isRegularFile(from.resolve(name))) {
                Files.copy(from.resolve(name), to.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (Files.isDirectory(from.resolve(TensorBoardListener.DIR))) {
            copyTree(from.resolve(TensorBoardListener.DIR), to.resolve(TensorBoardListener.DIR));
        }
        AtomicFiles.writeString(
                to.resolve(TrainingRun.CONFIG_FILE), Files.readString(from.resolve(TrainingRun.CONFIG_FILE)));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static TrialResult failed(Trial trial, Path dir, SweepEvents events, Throwable e) {
        String message = describe(e);
        LOG.error("trial {} failed: {}", trial.id(), message);
        LOG.debug("trial failure", e);
        writeStatus(dir, "failed", message);
        events.append(trial.id(), "failed", message);
        return TrialResult.FAILED;
    }

    /**
     * The experiment's evaluation of a trained trial ({@link Experiment#evaluation}), written to its
     * {@code evaluation.json} before the trial is marked complete; kept if an earlier, interrupted attempt wrote it.
     */
    private void evaluate(Experiment experiment, Trial trial, Path dir, SweepJudges judges) {
        Optional<EvaluationOptions> options = experiment.evaluation(trial.config());
        Path file = dir.resolve(EvaluationResult.FILE);
        if (options.isEmpty() || Files.isRegularFile(file)) {
            return;
        }
        EvaluationOptions opts = options.get();
        TrainingRun.Finished run = new TrainingRun(registry, dataDir, false).load(dir);
        // A dataset without labels has no judge: the evaluator skips it with a note.
        Evaluator.Judge judge = opts.classifierEpochs() > 0 && run.train().hasLabels()
                ? judges.get(run.config().dataset(), opts.classifierEpochs(), opts.seed())
                : null;
        long t0 = System.nanoTime();
        EvaluationResult result = Evaluator.evaluate(run.model(), run.train(), run.test(), opts, judge);
        result.write(file);
        LOG.info(
                "trial {}: evaluated in {} s",
                trial.id(),
                String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
    }

    /** The scale recorded in a sweep folder's {@value #SWEEP_FILE} (full when it records none). */
    public static Experiment.Scale scaleOf(Path sweepDir) {
        Path file = sweepDir.resolve(SWEEP_FILE);
        if (!Files.isRegularFile(file)) {
            return Experiment.Scale.FULL;
        }
        try {
            return scaleOf(JSON.readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static Experiment.Scale scaleOf(JsonNode sweep) {
        return "quick".equals(sweep.path("scale").asText("full")) ? Experiment.Scale.QUICK : Experiment.Scale.FULL;
    }

    /**
     * The one-line reason recorded for a failed trial: the error and its message, for an
     * out-of-memory error also its root cause (JavaCPP's "Cannot allocate new LongPointer(2)" is
     * caused by "physicalBytes (1083M) > maxPhysicalBytes (1024M)") and what to change.
     */
    static String describe(Throwable e) {
        StringBuilder b =
                new StringBuilder(e.getClass().getSimpleName()).append(": ").append(e.getMessage());
        if (e instanceof OutOfMemoryError) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (root != e && root.getMessage() != null) {
                b.append(" (").append(root.getMessage()).append(')');
            }
            b.append("; give the JVM more memory (-Xmx, e.g. LATENTLAB_JAVA_OPTS=-Xmx8g; off-heap arrays are limited "
                    + "in proportion) or make the model or batch smaller");
        }
        return b.toString().replaceAll("[\\r\\n]+", " ");
    }

    /** Complete: status.json says so, and the summary it was written after is there. */
    private static boolean isComplete(Path dir) {
        return "completed".equals(status(dir)) && Files.isRegularFile(dir.resolve(RunSummary.FILE));
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
        s.put("host", SweepEvents.host());
        s.put("pid", ProcessHandle.current().pid());
        s.put("time", Instant.now().toString());
        try {
            AtomicFiles.writeString(dir.resolve(STATUS_FILE), JSON.writeValueAsString(s));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
