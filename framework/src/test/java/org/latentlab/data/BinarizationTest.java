package org.latentlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code binarized-mnist}: dynamic training binarization keyed by (seed, epoch, step), a fixed test set. */
class BinarizationTest {

    @TempDir
    Path emptyDataDir;

    private static DataBundle sample() {
        return Datasets.load(Datasets.BINARIZED_MNIST_SAMPLE);
    }

    /** Every value of {@code x} is exactly 0 or 1. */
    private static void assertBinary(float[] x, String what) {
        for (int i = 0; i < x.length; i++) {
            assertTrue(x[i] == 0f || x[i] == 1f, what + ": value " + x[i] + " at " + i);
        }
    }

    private static float[] values(INDArray x) {
        return x.dup('c').data().asFloat();
    }

    private static Batch firstBatch(ImageDataset train, int size) {
        return train.batch(IntStream.range(0, size).toArray());
    }

    @Test
    void theSampleIsMnistSampleWithIntensitiesToTrainOnAndABinaryTestSet() {
        DataBundle grey = Datasets.load(Datasets.MNIST_SAMPLE);
        DataBundle b = sample();
        assertEquals(grey.files(), b.files(), "made from the same shipped files");
        assertEquals("binarized-mnist-sample-train", b.train().name());
        assertEquals("binarized-mnist-sample-test", b.test().name());
        assertTrue(b.train().dynamicallyBinarized());
        assertFalse(b.test().dynamicallyBinarized());
        assertEquals(grey.train().features(), b.train().features(), "training images keep their intensities");
        assertArrayEquals(grey.test().labels(), b.test().labels());

        float[] test = values(b.test().features());
        assertBinary(test, "test set");
        // Bernoulli(intensity): the share of ones is the mean intensity, about 0.13 for MNIST.
        double ones = 0;
        for (float v : test) {
            ones += v;
        }
        double greyMean = grey.test().features().meanNumber().doubleValue();
        assertEquals(greyMean, ones / test.length, 0.002);
    }

    @Test
    void theTestSetIsTheSameOnEveryLoadAndForEverySeedAndSplit() {
        ImageDataset first = sample().test();
        ImageDataset again =
                Datasets.load(Datasets.BINARIZED_MNIST_SAMPLE, emptyDataDir).test();
        assertEquals(first.features(), again.features());
        assertEquals(
                first.features(),
                Datasets.load(Datasets.MNIST_SAMPLE)
                        .test()
                        .binarized(Binarization.TEST_SEED)
                        .features());
        for (long seed : new long[] {1, 2, 99}) {
            PreparedData data = PreparedData.prepare(
                    sample(),
                    DataRequest.of(Datasets.BINARIZED_MNIST_SAMPLE)
                            .withValidation(0.1, seed)
                            .withTrainSize(300, seed)
                            .withTrainClasses(List.of(1, 7)));
            assertEquals(first.features(), data.test().features(), "seed " + seed);
        }
    }

    @Test
    void aValidationSplitIsBinarizedOnceAndTheTrainingPartsKeepTheirMark() {
        DataRequest request = DataRequest.of(Datasets.BINARIZED_MNIST_SAMPLE)
                .withValidation(0.1, 5)
                .withTrainSize(500, 5);
        PreparedData data = PreparedData.prepare(sample(), request);
        assertFalse(data.validation().dynamicallyBinarized());
        assertBinary(values(data.validation().features()), "validation");
        assertEquals(
                data.validation().features(),
                PreparedData.prepare(sample(), request).validation().features(),
                "the same split binarizes the same way");
        ImageDataset greyValidation = PreparedData.prepare(Datasets.load(Datasets.MNIST_SAMPLE), request)
                .validation();
        assertArrayEquals(greyValidation.labels(), data.validation().labels(), "the split of mnist-sample");
        assertEquals(
                greyValidation.binarized(Binarization.VALIDATION_SEED).features(),
                data.validation().features());
        for (ImageDataset d : new ImageDataset[] {data.train(), data.fullTrain(), data.pool()}) {
            assertTrue(d.dynamicallyBinarized(), d.toString());
        }
        assertTrue(data.train().subset(new int[] {3, 1}).dynamicallyBinarized());
        assertTrue(data.train().head(10).dynamicallyBinarized());
        assertTrue(data.train().withClasses(List.of(2)).dynamicallyBinarized());
    }

    @Test
    void aStepsBinarizationIsZeroOrOneAndKeepsLabelsAndIndices() {
        Batch grey = sample().train().batch(new int[] {5, 17, 3, 1999});
        Batch b = Binarization.forStep(grey, 7, 0, 0);
        assertBinary(values(b.features()), "batch");
        assertArrayEquals(grey.features().shape(), b.features().shape());
        assertArrayEquals(grey.labels(), b.labels());
        assertArrayEquals(grey.indices(), b.indices());
        // the source batch is not changed
        assertEquals(sample().train().features(new int[] {5, 17, 3, 1999}), grey.features());
    }

    @Test
    void theSameSeedEpochAndStepGiveTheSameBatchAndAnyOtherKeyAnother() {
        Batch grey = firstBatch(sample().train(), 64);
        INDArray drawn = Binarization.forStep(grey, 7, 3, 11).features();
        assertEquals(drawn, Binarization.forStep(grey, 7, 3, 11).features());
        assertEquals(
                drawn,
                Binarization.forStep(firstBatch(sample().train(), 64), 7, 3, 11).features());
        assertNotEquals(drawn, Binarization.forStep(grey, 7, 4, 11).features(), "next epoch");
        assertNotEquals(drawn, Binarization.forStep(grey, 7, 3, 12).features(), "next step");
        assertNotEquals(drawn, Binarization.forStep(grey, 8, 3, 11).features(), "another seed");
    }

    @Test
    void theMeanOfManyDrawsTracksTheIntensity() {
        Batch grey = firstBatch(sample().train(), 16);
        float[] p = values(grey.features());
        int draws = 400;
        double[] sum = new double[p.length];
        for (int epoch = 0; epoch < draws; epoch++) {
            float[] x = values(Binarization.forStep(grey, 1, epoch, 0).features());
            for (int i = 0; i < x.length; i++) {
                sum[i] += x[i];
            }
        }
        double absError = 0;
        double[] binOnes = new double[10];
        double[] binIntensity = new double[10];
        int[] binCount = new int[10];
        for (int i = 0; i < p.length; i++) {
            double mean = sum[i] / draws;
            if (p[i] == 0f || p[i] == 1f) {
                assertEquals(p[i], mean, 0.0, "a pixel of intensity " + p[i] + " is always " + p[i]);
            }
            absError += Math.abs(mean - p[i]);
            int bin = Math.min(9, (int) (p[i] * 10));
            binOnes[bin] += mean;
            binIntensity[bin] += p[i];
            binCount[bin]++;
        }
        // one pixel's mean of 400 draws has a standard error of at most 0.025
        assertTrue(absError / p.length < 0.01, "mean |draw mean - intensity| = " + absError / p.length);
        for (int bin = 0; bin < 10; bin++) {
            if (binCount[bin] > 0) {
                assertEquals(
                        binIntensity[bin] / binCount[bin],
                        binOnes[bin] / binCount[bin],
                        0.01,
                        "share of ones among the " + binCount[bin] + " pixels of intensity in [" + bin / 10.0 + ", "
                                + (bin + 1) / 10.0 + ")");
            }
        }
    }

    @Test
    void aFixedBinarizationDependsOnTheSeedOnlyAndOnEarlierImagesOnly() {
        ImageDataset grey = Datasets.load(Datasets.MNIST_SAMPLE).test();
        ImageDataset a = grey.binarized(3);
        assertBinary(values(a.features()), "binarized");
        assertEquals(a.features(), grey.binarized(3).features());
        assertNotEquals(a.features(), grey.binarized(4).features());
        assertEquals(a.head(100).features(), grey.head(100).binarized(3).features(), "a prefix binarizes alike");
    }

    @Test
    void badNamesStillListEveryDataset() {
        DataException e = assertThrows(DataException.class, () -> Datasets.load("binarised-mnist", emptyDataDir));
        for (String name : Datasets.names()) {
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
        assertTrue(Datasets.names().contains("binarized-mnist"));
        assertTrue(Datasets.names().contains("binarized-mnist-sample"));
    }

    @Test
    void missingMnistFilesNameTheFilesAndTheCommand() {
        DataException e = assertThrows(DataException.class, () -> Datasets.load("binarized-mnist", emptyDataDir));
        String msg = e.getMessage();
        assertTrue(msg.startsWith("Dataset binarized-mnist is made from MNIST"), msg);
        assertTrue(msg.contains("./latentlab fetch-data mnist"), msg);
        assertTrue(msg.contains(emptyDataDir.resolve("mnist").toAbsolutePath().toString()), msg);
        for (String f : MnistFetcher.FILES) {
            assertTrue(msg.contains(f), msg);
        }
    }

    @Test
    void theSampleTestSetIsTheHeadOfTheFullOne() {
        Path dir = MnistFetcher.mnistDir(Datasets.defaultDataDir());
        Assumptions.assumeTrue(
                MnistFetcher.FILES.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f))),
                "full MNIST not in " + dir);
        DataBundle full = Datasets.load(Datasets.BINARIZED_MNIST);
        assertTrue(full.train().dynamicallyBinarized());
        assertEquals(Datasets.load(Datasets.MNIST).files(), full.files());
        assertEquals(sample().test().features(), full.test().head(500).features());
    }
}
