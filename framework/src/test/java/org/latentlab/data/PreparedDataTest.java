package org.latentlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.latentlab.config.InvalidConfigException;

/** The training subset of {@link PreparedData#prepare}: drawn after the class filter and the split, seeded. */
class PreparedDataTest {
    private static final DataBundle DATA =
            new DataBundle(ImageDatasetTest.synthetic(100), ImageDatasetTest.synthetic(20));

    private static Set<Integer> idSet(ImageDataset d) {
        Set<Integer> ids = new HashSet<>();
        Arrays.stream(ImageDatasetTest.ids(d)).forEach(ids::add);
        return ids;
    }

    @Test
    void aModelImageShapeThatDoesNotFitNamesBothShapes() {
        float[] px = new float[4 * 3 * 2 * 2];
        ImageDataset colour = new ImageDataset("c", px, new int[] {0, 1, 0, 1}, 3, 2, 2, 2);
        DataBundle data = new DataBundle(colour, colour);
        DataRequest ok = DataRequest.of("c").withInputSize(12).withImageShape(List.of(3, 2, 2));
        assertEquals(12, PreparedData.prepare(data, ok).train().featureSize());
        InvalidConfigException e = assertThrows(
                InvalidConfigException.class,
                () -> PreparedData.prepare(
                        data, ok.withImageShape(List.of(1, 28, 28)).withInputSize(784)));
        assertTrue(e.getMessage().contains("shape 1x28x28") && e.getMessage().contains("shape 3x2x2"), e.getMessage());
        e = assertThrows(
                InvalidConfigException.class,
                () -> PreparedData.prepare(data, DataRequest.of("c").withInputSize(784)));
        assertTrue(
                e.getMessage().contains("inputSize=784") && e.getMessage().contains("12 features per image (3x2x2"),
                e.getMessage());
    }

    @Test
    void theSubsetIsDrawnFromWhatTheClassFilterAndTheSplitLeaveAndTheWholePartStaysReachable() {
        DataRequest request = DataRequest.of("synthetic")
                .withTrainClasses(List.of(1, 2, 3))
                .withValidation(0.2, 5)
                .withTrainSize(9, 5);
        PreparedData data = PreparedData.prepare(DATA, request);
        PreparedData whole = PreparedData.prepare(DATA, request.withTrainSize(0, 5));

        assertEquals(9, data.train().size());
        assertEquals(24, data.fullTrain().size(), "30 examples of classes 1-3, 6 held out for validation");
        assertArrayEquals(ImageDatasetTest.ids(whole.train()), ImageDatasetTest.ids(data.fullTrain()));
        assertSame(whole.train(), whole.fullTrain(), "without a subset the whole part is the training set");
        assertArrayEquals(
                ImageDatasetTest.ids(whole.validation()),
                ImageDatasetTest.ids(data.validation()),
                "the subset leaves the validation split as it was");
        assertEquals(30, data.pool().size());
        assertEquals(20, data.test().size(), "the test part keeps every class and every example");

        Set<Integer> full = idSet(data.fullTrain());
        int[] perClass = new int[10];
        for (int i = 0; i < data.train().size(); i++) {
            assertTrue(full.contains(ImageDatasetTest.ids(data.train())[i]), "drawn from the training part");
            perClass[data.train().label(i)]++;
        }
        assertArrayEquals(new int[] {0, 3, 3, 3, 0, 0, 0, 0, 0, 0}, perClass);

        assertEquals(
                idSet(data.train()),
                idSet(PreparedData.prepare(DATA, request).train()),
                "the same seed draws the same subset");
        assertFalse(
                idSet(data.train())
                        .equals(idSet(PreparedData.prepare(DATA, request.withTrainSize(9, 6))
                                .train())),
                "another seed draws another subset");
    }

    @Test
    void aTrainSizeLargerThanTheTrainingPartNamesTheKeyTheValueAndWhatIsThere() {
        DataRequest request = DataRequest.of("synthetic").withValidation(0.1, 1).withTrainSize(91, 1);
        InvalidConfigException e =
                assertThrows(InvalidConfigException.class, () -> PreparedData.prepare(DATA, request));
        assertEquals("trainSize", e.key());
        assertTrue(
                e.getMessage().contains("trainSize=91") && e.getMessage().contains("90 training examples available"),
                e.getMessage());
        assertEquals(
                90,
                PreparedData.prepare(DATA, request.withTrainSize(90, 1)).train().size());
        IllegalArgumentException negative =
                assertThrows(IllegalArgumentException.class, () -> DataRequest.of("synthetic")
                        .withTrainSize(-1, 1));
        assertTrue(negative.getMessage().contains("trainSize"), negative.getMessage());
    }
}
