package org.latentlab.experiments;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.data.Datasets;
import org.latentlab.eval.EvaluationResult;
import org.latentlab.eval.Pca;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.ReconstructionKind;
import org.latentlab.models.Models;
import org.latentlab.models.ae.AutoencoderConfig;
import org.latentlab.run.TrainingRun;
import org.latentlab.sweep.Experiment;
import org.latentlab.sweep.ResultsTable;
import org.latentlab.sweep.Shard;
import org.latentlab.sweep.SweepAnalysis;
import org.latentlab.sweep.SweepRunner;
import org.latentlab.sweep.Trial;
import org.latentlab.sweep.TrialPlanner;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dimensionalityreduction.PCA;

/**
 * The ae-vs-pca experiment: its six trials are the linear and deep autoencoders asked for, and a quick sweep's
 * analysis reports PCA errors and principal angles that agree with an independent computation (ND4J's SVD-based
 * PCA, plain-Java Gram-Schmidt and the closed-form singular values of a 2 x 2 matrix).
 */
class AeVsPcaTest {
    @TempDir
    Path tmp;

    @Test
    void trialsAreTheLinearAndDeepAutoencodersAtEachCodeSize() {
        for (Experiment.Scale scale : Experiment.Scale.values()) {
            AeVsPca exp = new AeVsPca();
            exp.atScale(scale);
            List<Trial> trials = new TrialPlanner(Models.registry()).plan(exp);
            assertEquals(6, trials.size());
            for (int i = 0; i < 6; i++) {
                AutoencoderConfig c = (AutoencoderConfig) trials.get(i).config().model();
                int k = AeVsPca.CODE_SIZES.get(i % 3);
                assertEquals(k, c.codeSize());
                boolean linear = i < 3;
                assertEquals(linear, AeVsPca.isLinear(c));
                int epochs = trials.get(i).config().trainer().epochs();
                if (linear) {
                    assertEquals(List.of(k), c.encoderSizes());
                    assertEquals(Activation.IDENTITY, c.hiddenActivation());
                    assertEquals(Activation.IDENTITY, c.codeActivation());
                    assertEquals(Activation.IDENTITY, c.outputActivation());
                    assertEquals(ReconstructionKind.MSE, c.loss());
                    assertEquals(WeightInit.XAVIER_UNIFORM, c.weightInit());
                    assertEquals(
                            AeVsPca.LINEAR_LEARNING_RATE,
                            trials.get(i).config().trainer().learningRate());
                    assertEquals(
                            scale == Experiment.Scale.QUICK ? AeVsPca.LINEAR_QUICK_EPOCHS : AeVsPca.LINEAR_EPOCHS,
                            epochs);
                } else {
                    assertEquals(List.of(1000, 500, 250, k), c.encoderSizes());
                    assertEquals(Activation.RELU, c.hiddenActivation());
                    assertEquals(Activation.IDENTITY, c.codeActivation());
                    assertEquals(Activation.SIGMOID, c.outputActivation());
                    assertEquals(ReconstructionKind.BCE, c.loss());
                    assertEquals(
                            scale == Experiment.Scale.QUICK ? AeVsPca.DEEP_QUICK_EPOCHS : AeVsPca.DEEP_EPOCHS, epochs);
                }
                assertEquals(
                        scale == Experiment.Scale.QUICK ? Datasets.MNIST_SAMPLE : Datasets.MNIST,
                        trials.get(i).config().dataset());
            }
        }
    }

    @Test
    void quickSweepReportsPcaErrorsAndAnglesThatAnIndependentComputationConfirms() throws IOException {
        AeVsPca exp = new AeVsPca();
        exp.atScale(Experiment.Scale.QUICK);
        Path dir = tmp.resolve("sweep");
        SweepRunner runner = new SweepRunner(Models.registry(), Datasets.defaultDataDir(), false);
        runner.run(exp, dir, new Shard(0, 1));
        ResultsTable results = runner.collect(exp, dir);
        QuickReports.writeAndCheck(dir);
        assertEquals(6, results.rows().size());
        assertTrue(results.rows().stream().allMatch(r -> "completed".equals(r.status())), results.toMarkdown());

        String md = Files.readString(dir.resolve(SweepAnalysis.FILE));
        List<List<List<String>>> tables = AnalysisTables.read(dir.resolve(SweepAnalysis.FILE));
        for (String figure : List.of("pca_vs_ae.png", "error_vs_code_size.png", "principal_angles.png")) {
            assertTrue(Files.size(dir.resolve(SweepAnalysis.PLOTS_DIR).resolve(figure)) > 0, figure);
            assertTrue(md.contains(figure), figure);
        }

        TrainingRun runs = new TrainingRun(Models.registry(), Datasets.defaultDataDir(), false);
        Path trials = dir.resolve(SweepRunner.TRIALS_DIR);
        TrainingRun.Finished linear2 =
                runs.load(trials.resolve(results.rows().get(0).trial()));
        TrainingRun.Finished linear10 =
                runs.load(trials.resolve(results.rows().get(1).trial()));
        EvaluationResult deep30 = EvaluationResult.read(
                trials.resolve(results.rows().get(5).trial()).resolve(EvaluationResult.FILE));

        // Independent PCA: ND4J's, an SVD of the centred data in float (eval.Pca diagonalises the covariance in
        // double). Its own arrays are FLOAT, so it is given FLOAT data.
        INDArray train = linear2.train().features();
        INDArray mean = train.castTo(DataType.DOUBLE).mean(0);
        INDArray factor = PCA.pca_factor(train.dup('f'), 30, true).castTo(DataType.DOUBLE); // [D, 30]

        // PCA-30 squared error per test image, summed over pixels, averaged over images.
        INDArray test = linear2.test().features().castTo(DataType.DOUBLE);
        INDArray centred = test.subRowVector(mean);
        INDArray residual = centred.sub(centred.mmul(factor).mmul(factor.transpose()));
        double pca30 = residual.mul(residual).sumNumber().doubleValue() / test.size(0);
        assertEquals(pca30, deep30.pca().msePerPixel() * 784, 1e-3 * pca30);
        List<String> errorRow = tableRow(tables, "linear AE / PCA", "30");
        assertEquals(pca30, Double.parseDouble(errorRow.get(4)), 1e-3 * pca30);
        List<String> paperRow = tableRow(tables, "paper: sq. error / image", "PCA, 30 components");
        assertEquals("13.87", paperRow.get(1));
        assertEquals(pca30, Double.parseDouble(paperRow.get(2)), 1e-3 * pca30);

        // Principal angles of the linear k = 2 decoder to eval.Pca's top 2 (PcaTest checks those): the closed-form
        // singular values of the 2 x 2 Q_ae^T Q_pca, with Q_ae from Gram-Schmidt.
        Pca pca = Pca.fit(linear2.train().features(), 30);
        INDArray components = pca.componentMatrix().transpose(); // [D, 30]
        double[] angles = AeVsPca.angles(linear2, pca, 2).decoder();
        double[][] m = crossGram(decoderBasis(linear2), columns(components, 2));
        double frob = m[0][0] * m[0][0] + m[0][1] * m[0][1] + m[1][0] * m[1][0] + m[1][1] * m[1][1];
        double det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
        double root = Math.sqrt(Math.max(0, frob * frob - 4 * det * det));
        double[] expected = {
            Math.toDegrees(Math.acos(Math.min(1, Math.sqrt((frob + root) / 2)))),
            Math.toDegrees(Math.acos(Math.min(1, Math.sqrt(Math.max(0, (frob - root) / 2)))))
        };
        assertArrayEquals(expected, angles, 0.01, Arrays.toString(angles));
        List<String> angleRow = tableRow(tables, "overlap", "2");
        assertEquals(expected[0], Double.parseDouble(angleRow.get(1)), 0.01 + 1e-3 * expected[0]);
        assertEquals(expected[1], Double.parseDouble(angleRow.get(3)), 0.01 + 1e-3 * expected[1]);
        assertEquals(frob / 2, Double.parseDouble(angleRow.get(5)), 1e-3);

        assertEquals(
                pca.explainedVariance()[1] / pca.explainedVariance()[2], Double.parseDouble(angleRow.get(6)), 1e-3);
        int blank = 0;
        for (int p = 0; p < 784; p++) {
            boolean zero = true;
            for (int i = 0; i < linear2.train().size() && zero; i++) {
                zero = linear2.train().pixel(i, p) == 0;
            }
            blank += zero ? 1 : 0;
        }
        assertEquals(blank, AeVsPca.blankPixels(linear2.train()));
        assertTrue(blank > 0 && md.contains(blank + " of the 784 pixels are 0 in every training image"), md);

        // k = 10: the overlap ||Q_ae^T Q_pca||_F^2 / k.
        double[][] m10 = crossGram(decoderBasis(linear10), columns(components, 10));
        double sum = 0;
        for (double[] row : m10) {
            for (double v : row) {
                sum += v * v;
            }
        }
        assertEquals(sum / 10, AeVsPca.overlap(AeVsPca.angles(linear10, pca, 10).decoder()), 1e-4);
        assertEquals(
                sum / 10, Double.parseDouble(tableRow(tables, "overlap", "10").get(5)), 1e-3);
    }

    /** Orthonormal columns spanning the rows of the decoder weight [k, D]: plain-Java Gram-Schmidt, twice. */
    private static double[][] decoderBasis(TrainingRun.Finished run) {
        double[][] w = run.model()
                .graph()
                .getVariable(AeVsPca.DECODER_WEIGHT)
                .getArr()
                .castTo(DataType.DOUBLE)
                .toDoubleMatrix();
        double[][] q = new double[w.length][];
        for (int j = 0; j < w.length; j++) {
            double[] v = w[j].clone();
            for (int pass = 0; pass < 2; pass++) {
                for (int p = 0; p < j; p++) {
                    double dot = dot(v, q[p]);
                    for (int i = 0; i < v.length; i++) {
                        v[i] -= dot * q[p][i];
                    }
                }
            }
            double norm = Math.sqrt(dot(v, v));
            for (int i = 0; i < v.length; i++) {
                v[i] /= norm;
            }
            q[j] = v;
        }
        return q;
    }

    /** The first {@code k} columns of {@code a} [D, n], as k rows. */
    private static double[][] columns(INDArray a, int k) {
        double[][] all = a.castTo(DataType.DOUBLE).transpose().toDoubleMatrix();
        return Arrays.copyOf(all, k);
    }

    /** M[i][j] = a_i . b_j for row vectors a_i, b_j. */
    private static double[][] crossGram(double[][] a, double[][] b) {
        double[][] m = new double[a.length][b.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                m[i][j] = dot(a[i], b[j]);
            }
        }
        return m;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** The row starting with {@code first} of the analysis table whose header has the column {@code column}. */
    private static List<String> tableRow(List<List<List<String>>> tables, String column, String first) {
        for (List<List<String>> table : tables) {
            if (table.get(0).contains(column)) {
                for (List<String> row : table.subList(1, table.size())) {
                    if (row.get(0).equals(first)) {
                        return row;
                    }
                }
                fail("no row '" + first + "' in the table with column '" + column + "': " + table);
            }
        }
        fail("no table with column '" + column + "' among " + tables);
        return List.of();
    }
}
