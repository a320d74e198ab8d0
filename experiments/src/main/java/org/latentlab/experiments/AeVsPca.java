package org.latentlab.experiments;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.latentlab.data.ImageDataset;
import org.latentlab.eval.EvaluationOptions;
import org.latentlab.eval.EvaluationResult;
import org.latentlab.eval.Pca;
import org.latentlab.eval.PrincipalAngles;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.ReconstructionKind;
import org.latentlab.models.ae.AutoencoderConfig;
import org.latentlab.plot.Figures;
import org.latentlab.plot.Palette;
import org.latentlab.run.RunConfig;
import org.latentlab.run.TrainingRun;
import org.latentlab.sweep.Experiment;
import org.latentlab.sweep.ResultsTable;
import org.latentlab.sweep.Sweep;
import org.latentlab.sweep.SweepAnalysis;
import org.latentlab.train.LrSchedule;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Autoencoders against PCA on MNIST. Lecture 000 (000:105-109) shows Hinton &amp; Salakhutdinov's Fig. 3: the
 * first two principal components of the digits beside the 2-d codes of a 784-1000-500-250-2 autoencoder, where the
 * classes separate far better. Lecture 003 (003:99-136) says that an autoencoder without a nonlinearity lands in
 * the principal subspace even though its encoder and decoder weights need not be each other's transposes, that PCA
 * and an autoencoder minimise the same squared reconstruction error, and that a deep nonlinear autoencoder finds
 * better codes of the same size than a linear one.
 *
 * <p>Six trials: a linear autoencoder 784-k-784 and a deep autoencoder 784-1000-500-250-k (mirrored decoder), each
 * with k = 2, 10 and 30. The analysis draws the Fig. 3 pair (PCA fitted on the training images, test digits, at most
 * 500 per class as in the paper), tabulates and plots the test reconstruction error of PCA (the evaluation's PCA
 * baseline with k components, fitted on the training split), the linear and the deep autoencoder against k,
 * measures the principal angles between the linear autoencoder's subspace and PCA's top-k subspace (Baldi &amp;
 * Hornik, Neural Networks 1989), and sets the 30-d squared errors per image beside Hinton &amp; Salakhutdinov's
 * (Science 2006): 3.00 for their deep autoencoder, 13.87 for PCA.
 *
 * <p>Choices. The linear autoencoder has identity activations everywhere (code and output) and the summed squared error
 * as its loss, so that its optimum is PCA's; Glorot (Xavier-uniform) initialisation, made for layers without a
 * squashing nonlinearity (He-uniform scales a decoder with a 2-unit input to +-1.7, and on the sample such a linear
 * autoencoder stalled above the error of reconstructing every image as the mean; with Glorot it came within 0.4% of
 * PCA); Adam at 1e-2 with a cosine decay to 0 (at the default 1e-3 one epoch of full MNIST left it 55% above PCA's
 * error; at 1e-2 five epochs, with PyTorch-default initialisation, reached 13.90 per test image, the paper's PCA
 * 13.87). The deep autoencoder gets what works for a deep ReLU network trained end to end: ReLU hidden units with
 * He-uniform initialisation (with the PyTorch-default initialisation one epoch ended at 0.030 MSE per pixel, with
 * He-uniform at 0.012), a linear code (as Hinton &amp; Salakhutdinov's code layer), a sigmoid output with the Bernoulli
 * cross-entropy (their fine-tuning loss for MNIST, and the natural one for intensities in [0, 1]), Adam at 1e-3 with a
 * cosine decay. They instead pretrained each layer as an RBM with logistic units and fine-tuned the whole network with
 * conjugate gradients; we train from random weights with Adam, which the analysis says beside their numbers.
 *
 * <p>Scale. Full: MNIST (54,000 training images after the 10% validation split, 10,000 test images), 10 epochs for
 * each deep trial, 10 for each linear one. Measured on this 2-core machine under other jobs' load (load average
 * 10-15): the deep 784-1000-500-250-30 trained at 930-1,210 images/s (45-58 s an epoch), the linear 784-30 at 4,800
 * images/s (11 s an epoch; 13,000-29,000 when the load eased). The deep network has 4.4 times the multiply-adds of
 * the 784-400-20 VAE (12,000 images/s on a quiet machine), so about 2,700 images/s quiet, 1,350 under the usual
 * helper load. Expected wall time: 3 x 10 deep epochs 10-20 min, 3 x 10 linear epochs 1-6 min, six evaluations
 * (PCA fit, probes) 2-4 min, the analysis (one PCA fit, six model loads) about 1 min: 15-31 min, within the 35
 * allowed; at the heaviest load measured above, about 40 min. Quick: the shipped sample, 4 deep and 30 linear
 * epochs, no per-epoch checkpoints: 77 s of training and evaluation plus 11 s of analysis at load average 10.
 *
 * <p>{@code latentlab sweep ae-vs-pca --out runs/ae-vs-pca --report}, or {@code --quick}.
 */
public final class AeVsPca extends GalleryExperiment {
    private static final Logger LOG = LoggerFactory.getLogger(AeVsPca.class);

    /** The code sizes k of both families. */
    static final List<Integer> CODE_SIZES = List.of(2, 10, 30);
    /** Hidden widths of the deep encoder (Hinton &amp; Salakhutdinov's MNIST autoencoder). */
    static final List<Integer> DEEP_HIDDEN = List.of(1000, 500, 250);

    static final int DEEP_EPOCHS = 10;
    static final int DEEP_QUICK_EPOCHS = 4;
    static final int LINEAR_EPOCHS = 10;
    static final int LINEAR_QUICK_EPOCHS = 30;
    static final double LINEAR_LEARNING_RATE = 1e-2;

    /** Hinton &amp; Salakhutdinov 2006: code size of their reported MNIST errors. */
    static final int PAPER_CODE_SIZE = 30;
    /** Their average squared error per test image of the 784-1000-500-250-30 autoencoder. */
    static final double PAPER_DEEP_ERROR = 3.00;
    /** Their average squared error per test image of PCA with 30 components. */
    static final double PAPER_PCA_ERROR = 13.87;
    /** "Within a few percent": a relative difference up to this counts as agreeing with the paper. */
    static final double PAPER_AGREEMENT = 0.05;

    /** Test digits of each class in the two-dimensional scatters (the paper's Fig. 3 shows 500 of each). */
    static final int SCATTER_PER_CLASS = 500;

    /** Decoder weight of the linear autoencoder's only layer: [k, D], reconstruction = code W + b. */
    static final String DECODER_WEIGHT = "decoder/0/W";
    /** Encoder weight of the linear autoencoder's only layer: [D, k], code = x W + b. */
    static final String ENCODER_WEIGHT = "encoder/0/W";

    private static final Color PCA_COLOR = Palette.OKABE_ITO.get(0);
    private static final Color LINEAR_COLOR = Palette.OKABE_ITO.get(5);
    private static final Color DEEP_COLOR = Palette.OKABE_ITO.get(6);

    @Override
    public String name() {
        return "ae-vs-pca";
    }

    @Override
    public String description() {
        return "PCA vs linear and deep (784-1000-500-250-k) AEs, k = 2, 10, 30 (lectures 000:105-109, 003:99-136): "
                + "Fig. 3 scatter, error vs k, principal angles";
    }

    /** The deep autoencoder with a 30-d code; the trials set the code size, and the linear ones everything else. */
    @Override
    public RunConfig baseConfig() {
        AutoencoderConfig deep = AutoencoderConfig.defaults()
                .withEncoderSizes(deepSizes(PAPER_CODE_SIZE))
                .withHiddenActivation(Activation.RELU)
                .withCodeActivation(Activation.IDENTITY)
                .withOutputActivation(Activation.SIGMOID)
                .withLoss(ReconstructionKind.BCE)
                .withWeightInit(WeightInit.HE_UNIFORM);
        return RunConfig.of(deep)
                .withDataset(dataset())
                .withTrainer(trainer(DEEP_EPOCHS, DEEP_QUICK_EPOCHS).toBuilder()
                        .lrSchedule(LrSchedule.COSINE)
                        // A checkpoint after every epoch lets a long trial resume; quick trials only save at the end.
                        .checkpointEvery(quick() ? 0 : 1)
                        .build());
    }

    /** Linear k = 2, 10, 30, then deep k = 2, 10, 30. */
    @Override
    public Sweep sweep() {
        return Sweep.cases(
                linear(CODE_SIZES.get(0)),
                linear(CODE_SIZES.get(1)),
                linear(CODE_SIZES.get(2)),
                deep(CODE_SIZES.get(0)),
                deep(CODE_SIZES.get(1)),
                deep(CODE_SIZES.get(2)));
    }

    private Map<String, Object> linear(int k) {
        return Map.ofEntries(
                Map.entry("encoderSizes", List.of(k)),
                Map.entry("hiddenActivation", "identity"),
                Map.entry("outputActivation", "identity"),
                Map.entry("loss", "mse"),
                Map.entry("weightInit", "xavier_uniform"),
                Map.entry("trainer.epochs", quick() ? LINEAR_QUICK_EPOCHS : LINEAR_EPOCHS),
                Map.entry("trainer.learningRate", LINEAR_LEARNING_RATE));
    }

    private static Map<String, Object> deep(int k) {
        return Map.of("encoderSizes", deepSizes(k));
    }

    static List<Integer> deepSizes(int k) {
        List<Integer> sizes = new ArrayList<>(DEEP_HIDDEN);
        sizes.add(k);
        return List.copyOf(sizes);
    }

    @Override
    public String metric() {
        return "eval_recon_mse_per_pixel";
    }

    @Override
    public Optional<EvaluationOptions> evaluation(RunConfig trial) {
        return Optional.of(baseEvaluation());
    }

    // ------------------------------------------------------------------------------------------------ analysis

    /** One evaluated trial: its family, code size, evaluation and (for a linear one) its principal angles. */
    record TrialResult(boolean linear, int codeSize, int epochs, EvaluationResult evaluation, Angles angles) {
        /** Test squared error per image of the model: MSE per pixel times the pixels per image. */
        double squaredError(int pixels) {
            return evaluation.reconstruction().msePerPixel() * pixels;
        }
    }

    /** Principal angles, in degrees, of the linear autoencoder's decoder and encoder subspaces to PCA's top k. */
    record Angles(double[] decoder, double[] encoder) {}

    /** Whether a trial's model is the linear autoencoder: one layer each way, identity activations. */
    static boolean isLinear(AutoencoderConfig c) {
        return c.encoderSizes().size() == 1
                && c.codeActivation() == Activation.IDENTITY
                && c.outputActivation() == Activation.IDENTITY;
    }

    @Override
    public void analyze(SweepAnalysis analysis) {
        List<TrialResult> trials = new ArrayList<>();
        Pca pca = null;
        ImageDataset test = null;
        int[] scatterRows = null;
        double[][] deepCodes = null;
        int pixels = 0;
        int maxK = 0;
        int blankPixels = 0;
        for (ResultsTable.Row row : analysis.completed()) {
            maxK = Math.max(maxK, codeSizeOf(row, analysis));
        }
        for (ResultsTable.Row row : analysis.completed()) {
            EvaluationResult e = analysis.evaluation(row);
            if (e == null) {
                continue;
            }
            TrainingRun.Finished run = analysis.load(row);
            AutoencoderConfig config = (AutoencoderConfig) run.config().model();
            int k = config.codeSize();
            if (pca == null) {
                // One fit serves every k: its top k components are PCA's top k. One more than the largest code
                // gives the variance just past each k.
                pixels = run.train().featureSize();
                pca = Pca.fit(
                        run.train().features(),
                        Math.min(Math.min(maxK + 1, pixels), run.train().size() - 1));
                blankPixels = blankPixels(run.train());
                test = run.test();
                scatterRows = firstOfEachClass(test, SCATTER_PER_CLASS);
            }
            boolean linear = isLinear(config);
            Angles angles = null;
            if (linear && k <= pca.components()) {
                angles = angles(run, pca, k);
            }
            if (!linear && k == 2) {
                deepCodes = run.model()
                        .encode(test.features(scatterRows))
                        .castTo(DataType.DOUBLE)
                        .toDoubleMatrix();
            }
            trials.add(new TrialResult(linear, k, run.config().trainer().epochs(), e, angles));
        }
        if (trials.isEmpty()) {
            analysis.section("AE vs PCA", "No trial completed with an evaluation: nothing to compare.");
            return;
        }
        scatterSection(analysis, pca, test, scatterRows, deepCodes, trials);
        errorSection(analysis, trials, pixels);
        anglesSection(analysis, trials, pca, blankPixels);
        paperSection(analysis, trials, pixels);
    }

    /** Pixels that are 0 in every image of {@code data}. */
    static int blankPixels(ImageDataset data) {
        double[] max = data.features().max(0).castTo(DataType.DOUBLE).toDoubleVector();
        return (int) Arrays.stream(max).filter(v -> v == 0).count();
    }

    private static int codeSizeOf(ResultsTable.Row row, SweepAnalysis analysis) {
        EvaluationResult e = analysis.evaluation(row);
        return e == null ? 0 : e.codeSize();
    }

    /** The first {@code perClass} rows of each class, in dataset order. */
    static int[] firstOfEachClass(ImageDataset data, int perClass) {
        int[] taken = new int[data.numClasses()];
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            int label = data.label(i);
            if (taken[label] < perClass) {
                taken[label]++;
                rows.add(i);
            }
        }
        return rows.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The principal angles between the linear autoencoder's subspaces and PCA's top {@code k} components. The
     * decoder's is the one that matters: every reconstruction minus the output bias is a combination of the rows of
     * its weight [k, D] (the columns of the usual D x k decoder matrix), so it is the subspace the autoencoder
     * projects onto, the one PCA's reconstruction uses. The encoder's row space (columns of its [D, k] weight) says
     * which directions the code reads; at the optimum both equal the principal subspace (Baldi &amp; Hornik), but
     * nothing ties the encoder to it otherwise (its weights on pixels that are 0 in every training image never get a
     * gradient and keep their initial values), so it is reported beside.
     */
    static Angles angles(TrainingRun.Finished run, Pca pca, int k) {
        INDArray decoder = run.model().graph().getVariable(DECODER_WEIGHT).getArr();
        INDArray encoder = run.model().graph().getVariable(ENCODER_WEIGHT).getArr();
        INDArray principal = pca.componentMatrix()
                .get(NDArrayIndex.interval(0, k), NDArrayIndex.all())
                .transpose();
        return new Angles(
                PrincipalAngles.degrees(PrincipalAngles.between(decoder.transpose(), principal)),
                PrincipalAngles.degrees(PrincipalAngles.between(encoder, principal)));
    }

    private static void scatterSection(
            SweepAnalysis analysis,
            Pca pca,
            ImageDataset test,
            int[] rows,
            double[][] deepCodes,
            List<TrialResult> trials) {
        int[] labels = test.labels(rows);
        double[][] pcaXy = pca.transform(test.features(rows))
                .get(NDArrayIndex.all(), NDArrayIndex.interval(0, Math.min(2, pca.components())))
                .toDoubleMatrix();
        StringBuilder text = new StringBuilder();
        if (pca.components() < 2 || deepCodes == null) {
            text.append("The figure needs PCA with 2 components and the deep autoencoder with a 2-d code; ")
                    .append(deepCodes == null ? "that trial did not complete." : "PCA has fewer components.");
            analysis.section("Two dimensions: PCA vs a deep autoencoder", text.toString());
            return;
        }
        List<XYChart> charts = List.of(
                Figures.latentScatterChart("PCA: first two principal components", pcaXy, labels, "PC 1", "PC 2"),
                Figures.latentScatterChart(
                        "Deep autoencoder 784-1000-500-250-2: code", deepCodes, labels, "code 1", "code 2"));
        Figures.chartGrid(
                analysis.plotsDir(),
                "pca_vs_ae",
                charts,
                2,
                "MNIST test digits in two dimensions (cf. Hinton & Salakhutdinov 2006, Fig. 3)",
                720,
                620);
        text.append(String.format(
                Locale.ROOT,
                "![PCA vs deep autoencoder](%s/pca_vs_ae.png)\n\n"
                        + "%d test digits (at most %d of each class), coloured by digit. Left: their coordinates "
                        + "along the first two principal components of the training images. Right: the 2-d codes "
                        + "of the deep autoencoder. Hinton & Salakhutdinov's Fig. 3 makes the same comparison "
                        + "(500 digits per class).",
                SweepAnalysis.PLOTS_DIR,
                rows.length,
                SCATTER_PER_CLASS));
        List<List<String>> probeRows = new ArrayList<>();
        for (TrialResult t : trials) {
            EvaluationResult.ProbeAccuracy p = t.evaluation().probes();
            if (t.codeSize() == 2 && p != null) {
                probeRows.add(List.of(
                        t.linear() ? "linear AE (a 2-d subspace, near PCA's)" : "deep AE",
                        SweepAnalysis.num(p.linearAccuracy()),
                        SweepAnalysis.num(p.knnAccuracy())));
            }
        }
        if (!probeRows.isEmpty()) {
            text.append("\n\nHow well the 2-d codes separate the digits, from the evaluation's probes on the test "
                            + "codes (fitted on training codes):\n\n")
                    .append(SweepAnalysis.table(
                            List.of("2-d code of", "linear probe accuracy", "k-NN accuracy"), probeRows));
        }
        analysis.section("Two dimensions: PCA vs a deep autoencoder", text.toString());
    }

    private static void errorSection(SweepAnalysis analysis, List<TrialResult> trials, int pixels) {
        TreeMap<Integer, Double> pcaError = new TreeMap<>();
        TreeMap<Integer, Double> linearError = new TreeMap<>();
        TreeMap<Integer, Double> deepError = new TreeMap<>();
        TreeMap<Integer, Double> linearMse = new TreeMap<>();
        TreeMap<Integer, Double> deepMse = new TreeMap<>();
        TreeMap<Integer, Double> pcaMse = new TreeMap<>();
        for (TrialResult t : trials) {
            EvaluationResult.PcaBaseline p = t.evaluation().pca();
            if (p != null) {
                pcaMse.put(p.components(), p.msePerPixel());
                pcaError.put(p.components(), p.msePerPixel() * pixels);
            }
            (t.linear() ? linearMse : deepMse)
                    .put(t.codeSize(), t.evaluation().reconstruction().msePerPixel());
            (t.linear() ? linearError : deepError).put(t.codeSize(), t.squaredError(pixels));
        }
        List<List<String>> rows = new ArrayList<>();
        for (int k : union(pcaError, linearError, deepError)) {
            Double lin = linearError.get(k);
            Double pc = pcaError.get(k);
            rows.add(List.of(
                    String.valueOf(k),
                    SweepAnalysis.num(pcaMse.get(k)),
                    SweepAnalysis.num(linearMse.get(k)),
                    SweepAnalysis.num(deepMse.get(k)),
                    SweepAnalysis.num(pc),
                    SweepAnalysis.num(lin),
                    SweepAnalysis.num(deepError.get(k)),
                    lin == null || pc == null ? "" : SweepAnalysis.num(lin / pc)));
        }

        XYChart chart =
                Figures.newChart("Test reconstruction error", "code size k", "squared error per image", 860, 640);
        addSeries(chart, "PCA (k components)", pcaError, PCA_COLOR, SeriesMarkers.SQUARE)
                .ifPresent(s -> s.setLineStyle(SeriesLines.DASH_DASH)); // the linear AE's line may lie on it
        addSeries(chart, "linear AE 784-k", linearError, LINEAR_COLOR, SeriesMarkers.CIRCLE);
        addSeries(chart, "deep AE 784-1000-500-250-k", deepError, DEEP_COLOR, SeriesMarkers.DIAMOND);
        Figures.chartGrid(
                analysis.plotsDir(),
                "error_vs_code_size",
                List.of(chart),
                1,
                "PCA, linear and deep autoencoders on MNIST test images",
                900,
                640);

        String intro = String.format(
                Locale.ROOT,
                "![error vs code size](%s/error_vs_code_size.png)\n\n"
                        + "Test-set errors. MSE is per pixel; the squared error per image is the sum over "
                        + "the %d pixels of (x - x_hat)^2, averaged over the test images (MSE per pixel "
                        + "times %d), the measure Hinton & Salakhutdinov report. PCA is the evaluation's "
                        + "baseline: fitted on the training split with k components. Where the linear AE "
                        + "reached PCA's optimum, its ratio to PCA is 1; it cannot go below 1 on the "
                        + "training set, and only by chance on the test set.\n\n",
                SweepAnalysis.PLOTS_DIR,
                pixels,
                pixels);
        analysis.section(
                "Reconstruction error against code size",
                intro
                        + SweepAnalysis.table(
                                List.of(
                                        "k",
                                        "PCA MSE",
                                        "linear AE MSE",
                                        "deep AE MSE",
                                        "PCA sq. error / image",
                                        "linear AE sq. error / image",
                                        "deep AE sq. error / image",
                                        "linear AE / PCA"),
                                rows));
    }

    @SafeVarargs
    private static List<Integer> union(Map<Integer, Double>... maps) {
        TreeMap<Integer, Boolean> keys = new TreeMap<>();
        for (Map<Integer, Double> m : maps) {
            m.keySet().forEach(k -> keys.put(k, true));
        }
        return new ArrayList<>(keys.keySet());
    }

    private static Optional<XYSeries> addSeries(
            XYChart chart, String name, TreeMap<Integer, Double> points, Color color, Marker marker) {
        if (points.isEmpty()) {
            return Optional.empty();
        }
        double[] x = points.keySet().stream().mapToDouble(Integer::doubleValue).toArray();
        double[] y = points.values().stream().mapToDouble(Double::doubleValue).toArray();
        XYSeries s = chart.addSeries(name, x, y);
        s.setLineColor(color);
        s.setLineWidth(2f);
        s.setMarker(marker);
        s.setMarkerColor(color);
        return Optional.of(s);
    }

    private static void anglesSection(SweepAnalysis analysis, List<TrialResult> trials, Pca pca, int blankPixels) {
        double[] variances = pca.explainedVariance();
        List<List<String>> rows = new ArrayList<>();
        XYChart chart = Figures.newChart(
                "Linear AE decoder subspace vs PCA's top k", "principal angle index", "angle (degrees)", 860, 640);
        int series = 0;
        for (TrialResult t : trials) {
            if (t.angles() == null) {
                continue;
            }
            double[] dec = t.angles().decoder();
            double[] enc = t.angles().encoder();
            rows.add(List.of(
                    String.valueOf(t.codeSize()),
                    SweepAnalysis.num(dec[0]),
                    SweepAnalysis.num(median(dec)),
                    SweepAnalysis.num(dec[dec.length - 1]),
                    SweepAnalysis.num(enc[enc.length - 1]),
                    SweepAnalysis.num(overlap(dec)),
                    t.codeSize() < variances.length
                            ? SweepAnalysis.num(variances[t.codeSize() - 1] / variances[t.codeSize()])
                            : ""));
            double[] index = new double[dec.length];
            for (int i = 0; i < index.length; i++) {
                index[i] = i + 1;
            }
            XYSeries s = chart.addSeries("k = " + t.codeSize(), index, dec);
            Color color = Palette.OKABE_ITO.get(1 + series++ % (Palette.OKABE_ITO.size() - 1));
            s.setLineColor(color);
            s.setMarkerColor(color);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        if (rows.isEmpty()) {
            analysis.section(
                    "Linear autoencoder vs the principal subspace",
                    "No linear autoencoder trial completed: no angles to report.");
            return;
        }
        Figures.chartGrid(
                analysis.plotsDir(),
                "principal_angles",
                List.of(chart),
                1,
                "Principal angles between the linear autoencoder's and PCA's subspaces",
                900,
                640);
        String intro = String.format(
                Locale.ROOT,
                "![principal angles](%s/principal_angles.png)\n\n"
                        + "Baldi & Hornik (1989): a linear autoencoder trained to the optimum of the "
                        + "squared error spans the subspace of the top k principal components, "
                        + "whatever its weights look like. The angles (in degrees) are between the "
                        + "column space of the decoder's D x k weight and PCA's top-k subspace, from an "
                        + "SVD of Q_ae^T Q_pca with orthonormal bases of both; 0 means the same "
                        + "direction, 90 orthogonal. The decoder is the one compared because every "
                        + "reconstruction minus the output bias lies in its column space: it is the "
                        + "subspace the autoencoder projects onto, as PCA's reconstruction projects "
                        + "onto its components. The encoder's row space (the directions the code "
                        + "reads) matches it only at the optimum; its largest angle is listed beside. "
                        + "%d of the %d pixels are 0 in every training image, so the encoder's weights "
                        + "on them get no gradient and keep their random initial values: that tilts "
                        + "its row space away without changing a single code. Overlap = "
                        + "||Q_ae^T Q_pca||_F^2 / k, the mean squared cosine (1 = same subspace). "
                        + "Small angles with a large last one mean the autoencoder has found the "
                        + "leading components but has mixed the k-th with the next ones; the last "
                        + "column, the ratio of PCA's variances along components k and k+1, says how "
                        + "little error that costs when it is near 1.\n\n",
                SweepAnalysis.PLOTS_DIR,
                blankPixels,
                pca.inputSize());
        analysis.section(
                "Linear autoencoder vs the principal subspace",
                intro
                        + SweepAnalysis.table(
                                List.of(
                                        "k",
                                        "smallest angle",
                                        "median angle",
                                        "largest angle",
                                        "encoder: largest angle",
                                        "overlap",
                                        "PCA variance k / k+1"),
                                rows));
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }

    /** Mean squared cosine of the angles (given in degrees). */
    static double overlap(double[] degrees) {
        return Arrays.stream(degrees)
                .map(d -> Math.pow(Math.cos(Math.toRadians(d)), 2))
                .average()
                .orElse(Double.NaN);
    }

    private static void paperSection(SweepAnalysis analysis, List<TrialResult> trials, int pixels) {
        Double pcaError = null;
        Double deepError = null;
        for (TrialResult t : trials) {
            EvaluationResult.PcaBaseline p = t.evaluation().pca();
            if (p != null && p.components() == PAPER_CODE_SIZE) {
                pcaError = p.msePerPixel() * pixels;
            }
            if (!t.linear() && t.codeSize() == PAPER_CODE_SIZE) {
                deepError = t.squaredError(pixels);
            }
        }
        String testSet = trials.get(0).evaluation().testSet() + " ("
                + trials.get(0).evaluation().testSize() + " images)";
        StringBuilder text = new StringBuilder();
        text.append(String.format(
                Locale.ROOT,
                "Hinton & Salakhutdinov, *Reducing the Dimensionality of Data with Neural Networks*, Science 313 "
                        + "(2006), report for MNIST an average squared error per test image of %.2f for their "
                        + "784-1000-500-250-30 autoencoder and %.2f for PCA with 30 components (the paper's "
                        + "numbers). Ours on %s:\n\n",
                PAPER_DEEP_ERROR,
                PAPER_PCA_ERROR,
                testSet));
        text.append(SweepAnalysis.table(
                List.of("30-d code", "paper: sq. error / image", "ours: sq. error / image", "ours / paper"),
                List.of(
                        List.of(
                                "PCA, 30 components",
                                SweepAnalysis.num(PAPER_PCA_ERROR),
                                SweepAnalysis.num(pcaError),
                                pcaError == null ? "" : SweepAnalysis.num(pcaError / PAPER_PCA_ERROR)),
                        List.of(
                                "deep AE 784-1000-500-250-30",
                                SweepAnalysis.num(PAPER_DEEP_ERROR),
                                SweepAnalysis.num(deepError),
                                deepError == null ? "" : SweepAnalysis.num(deepError / PAPER_DEEP_ERROR)))));
        text.append('\n');
        if (pcaError != null) {
            double rel = pcaError / PAPER_PCA_ERROR - 1;
            text.append(String.format(
                    Locale.ROOT,
                    "PCA-30: %.2f against the paper's %.2f, %s%.1f%%: %s. ",
                    pcaError,
                    PAPER_PCA_ERROR,
                    rel >= 0 ? "+" : "",
                    100 * rel,
                    Math.abs(rel) <= PAPER_AGREEMENT
                            ? "within a few percent, so the metric (sum over pixels of squared differences, "
                                    + "intensities in [0, 1], averaged over images) is the paper's"
                            : "not within a few percent"
                                    + (analysis.scale() == Experiment.Scale.QUICK
                                            ? " (a quick run: PCA fitted on the small sample)"
                                            : "")));
            text.append(String.format(
                    Locale.ROOT,
                    "Our PCA is fitted on the %d-image training split (the paper used all 60,000 training images). ",
                    trials.get(0).evaluation().trainSize()));
        } else {
            text.append("No trial with a 30-d code was evaluated: no PCA-30 number. ");
        }
        if (deepError != null) {
            text.append(String.format(
                    Locale.ROOT,
                    "Deep AE-30: %.2f against the paper's %.2f (%.2fx), and %s PCA-30's %s. ",
                    deepError,
                    PAPER_DEEP_ERROR,
                    deepError / PAPER_DEEP_ERROR,
                    pcaError != null && deepError < pcaError ? "below" : "not below",
                    pcaError == null ? "(missing)" : String.format(Locale.ROOT, "%.2f", pcaError)));
        }
        text.append("The training differs from the paper's: they pretrained the network layer by layer as a stack "
                + "of RBMs with logistic (sigmoid) units and then fine-tuned it with backpropagation; we train it "
                + "end to end from random (He-uniform) weights with Adam, ReLU hidden units, a linear code and a "
                + "sigmoid output with cross-entropy, for " + epochsOf(trials, false) + " epoch(s).");
        LOG.info(
                "ae-vs-pca: PCA-30 {} (paper {}), deep AE-30 {} (paper {}) squared error per image",
                pcaError,
                PAPER_PCA_ERROR,
                deepError,
                PAPER_DEEP_ERROR);
        analysis.section("Hinton & Salakhutdinov's 30-d numbers", text.toString());
    }

    private static String epochsOf(List<TrialResult> trials, boolean linear) {
        return trials.stream()
                .filter(t -> t.linear() == linear)
                .map(t -> String.valueOf(t.epochs()))
                .distinct()
                .reduce((a, b) -> a + ", " + b)
                .orElse("?");
    }
}
