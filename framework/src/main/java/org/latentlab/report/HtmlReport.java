package org.latentlab.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Image;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.latentlab.io.AtomicFiles;
import org.latentlab.run.LikelihoodCurveListener;
import org.latentlab.run.RunSummary;
import org.latentlab.run.SampleGridListener;
import org.latentlab.sweep.ResultsTable;
import org.latentlab.sweep.SweepAnalysis;
import org.latentlab.sweep.SweepRunner;

/**
 * Static HTML reports a person opens in a browser: {@code index.html} in a run folder (its
 * configuration, test metrics, evaluation metrics and every figure under {@code plots/}) and in
 * a sweep folder (the results table with the best trial marked, the sweep's comparison figures
 * under {@code plots/}, and one section per trial linking to its own report).
 *
 * <p>The pages are self-contained: inline CSS, no scripts, no external resources, figures by
 * relative path (PNG shown, SVG and CSV linked), so a report folder can be copied off a cluster
 * and opened from disk. Writes are atomic.
 */
public final class HtmlReport {
    public static final String INDEX = "index.html";
    public static final String PLOTS_DIR = "plots";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EPOCH_PNG = Pattern.compile("epoch-\\d{1,9}\\.png");

    /**
     * Figures shown first, in this order, when present (by file name without extension); others
     * follow alphabetically.
     */
    static final List<String> FIGURE_ORDER = List.of(
            "loss_curves",
            "likelihood_curve",
            "latent_2d",
            "latent_pca",
            "latent_tsne",
            "pixels_pca",
            "reconstructions",
            "denoising",
            "samples",
            "samples_standard_normal",
            "samples_fitted_gaussian",
            "interpolation",
            "manifold",
            "filters",
            "roc",
            "latent_grid",
            "latent_grid_pca",
            "latent_grid_tsne",
            "reconstructions_grid",
            "filters_grid",
            "samples_grid");

    private HtmlReport() {}

    /** Writes {@code index.html} into a run folder written by a training run; returns its path. */
    public static Path writeRun(Path runDir) {
        RunSummary run = RunSummary.read(runDir);
        JsonNode summary = run.toTree();
        String title = (run.model() == null ? "run" : run.model()) + " on "
                + (run.dataset() == null ? "?" : run.dataset()) + " - " + runDir.getFileName();
        StringBuilder b = new StringBuilder();
        head(b, title);
        b.append("<h1>").append(esc(title)).append("</h1>\n");
        b.append("<p class=\"meta\">")
                .append(esc(runDir.toAbsolutePath().normalize().toString()))
                .append(" &middot; report written ")
                .append(esc(Instant.now().toString()))
                .append("</p>\n");

        b.append("<h2>Test metrics</h2>\n");
        keyValueTable(b, summary, k -> k.startsWith("test_") && !k.equals("test_size"));
        b.append("<h2>Training</h2>\n");
        keyValueTable(b, summary, k -> List.of(
                        "train_size",
                        "validation_size",
                        "test_size",
                        "parameters",
                        "epochs_completed",
                        "best_epoch",
                        "stopped_early",
                        "train_seconds",
                        "samples_per_second",
                        "seed",
                        "started",
                        "finished")
                .contains(k));
        Path evaluation = runDir.resolve("evaluation.json");
        if (Files.isRegularFile(evaluation)) {
            b.append("<h2>Evaluation (<a href=\"evaluation.json\">evaluation.json</a>)</h2>\n");
            keyValueTable(b, readJson(evaluation), k -> true);
        }
        figures(b, runDir, runDir, Set.of());
        likelihoodCurve(b, runDir);
        trainingSamples(b, runDir);
        Path config = runDir.resolve("config.json");
        if (Files.isRegularFile(config)) {
            b.append("<h2>Configuration (<a href=\"config.json\">config.json</a>)</h2>\n<pre>")
                    .append(esc(readJson(config).toPrettyString()))
                    .append("</pre>\n");
        }
        if (run.provenance() != null) {
            b.append("<h2>Provenance</h2>\n");
            keyValueTable(b, run.provenance().toTree(), k -> true);
        }
        b.append("</body>\n</html>\n");
        Path index = runDir.resolve(INDEX);
        AtomicFiles.writeString(index, b.toString());
        return index;
    }

    /**
     * Writes {@code index.html} into a sweep folder: results table (from the trial folders, as
     * {@link ResultsTable#collect} reads them), sweep figures, one section per completed trial.
     */
    public static Path writeSweep(Path sweepDir) {
        ResultsTable table = ResultsTable.collect(sweepDir);
        JsonNode sweep = readJson(sweepDir.resolve(SweepRunner.SWEEP_FILE));
        String title = "Sweep "
                + sweep.path("experiment").asText(sweepDir.getFileName().toString());
        StringBuilder b = new StringBuilder();
        head(b, title);
        b.append("<h1>").append(esc(title)).append("</h1>\n");
        long done = table.rows().stream()
                .filter(r -> "completed".equals(r.status()))
                .count();
        b.append("<p class=\"meta\">")
                .append(esc(sweepDir.toAbsolutePath().normalize().toString()))
                .append(" &middot; ")
                .append(done)
                .append(" of ")
                .append(table.rows().size())
                .append(" trials completed");
        List<String> datasets = new ArrayList<>();
        sweep.path("datasets").forEach(d -> datasets.add(d.asText()));
        if (!datasets.isEmpty()) {
            b.append(" &middot; dataset")
                    .append(datasets.size() == 1 ? " " : "s ")
                    .append(esc(String.join(", ", datasets)))
                    .append(sweep.hasNonNull("dataset") ? " (--dataset)" : "");
        }
        b.append(" &middot; ranked by ")
                .append(esc(table.metric()))
                .append(table.minimize() ? " (lower is better)" : " (higher is better)")
                .append(" &middot; report written ")
                .append(esc(Instant.now().toString()))
                .append("</p>\n");

        Optional<ResultsTable.Row> best = table.best();
        b.append("<h2>Results (<a href=\"")
                .append(ResultsTable.CSV)
                .append("\">")
                .append(ResultsTable.CSV)
                .append("</a>)</h2>\n");
        best.ifPresent(r -> b.append("<p>Best trial: <strong>")
                .append(esc(r.trial()))
                .append("</strong>, ")
                .append(esc(table.metric()))
                .append(" = ")
                .append(esc(String.format(Locale.ROOT, "%.6g", r.metrics().get(table.metric()))))
                .append("</p>\n"));
        b.append("<div class=\"scroll\"><table class=\"results\">\n<thead><tr>");
        for (String h : table.header()) {
            b.append("<th>").append(esc(h)).append("</th>");
        }
        b.append("</tr></thead>\n<tbody>\n");
        for (ResultsTable.Row r : table.rows()) {
            boolean isBest = best.isPresent() && best.get().trial().equals(r.trial());
            b.append(isBest ? "<tr class=\"best\">" : "<tr>");
            List<String> cells = table.cells(r);
            for (int i = 0; i < cells.size(); i++) {
                String cell = esc(cells.get(i));
                if (i == 0 && Files.isRegularFile(trialDir(sweepDir, r.trial()).resolve(INDEX))) {
                    cell = "<a href=\"" + attr(relTrial(r.trial()) + "/" + INDEX) + "\">" + cell + "</a>";
                }
                b.append("<td>").append(cell).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</tbody>\n</table></div>\n");

        Set<String> shown = analysis(b, sweepDir);
        figures(b, sweepDir, sweepDir, shown);

        b.append("<h2>Trials</h2>\n");
        for (ResultsTable.Row r : table.rows()) {
            Path dir = trialDir(sweepDir, r.trial());
            b.append("<section class=\"trial\"><h3>")
                    .append(esc(r.trial()))
                    .append(" <span class=\"status\">")
                    .append(esc(r.status()))
                    .append("</span></h3>\n<p>");
            r.params().forEach((k, v) -> b.append("<code>")
                    .append(esc(k))
                    .append(" = ")
                    .append(esc(v))
                    .append("</code> "));
            if (Files.isRegularFile(dir.resolve(INDEX))) {
                b.append(" &middot; <a href=\"")
                        .append(attr(relTrial(r.trial()) + "/" + INDEX))
                        .append("\">full report</a>");
            }
            b.append("</p>\n");
            if (!r.error().isEmpty()) {
                b.append("<pre class=\"error\">").append(esc(r.error())).append("</pre>\n");
            }
            List<Path> pngs = figureFiles(dir);
            if (!pngs.isEmpty()) {
                b.append("<div class=\"thumbs\">");
                for (Path png : pngs) {
                    String rel = relTrial(r.trial()) + "/" + relative(dir, png);
                    b.append("<a href=\"")
                            .append(attr(rel))
                            .append("\"><img src=\"")
                            .append(attr(rel))
                            .append("\" alt=\"")
                            .append(attr(r.trial() + " " + stem(png)))
                            .append("\" title=\"")
                            .append(attr(stem(png)))
                            .append("\"></a>");
                }
                b.append("</div>\n");
            }
            b.append("</section>\n");
        }
        b.append("</body>\n</html>\n");
        Path index = sweepDir.resolve(INDEX);
        AtomicFiles.writeString(index, b.toString());
        return index;
    }

    // ---- pieces ----------------------------------------------------------------------------------------------

    private static final List<Extension> MARKDOWN_EXTENSIONS = List.of(TablesExtension.create());

    /**
     * The experiment's analysis ({@code analysis.md}, written by its {@code analyze}), as HTML: its headings one level
     * down, its tables in the results table's style. Raw HTML in the file is escaped, not passed through. Returns the
     * images it shows (paths as written, relative to the sweep folder), which the figure list then leaves out.
     */
    private static Set<String> analysis(StringBuilder b, Path sweepDir) {
        Path file = sweepDir.resolve(SweepAnalysis.FILE);
        if (!Files.isRegularFile(file)) {
            return Set.of();
        }
        String markdown;
        try {
            markdown = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        // The file's "# Analysis of ..." title becomes this page's h2; its sections ("## ...") h3.
        Node doc = Parser.builder().extensions(MARKDOWN_EXTENSIONS).build().parse(markdown);
        String html = HtmlRenderer.builder()
                .extensions(MARKDOWN_EXTENSIONS)
                .escapeHtml(true)
                .sanitizeUrls(true)
                .build()
                .render(doc);
        html = html.replaceAll("<(/?)h([1-5])>", "<$1hx$2>");
        for (int level = 1; level <= 5; level++) {
            html = html.replace("<hx" + level + ">", "<h" + (level + 1) + ">")
                    .replace("</hx" + level + ">", "</h" + (level + 1) + ">");
        }
        html = html.replace("<table>", "<div class=\"scroll\"><table class=\"analysis\">")
                .replace("</table>", "</table></div>");
        b.append("<section class=\"analysis\">\n").append(html).append("</section>\n");
        Set<String> images = new HashSet<>();
        doc.accept(new AbstractVisitor() {
            @Override
            public void visit(Image image) {
                images.add(image.getDestination());
                visitChildren(image);
            }
        });
        return images;
    }

    private static void head(StringBuilder b, String title) {
        b.append("""
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>""").append(esc(title)).append("""
                </title>
                <style>
                body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto;
                       max-width: 1400px; padding: 0 1rem; color: #222; }
                h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
                .meta { color: #666; font-size: 0.9rem; }
                table { border-collapse: collapse; font-size: 0.9rem; }
                th, td { border: 1px solid #ddd; padding: 0.25rem 0.5rem; text-align: left; }
                .scroll { overflow-x: auto; }
                th { background: #f4f4f4; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
                tr.best { background: #e8f5e9; font-weight: 600; }
                figure { display: inline-block; margin: 0.5rem 1rem 1rem 0; vertical-align: top; }
                figure img { max-width: 100%; border: 1px solid #eee; }
                figcaption { font-size: 0.85rem; color: #444; }
                .epochs figure { margin: 0 0.5rem 0.5rem 0; } .epochs img { height: 200px; }
                .thumbs img { height: 180px; margin: 0 0.5rem 0.5rem 0; border: 1px solid #eee; }
                .status { font-size: 0.8rem; color: #666; font-weight: normal; }
                pre { background: #f8f8f8; padding: 0.5rem; overflow-x: auto; font-size: 0.8rem; }
                pre.error { color: #b00020; }
                </style>
                </head>
                <body>
                """);
    }

    /** The figures under {@code dir/plots/} (and the run's legacy top-level PNGs), PNG shown, SVG and CSV linked. */
    private static void figures(StringBuilder b, Path pageDir, Path dir, Set<String> alreadyShown) {
        List<Path> pngs = new ArrayList<>(figureFiles(dir));
        pngs.removeIf(png -> alreadyShown.contains(relative(pageDir, png)));
        if (pngs.isEmpty()) {
            return;
        }
        b.append("<h2>Figures</h2>\n");
        for (Path png : pngs) {
            String rel = relative(pageDir, png);
            String stem = stem(png);
            b.append("<figure><a href=\"")
                    .append(attr(rel))
                    .append("\"><img src=\"")
                    .append(attr(rel))
                    .append("\" alt=\"")
                    .append(attr(stem))
                    .append("\"></a><figcaption>")
                    .append(esc(stem.replace('_', ' ')));
            for (String ext : List.of("svg", "csv")) {
                Path sibling = png.resolveSibling(stem + "." + ext);
                if (Files.isRegularFile(sibling)) {
                    b.append(" &middot; <a href=\"")
                            .append(attr(relative(pageDir, sibling)))
                            .append("\">")
                            .append(ext.toUpperCase(Locale.ROOT))
                            .append("</a>");
                }
            }
            b.append("</figcaption></figure>\n");
        }
    }

    /**
     * The grids written during training ({@code samples/epoch-NNNN.png}, {@link SampleGridListener}), in epoch
     * order, each captioned with its epoch; nothing when the run wrote none.
     */
    private static void trainingSamples(StringBuilder b, Path runDir) {
        List<Path> grids = trainingSampleFiles(runDir);
        if (grids.isEmpty()) {
            return;
        }
        b.append("<h2>Samples during training</h2>\n<div class=\"epochs\">");
        for (Path png : grids) {
            String rel = relative(runDir, png);
            String epoch = String.valueOf(Integer.parseInt(stem(png).substring("epoch-".length())));
            b.append("<figure><a href=\"")
                    .append(attr(rel))
                    .append("\"><img src=\"")
                    .append(attr(rel))
                    .append("\" alt=\"")
                    .append(attr("epoch " + epoch))
                    .append("\"></a><figcaption>epoch ")
                    .append(esc(epoch))
                    .append("</figcaption></figure>\n");
        }
        b.append("</div>\n");
    }

    /**
     * The test NLL estimated during training ({@code likelihood.csv}, {@link LikelihoodCurveListener}) as a table, one
     * row per estimate (its figure, {@code plots/likelihood_curve}, is among the figures); nothing without the file.
     */
    private static void likelihoodCurve(StringBuilder b, Path runDir) {
        Path file = LikelihoodCurveListener.file(runDir);
        List<LikelihoodCurveListener.Row> rows = LikelihoodCurveListener.read(file);
        if (rows.isEmpty()) {
            return;
        }
        b.append("<h2>Likelihood during training (<a href=\"")
                .append(attr(LikelihoodCurveListener.FILE))
                .append("\">")
                .append(esc(LikelihoodCurveListener.FILE))
                .append("</a>)</h2>\n<div class=\"scroll\"><table class=\"likelihood\">\n<thead><tr>");
        for (String h : LikelihoodCurveListener.HEADER.split(",")) {
            b.append("<th>").append(esc(h)).append("</th>");
        }
        b.append("</tr></thead>\n<tbody>\n");
        for (LikelihoodCurveListener.Row row : rows) {
            b.append("<tr>");
            for (String cell : row.line().split(",", -1)) {
                b.append("<td class=\"num\">").append(esc(cell)).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</tbody>\n</table></div>\n");
    }

    /** {@code samples/epoch-NNNN.png} of a run folder, by epoch. */
    static List<Path> trainingSampleFiles(Path runDir) {
        Path dir = runDir.resolve(SampleGridListener.DIR);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(
                            p -> EPOCH_PNG.matcher(p.getFileName().toString()).matches())
                    .filter(Files::isRegularFile)
                    .sorted(Comparator.comparingInt(p -> Integer.parseInt(stem(p).substring("epoch-".length()))))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** PNGs under {@code dir/plots/} in {@link #FIGURE_ORDER}; without that folder, the PNGs a run writes itself. */
    static List<Path> figureFiles(Path dir) {
        Path plots = dir.resolve(PLOTS_DIR);
        Path where = Files.isDirectory(plots) ? plots : dir;
        if (!Files.isDirectory(where)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(where)) {
            List<Path> pngs =
                    new ArrayList<>(files.filter(p -> p.getFileName().toString().endsWith(".png"))
                            .filter(Files::isRegularFile)
                            .toList());
            pngs.sort(Comparator.<Path>comparingInt(p -> {
                        int i = FIGURE_ORDER.indexOf(stem(p));
                        return i < 0 ? FIGURE_ORDER.size() : i;
                    })
                    .thenComparing(p -> p.getFileName().toString()));
            return pngs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + where, e);
        }
    }

    private static void keyValueTable(StringBuilder b, JsonNode node, Predicate<String> keep) {
        b.append("<table>\n");
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!keep.test(e.getKey())) {
                continue;
            }
            JsonNode v = e.getValue();
            String text;
            boolean num = v.isNumber();
            if (v.isFloatingPointNumber()) {
                text = String.format(Locale.ROOT, "%.6g", v.asDouble());
            } else if (v.isValueNode()) {
                text = v.asText();
            } else {
                text = v.toString();
            }
            b.append("<tr><th>")
                    .append(esc(e.getKey()))
                    .append("</th><td")
                    .append(num ? " class=\"num\"" : "")
                    .append(">")
                    .append(esc(text))
                    .append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    private static Path trialDir(Path sweepDir, String trial) {
        return sweepDir.resolve(SweepRunner.TRIALS_DIR).resolve(trial);
    }

    private static String relTrial(String trial) {
        return SweepRunner.TRIALS_DIR + "/" + trial;
    }

    private static String relative(Path from, Path to) {
        return from.toAbsolutePath()
                .normalize()
                .relativize(to.toAbsolutePath().normalize())
                .toString()
                .replace('\\', '/');
    }

    private static String stem(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** HTML text escape. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A relative URL in an attribute: path segments percent-encoded where needed, then escaped. */
    static String attr(String url) {
        StringBuilder b = new StringBuilder();
        for (char c : url.toCharArray()) {
            if (c == ' ') {
                b.append("%20");
            } else if (c == '#') {
                b.append("%23");
            } else if (c == '?') {
                b.append("%3F");
            } else {
                b.append(c);
            }
        }
        return esc(b.toString());
    }
}
