package org.latentlab.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.data.BatchIterator;
import org.latentlab.data.Corruption;
import org.latentlab.data.DataBundle;
import org.latentlab.data.Datasets;
import org.latentlab.data.ImageDataset;
import org.latentlab.eval.EvaluationOptions;
import org.latentlab.eval.EvaluationResult;
import org.latentlab.eval.GaussianFit;
import org.latentlab.eval.Metrics;
import org.latentlab.loss.NoiseSource;
import org.latentlab.plot.PlotFiles;
import org.latentlab.run.LikelihoodCurveListener;
import org.latentlab.run.RunConfig;
import org.latentlab.run.TrainingRun;
import org.latentlab.train.TinyAutoencoder;
import org.latentlab.train.Trainer;
import org.latentlab.train.TrainerConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The figures of issue 16 drawn for a tiny denoising autoencoder trained one epoch on the MNIST sample. */
class RunPlotsTest {
    private static final int POINTS = 200;
    private static final long SEED = 3;
    private static ImageDataset train;
    private static ImageDataset test;
    private static AutoencoderModel<?> model;

    @TempDir
    Path tmp;

    @BeforeAll
    static void trainTinyDenoisingModel() {
        DataBundle data = Datasets.load(Datasets.MNIST_SAMPLE);
        train = data.train();
        test = data.test();
        model = TinyDenoising.TYPE.build(TinyDenoising.TYPE.defaults(), 11);
        TrainerConfig trainer = TrainerConfig.defaults().toBuilder()
                .epochs(1)
                .batchSize(50)
                .learningRate(1e-2)
                .seed(11)
                .checkpointEvery(0)
                .patience(0)
                .build();
        new Trainer(trainer).fit(model, train, null);
    }

    /** A run folder with an evaluation.json whose anomaly section scores every test image. */
    private static Path runDir(Path dir, EvaluationResult.Anomaly anomaly) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        new EvaluationResult(
                        "TinyDenoising",
                        train.name(),
                        test.name(),
                        train.size(),
                        test.size(),
                        model.codeSize(),
                        EvaluationOptions.defaults(),
                        null,
                        Map.of(),
                        null,
                        null,
                        null,
                        null,
                        anomaly,
                        null,
                        Map.of(),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null)
                .write(dir.resolve(EvaluationResult.FILE));
        return dir;
    }

    /** Class 1 normal; the score is the mean pixel (1s are thin), so the AUROC is far from 0.5. */
    private static EvaluationResult.Anomaly anomaly() {
        int[] labels = test.labels();
        double[] scores = new double[labels.length];
        boolean[] positive = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) {
            double s = 0;
            for (int p = 0; p < test.featureSize(); p++) {
                s += test.pixel(i, p);
            }
            scores[i] = s / test.featureSize();
            positive[i] = labels[i] != 1;
        }
        int normals = (int) IntStream.of(labels).filter(l -> l == 1).count();
        return new EvaluationResult.Anomaly(
                1, "mean_pixel", Metrics.auroc(scores, positive), normals, labels.length - normals, scores, labels);
    }

    private static Map<String, PlotFiles> byName(List<PlotFiles> written) {
        return written.stream()
                .collect(Collectors.toMap(
                        f -> f.png().getFileName().toString().replace(".png", ""), f -> f, (a, b) -> a));
    }

    private static List<List<String>> csv(PlotFiles f) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        for (String line : Files.readAllLines(f.csv())) {
            rows.add(Arrays.asList(line.split(",", -1)));
        }
        return rows;
    }

    private static float[] pixels(List<String> row, int from) {
        float[] p = new float[row.size() - from];
        for (int i = 0; i < p.length; i++) {
            p[i] = Float.parseFloat(row.get(from + i));
        }
        return p;
    }

    @Test
    void aScatterIsDrawnOnlyFromFiniteCoordinates() {
        assertTrue(RunPlots.finite(new double[][] {{0, 1}, {-3.5, 2e30}}));
        assertFalse(RunPlots.finite(new double[][] {{0, 1}, {Double.NaN, 0}}));
        assertFalse(RunPlots.finite(new double[][] {{0, Double.POSITIVE_INFINITY}}));
    }

    @Test
    void denoisingRunGetsPixelPcaDenoisingRandomCodesAndRoc() throws Exception {
        EvaluationResult.Anomaly anomaly = anomaly();
        Path dir = runDir(tmp.resolve("first").resolve("run"), anomaly);
        TrainingRun.Finished run = new TrainingRun.Finished(dir, null, model, train, test, null);
        Map<String, PlotFiles> figures = byName(RunPlots.write(run, new RunPlots.Options(POINTS, 0, SEED)));
        for (String name :
                List.of("pixels_pca", "denoising", "samples_standard_normal", "samples_fitted_gaussian", "roc")) {
            assertTrue(figures.containsKey(name), name + " written: " + figures.keySet());
            PlotFiles f = figures.get(name);
            assertTrue(Files.size(f.png()) > 0 && Files.size(f.svg()) > 0 && Files.size(f.csv()) > 0, name);
        }
        assertFalse(figures.containsKey("samples"), "no prior, no prior samples");

        // pixels_pca: x and y are the projections of the centred pixels on eigenvectors of their covariance
        int[] subset = Arrays.copyOf(BatchIterator.permutation(test.size(), SEED, 0), POINTS);
        double[][] pixels = test.features(subset).castTo(DataType.DOUBLE).toDoubleMatrix();
        int d = pixels[0].length;
        double[] mean = new double[d];
        for (double[] row : pixels) {
            for (int p = 0; p < d; p++) {
                mean[p] += row[p] / POINTS;
            }
        }
        List<List<String>> pca = csv(figures.get("pixels_pca"));
        assertEquals(List.of("x", "y", "label"), pca.get(0));
        assertEquals(POINTS + 1, pca.size());
        double[][] pc = new double[2][POINTS];
        for (int i = 0; i < POINTS; i++) {
            pc[0][i] = Double.parseDouble(pca.get(i + 1).get(0));
            pc[1][i] = Double.parseDouble(pca.get(i + 1).get(1));
            assertEquals(test.label(subset[i]), Integer.parseInt(pca.get(i + 1).get(2)));
        }
        double[] variance = new double[2];
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < POINTS; i++) {
                variance[k] += pc[k][i] * pc[k][i] / (POINTS - 1);
            }
            // C w = lambda w with lambda = var(pc_k) and w = Xc^T pc_k / ((N - 1) lambda); then Xc w = pc_k, |w| = 1
            double[] w = new double[d];
            for (int i = 0; i < POINTS; i++) {
                for (int p = 0; p < d; p++) {
                    w[p] += (pixels[i][p] - mean[p]) * pc[k][i] / ((POINTS - 1) * variance[k]);
                }
            }
            assertEquals(1.0, Math.sqrt(Arrays.stream(w).map(v -> v * v).sum()), 1e-6, "PC " + (k + 1) + " unit");
            for (int i = 0; i < POINTS; i++) {
                double proj = 0;
                for (int p = 0; p < d; p++) {
                    proj += (pixels[i][p] - mean[p]) * w[p];
                }
                assertEquals(pc[k][i], proj, 1e-6 * Math.sqrt(variance[k]), "PC " + (k + 1) + " point " + i);
            }
        }
        assertTrue(variance[0] >= variance[1], "first component has the larger variance");
        double covariance = 0;
        for (int i = 0; i < POINTS; i++) {
            covariance += pc[0][i] * pc[1][i] / (POINTS - 1);
        }
        assertEquals(0, covariance, 1e-6 * variance[0], "components uncorrelated");
        // no coordinate axis (a single pixel) has more variance than PC 1
        for (int p = 0; p < d; p++) {
            double v = 0;
            for (double[] row : pixels) {
                v += (row[p] - mean[p]) * (row[p] - mean[p]) / (POINTS - 1);
            }
            assertTrue(v <= variance[0] + 1e-9, "pixel " + p);
        }

        // denoising: the first 20 test images, masked with the seed's noise, their reconstructions, themselves
        INDArray clean = test.features(IntStream.range(0, 20).toArray());
        INDArray noisy = new Corruption(Corruption.Kind.MASKING, 0.25).apply(clean, new NoiseSource(SEED + 2));
        float[][][] roles = {
            noisy.toFloatMatrix(),
            model.reconstruct(noisy, new NoiseSource(SEED)).toFloatMatrix(),
            clean.toFloatMatrix()
        };
        List<List<String>> den = csv(figures.get("denoising"));
        assertEquals(1 + 3 * 20, den.size());
        for (int i = 0; i < 20; i++) {
            for (int r = 0; r < 3; r++) {
                List<String> row = den.get(1 + 3 * i + r);
                assertEquals(List.of("noisy", "denoised", "clean").get(r), row.get(0));
                assertArrayEquals(roles[r][i], pixels(row, 3), 1e-6f, "image " + i + " role " + r);
            }
        }
        assertFalse(Arrays.equals(roles[0][0], roles[2][0]), "the noise changed the input");
        String svg = Files.readString(figures.get("denoising").svg());
        assertTrue(svg.contains("masking noise, fraction 0.25"), "the corruption is in the title");

        // random codes: N(0, I) draws and draws from the Gaussian fitted to 5,000 (here: all) training codes, decoded
        INDArray standard = GaussianFit.standard(model.codeSize()).sample(100, new NoiseSource(SEED + 3));
        float[][] decodedStandard =
                model.decode(standard.castTo(DataType.FLOAT)).toFloatMatrix();
        int m = Math.min(RunPlots.FIT_POINTS, train.size());
        int[] fitSubset = Arrays.copyOf(BatchIterator.permutation(train.size(), SEED, 1), m);
        GaussianFit fit =
                GaussianFit.fit(model.encode(train.features(fitSubset)).castTo(DataType.DOUBLE));
        INDArray fitted = fit.sample(100, new NoiseSource(SEED + 4));
        float[][] decodedFitted = model.decode(fitted.castTo(DataType.FLOAT)).toFloatMatrix();
        List<List<String>> std = csv(figures.get("samples_standard_normal"));
        List<List<String>> fit2 = csv(figures.get("samples_fitted_gaussian"));
        assertEquals(101, std.size());
        assertEquals(101, fit2.size());
        for (int i = 0; i < 100; i++) {
            assertArrayEquals(decodedStandard[i], pixels(std.get(i + 1), 1), 1e-6f, "N(0, I) sample " + i);
            assertArrayEquals(decodedFitted[i], pixels(fit2.get(i + 1), 1), 1e-5f, "fitted sample " + i);
        }
        assertTrue(Files.readString(figures.get("samples_fitted_gaussian").svg())
                .contains("Gaussian fitted to " + m + " training codes"));

        // roc: the trapezoidal area under the written points is the AUROC in evaluation.json, shown in the legend
        List<List<String>> roc = csv(figures.get("roc"));
        double area = 0;
        for (int k = 2; k < roc.size(); k++) {
            double f0 = Double.parseDouble(roc.get(k - 1).get(1));
            double f1 = Double.parseDouble(roc.get(k).get(1));
            double t0 = Double.parseDouble(roc.get(k - 1).get(2));
            double t1 = Double.parseDouble(roc.get(k).get(2));
            area += (f1 - f0) * (t1 + t0) / 2;
        }
        assertEquals(anomaly.auroc(), area, 1e-12);
        assertTrue(anomaly.auroc() > 0.7, "1s are thinner than other digits: " + anomaly.auroc());
        assertTrue(Files.readString(figures.get("roc").svg())
                .contains(String.format(Locale.ROOT, "AUROC = %.4f", anomaly.auroc())));

        // the same seed draws the same figures: every CSV and PNG byte-identical in a second folder of the same name
        Path again = runDir(tmp.resolve("second").resolve("run"), anomaly);
        Map<String, PlotFiles> second = byName(RunPlots.write(
                new TrainingRun.Finished(again, null, model, train, test, null),
                new RunPlots.Options(POINTS, 0, SEED)));
        assertEquals(figures.keySet(), second.keySet());
        for (String name : figures.keySet()) {
            assertArrayEquals(
                    Files.readAllBytes(figures.get(name).csv()),
                    Files.readAllBytes(second.get(name).csv()),
                    name);
            assertArrayEquals(
                    Files.readAllBytes(figures.get(name).png()),
                    Files.readAllBytes(second.get(name).png()),
                    name);
        }
    }

    @Test
    void plainAutoencoderWithoutEvaluationGetsNoDenoisingOrRocFigure() {
        AutoencoderModel<?> plain = TinyAutoencoder.TYPE.build(new TinyAutoencoder.Config(784, 3, 1.0), 5);
        Path dir = tmp.resolve("plain");
        Map<String, PlotFiles> figures = byName(RunPlots.write(
                new TrainingRun.Finished(dir, null, plain, train, test, null), new RunPlots.Options(50, 0, SEED)));
        assertTrue(figures.containsKey("pixels_pca"));
        assertTrue(figures.containsKey("samples_standard_normal"));
        assertTrue(figures.containsKey("samples_fitted_gaussian"));
        assertFalse(figures.containsKey("denoising"), "not a denoising model");
        assertFalse(figures.containsKey("roc"), "no evaluation.json");
        assertFalse(figures.containsKey("likelihood_curve"), "no likelihood.csv");
    }

    @Test
    void aRunWithALikelihoodCurveGetsItsFigure() throws Exception {
        AutoencoderModel<?> plain = TinyAutoencoder.TYPE.build(new TinyAutoencoder.Config(784, 3, 1.0), 5);
        Path dir = tmp.resolve("curve");
        Files.createDirectories(dir);
        Files.writeString(
                LikelihoodCurveListener.file(dir),
                LikelihoodCurveListener.HEADER + "\n1,20,50,180.000000,3.000000,190.000000,0.500\n"
                        + "2,20,50,170.000000,2.500000,178.000000,0.500\n");
        Map<String, PlotFiles> figures = byName(RunPlots.write(
                new TrainingRun.Finished(dir, null, plain, train, test, null), new RunPlots.Options(50, 0, SEED)));
        assertTrue(figures.containsKey("likelihood_curve"), figures.keySet().toString());
        assertEquals(
                "2,20,50,170.000000,2.500000,178.000000",
                Files.readAllLines(figures.get("likelihood_curve").csv()).get(2));
    }

    @Test
    void theLegendsNameTheClassesOfADatasetWhoseClassesHaveNames() throws Exception {
        AutoencoderModel<?> plain = TinyAutoencoder.TYPE.build(new TinyAutoencoder.Config(784, 3, 1.0), 5);
        RunConfig fashion =
                RunConfig.of(new TinyAutoencoder.Config(784, 3, 1.0)).withDataset(Datasets.FASHION_MNIST);
        Map<String, PlotFiles> named = byName(RunPlots.write(
                new TrainingRun.Finished(tmp.resolve("named"), fashion, plain, train, test, null),
                new RunPlots.Options(50, 0, SEED)));
        Map<String, PlotFiles> numbered = byName(RunPlots.write(
                new TrainingRun.Finished(tmp.resolve("numbered"), null, plain, train, test, null),
                new RunPlots.Options(50, 0, SEED)));
        for (String figure : List.of("latent_pca", "pixels_pca")) {
            String svg = Files.readString(named.get(figure).svg());
            assertTrue(
                    svg.contains("Trouser") && svg.contains("Ankle boot"), figure + " names Fashion-MNIST's classes");
            assertFalse(Files.readString(numbered.get(figure).svg()).contains("Trouser"), figure);
            assertEquals(
                    Files.readString(numbered.get(figure).csv()),
                    Files.readString(named.get(figure).csv()),
                    "the CSV keeps the label numbers");
        }
    }
}
