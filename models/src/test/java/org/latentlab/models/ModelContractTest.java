package org.latentlab.models;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.Generative;
import org.latentlab.core.ModelConfig;
import org.latentlab.core.ModelRegistry;
import org.latentlab.core.ModelType;
import org.latentlab.core.Progress;
import org.latentlab.data.Batch;
import org.latentlab.data.BatchIterator;
import org.latentlab.data.DataBundle;
import org.latentlab.data.Datasets;
import org.latentlab.data.ImageDataset;
import org.latentlab.engine.CompiledStep;
import org.latentlab.engine.TrainingEngine;
import org.latentlab.loss.NoiseSource;
import org.latentlab.models.vae.ConditionalVae;
import org.latentlab.plot.FirstLayerWeights;
import org.latentlab.plot.ImageFigures;
import org.latentlab.plot.PlotFiles;
import org.latentlab.train.EpochResult;
import org.latentlab.train.Optimizer;
import org.latentlab.train.Trainer;
import org.latentlab.train.TrainerConfig;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The contract every model variant keeps. A variant's test extends this class and names its
 * type and a tiny config (small layers, MNIST-sized input); see CONTRIBUTING.md.
 */
public abstract class ModelContractTest<C extends ModelConfig> {
    protected static final ModelRegistry REGISTRY = Models.registry();
    protected static ImageDataset train;
    protected static ImageDataset test;

    /** The variant under test. */
    protected abstract ModelType<C> type();

    /** A config small enough that a few steps run in about a second. */
    protected abstract C tinyConfig();

    /** Learning rate for the few steps that must lower the loss. */
    protected double learningRate() {
        return 1e-3;
    }

    @BeforeAll
    static void loadSample() {
        DataBundle bundle = Datasets.load(Datasets.MNIST_SAMPLE);
        train = bundle.train().head(256);
        test = bundle.test().head(128);
    }

    private TrainerConfig trainer(int epochs, long seed) {
        return new TrainerConfig(epochs, 32, Optimizer.ADAM, learningRate(), 0, 0, seed, 0, 0, 0);
    }

    protected AutoencoderModel<C> build(long seed) {
        return type().build(tinyConfig(), seed);
    }

    @Test
    void isRegisteredUnderItsTypeName() {
        assertSame(type(), REGISTRY.get(type().name()));
        assertSame(type(), REGISTRY.typeOf(tinyConfig()));
        assertFalse(type().description().isBlank());
    }

    @Test
    void buildsAndEveryNamedLossTermIsFinite() {
        AutoencoderModel<C> model = build(1);
        List<String> terms = model.lossTerms();
        assertEquals(AutoencoderModel.LOSS, terms.get(0), "the total loss comes first");
        Map<String, Double> values = model.evaluate(test, 64, 1);
        assertEquals(terms, List.copyOf(values.keySet()));
        values.forEach((k, v) -> assertTrue(Double.isFinite(v), k + " = " + v));
    }

    @Test
    void aFewStepsOnTheMnistSampleLowerTheLoss() {
        AutoencoderModel<C> model = build(2);
        double before = model.evaluate(test, 64, 3).get(AutoencoderModel.LOSS);
        new Trainer(trainer(2, 2)).fit(model, train, null);
        double after = model.evaluate(test, 64, 3).get(AutoencoderModel.LOSS);
        assertTrue(after < before, type().name() + ": loss " + before + " -> " + after);
    }

    @Test
    void saveThenLoadGivesIdenticalOutputs(@TempDir Path dir) {
        AutoencoderModel<C> model = build(3);
        new Trainer(trainer(1, 3)).fit(model, train.head(64), null);
        model.save(dir.resolve("m"), REGISTRY);
        AutoencoderModel<?> loaded = AutoencoderModel.load(dir.resolve("m"), REGISTRY);
        assertSame(model.getClass(), loaded.getClass());
        assertEquals(model.config(), loaded.config());
        INDArray x = test.features(new int[] {0, 1, 2});
        assertEquals(model.encode(x), loaded.encode(x));
        assertEquals(model.reconstruct(x, new NoiseSource(4)), loaded.reconstruct(x, new NoiseSource(4)));
        assertEquals(model.evaluate(test, 64, 5), loaded.evaluate(test, 64, 5));
        if (model instanceof Generative g) {
            assertEquals(g.sample(4, new NoiseSource(6)), ((Generative) loaded).sample(4, new NoiseSource(6)));
        }
    }

    @Test
    void outputsHaveTheDocumentedShapes() {
        AutoencoderModel<C> model = build(4);
        INDArray x = test.features(new int[] {0, 1, 2});
        assertArrayEquals(new long[] {3, model.codeSize()}, model.encode(x).shape());
        assertArrayEquals(
                new long[] {3, tinyConfig().inputSize()},
                model.reconstruct(x, new NoiseSource(1)).shape());
        assertArrayEquals(
                new long[] {3, tinyConfig().inputSize()},
                model.decode(model.encode(x)).shape());
        if (model instanceof Generative g) {
            assertArrayEquals(
                    new long[] {5, tinyConfig().inputSize()},
                    g.sample(5, new NoiseSource(1)).shape());
        }
    }

    @Test
    void configRoundTripsThroughTaggedJson() {
        String json = REGISTRY.toJson(tinyConfig());
        assertTrue(json.contains("\"type\" : \"" + type().name() + "\""), json);
        assertEquals(tinyConfig(), REGISTRY.fromJson(json, "test"));
        assertEquals(type().defaults(), REGISTRY.fromJson("{\"type\": \"" + type().name() + "\"}", "test"));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> REGISTRY.fromJson("{\"type\": \"" + type().name() + "\", \"noSuchKey\": 1}", "cfg.json"));
        assertTrue(e.getMessage().contains("noSuchKey") && e.getMessage().contains("cfg.json"), e.getMessage());
    }

    @Test
    void sameSeedGivesSameLossesAndParameters() {
        AutoencoderModel<C> first = build(7);
        AutoencoderModel<C> second = build(7);
        List<EpochResult> a = new Trainer(trainer(1, 7))
                .fit(first, train.head(96), test.head(64))
                .history();
        List<EpochResult> b = new Trainer(trainer(1, 7))
                .fit(second, train.head(96), test.head(64))
                .history();
        assertEquals(a.get(0).train(), b.get(0).train());
        assertEquals(a.get(0).validation(), b.get(0).validation());
        for (String p : first.parameterNames()) {
            // bit for bit (INDArray.equals allows a difference of 1e-5)
            assertArrayEquals(
                    first.graph().getArrForVarName(p).dup().data().asBytes(),
                    second.graph().getArrForVarName(p).dup().data().asBytes(),
                    type().name() + ": parameter " + p);
        }
    }

    @Test
    void plannedStepComputesSameDiffsGradients() {
        AutoencoderModel<C> model = build(8);
        int[] rows = IntStream.range(0, 24).toArray();
        Batch batch = train.batch(rows);
        INDArray[] inputs = model.trainingInputs(batch, NoiseSource.forStep(8, 0, 0), new Progress(1, 0));
        // Planned on other data: planning runs each op once, and the step must not live on those values.
        Batch other = train.batch(IntStream.range(100, 124).toArray());
        INDArray[] planningInputs = model.trainingInputs(other, NoiseSource.forStep(8, 0, 1), new Progress(1, 1));
        SameDiff sd = model.graph();
        CompiledStep.Compilation c =
                CompiledStep.compile(sd, model.trainingPlaceholders(), planningInputs, model.lossTerms());
        assertTrue(c.ok(), type().name() + ": the training graph must be plannable, but " + c.unsupportedReason());
        c.step().computeGradients(inputs);

        Map<String, INDArray> feeds = new HashMap<>();
        for (int i = 0; i < inputs.length; i++) {
            feeds.put(model.trainingPlaceholders().get(i), inputs[i]);
        }
        Map<String, INDArray> expected =
                sd.calculateGradients(feeds, c.step().gradients().keySet());
        assertFalse(c.step().gradients().isEmpty());
        List<String> params = model.parameterNames();
        assertTrue(params.containsAll(c.step().gradients().keySet()));
        for (Map.Entry<String, INDArray> e : c.step().gradients().entrySet()) {
            INDArray want = expected.get(e.getKey());
            assertNotNull(want, e.getKey());
            double scale = Math.max(want.amaxNumber().doubleValue(), 1e-3);
            double diff = want.sub(e.getValue()).amaxNumber().doubleValue();
            assertTrue(
                    diff <= 1e-4 * scale,
                    type().name() + " gradient of " + e.getKey() + ": max difference " + diff
                            + " against SameDiff's (largest entry " + scale + ")");
        }
        // Every monitored loss term is computed, as SameDiff computes it.
        Map<String, INDArray> terms = sd.output(feeds, model.lossTerms().toArray(String[]::new));
        for (String t : model.lossTerms()) {
            double want = terms.get(t).sumNumber().doubleValue();
            assertEquals(want, c.step().monitoredValue(t), 1e-4 * Math.max(1, Math.abs(want)), t);
        }
    }

    @Test
    void plannedAndSameDiffEnginesTrainAlike() {
        AutoencoderModel<C> planned = build(9);
        AutoencoderModel<C> reference = build(9);
        new Trainer(trainer(1, 9)).engine(TrainingEngine.PLANNED).fit(planned, train.head(96), null);
        new Trainer(trainer(1, 9)).engine(TrainingEngine.SAMEDIFF).fit(reference, train.head(96), null);
        assertEquals(
                reference.graph().getTrainingConfig().getIterationCount(),
                planned.graph().getTrainingConfig().getIterationCount());
        assertEquals(
                reference.graph().getTrainingConfig().getEpochCount(),
                planned.graph().getTrainingConfig().getEpochCount());
        double a = planned.evaluate(test, 64, 3).get(AutoencoderModel.LOSS);
        double b = reference.evaluate(test, 64, 3).get(AutoencoderModel.LOSS);
        assertEquals(
                b,
                a,
                1e-3 * Math.max(1, Math.abs(b)),
                type().name() + ": test loss after 3 steps, planned vs SameDiff's fit");
    }

    /** The mean loss terms as {@link AutoencoderModel#evaluate} computed them before it was planned: sd.output. */
    private static Map<String, Double> evaluateOnSdOutput(
            AutoencoderModel<?> model, ImageDataset data, int batch, long seed) {
        List<String> terms = model.lossTerms();
        double[] sums = new double[terms.size()];
        NoiseSource noise = new NoiseSource(seed);
        for (Batch b : new BatchIterator(data, batch, false, seed, 0, false)) {
            Map<String, INDArray> out = model.graph().output(model.feeds(b, noise), terms.toArray(String[]::new));
            for (int i = 0; i < sums.length; i++) {
                sums[i] += out.get(terms.get(i)).getDouble(0) * b.size();
            }
        }
        Map<String, Double> means = new java.util.LinkedHashMap<>();
        for (int i = 0; i < sums.length; i++) {
            means.put(terms.get(i), sums[i] / data.size());
        }
        return means;
    }

    @Test
    void plannedEvaluationMatchesSdOutputAlsoAfterTraining() {
        AutoencoderModel<C> model = build(12);
        ImageDataset data = test.head(100); // batches of 48, 48 and 4: two plans
        for (int round = 0; round < 2; round++) {
            Map<String, Double> want = evaluateOnSdOutput(model, data, 48, 5);
            Map<String, Double> got = model.evaluate(data, 48, 5);
            assertEquals(List.copyOf(want.keySet()), List.copyOf(got.keySet()));
            for (String t : want.keySet()) {
                assertEquals(
                        want.get(t),
                        got.get(t),
                        1e-5 * Math.max(1, Math.abs(want.get(t))),
                        type().name() + " " + t + (round == 0 ? "" : " after training"));
            }
            // the plans read the parameters that training updates in place
            new Trainer(trainer(1, 12)).fit(model, train.head(64), null);
        }
    }

    @Test
    void plannedEncodeAndDecodeMatchSdOutput() {
        AutoencoderModel<C> model = build(10);
        if (model instanceof ConditionalVae) {
            return; // its encode/decode feed a condition too; ConditionalVaeTest covers them
        }
        SameDiff sd = model.graph();
        INDArray a = test.features(IntStream.range(0, 16).toArray());
        INDArray b = test.features(IntStream.range(16, 32).toArray());
        for (INDArray x : List.of(a, b, a)) { // the second and third calls reuse the plan of the first
            INDArray want = sd.output(Map.of(AutoencoderModel.INPUT, x), AutoencoderModel.CODE)
                    .get(AutoencoderModel.CODE);
            INDArray code = model.encode(x);
            assertEquals(0.0, want.sub(code).amaxNumber().doubleValue(), 1e-5, type().name() + " encode");
            INDArray wantDecoded = sd.output(Map.of(AutoencoderModel.DECODER_INPUT, code), AutoencoderModel.DECODED)
                    .get(AutoencoderModel.DECODED);
            assertEquals(
                    0.0,
                    wantDecoded.sub(model.decode(code)).amaxNumber().doubleValue(),
                    1e-5,
                    type().name() + " decode");
        }
        INDArray first = model.encode(a);
        model.encode(b);
        assertNotEquals(first, model.encode(b), "each call returns its own array");
    }

    /**
     * Same seed, same numbers (issue 14): the ops whose libnd4j thread count a planned step
     * chooses by timing must compute the same bits on one thread and on several, and the whole
     * step must too, with every such choice forced to one thread and then to the configured
     * number. At batch 128, where libnd4j splits the element-wise ops among threads.
     */
    @Test
    void threadChoicesDoNotChangeTheStep() {
        Environment env = Nd4j.getEnvironment();
        int configured = env.maxMasterThreads();
        int threads = Math.max(2, configured);
        env.setMaxMasterThreads(threads);
        try {
            AutoencoderModel<C> model = build(11);
            INDArray[] inputs = model.trainingInputs(
                    train.batch(IntStream.range(0, 128).toArray()), NoiseSource.forStep(11, 0, 0), new Progress(1, 0));
            CompiledStep.Compilation c =
                    CompiledStep.compile(model.graph(), model.trainingPlaceholders(), inputs, model.lossTerms());
            assertTrue(c.ok(), c.unsupportedReason());
            CompiledStep step = c.step();
            List<CompiledStep.ThreadCheck> checks = step.threadDependence(inputs, threads);
            assertEquals(
                    List.of(),
                    checks.stream().filter(k -> k.tunable() && k.differs()).toList(),
                    type().name() + ": ops marked tunable whose outputs depend on the thread count");

            step.forceThreadChoice(true);
            step.computeGradients(inputs);
            Map<String, byte[]> one = snapshot(step, model.lossTerms());
            step.forceThreadChoice(false);
            step.computeGradients(inputs);
            Map<String, byte[]> many = snapshot(step, model.lossTerms());
            assertEquals(one.keySet(), many.keySet());
            for (String k : one.keySet()) {
                assertArrayEquals(
                        one.get(k),
                        many.get(k),
                        type().name() + ": " + k + " differs between one thread and " + threads
                                + " for the tunable ops");
            }
        } finally {
            env.setMaxMasterThreads(configured);
        }
    }

    private static Map<String, byte[]> snapshot(CompiledStep step, List<String> terms) {
        Map<String, byte[]> values = new TreeMap<>();
        step.gradients()
                .forEach((k, v) -> values.put("gradient of " + k, v.dup().data().asBytes()));
        for (String t : terms) {
            values.put(
                    "term " + t,
                    ByteBuffer.allocate(8).putDouble(step.monitoredValue(t)).array());
        }
        return values;
    }

    /** The variable the first-layer filter plot must read: the encoder's first weights. */
    protected String firstLayerVariable() {
        return "encoder/0/W";
    }

    /**
     * The filter plot ({@link FirstLayerWeights}) finds this variant's first encoder layer, reads its weights as
     * pictures of the input (dense columns or convolution kernels), and finds the same after a save and load.
     */
    @Test
    void firstLayerFiltersAreTheEncodersFirstWeights(@TempDir Path dir) throws Exception {
        AutoencoderModel<?> model = build(3);
        FirstLayerWeights layer = FirstLayerWeights.of(model, 28, 28);
        assertEquals(firstLayerVariable(), layer.variable());
        assertEquals(firstLayerVariable().contains("conv"), layer.convolutional());
        INDArray raw = model.graph().getVariable(layer.variable()).getArr();
        if (layer.convolutional()) {
            assertEquals(4, raw.rank());
            assertEquals(1, raw.size(2), "reads the single input channel");
            for (int c = 0; c < layer.count(); c++) {
                for (int i = 0; i < layer.rows(); i++) {
                    for (int j = 0; j < layer.cols(); j++) {
                        assertEquals(raw.getFloat(i, j, 0, c), layer.filters()[c][i * layer.cols() + j]);
                    }
                }
            }
        } else {
            assertEquals(2, raw.rank());
            assertTrue(raw.size(0) >= 784, "reads the pixels: " + Arrays.toString(raw.shape()));
            assertEquals(raw.size(1), layer.count());
            for (int u = 0; u < layer.count(); u += 7) {
                for (int p = 0; p < 784; p += 13) {
                    assertEquals(raw.getFloat(p, u), layer.filters()[u][p]);
                }
            }
        }
        Path saved = dir.resolve("model");
        model.save(saved, Models.registry());
        FirstLayerWeights reloaded = FirstLayerWeights.of(AutoencoderModel.load(saved, Models.registry()), 28, 28);
        assertEquals(layer.variable(), reloaded.variable(), "the same variable after loading");
        assertArrayEquals(layer.filters(), reloaded.filters());

        PlotFiles files = ImageFigures.filters(dir, "filters", type().name() + " first-layer filters", layer, 16);
        assertTrue(Files.size(files.png()) > 0 && Files.size(files.svg()) > 0);
        assertFalse(Files.readString(files.csv()).isBlank());
    }
}
