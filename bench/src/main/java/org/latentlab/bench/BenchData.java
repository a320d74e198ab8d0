package org.latentlab.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import org.latentlab.data.DataRequest;
import org.latentlab.data.Datasets;
import org.latentlab.data.ImageDataset;
import org.latentlab.data.MnistFetcher;
import org.latentlab.data.PreparedData;

/**
 * The training images every workload and peer reads: full MNIST (60,000 images) when its files are
 * in the data folder, else the 2,000 real MNIST images shipped with Latent Lab, repeated to
 * 60,000 so that an epoch is as long as a real one.
 */
final class BenchData {
    /** Images of the repeated sample: as many as MNIST's training set. */
    static final int REPEATED_SIZE = 60_000;

    static final String FULL = "mnist";
    static final String SAMPLE_REPEATED = "mnist-sample-repeated";
    /** The shipped sample's training images, on the class path (gzip-compressed IDX). */
    static final String SAMPLE_IMAGES_RESOURCE = "/org/latentlab/data/mnist-sample/train-images-idx3-ubyte.gz";

    private BenchData() {}

    /** True when every MNIST file is in {@code <dataDir>/mnist}. */
    static boolean fullMnistPresent(Path dataDir) {
        Path dir = MnistFetcher.mnistDir(dataDir);
        return MnistFetcher.FILES.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)));
    }

    /** {@link #FULL} or {@link #SAMPLE_REPEATED}. */
    static String source(Path dataDir) {
        return fullMnistPresent(dataDir) ? FULL : SAMPLE_REPEATED;
    }

    /** One line saying which images were used. */
    static String describe(Path dataDir) {
        return fullMnistPresent(dataDir)
                ? "full MNIST training set (60,000 images) from "
                        + MnistFetcher.mnistDir(dataDir).toAbsolutePath()
                : "MNIST not found in " + MnistFetcher.mnistDir(dataDir).toAbsolutePath() + ": the shipped 2,000-image "
                        + "MNIST sample, repeated to " + String.format("%,d", REPEATED_SIZE) + " images";
    }

    /** The training images, as described by {@link #describe}, prepared as a run prepares its data. */
    static ImageDataset load(Path dataDir) {
        DataRequest request = fullMnistPresent(dataDir)
                ? DataRequest.of(Datasets.MNIST)
                : DataRequest.of(Datasets.MNIST_SAMPLE).withTrainRepeatedTo(REPEATED_SIZE);
        return PreparedData.load(request, dataDir).train();
    }
}
