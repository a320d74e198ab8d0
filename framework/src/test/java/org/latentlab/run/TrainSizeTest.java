package org.latentlab.run;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.config.InvalidConfigException;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.ModelConfig;
import org.latentlab.core.ModelRegistry;
import org.latentlab.core.ModelType;
import org.latentlab.data.Datasets;
import org.latentlab.data.ImageDataset;
import org.latentlab.data.PreparedData;
import org.latentlab.graph.Activation;
import org.latentlab.graph.Dense;
import org.latentlab.graph.GraphContext;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.ReconstructionLoss;
import org.latentlab.train.Pretrainable;
import org.latentlab.train.TrainerConfig;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/** trainSize: the epochs train on the subset, pretraining sees the whole training part, evaluation is unchanged. */
class TrainSizeTest {
    /** The training sets {@link Recording#pretrain} was given, in order. */
    static final List<ImageDataset> PRETRAINED_ON = new CopyOnWriteArrayList<>();

    /** A one-layer autoencoder that records what it is pretrained on and does nothing else then. */
    public static final class Recording extends AutoencoderModel<Recording.Config> implements Pretrainable {
        public record Config(int inputSize, int codeSize) implements ModelConfig {}

        static final ModelType<Config> TYPE =
                new ModelType<>("recording", "test model", Config.class, new Config(784, 4), Recording::new);

        public Recording(Config config, SameDiff sd) {
            super(config, sd);
        }

        @Override
        protected void define(GraphContext g) {
            SameDiff sd = g.sd();
            SDVariable x = sd.placeHolder(INPUT, DataType.FLOAT, -1, config.inputSize());
            Dense enc = Dense.create(
                    g, "enc", config.inputSize(), config.codeSize(), Activation.TANH, WeightInit.XAVIER_UNIFORM);
            Dense dec = Dense.create(
                    g, "dec", config.codeSize(), config.inputSize(), Activation.SIGMOID, WeightInit.XAVIER_UNIFORM);
            SDVariable out = dec.apply(enc.apply(x, CODE)).rename(RECONSTRUCTION);
            SDVariable zIn = sd.placeHolder(DECODER_INPUT, DataType.FLOAT, -1, config.codeSize());
            dec.apply(zIn, DECODED);
            ReconstructionLoss.squaredError(sd, "se", out, x).mean("mse");
            sd.getVariable("mse").mul(LOSS, 1.0);
        }

        @Override
        public List<String> lossTerms() {
            return List.of(LOSS, "mse");
        }

        @Override
        public int codeSize() {
            return config.codeSize();
        }

        @Override
        public void pretrain(ImageDataset train, TrainerConfig trainer) {
            PRETRAINED_ON.add(train);
        }
    }

    @TempDir
    Path tmp;

    private static final ModelRegistry REGISTRY = new ModelRegistry().register(Recording.TYPE);

    private static RunConfig config(int trainSize) {
        return new RunConfig(
                        Datasets.MNIST_SAMPLE,
                        0.1,
                        Recording.TYPE.defaults(),
                        TrainerConfig.builder()
                                .epochs(1)
                                .batchSize(50)
                                .learningRate(1e-2)
                                .seed(11)
                                .checkpointEvery(0)
                                .build())
                .withTrainSize(trainSize);
    }

    @Test
    void theEpochsTrainOnTheSubsetWhilePretrainingAndEvaluationSeeTheWholeTrainingPart() {
        PRETRAINED_ON.clear();
        TrainingRun runs = new TrainingRun(REGISTRY, Datasets.defaultDataDir(), false);
        RunConfig config = config(100);
        Path dir = tmp.resolve("run");
        RunSummary summary = runs.train(config, dir);

        PreparedData data = PreparedData.load(TrainingRun.dataRequest(config), Datasets.defaultDataDir());
        assertEquals(100, data.train().size());
        assertEquals(1800, data.fullTrain().size(), "2,000 sample images less 10% validation");
        assertEquals(100, summary.trainSize(), "train_size: the examples the epochs used");
        assertEquals(1800, summary.pretrainSize(), "pretrain_size: the examples pretraining used");
        assertEquals(200, summary.validationSize());
        assertEquals(1, PRETRAINED_ON.size());
        ImageDataset pretrained = PRETRAINED_ON.get(0);
        assertEquals(data.fullTrain().size(), pretrained.size());
        assertArrayEquals(data.fullTrain().labels(), pretrained.labels());
        assertEquals(data.fullTrain().features(), pretrained.features());
        assertEquals(100, runs.readConfig(dir).trainSize(), "config.json keeps trainSize");

        // A loaded run hands evaluation the whole training part, as before trainSize existed.
        TrainingRun.Finished finished = runs.load(dir);
        assertEquals(1800, finished.train().size());
        assertArrayEquals(data.fullTrain().labels(), finished.train().labels());
    }

    @Test
    void aTrainSizeTheDataCannotMeetFailsBeforeAnythingIsWritten() {
        TrainingRun runs = new TrainingRun(REGISTRY, Datasets.defaultDataDir(), false);
        Path dir = tmp.resolve("too-many");
        for (Runnable attempt :
                List.<Runnable>of(() -> runs.check(config(1801), dir), () -> runs.train(config(1801), dir))) {
            InvalidConfigException e = assertThrows(InvalidConfigException.class, attempt::run);
            assertEquals("trainSize", e.key());
            assertTrue(
                    e.getMessage().contains("trainSize=1801")
                            && e.getMessage().contains("1800 training examples available"),
                    e.getMessage());
        }
        assertFalse(Files.exists(dir.resolve(TrainingRun.CONFIG_FILE)));
        assertTrue(runs.check(config(1800), dir) > 0, "every one of the 1800 is allowed");
    }
}
