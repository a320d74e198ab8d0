package org.latentlab.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.latentlab.core.ModelRegistry;
import org.latentlab.eval.EvaluationResult;
import org.latentlab.io.AtomicFiles;
import org.latentlab.run.Provenance;
import org.latentlab.run.RunSummary;
import org.latentlab.run.TrainingRun;

/**
 * What {@link Experiment#analyze(SweepAnalysis)} works with: the results table, the sweep folder, the completed
 * trials (loaded on demand with their model and data) and the place its findings go. Sections added with
 * {@link #section} become the sweep's {@value #FILE} (Markdown, written atomically when the analysis returns), which
 * {@code latentlab report} shows under the results table; figures written to {@link #figure} are shown with the
 * sweep's other figures.
 */
public final class SweepAnalysis {
    /** The Markdown file the sections are written to, in the sweep folder. */
    public static final String FILE = "analysis.md";
    /** The folder of the sweep's figures (shared with the report's comparison figures). */
    public static final String PLOTS_DIR = "plots";

    private final ResultsTable results;
    private final Path sweepDir;
    private final Experiment.Scale scale;
    private final TrainingRun runs;
    private final List<String> sections = new ArrayList<>();

    public SweepAnalysis(
            ResultsTable results, Path sweepDir, Experiment.Scale scale, ModelRegistry registry, Path dataDir) {
        this.results = Objects.requireNonNull(results, "results");
        this.sweepDir = Objects.requireNonNull(sweepDir, "sweepDir");
        this.scale = Objects.requireNonNull(scale, "scale");
        this.runs = new TrainingRun(registry, dataDir, false);
    }

    /** The results table, as written to {@code results.csv}. */
    public ResultsTable results() {
        return results;
    }

    /** The sweep folder. */
    public Path sweepDir() {
        return sweepDir;
    }

    /** The scale the sweep was run at. */
    public Experiment.Scale scale() {
        return scale;
    }

    /**
     * The datasets the sweep's trials run on, as its {@value SweepRunner#SWEEP_FILE} records them (one, unless the
     * experiment sweeps over datasets); empty for a sweep started before they were recorded.
     */
    public List<String> datasets() {
        return SweepRunner.datasetsOf(sweepDir);
    }

    /** The completed trials' rows, in trial order. */
    public List<ResultsTable.Row> completed() {
        return results.rows().stream()
                .filter(r -> "completed".equals(r.status()))
                .toList();
    }

    /** The completed trials' rows that {@code filter} accepts. */
    public List<ResultsTable.Row> completed(Predicate<ResultsTable.Row> filter) {
        return completed().stream().filter(filter).toList();
    }

    /** A trial's folder. */
    public Path trialDir(ResultsTable.Row row) {
        return sweepDir.resolve(SweepRunner.TRIALS_DIR).resolve(row.trial());
    }

    /** A completed trial, loaded: its config, saved model, training and test data. */
    public TrainingRun.Finished load(ResultsTable.Row row) {
        return runs.load(trialDir(row));
    }

    /** The trial's {@code evaluation.json}, or null when it was not evaluated. */
    public EvaluationResult evaluation(ResultsTable.Row row) {
        Path file = trialDir(row).resolve(EvaluationResult.FILE);
        return Files.isRegularFile(file) ? EvaluationResult.read(file) : null;
    }

    /** The path of a sweep figure named {@code name} (e.g. {@code pca_vs_ae.png}), its folder made. */
    public Path figure(String name) {
        return plotsDir().resolve(name);
    }

    /** The folder of the sweep's figures ({@value #PLOTS_DIR}), made if missing. */
    public Path plotsDir() {
        Path dir = sweepDir.resolve(PLOTS_DIR);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        return dir;
    }

    /** Adds a section: a heading and Markdown text (paragraphs, lists, pipe tables). */
    public void section(String heading, String markdown) {
        sections.add("## " + heading + "\n\n" + markdown.strip() + "\n");
    }

    /** A Markdown pipe table of {@code rows} under {@code header}; cells are taken as they are. */
    public static String table(List<String> header, List<List<String>> rows) {
        StringBuilder b = new StringBuilder();
        b.append("| ").append(String.join(" | ", header)).append(" |\n|");
        for (int i = 0; i < header.size(); i++) {
            b.append(i == 0 ? "---|" : "---:|");
        }
        b.append('\n');
        for (List<String> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException(
                        "table row has " + row.size() + " cells, the header " + header.size() + ": " + row);
            }
            b.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return b.toString();
    }

    /** {@code value} with 4 significant digits, or an empty cell for null/NaN. */
    public static String num(Double value) {
        if (value == null || value.isNaN()) {
            return "";
        }
        return String.format(Locale.ROOT, "%.4g", value);
    }

    /**
     * Where and how long: completed trials, the sweep's wall time (first trial start to last completion in
     * {@code events.log}, so it spans reruns and waits), the training time summed over trials, and the machine and
     * commit from the first trial's provenance.
     */
    String runFacts() {
        List<SweepEvents.Event> events = new SweepEvents(sweepDir).read();
        Optional<Instant> first = events.stream()
                .filter(e -> e.event().equals("started") || e.event().equals("resumed"))
                .map(SweepEvents.Event::time)
                .min(Instant::compareTo);
        Optional<Instant> last = events.stream()
                .filter(e -> e.event().equals("completed"))
                .map(SweepEvents.Event::time)
                .max(Instant::compareTo);
        double training = completed().stream()
                .mapToDouble(r -> r.metrics().getOrDefault("train_seconds", 0.0))
                .sum();
        StringBuilder b = new StringBuilder("## Run\n\n");
        b.append(completed().size())
                .append(" of ")
                .append(results.rows().size())
                .append(" trials completed");
        if (first.isPresent() && last.isPresent() && !last.get().isBefore(first.get())) {
            double minutes = Duration.between(first.get(), last.get()).toMillis() / 60_000.0;
            b.append(String.format(
                    Locale.ROOT, "; wall time %.1f min (events.log, first start to last completion)", minutes));
        }
        b.append(String.format(Locale.ROOT, "; training %.1f min summed over trials", training / 60));
        if (!completed().isEmpty()) {
            try {
                RunSummary summary = RunSummary.read(trialDir(completed().get(0)));
                Provenance p = summary.provenance();
                if (p != null) {
                    b.append("; ")
                            .append(p.device())
                            .append(", ")
                            .append(p.cores())
                            .append(" cores, commit ")
                            .append(
                                    p.gitCommit() == null
                                            ? "unknown"
                                            : p.gitCommit()
                                                    .substring(
                                                            0,
                                                            Math.min(
                                                                    7,
                                                                    p.gitCommit()
                                                                            .length())))
                            .append(Boolean.TRUE.equals(p.gitDirty()) ? " (dirty)" : "");
                }
            } catch (RuntimeException e) {
                // a summary without provenance: the facts above stand alone
            }
        }
        return b.append(".\n").toString();
    }

    /** Writes the sections to {@value #FILE} (nothing when there are none); returns the file or null. */
    Path write(String experimentName) {
        if (sections.isEmpty()) {
            return null;
        }
        List<String> datasets = datasets();
        String text = "# Analysis of " + experimentName
                + (datasets.isEmpty() ? "" : " on " + String.join(", ", datasets))
                + (scale == Experiment.Scale.QUICK ? " (quick run)" : "")
                + "\n\n" + String.join("\n", sections) + "\n" + runFacts();
        Path file = sweepDir.resolve(FILE);
        AtomicFiles.writeString(file, text);
        return file;
    }
}
