package org.latentlab.models;

import org.latentlab.models.vae.ConditionalVae;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.latentlab.engine.Quiet;
import org.latentlab.data.DataBundle;
import org.latentlab.data.Datasets;
import org.latentlab.data.ImageDataset;
import org.latentlab.graph.Activation;
import org.latentlab.graph.Dense;
import org.latentlab.graph.GraphContext;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.NoiseSource;
import org.latentlab.core.AutoencoderModel;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * A digit classifier trained on real images only, used to judge generated images: the share of
 * images a {@link ConditionalVae} generates for class c that the classifier assigns to c. The
 * classifier is independent of the generator (its own MLP, 784-hidden-10 with ReLU, softmax
 * cross-entropy, Adam), and its accuracy on the real test images is reported beside the share,
 * since a weak judge would understate the generator.
 *
 * <p>Command line (after {@code mvn package -pl experiments -am}):
 * <pre>
 * java -cp "experiments/target/latentlab.jar:experiments/target/lib/*" org.latentlab.models.ClassifierProbe \
 *     RUN_DIR [DATASET=mnist] [PER_CLASS=1000] [EPOCHS=5] [CLASSIFIER_FILE]
 * </pre>
 * loads {@code RUN_DIR/model} (or RUN_DIR itself if it is a model folder, e.g. a checkpoint's), trains the classifier on DATASET's training images, and prints
 * the classifier's test accuracy and the per-class and overall shares. With CLASSIFIER_FILE the
 * classifier is read from that file if it exists, else trained and written there.
 */
public final class ClassifierProbe {
    private final SameDiff sd;

    private ClassifierProbe(SameDiff sd) {
        this.sd = sd;
    }

    /** Trains a 784-hidden-10 MLP classifier on {@code train} for {@code epochs} epochs, batch 128, Adam 1e-3. */
    public static ClassifierProbe train(ImageDataset train, int hidden, int epochs, long seed) {
        SameDiff sd = SameDiff.create();
        GraphContext g = new GraphContext(sd, seed);
        int classes = train.numClasses();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, train.featureSize());
        SDVariable y = sd.placeHolder("y", DataType.FLOAT, -1, classes);
        SDVariable h = Dense.create(g, "hidden", train.featureSize(), hidden, Activation.RELU, WeightInit.PYTORCH_DEFAULT)
                .apply(x);
        SDVariable logits = Dense.create(g, "out", hidden, classes, Activation.IDENTITY, WeightInit.PYTORCH_DEFAULT)
                .apply(h, "logits");
        // Cross-entropy -sum_c y_c log softmax(logits)_c, averaged over the batch.
        y.mul(sd.nn().logSoftmax(logits)).sum(1).mean().neg("loss");
        sd.setLossVariables("loss");
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(1e-3))
                .dataSetFeatureMapping("x").dataSetLabelMapping("y").build());
        Quiet.stdout(() -> {
            sd.createGradFunction(); // M2.1 prints a line per differentiated op
        });
        Random rng = new Random(seed);
        int n = train.size();
        int batch = 128;
        for (int epoch = 0; epoch < epochs; epoch++) {
            int[] order = shuffled(n, rng);
            sd.fit(new ViewIterator(new DataSet(train.features(order), train.oneHotLabels(order)), batch), 1);
        }
        return new ClassifierProbe(sd);
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
    public static ClassifierProbe load(Path file) {
        return new ClassifierProbe(SameDiff.load(file.toFile(), false));
    }

    /** Predicted class of each row of {@code images} [N, 784]. */
    public int[] predict(INDArray images) {
        INDArray logits = sd.output(Map.of("x", images.castTo(DataType.FLOAT)), "logits").get("logits");
        return Nd4j.argMax(logits, 1).toIntVector();
    }

    /** Share of {@code data}'s images classified as their label. */
    public double accuracy(ImageDataset data) {
        int correct = 0;
        for (int start = 0; start < data.size(); start += 1000) {
            int[] idx = range(start, Math.min(data.size(), start + 1000));
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
     * (z ~ N(0, I), decoder means) that this classifier assigns to c. Noise comes from
     * {@code noise}, class after class.
     */
    public double[] conditionalAccuracy(ConditionalVae model, int perClass, NoiseSource noise) {
        double[] shares = new double[model.config().numClasses()];
        for (int c = 0; c < shares.length; c++) {
            int hits = 0;
            for (int done = 0; done < perClass; done += 500) {
                int n = Math.min(500, perClass - done);
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

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: ClassifierProbe RUN_DIR [DATASET=mnist] [PER_CLASS=1000] [EPOCHS=5] [CLASSIFIER_FILE]");
            System.exit(2);
        }
        Path run = Path.of(args[0]);
        String dataset = args.length > 1 ? args[1] : Datasets.MNIST;
        int perClass = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int epochs = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        // A run folder holds its model in model/; a checkpoint's model folder can be given directly.
        Path modelDir = java.nio.file.Files.isDirectory(run.resolve("model")) ? run.resolve("model") : run;
        AutoencoderModel<?> loaded = AutoencoderModel.load(modelDir, Models.registry());
        if (!(loaded instanceof ConditionalVae cvae)) {
            throw new IllegalArgumentException(run + " holds a " + loaded.getClass().getSimpleName() + ", not a cvae");
        }
        Path cache = args.length > 4 ? Path.of(args[4]) : null;
        DataBundle data = Datasets.load(dataset);
        long start = System.nanoTime();
        ClassifierProbe probe;
        if (cache != null && java.nio.file.Files.isRegularFile(cache)) {
            probe = load(cache);
            System.out.println("classifier: loaded from " + cache);
        } else {
            probe = train(data.train(), 256, epochs, 1);
            if (cache != null) {
                probe.save(cache);
            }
            System.out.printf(Locale.ROOT, "classifier: MLP 784-256-10, %d epochs on %d %s training images, %.1f s%n",
                    epochs, data.train().size(), dataset, (System.nanoTime() - start) / 1e9);
        }
        System.out.printf(Locale.ROOT, "classifier test accuracy %.4f on %d %s test images%n",
                probe.accuracy(data.test()), data.test().size(), dataset);
        double[] shares = probe.conditionalAccuracy(cvae, perClass, new NoiseSource(12345));
        List<String> parts = new ArrayList<>();
        double sum = 0;
        for (int c = 0; c < shares.length; c++) {
            parts.add(String.format(Locale.ROOT, "%d:%.3f", c, shares[c]));
            sum += shares[c];
        }
        System.out.println("per class: " + String.join(" ", parts));
        System.out.printf(Locale.ROOT, "generated images classified as their requested class: %.4f (%d per class)%n",
                sum / shares.length, perClass);
    }
}
