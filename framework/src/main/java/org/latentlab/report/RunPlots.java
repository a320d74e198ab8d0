package org.latentlab.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.Generative;
import org.latentlab.data.Batch;
import org.latentlab.data.BatchIterator;
import org.latentlab.data.ImageDataset;
import org.latentlab.eval.Embeddings;
import org.latentlab.loss.NoiseSource;
import org.latentlab.plot.Figures;
import org.latentlab.plot.FirstLayerWeights;
import org.latentlab.plot.ImageFigures;
import org.latentlab.plot.PlotFiles;
import org.latentlab.run.TrainingRun;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every picture of one finished run, written to its {@code plots/} folder (PNG, SVG and the CSV
 * behind each):
 * <ul>
 *   <li>{@code loss_curves}: each named loss term per epoch, training and validation;</li>
 *   <li>{@code latent_2d} (2-D codes, plotted directly) or {@code latent_pca} and
 *       {@code latent_tsne} (larger codes: PCA, and t-SNE on a subset) of test images coloured
 *       by their label;</li>
 *   <li>{@code reconstructions} (test inputs above their reconstructions), {@code samples}
 *       from the prior (generative models; a conditional model's columns are its classes),
 *       {@code interpolation} between the codes of test pairs of different classes,
 *       {@code manifold} (2-D codes: the decoder over a grid of codes) and {@code filters} (the
 *       first layer's weights as images).</li>
 * </ul>
 * Label-free pictures (interpolation, manifold) are skipped for conditional models.
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

    private RunPlots() {}

    /** Writes the pictures of {@code run} into {@code run.dir()/plots}; returns what was written. */
    public static List<PlotFiles> write(TrainingRun.Finished run, Options options) {
        Path dir = run.dir().resolve(HtmlReport.PLOTS_DIR);
        AutoencoderModel<?> model = run.model();
        ImageDataset test = run.test();
        String name = run.dir().getFileName().toString();
        List<PlotFiles> written = new ArrayList<>();
        long t0 = System.nanoTime();

        Path metrics = run.dir().resolve(TrainingRun.METRICS_FILE);
        if (Files.isRegularFile(metrics)) {
            written.add(Figures.lossCurves(dir, "loss_curves", metrics, "Loss terms by epoch: " + name));
        }

        // Codes of a seeded subset of the test set (all of it when small), labels for colour.
        int n = Math.min(options.points(), test.size());
        int[] subset = Arrays.copyOf(BatchIterator.permutation(test.size(), options.seed(), 0), n);
        ImageDataset shown = test.subset(subset);
        INDArray codes = encode(model, shown);
        int[] labels = shown.labels();
        int codeSize = model.codeSize();
        if (codeSize == 2) {
            written.add(Figures.latentScatter(
                    dir, "latent_2d", "Codes of " + n + " test images: " + name, toDouble(codes), labels, "z1", "z2"));
        } else if (codeSize > 2) {
            written.add(Figures.latentScatter(
                    dir,
                    "latent_pca",
                    "PCA of " + codeSize + "-d codes, " + n + " test images: " + name,
                    Embeddings.pca2d(codes),
                    labels,
                    "PC 1",
                    "PC 2"));
            int m = Math.min(options.tsnePoints(), n);
            if (m >= 10) {
                long t = System.nanoTime();
                double[][] embedded = Embeddings.tsne(
                        codes.get(NDArrayIndex.interval(0, m), NDArrayIndex.all()), 30, 1000, options.seed());
                LOG.info("t-SNE of {} codes took {} s", m, String.format("%.1f", (System.nanoTime() - t) / 1e9));
                written.add(Figures.latentScatter(
                        dir,
                        "latent_tsne",
                        "t-SNE of " + codeSize + "-d codes, " + m + " test images: " + name,
                        embedded,
                        Arrays.copyOf(labels, m),
                        "t-SNE 1",
                        "t-SNE 2"));
            }
        } else {
            LOG.info("{}: a 1-d code has no 2-d scatter", name);
        }

        ImageFigures images = new ImageFigures(test.rows(), test.cols());
        int[] first = range(Math.min(20, test.size()));
        Batch batch = test.batch(first);
        INDArray recon = model.reconstruct(batch, new NoiseSource(options.seed()));
        written.add(images.reconstructions(
                dir,
                "reconstructions",
                "Test images (above) and reconstructions: " + name,
                batch.features(),
                recon,
                batch.labels()));

        if (model instanceof Generative generative) {
            INDArray samples = generative.sample(100, new NoiseSource(options.seed() + 1));
            written.add(images.samples(
                    dir,
                    "samples",
                    (model.conditional() ? "Samples, one class per column: " : "Samples from the prior: ") + name,
                    samples));
        }
        if (!model.conditional()) {
            int[][] pairs = pairsOfDifferentClasses(test, 6);
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
        try {
            FirstLayerWeights layer = FirstLayerWeights.of(model, test.rows(), test.cols());
            written.add(ImageFigures.filters(
                    dir, "filters", "First-layer filters (" + layer.variable() + "): " + name, layer, 100));
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

    /** Codes of every image (labelled batches: a conditional model sees each row's label), as DOUBLE. */
    static INDArray encode(AutoencoderModel<?> model, ImageDataset data) {
        INDArray codes = Nd4j.create(DataType.DOUBLE, data.size(), model.codeSize());
        int row = 0;
        for (Batch b : new BatchIterator(data, 500, false, 0, 0, false)) {
            INDArray c = model.encode(b).castTo(DataType.DOUBLE);
            codes.get(NDArrayIndex.interval(row, row + b.size()), NDArrayIndex.all())
                    .assign(c);
            row += b.size();
        }
        return codes;
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

    private static int[] range(int n) {
        int[] r = new int[n];
        Arrays.setAll(r, i -> i);
        return r;
    }

    private static double[][] toDouble(INDArray codes) {
        return codes.castTo(DataType.DOUBLE).toDoubleMatrix();
    }
}
