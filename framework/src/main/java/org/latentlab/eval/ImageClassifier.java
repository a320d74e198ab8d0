package org.latentlab.eval;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.latentlab.core.ConditionalGenerative;
import org.latentlab.data.ImageDataset;
import org.latentlab.engine.OpDescriptors;
import org.latentlab.engine.Quiet;
import org.latentlab.graph.Activation;
import org.latentlab.graph.Dense;
import org.latentlab.graph.GraphContext;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.NoiseSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;

/**
 * An image classifier trained on real images only, used to judge generated images: the share of
 * images a {@link ConditionalGenerative} model generates for class c that the classifier assigns
 * to c ({@link #conditionalAccuracy}). The classifier is independent of the generator (its own
 * MLP, input-hidden-classes with ReLU, softmax cross-entropy, Adam), and its accuracy on real test
 * images ({@link #accuracy}) belongs beside the share, since a weak judge would understate the
 * generator. {@code latentlab probe-samples} runs it on a trained run; {@link Evaluator} scores it on
 * a model's reconstructions of the test images.
 */
public final class ImageClassifier {
    /** Hidden units of the MLP that {@code latentlab probe-samples} and {@code latentlab evaluate} train. */
    public static final int DEFAULT_HIDDEN = 256;
    /** Examples per gradient step in {@link #train}. */
    public static final int BATCH_SIZE = 128;
    /** Adam's learning rate in {@link #train}. */
    public static final double LEARNING_RATE = 1e-3;
    /** Images per forward pass when predicting or generating. */
    private static final int CHUNK = 1000;
    /** Generated images per {@link ConditionalGenerative#sampleClass} call. */
    private static final int SAMPLE_CHUNK = 500;

    private final SameDiff sd;

    private ImageClassifier(SameDiff sd) {
        this.sd = sd;
    }

    /**
     * Trains an MLP featureSize-hidden-classes on {@code train} for {@code epochs} epochs, batch
     * {@value #BATCH_SIZE}, Adam {@value #LEARNING_RATE}; {@code seed} sets the weights and the
     * shuffling.
     */
    public static ImageClassifier train(ImageDataset train, int hidden, int epochs, long seed) {
        SameDiff sd = SameDiff.create();
        GraphContext g = new GraphContext(sd, seed);
        int classes = train.numClasses();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, train.featureSize());
        SDVariable y = sd.placeHolder("y", DataType.FLOAT, -1, classes);
        SDVariable h = Dense.create(
                        g, "hidden", train.featureSize(), hidden, Activation.RELU, WeightInit.PYTORCH_DEFAULT)
                .apply(x);
        SDVariable logits = Dense.create(g, "out", hidden, classes, Activation.IDENTITY, WeightInit.PYTORCH_DEFAULT)
                .apply(h, "logits");
        // Cross-entropy -sum_c y_c log softmax(logits)_c, averaged over the batch.
        y.mul(sd.nn().logSoftmax(logits)).sum(1).mean().neg("loss");
        sd.setLossVariables("loss");
        sd.setTrainingConfig(TrainingConfig.builder()
                .updater(new Adam(LEARNING_RATE))
                .dataSetFeatureMapping("x")
                .dataSetLabelMapping("y")
                .build());
        OpDescriptors.preload();
        Quiet.stdout(() -> {
            sd.createGradFunction(); // M2.1 prints a line per differentiated op
        });
        Random rng = new Random(seed);
        int n = train.size();
        for (int epoch = 0; epoch < epochs; epoch++) {
            int[] order = shuffled(n, rng);
            sd.fit(new ViewIterator(new DataSet(train.features(order), train.oneHotLabels(order)), BATCH_SIZE), 1);
        }
        return new ImageClassifier(sd);
    }

    private static int[] shuffled(int n, Random rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Saves the classifier's graph and weights (FlatBuffers), so a later probe can skip training. */
    public void save(Path file) {
        sd.save(file.toFile(), false);
    }

    /** Loads a classifier written by {@link #save}. */
    public static ImageClassifier load(Path file) {
        OpDescriptors.preload();
        return new ImageClassifier(SameDiff.load(file.toFile(), false));
    }

    /** Width of the images the classifier takes. */
    public long inputSize() {
        return sd.getVariable("x").getShape()[1];
    }

    /** Number of classes the classifier tells apart. */
    public long numClasses() {
        return sd.getVariable("y").getShape()[1];
    }

    /** Predicted class of each row of {@code images} [N, inputSize]. */
    public int[] predict(INDArray images) {
        INDArray logits =
                sd.output(Map.of("x", images.castTo(DataType.FLOAT)), "logits").get("logits");
        return Nd4j.argMax(logits, 1).toIntVector();
    }

    /**
     * The classifier's softmax probabilities for each row of {@code images} [N, inputSize]: DOUBLE [N, classes],
     * rows summing to 1, computed in double from the logits (max subtracted before exp).
     */
    public INDArray probabilities(INDArray images) {
        long n = images.size(0);
        double[][] p = new double[(int) n][];
        for (long start = 0; start < n; start += CHUNK) {
            long end = Math.min(n, start + CHUNK);
            INDArray part = images.get(NDArrayIndex.interval(start, end), NDArrayIndex.all())
                    .castTo(DataType.FLOAT)
                    .dup();
            double[][] logits = sd.output(Map.of("x", part), "logits")
                    .get("logits")
                    .castTo(DataType.DOUBLE)
                    .toDoubleMatrix();
            for (int i = 0; i < logits.length; i++) {
                p[(int) start + i] = softmax(logits[i]);
            }
        }
        return Nd4j.create(p);
    }

    static double[] softmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logits) {
            max = Math.max(max, l);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int c = 0; c < p.length; c++) {
            p[c] = Math.exp(logits[c] - max);
            sum += p[c];
        }
        for (int c = 0; c < p.length; c++) {
            p[c] /= sum;
        }
        return p;
    }

    /** Share of {@code data}'s images classified as their label. */
    public double accuracy(ImageDataset data) {
        int correct = 0;
        for (int start = 0; start < data.size(); start += CHUNK) {
            int[] idx = range(start, Math.min(data.size(), start + CHUNK));
            int[] pred = predict(data.features(idx));
            int[] labels = data.labels(idx);
            for (int i = 0; i < idx.length; i++) {
                correct += pred[i] == labels[i] ? 1 : 0;
            }
        }
        return (double) correct / data.size();
    }

    /**
     * For each class c, the share of {@code perClass} images generated by {@code model} for c
     * that this classifier assigns to c. Noise comes from {@code noise}, class after class.
     */
    public double[] conditionalAccuracy(ConditionalGenerative model, int perClass, NoiseSource noise) {
        double[] shares = new double[model.numClasses()];
        for (int c = 0; c < shares.length; c++) {
            int hits = 0;
            for (int done = 0; done < perClass; done += SAMPLE_CHUNK) {
                int n = Math.min(SAMPLE_CHUNK, perClass - done);
                for (int p : predict(model.sampleClass(c, n, noise))) {
                    hits += p == c ? 1 : 0;
                }
            }
            shares[c] = (double) hits / perClass;
        }
        return shares;
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }
}
