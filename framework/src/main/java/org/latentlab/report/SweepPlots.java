package org.latentlab.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.knowm.xchart.XYChart;
import org.latentlab.plot.Figures;
import org.latentlab.plot.PanelGrid;
import org.latentlab.plot.PlotFiles;
import org.latentlab.sweep.ResultsTable;
import org.latentlab.sweep.SweepRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The comparison pictures of a sweep, in its {@code plots/} folder:
 * <ul>
 *   <li>{@code metric_<m>_vs_<param>}: the ranking metric (and the evaluation metrics, when
 *       {@code latentlab evaluate} has run) against each swept hyperparameter, one point per
 *       trial;</li>
 *   <li>{@code latent_grid} (2-D codes, else PCA) and {@code latent_grid_tsne}: every completed
 *       trial's latent scatter side by side, titled with its hyperparameters. They are read
 *       from the trials' own {@code plots/latent_*.csv} ({@link RunPlots}), so the trials'
 *       figures must be written first;</li>
 *   <li>{@code reconstructions_grid}, {@code filters_grid} and {@code samples_grid}: the trials' own
 *       {@code plots/reconstructions.png}, {@code filters.png} and {@code samples.png} tiled side by side
 *       ({@link PanelGrid}); a model without a prior shows its {@code samples_standard_normal.png} (codes from
 *       N(0, I), decoded) in the samples grid. A trial without such a figure keeps its place, marked
 *       "no figure"; a kind no trial has is left out.</li>
 * </ul>
 * Every panel is titled by what differs between the trials: the swept parameters whose values are not the
 * same in all completed trials ({@link #titles}), e.g. {@code model=dae, corruptionLevel=0.3}.
 */
public final class SweepPlots {
    private static final Logger LOG = LoggerFactory.getLogger(SweepPlots.class);
    /** The model column of a sweep over model types. */
    private static final String MODEL = "model";

    /** Evaluation metrics charted against the hyperparameters when present. */
    static final List<String> EVAL_METRICS = List.of(
            "eval_is_log_likelihood",
            "eval_knn_accuracy",
            "eval_linear_probe_accuracy",
            "eval_anomaly_auroc",
            "eval_active_units",
            "eval_recon_mse_per_pixel");

    private SweepPlots() {}

    public static List<PlotFiles> write(Path sweepDir) {
        ResultsTable table = ResultsTable.collect(sweepDir);
        Path dir = sweepDir.resolve(HtmlReport.PLOTS_DIR);
        List<PlotFiles> written = new ArrayList<>();
        List<ResultsTable.Row> completed = table.rows().stream()
                .filter(r -> "completed".equals(r.status()))
                .toList();
        if (completed.isEmpty()) {
            LOG.info("{}: no completed trial, no sweep figures", sweepDir);
            return written;
        }
        List<String> metrics = new ArrayList<>();
        metrics.add(table.metric());
        for (String m : EVAL_METRICS) {
            if (completed.stream().anyMatch(r -> r.metrics().containsKey(m)) && !metrics.contains(m)) {
                metrics.add(m);
            }
        }
        for (String param : table.paramColumns()) {
            // a key scoped to some models (vae.beta) has no value in the trials of the others
            List<ResultsTable.Row> having = completed.stream()
                    .filter(r -> r.params().containsKey(param))
                    .toList();
            long distinct =
                    having.stream().map(r -> r.params().get(param)).distinct().count();
            if (distinct < 2 || param.equals("seed")) {
                continue; // nothing to compare along this axis; seeds show as spread at each x instead
            }
            for (String metric : metrics) {
                if (having.stream().noneMatch(r -> r.metrics().containsKey(metric))) {
                    continue;
                }
                written.add(Figures.metricVsHyperparameter(
                        dir, "metric_" + metric + "_vs_" + safe(param), rows(having, param, metric), param, metric));
            }
        }
        Map<String, String> titles = titles(completed);
        for (String[] kind : List.of(
                new String[] {"latent_grid", "latent_2d", "latent_pca"},
                new String[] {"latent_grid_tsne", "latent_tsne"})) {
            List<XYChart> charts = new ArrayList<>();
            for (ResultsTable.Row r : completed) {
                Path plots = sweepDir.resolve(SweepRunner.TRIALS_DIR)
                        .resolve(r.trial())
                        .resolve(HtmlReport.PLOTS_DIR);
                for (int i = 1; i < kind.length; i++) {
                    Path csv = plots.resolve(kind[i] + ".csv");
                    if (Files.isRegularFile(csv)) {
                        charts.add(scatterFromCsv(csv, titles.get(r.trial()), kind[i]));
                        break;
                    }
                }
            }
            if (!charts.isEmpty()) {
                int columns = (int) Math.ceil(Math.sqrt(charts.size()));
                written.add(Figures.chartGrid(
                        dir,
                        kind[0],
                        charts,
                        columns,
                        (kind[0].endsWith("tsne") ? "t-SNE of the codes" : "Latent codes")
                                + " of each trial (test images)"));
            }
        }
        for (String[] kind : IMAGE_FIGURES) {
            List<PanelGrid.Panel> panels = new ArrayList<>();
            boolean any = false;
            for (ResultsTable.Row r : completed) {
                Path plots = sweepDir.resolve(SweepRunner.TRIALS_DIR)
                        .resolve(r.trial())
                        .resolve(HtmlReport.PLOTS_DIR);
                PanelGrid.Panel panel = panel(plots, titles.get(r.trial()), kind);
                if (panel.png() == null) {
                    LOG.debug("{}: trial {} has no {}.png", sweepDir, r.trial(), kind[1]);
                }
                any |= panel.png() != null;
                panels.add(panel);
            }
            if (any) {
                int columns = (int) Math.ceil(Math.sqrt(panels.size()));
                written.add(PanelGrid.write(dir, kind[0], kind[2], panels, columns));
            }
        }
        LOG.info("wrote {} sweep figures to {}", written.size(), dir);
        return written;
    }

    /**
     * The per-trial image figures tiled across trials: sweep figure name, the trial's figure name, title, and
     * optionally the figure shown for a trial without that one and what its panel title then adds. A model without
     * a prior (an autoencoder) shows its decoded N(0, I) codes among the prior samples: for a VAE the prior is
     * N(0, I), so the panels compare the same sampler.
     */
    static final List<String[]> IMAGE_FIGURES = List.of(
            new String[] {"reconstructions_grid", "reconstructions", "Test images and reconstructions of each trial"},
            new String[] {"filters_grid", "filters", "First-layer filters of each trial"},
            new String[] {
                "samples_grid",
                "samples",
                "Samples from the prior of each trial (a model without a prior: codes from N(0, I), decoded)",
                "samples_standard_normal",
                " (N(0, I) codes)"
            });

    /**
     * A trial's panel of the image figure {@code kind} (an entry of {@link #IMAGE_FIGURES}): its figure in
     * {@code trialPlots}, else the fallback figure with the title's addition, else a missing panel.
     */
    static PanelGrid.Panel panel(Path trialPlots, String title, String[] kind) {
        Path png = trialPlots.resolve(kind[1] + ".png");
        if (Files.isRegularFile(png)) {
            return PanelGrid.Panel.belowTitle(title, png);
        }
        if (kind.length > 3) {
            Path fallback = trialPlots.resolve(kind[3] + ".png");
            if (Files.isRegularFile(fallback)) {
                return PanelGrid.Panel.belowTitle(title + kind[4], fallback);
            }
        }
        return PanelGrid.Panel.missing(title);
    }

    /**
     * Each trial's panel title, by trial id: its values of the parameters that differ between {@code trials}, as
     * {@code key=value, ...}, the model first, then in column order. A parameter differs when its values do, or when
     * some trials lack it (a key scoped to one model) - except a setting that at least two trials share with one
     * value and that the others lack only because their model has no such key: that is the sweep's common setup
     * (say every model's width, in a comparison of model types), which would crowd out what tells the trials apart.
     * When nothing differs (one trial), the trial's id.
     */
    static Map<String, String> titles(List<ResultsTable.Row> trials) {
        Set<String> keys = new LinkedHashSet<>();
        keys.add(MODEL);
        trials.forEach(r -> keys.addAll(r.params().keySet()));
        List<String> differing = new ArrayList<>();
        for (String key : keys) {
            long distinct = trials.stream()
                    .map(r -> Optional.ofNullable(r.params().get(key)))
                    .distinct()
                    .count();
            if (distinct > 1 && !commonSetting(trials, key)) {
                differing.add(key);
            }
        }
        Map<String, String> titles = new LinkedHashMap<>();
        for (ResultsTable.Row r : trials) {
            String t = differing.stream()
                    .filter(k -> r.params().containsKey(k))
                    .map(k -> k + "=" + r.params().get(k))
                    .collect(Collectors.joining(", "));
            titles.put(r.trial(), t.isEmpty() ? r.trial() : t);
        }
        return titles;
    }

    /**
     * Whether {@code key} is set to one value in at least two of {@code trials}, and every trial without it has a
     * model that no trial with it has.
     */
    private static boolean commonSetting(List<ResultsTable.Row> trials, String key) {
        List<ResultsTable.Row> having =
                trials.stream().filter(r -> r.params().containsKey(key)).toList();
        if (key.equals(MODEL)
                || having.size() < 2
                || having.stream().map(r -> r.params().get(key)).distinct().count() > 1) {
            return false;
        }
        Set<String> models =
                having.stream().map(r -> String.valueOf(r.params().get(MODEL))).collect(Collectors.toSet());
        return trials.stream()
                .filter(r -> !r.params().containsKey(key))
                .noneMatch(r -> models.contains(String.valueOf(r.params().get(MODEL))));
    }

    /** A chart from a latent scatter CSV written by {@link Figures#latentScatter} (columns x, y, label). */
    static XYChart scatterFromCsv(Path csv, String title, String kind) {
        try {
            List<String> lines = Files.readAllLines(csv);
            if (lines.isEmpty() || !lines.get(0).startsWith("x,y,label")) {
                throw new IllegalArgumentException(
                        csv + ": expected a header 'x,y,label', got '" + (lines.isEmpty() ? "" : lines.get(0)) + "'");
            }
            double[][] xy = new double[lines.size() - 1][2];
            int[] labels = new int[lines.size() - 1];
            boolean labelled = true; // a dataset without labels leaves the label column empty
            for (int i = 1; i < lines.size(); i++) {
                String[] f = lines.get(i).split(",", -1);
                xy[i - 1][0] = Double.parseDouble(f[0]);
                xy[i - 1][1] = Double.parseDouble(f[1]);
                if (f.length < 3 || f[2].isBlank()) {
                    labelled = false;
                } else {
                    labels[i - 1] = (int) Double.parseDouble(f[2]);
                }
            }
            Map<String, String[]> axes = Map.of(
                    "latent_2d",
                    new String[] {"z1", "z2"},
                    "latent_pca",
                    new String[] {"PC 1", "PC 2"},
                    "latent_tsne",
                    new String[] {"t-SNE 1", "t-SNE 2"});
            String[] a = axes.get(kind);
            return Figures.latentScatterChart(title, xy, labelled ? labels : null, a[0], a[1]);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv, e);
        }
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** One map per completed trial: its id, the value of {@code param} and of {@code metric}. */
    private static List<Map<String, Object>> rows(List<ResultsTable.Row> completed, String param, String metric) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ResultsTable.Row r : completed) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("trial", r.trial());
            row.put(param, r.params().get(param));
            row.put(metric, r.metrics().get(metric));
            rows.add(row);
        }
        return rows;
    }
}
