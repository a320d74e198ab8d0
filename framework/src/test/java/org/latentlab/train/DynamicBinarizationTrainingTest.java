package org.latentlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.ModelRegistry;
import org.latentlab.data.BatchIterator;
import org.latentlab.data.DataRequest;
import org.latentlab.data.Datasets;
import org.latentlab.data.ImageDataset;
import org.latentlab.data.PreparedData;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The trainer binarizes a dynamically binarized training set afresh each step, and resumes exactly. */
class DynamicBinarizationTrainingTest {
    private static final ModelRegistry REGISTRY = TinyAutoencoder.registry();
    private static final long SEED = 11;
    private static ImageDataset train;
    private static ImageDataset validation;

    @BeforeAll
    static void data() {
        PreparedData data = PreparedData.load(
                DataRequest.of(Datasets.BINARIZED_MNIST_SAMPLE).withValidation(0.1, SEED), Datasets.defaultDataDir());
        train = data.train().head(400);
        validation = data.validation();
    }

    private static TrainerConfig config(int epochs) {
        return TrainerConfig.builder()
                .epochs(epochs)
                .batchSize(50)
                .learningRate(1e-2)
                .seed(SEED)
                .checkpointEvery(1)
                .build();
    }

    private static AutoencoderModel<?> model() {
        return TinyAutoencoder.TYPE.build(new TinyAutoencoder.Config(784, 8, 1.0), SEED);
    }

    /** The input arrays the trainer feeds in epoch {@code epoch} (from 0). */
    private static List<INDArray> feeds(ImageDataset data, int epoch) {
        FeedIterator it = new FeedIterator(
                model(), new BatchIterator(data, 50, SEED, epoch), SEED, epoch, data.dynamicallyBinarized());
        List<INDArray> out = new ArrayList<>();
        while (it.hasNext()) {
            out.add(it.next().getFeatures(0));
        }
        return out;
    }

    @Test
    void trainingBatchesAreBinaryDifferEachEpochAndRepeatForTheSameEpoch() {
        List<INDArray> first = feeds(train, 0);
        assertEquals(8, first.size());
        for (INDArray x : first) {
            INDArray ones = x.eq(1.0).castTo(x.dataType());
            INDArray zeros = x.eq(0.0).castTo(x.dataType());
            assertEquals(x.length(), ones.add(zeros).sumNumber().longValue(), "every fed pixel is 0 or 1");
        }
        assertEquals(first, feeds(train, 0), "the same (seed, epoch, step) give the same batches");

        // Epoch 1 visits the images in another order; put its batches back in image order to compare.
        List<INDArray> second = feeds(train, 1);
        INDArray firstByImage = byImage(first, BatchIterator.permutation(400, SEED, 0));
        INDArray secondByImage = byImage(second, BatchIterator.permutation(400, SEED, 1));
        assertNotEquals(firstByImage, secondByImage, "a new binarization each epoch");
        double agree = firstByImage
                .eq(secondByImage)
                .castTo(firstByImage.dataType())
                .meanNumber()
                .doubleValue();
        assertTrue(agree > 0.9 && agree < 1, "two draws of the same images mostly agree (dark pixels): " + agree);

        // A grey dataset is fed as it is.
        ImageDataset grey = Datasets.load(Datasets.MNIST_SAMPLE).train().head(400);
        List<INDArray> greyFeeds = feeds(grey, 0);
        int[] order = BatchIterator.permutation(400, SEED, 0);
        assertEquals(grey.features(Arrays.copyOf(order, 50)), greyFeeds.get(0));
    }

    /** Rows of the concatenated batches, put back in dataset order. */
    private static INDArray byImage(List<INDArray> batches, int[] order) {
        INDArray all = Nd4j.vstack(batches.toArray(INDArray[]::new));
        INDArray out = all.like();
        for (int row = 0; row < order.length; row++) {
            out.putRow(order[row], all.getRow(row));
        }
        return out;
    }

    @Test
    void trainingOnTheBinarizedSetDiffersFromTrainingOnItsIntensities() {
        TrainingResult binarized =
                new Trainer(config(1).toBuilder().checkpointEvery(0).build()).fit(model(), train, validation);
        // the same images, same validation, but unmarked: trained on grey levels
        PreparedData grey = PreparedData.load(
                DataRequest.of(Datasets.MNIST_SAMPLE).withValidation(0.1, SEED), Datasets.defaultDataDir());
        assertEquals(grey.train().head(400).features(), train.features(), "the same images");
        TrainingResult plain = new Trainer(
                        config(1).toBuilder().checkpointEvery(0).build())
                .fit(model(), grey.train().head(400), validation);
        // Measured on the same binary validation set: only what the steps trained on differs.
        assertNotEquals(binarized.last().validation(), plain.last().validation());
    }

    @Test
    void resumingFromACheckpointReproducesTheUninterruptedRunBitForBit(@TempDir Path dir) {
        TrainingResult straight = new Trainer(config(3))
                .checkpointTo(new Checkpoints(dir.resolve("a"), REGISTRY))
                .fit(model(), train, validation);

        // Train 1 epoch, then resume from its checkpoint in a fresh model object up to epoch 3.
        Checkpoints cps = new Checkpoints(dir.resolve("b"), REGISTRY);
        new Trainer(config(1)).checkpointTo(cps).fit(model(), train, validation);
        Checkpoints.Loaded loaded = cps.load(cps.latest().orElseThrow());
        assertEquals(1, loaded.state().epochsCompleted());
        TrainingResult resumed =
                new Trainer(config(3)).checkpointTo(cps).fit(loaded.model(), train, validation, loaded.state());

        assertEquals(3, resumed.history().size());
        for (int i = 0; i < 3; i++) {
            assertEquals(
                    straight.history().get(i).train(), resumed.history().get(i).train(), "epoch " + (i + 1));
            assertEquals(
                    straight.history().get(i).validation(),
                    resumed.history().get(i).validation());
        }
        Checkpoints.Loaded a = new Checkpoints(dir.resolve("a"), REGISTRY).load(dir.resolve("a/epoch-0003"));
        Checkpoints.Loaded b = cps.load(dir.resolve("b/epoch-0003"));
        assertEquals(
                a.model().graph().getVariable("enc/W").getArr(),
                b.model().graph().getVariable("enc/W").getArr());
    }
}
