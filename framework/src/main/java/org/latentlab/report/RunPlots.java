package org.latentlab.report;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.Denoising;
import org.latentlab.core.Generative;
import org.latentlab.data.Batch;
import org.latentlab.data.BatchIterator;
import org.latentlab.data.ClassNames;
import org.latentlab.data.Corruption;
import org.latentlab.data.ImageDataset;
import org.latentlab.eval.Embeddings;
import org.latentlab.eval.EvaluationResult;
import org.latentlab.eval.GaussianFit;
import org.latentlab.eval.RandomCodes;
import org.latentlab.eval.RocCurve;
import org.latentlab.loss.NoiseSource;
import org.latentlab.plot.Figures;
import org.latentlab.plot.FirstLayerWeights;
import org.latentlab.plot.ImageFigures;
import org.latentlab.plot.PlotFiles;
import org.latentlab.run.LikelihoodCurveListener;
import org.latentlab.run.TrainingRun;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every picture of one finished run, written to its {@code plots/} folder (PNG, SVG and the CSV
 * behind each):
 * <ul>
 *   <li>{@code loss_curves}: each named loss term per epoch, training and validation;</li>
 *   <li>{@code likelihood_curve} (runs trained with {@code trainer.likelihoodEvery}): the test NLL against the epoch
 *       from {@code likelihood.csv}, with standard-error bars, beside the negative ELBO of the same draws;</li>
 *   <li>{@code latent_2d} (2-D codes, plotted directly) or {@code latent_pca} and
 *       {@code latent_tsne} (larger codes: PCA, and t-SNE on a subset) of test images coloured
 *       by their label;</li>
 *   <li>{@code reconstructions} (test inputs above their reconstructions), {@code samples}
 *       from the prior (generative models; a conditional model's columns are its classes),
 *       {@code interpolation} between the codes of test pairs of different classes,
 *       {@code manifold} (2-D codes: the decoder over a grid of codes) and {@code filters} (the
 *       first layer's weights as images);</li>
 *   <li>{@code pixels_pca}: the raw test pixels projected on their first two principal components,
 *       coloured by label, the baseline beside the code scatters;</li>
 *   <li>{@code denoising} ({@link Denoising} models trained with corruption): corrupted test inputs,
 *       the model's reconstructions of them and the clean images, the corruption in the title;</li>
 *   <li>{@code samples_standard_normal} and {@code samples_fitted_gaussian} (deterministic models,
 *       no prior): codes drawn from N(0, I) and from a Gaussian fitted to training codes
 *       ({@link GaussianFit}), decoded;</li>
 *   <li>{@code roc} (when {@code evaluation.json} holds an anomaly detection): its ROC curve
 *       ({@link RocCurve}) with the AUROC in the legend.</li>
 * </ul>
 * Label-free pictures (interpolation, manifold, random codes) are skipped for conditional models. For a dataset
 * without labels the scatters have one colour and no legend, and the interpolation pairs are consecutive test
 * images.
 */
public final class RunPlots {
    private static final Logger LOG = LoggerFactory.getLogger(RunPlots.class);

    /**
     * @param points      test images encoded for the latent scatters (and PCA)
     * @param tsnePoints  of those, how many t-SNE embeds (exact t-SNE is O(n^2); 0 = no t-SNE)
     * @param seed        seeds subsets, t-SNE and the models' noise
     */
    public record Options(int points, int tsnePoints, long seed) {
        public Options {
            if (points < 2) {
                throw new IllegalArgumentException("points must be at least 2, got " + points);
            }
            if (tsnePoints < 0 || tsnePoints > Embeddings.MAX_TSNE_POINTS) {
                throw new IllegalArgumentException(
                        "tsnePoints must be in 0.." + Embeddings.MAX_TSNE_POINTS + ", got " + tsnePoints);
            }
        }

        /** 5,000 points, t-SNE on 2,000 of them. */
        public static Options defaults() {
            return new Options(5000, 2000, 1);
        }
    }

    /** Codes drawn for each random-code grid. */
    static final int RANDOM_SAMPLES = 100;
    /** Most training images whose codes the Gaussian is fitted to. */
    static final int FIT_POINTS = RandomCodes.FIT_POINTS;

    // Offsets from the seed of each figure's noise (the reconstructions use the seed, the prior samples seed + 1).
    private static final long DENOISING_SEED = 2;
    private static final long STANDARD_SEED = 3;
    private static final long FITTED_SEED = 4;

    private RunPlots() {}

    /** Whether every coordinate is a finite number (a scatter of anything else cannot be drawn). */
    static boolean finite(double[][] points) {
        for (double[] p : points) {
            for (double v : p) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Writes the pictures of {@code run} into {@code run.dir()/plots}; returns what was written. */
    public static List<PlotFiles> write(TrainingRun.Finished run, Options options) {
        Path dir = run.dir().resolve(HtmlReport.PLOTS_DIR);
        AutoencoderModel<?> model = run.model();
        ImageDataset test = run.test();
        String name = run.dir().getFileName().toString();
        // The legends name the classes where the dataset's classes have names (Fashion-MNIST's), else their numbers.
        List<String> classNames =
                run.config() == null ? List.of() : ClassNames.of(run.config().dataset());
        List<PlotFiles> written = new ArrayList<>();
        long t0 = System.nanoTime();

        Path metrics = run.dir().resolve(TrainingRun.METRICS_FILE);
        if (Files.isRegularFile(metrics)) {
            written.add(Figures.lossCurves(dir, "loss_curves", metrics, "Loss terms by epoch: " + name));
        }
        Path likelihood = LikelihoodCurveListener.file(run.dir());
        if (Files.isRegularFile(likelihood)) {
            written.add(Figures.likelihoodCurve(
                    dir, "likelihood_curve", likelihood, "Test negative log-likelihood by epoch: " + name));
        }

        // Codes of a seeded subset of the test set (all of it when small), labels for colour.
        int n = Math.min(options.points(), test.size());
        int[] subset = Arrays.copyOf(BatchIterator.permutation(test.size(), options.seed(), 0), n);
        ImageDataset shown = test.subset(subset);
        INDArray codes = encode(model, shown);
        int[] labels = shown.hasLabels() ? shown.labels() : null; // null: one colour, no legend
        if (labels == null) {
            LOG.info(
                    "{}: its dataset has no labels, so its scatters have one colour and its interpolation pairs are"
                            + " consecutive test images",
                    name);
        }
        int codeSize = model.codeSize();
        boolean finiteCodes = finite(toDouble(codes));
        if (!finiteCodes) {
            LOG.warn("{}: some of its codes are not finite (a diverged model?): no code scatters", name);
        } else if (codeSize == 2) {
            written.add(Figures.latentScatter(
                    dir,
                    "latent_2d",
                    "Codes of " + n + " test images: " + name,
                    toDouble(codes),
                    labels,
                    "z1",
                    "z2",
                    classNames));
        } else if (codeSize > 2) {
            written.add(Figures.latentScatter(
                    dir,
                    "latent_pca",
                    "PCA of " + codeSize + "-d codes, " + n + " test images: " + name,
                    Embeddings.pca2d(codes),
                    labels,
                    "PC 1",
                    "PC 2",
                    classNames));
            int m = Math.min(options.tsnePoints(), n);
            if (m >= 10) {
                long t = System.nanoTime();
                double[][] embedded = Embeddings.tsne(
                        codes.get(NDArrayIndex.interval(0, m), NDArrayIndex.all()), 30, 1000, options.seed());
                LOG.info("t-SNE of {} codes took {} s", m, String.format("%.1f", (System.nanoTime() - t) / 1e9));
                if (finite(embedded)) {
                    written.add(Figures.latentScatter(
                            dir,
                            "latent_tsne",
                            "t-SNE of " + codeSize + "-d codes, " + m + " test images: " + name,
                            embedded,
                            labels == null ? null : Arrays.copyOf(labels, m),
                            "t-SNE 1",
                            "t-SNE 2",
                            classNames));
                } else {
                    // One figure that cannot be drawn must not cost the rest of a sweep's report.
                    LOG.warn("{}: the t-SNE layout of its codes is not finite: no t-SNE figure", name);
                }
            }
        } else {
            LOG.info("{}: a 1-d code has no 2-d scatter", name);
        }
        // The raw pixels through the same projection, to sit beside the code scatters.
        written.add(Figures.latentScatter(
                dir,
                "pixels_pca",
                "PCA of the " + test.featureSize() + " raw " + (test.channels() == 1 ? "pixels" : "pixel values") + ", "
                        + n + " test images: " + name,
                Embeddings.pca2d(shown.features()),
                labels,
                "PC 1",
                "PC 2",
                classNames));

        ImageFigures images = new ImageFigures(test.channels(), test.rows(), test.cols());
        int[] first = range(Math.min(20, test.size()));
        Batch batch = test.batch(first);
        INDArray recon = model.reconstruct(batch, new NoiseSource(options.seed()));
        written.add(images.reconstructions(
                dir,
                "reconstructions",
                "Test images (above) and reconstructions: " + name,
                batch.features(),
                recon,
                test.hasLabels() ? batch.labels() : null));

        if (model instanceof Denoising denoising) {
            Corruption corruption = denoising.corruption();
            if (corruption.kind() != Corruption.Kind.NONE && corruption.level() > 0) {
                INDArray noisy = corruption.apply(batch.features(), new NoiseSource(options.seed() + DENOISING_SEED));
                written.add(images.denoising(
                        dir,
                        "denoising",
                        "Noisy (" + describe(corruption) + "), denoised and clean test images: " + name,
                        noisy,
                        model.reconstruct(
                                new Batch(noisy, batch.labels(), batch.indices()), new NoiseSource(options.seed())),
                        batch.features(),
                        test.hasLabels() ? batch.labels() : null));
            } else {
                LOG.info("{}: trained without corruption, no denoising figure", name);
            }
        }

        if (model instanceof Generative generative) {
            INDArray samples = generative.sample(100, new NoiseSource(options.seed() + 1));
            written.add(images.samples(
                    dir,
                    "samples",
                    (model.conditional() ? "Samples, one class per column: " : "Samples from the prior: ") + name,
                    samples));
        }
        if (!(model instanceof Generative) && !model.conditional() && codeSize > 0) {
            written.addAll(randomCodeSamples(dir, name, model, run.train(), images, options.seed()));
        }
        if (!model.conditional()) {
            int[][] pairs = test.hasLabels() ? pairsOfDifferentClasses(test, 6) : consecutivePairs(test, 6);
            if (pairs[0].length > 0) {
                written.add(images.interpolation(
                        dir,
                        "interpolation",
                        "Interpolation between the codes of test pairs: " + name,
                        model,
                        test.features(pairs[0]),
                        test.features(pairs[1]),
                        10));
            }
            if (codeSize == 2) {
                written.add(images.manifold(
                        dir,
                        "manifold",
                        "Decoder over a grid of 2-d codes: " + name,
                        model,
                        20,
                        model instanceof Generative ? null : shown.features()));
            }
        }
        PlotFiles roc = rocCurve(dir, name, run.dir().resolve(EvaluationResult.FILE));
        if (roc != null) {
            written.add(roc);
        }
        try {
            FirstLayerWeights layer = FirstLayerWeights.of(model, test.channels(), test.rows(), test.cols());
            written.add(ImageFigures.filters(dir, "filters", "First-layer filters: " + name, layer, 100));
        } catch (IllegalArgumentException | IllegalStateException e) {
            LOG.info("{}: no filter picture ({})", name, e.getMessage());
        }
        LOG.info(
                "wrote {} figures to {} in {} s",
                written.size(),
                dir,
                String.format("%.1f", (System.nanoTime() - t0) / 1e9));
        return written;
    }

    /**
     * "Random vectors into the decoder" for a model without a prior: {@value #RANDOM_SAMPLES} codes drawn from
     * N(0, I), and as many from a Gaussian fitted (mean, full covariance) to the codes of up to
     * {@value #FIT_POINTS} training images (a seeded subset), each decoded into a grid ({@link RandomCodes}, the code
     * path whose samples {@code latentlab evaluate} lets a classifier judge).
     */
    static List<PlotFiles> randomCodeSamples(
            Path dir, String name, AutoencoderModel<?> model, ImageDataset train, ImageFigures images, long seed) {
        List<PlotFiles> written = new ArrayList<>();
        int d = model.codeSize();
        INDArray standard = GaussianFit.standard(d).sample(RANDOM_SAMPLES, new NoiseSource(seed + STANDARD_SEED));
        written.add(images.samples(
                dir,
                "samples_standard_normal",
                "Random vectors into the decoder, codes from N(0, I): " + name,
                RandomCodes.decode(model, standard)));
        if (train == null || train.size() < 2) {
            LOG.info("{}: no training images to fit a Gaussian to the codes", name);
            return written;
        }
        RandomCodes.Fitted fitted = RandomCodes.fitTrainingCodes(model, train, seed);
        if (fitted.fit().jitter() > 0) {
            LOG.info(
                    "{}: the covariance of the training codes needed {} on its diagonal",
                    name,
                    fitted.fit().jitter());
        }
        INDArray codes = fitted.fit().sample(RANDOM_SAMPLES, new NoiseSource(seed + FITTED_SEED));
        written.add(images.samples(
                dir,
                "samples_fitted_gaussian",
                "Random vectors into the decoder, codes from a Gaussian fitted to " + fitted.codes()
                        + " training codes: " + name,
                RandomCodes.decode(model, codes)));
        return written;
    }

    /** The ROC curve of the anomaly detection recorded in {@code evaluation} (null if none, or unreadable). */
    static PlotFiles rocCurve(Path dir, String name, Path evaluation) {
        if (!Files.isRegularFile(evaluation)) {
            return null;
        }
        EvaluationResult.Anomaly anomaly;
        try {
            anomaly = EvaluationResult.read(evaluation).anomaly();
        } catch (IllegalArgumentException e) {
            LOG.warn("{}: no ROC figure, {} could not be read ({})", name, evaluation, e.getMessage());
            return null;
        }
        if (anomaly == null || anomaly.scores() == null || anomaly.labels() == null) {
            return null;
        }
        int[] classes = anomaly.labels();
        boolean[] positive = new boolean[classes.length];
        for (int i = 0; i < classes.length; i++) {
            positive[i] = classes[i] != anomaly.normalClass();
        }
        RocCurve roc = RocCurve.of(anomaly.scores(), positive);
        return Figures.rocCurve(
                dir,
                "roc",
                String.format(
                        Locale.ROOT,
                        "ROC of anomaly detection (normal class %d, score %s, %d normal, %d anomalous): %s",
                        anomaly.normalClass(),
                        anomaly.score(),
                        anomaly.normals(),
                        anomaly.anomalies(),
                        name),
                roc,
                anomaly.auroc());
    }

    /** "gaussian noise, std 0.5", "masking noise, fraction 0.25" and the like. */
    static String describe(Corruption c) {
        String kind = c.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        String level = BigDecimal.valueOf(c.level()).stripTrailingZeros().toPlainString();
        return kind + " noise, " + (c.kind() == Corruption.Kind.GAUSSIAN ? "std " : "fraction ") + level;
    }

    /** Codes of every image (labelled batches: a conditional model sees each row's label), as DOUBLE. */
    static INDArray encode(AutoencoderModel<?> model, ImageDataset data) {
        return RandomCodes.encode(model, data);
    }

    /** Up to {@code count} pairs (a, b) of test images of different classes: the first image of each class and the next class's. */
    static int[][] pairsOfDifferentClasses(ImageDataset test, int count) {
        int classes = test.numClasses();
        int[] firstOf = new int[classes];
        Arrays.fill(firstOf, -1);
        for (int i = 0; i < test.size(); i++) {
            if (firstOf[test.label(i)] < 0) {
                firstOf[test.label(i)] = i;
            }
        }
        List<int[]> pairs = new ArrayList<>();
        for (int c = 0; c < classes && pairs.size() < count; c++) {
            int d = (c + 1) % classes;
            if (firstOf[c] >= 0 && firstOf[d] >= 0 && c != d) {
                pairs.add(new int[] {firstOf[c], firstOf[d]});
            }
        }
        return new int[][] {
            pairs.stream().mapToInt(p -> p[0]).toArray(),
            pairs.stream().mapToInt(p -> p[1]).toArray()
        };
    }

    /** Up to {@code count} pairs (0, 1), (2, 3), ... of test images: the pairs of a dataset without labels. */
    static int[][] consecutivePairs(ImageDataset test, int count) {
        int n = Math.min(count, test.size() / 2);
        int[][] pairs = new int[2][n];
        for (int i = 0; i < n; i++) {
            pairs[0][i] = 2 * i;
            pairs[1][i] = 2 * i + 1;
        }
        return pairs;
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        Arrays.setAll(r, i -> i);
        return r;
    }

    private static double[][] toDouble(INDArray codes) {
        return codes.castTo(DataType.DOUBLE).toDoubleMatrix();
    }
}
