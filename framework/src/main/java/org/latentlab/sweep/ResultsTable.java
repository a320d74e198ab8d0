package org.latentlab.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.latentlab.eval.EvaluationResult;
import org.latentlab.io.AtomicFiles;
import org.latentlab.run.RunSummary;

/**
 * The sweep-level table: one row per trial with its parameters, status, test metrics and
 * throughput, written as {@code results.csv} and {@code results.md}, with the best trial by the
 * experiment's metric named. Built from the trial folders alone, so it can be collected from a
 * shared results folder after an array job.
 */
public final class ResultsTable {
    public static final String CSV = "results.csv";
    public static final String MARKDOWN = "results.md";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One trial's row. */
    public record Row(
            String trial, Map<String, String> params, String status, Map<String, Double> metrics, String error) {}

    private final List<String> paramColumns;
    private final List<String> metricColumns;
    private final List<Row> rows;
    private final String metric;
    private final boolean minimize;

    private ResultsTable(
            List<String> paramColumns, List<String> metricColumns, List<Row> rows, String metric, boolean minimize) {
        this.paramColumns = paramColumns;
        this.metricColumns = metricColumns;
        this.rows = rows;
        this.metric = metric;
        this.minimize = minimize;
    }

    public List<Row> rows() {
        return rows;
    }

    public String metric() {
        return metric;
    }

    /** The completed trial with the best value of the ranking metric. */
    public Optional<Row> best() {
        Row best = null;
        for (Row r : rows) {
            Double v = r.metrics().get(metric);
            if (!"completed".equals(r.status()) || v == null || v.isNaN()) {
                continue;
            }
            double b = best == null ? Double.NaN : best.metrics().get(metric);
            if (best == null || (minimize ? v < b : v > b)) {
                best = r;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Reads {@code sweep.json} and every trial folder of {@code sweepDir}. */
    public static ResultsTable collect(Path sweepDir) {
        Path sweepFile = sweepDir.resolve(SweepRunner.SWEEP_FILE);
        if (!Files.isRegularFile(sweepFile)) {
            throw new IllegalArgumentException("not a sweep folder: " + sweepDir + " has no " + SweepRunner.SWEEP_FILE);
        }
        try {
            JsonNode sweep = JSON.readTree(sweepFile.toFile());
            Set<String> params = new LinkedHashSet<>();
            Set<String> metrics = new LinkedHashSet<>();
            List<Row> rows = new ArrayList<>();
            for (JsonNode t : sweep.get("trials")) {
                String id = t.get("id").asText();
                Map<String, String> p = new LinkedHashMap<>();
                Iterator<Map.Entry<String, JsonNode>> it = t.get("params").fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String key = e.getKey().substring(e.getKey().lastIndexOf('.') + 1);
                    params.add(key);
                    p.put(
                            key,
                            e.getValue().isTextual()
                                    ? e.getValue().asText()
                                    : e.getValue().toString());
                }
                Path dir = sweepDir.resolve(SweepRunner.TRIALS_DIR).resolve(id);
                String status = "pending";
                String error = "";
                Map<String, Double> m = new LinkedHashMap<>();
                Path statusFile = dir.resolve(SweepRunner.STATUS_FILE);
                if (Files.isRegularFile(statusFile)) {
                    JsonNode s = JSON.readTree(statusFile.toFile());
                    status = s.path("status").asText("unknown");
                    error = s.path("error").asText("");
                }
                if ("completed".equals(status) && Files.isRegularFile(dir.resolve(RunSummary.FILE))) {
                    RunSummary summary = RunSummary.read(dir);
                    Map<String, Double> wanted = summary.testMetrics();
                    wanted.put("train_seconds", summary.trainSeconds());
                    wanted.put("samples_per_second", summary.samplesPerSecond());
                    wanted.forEach((k, v) -> {
                        if (Double.isFinite(v)) { // a NaN metric is written as a string and has no column
                            metrics.add(k);
                            m.put(k, v);
                        }
                    });
                }
                Path evaluation = dir.resolve("evaluation.json");
                if ("completed".equals(status) && Files.isRegularFile(evaluation)) {
                    // Written by 'latentlab evaluate': its headline metrics become eval_ columns.
                    EvaluationResult.read(evaluation).headline().forEach((k, v) -> {
                        metrics.add("eval_" + k);
                        m.put("eval_" + k, v);
                    });
                }
                rows.add(new Row(id, p, status, m, error));
            }
            List<String> metricColumns = new ArrayList<>(metrics);
            // timing last: it differs between machines, the test metrics do not
            for (String timing : List.of("samples_per_second", "train_seconds")) {
                if (metricColumns.remove(timing)) {
                    metricColumns.add(timing);
                }
            }
            return new ResultsTable(
                    new ArrayList<>(params),
                    metricColumns,
                    rows,
                    sweep.path("metric").asText("test_loss"),
                    sweep.path("minimize").asBoolean(true));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read sweep " + sweepDir + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@value #CSV} and {@value #MARKDOWN} into {@code sweepDir}. */
    public void write(Path sweepDir) {
        AtomicFiles.writeString(sweepDir.resolve(CSV), toCsv());
        AtomicFiles.writeString(sweepDir.resolve(MARKDOWN), toMarkdown());
    }

    public String toCsv() {
        StringBuilder b = new StringBuilder();
        List<String> header = header();
        b.append(String.join(",", header)).append('\n');
        for (Row r : rows) {
            b.append(String.join(
                            ",", cells(r).stream().map(ResultsTable::csvCell).toList()))
                    .append('\n');
        }
        return b.toString();
    }

    public String toMarkdown() {
        StringBuilder b = new StringBuilder();
        long done = rows.stream().filter(r -> "completed".equals(r.status())).count();
        b.append("# Sweep results\n\n")
                .append(done)
                .append(" of ")
                .append(rows.size())
                .append(" trials completed. ");
        List<String> failed = rows.stream()
                .filter(r -> "failed".equals(r.status()))
                .map(Row::trial)
                .toList();
        if (!failed.isEmpty()) {
            b.append(failed.size())
                    .append(" failed (")
                    .append(String.join(", ", failed))
                    .append("): see the error column; a rerun of the sweep retries them. ");
        }
        best().ifPresentOrElse(
                        r -> b.append("Best by ")
                                .append(metric)
                                .append(minimize ? " (lowest)" : " (highest)")
                                .append(": **")
                                .append(r.trial())
                                .append("**, ")
                                .append(metric)
                                .append(" = ")
                                .append(format(r.metrics().get(metric))),
                        () -> b.append("No completed trial has ").append(metric).append('.'));
        b.append("\n\n| ").append(String.join(" | ", header())).append(" |\n|");
        header().forEach(h -> b.append("---|"));
        b.append('\n');
        for (Row r : rows) {
            b.append("| ")
                    .append(String.join(
                            " | ",
                            cells(r).stream()
                                    .map(c -> c.replaceAll("[\\r\\n]+", " ").replace("|", "\\|"))
                                    .toList()))
                    .append(" |\n");
        }
        return b.toString();
    }

    /** Whether the ranking metric is minimised. */
    public boolean minimize() {
        return minimize;
    }

    /** The parameter columns, in sweep order. */
    public List<String> paramColumns() {
        return paramColumns;
    }

    /** Column names of the table: trial, parameters, status, metrics, error. */
    public List<String> header() {
        List<String> h = new ArrayList<>();
        h.add("trial");
        h.addAll(paramColumns);
        h.add("status");
        h.addAll(metricColumns);
        h.add("error");
        return h;
    }

    /** The formatted cells of a row, in {@link #header()} order. */
    public List<String> cells(Row r) {
        List<String> c = new ArrayList<>();
        c.add(r.trial());
        paramColumns.forEach(p -> c.add(r.params().getOrDefault(p, "")));
        c.add(r.status());
        metricColumns.forEach(
                m -> c.add(r.metrics().containsKey(m) ? format(r.metrics().get(m)) : ""));
        c.add(r.error());
        return c;
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    private static String csvCell(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
