package org.latentlab.data;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the {@code mnist-sample} resources: the first 2,000 training and first 500 test images and
 * labels of MNIST, as gzipped IDX files. Kept in the code base to document how the shipped sample was
 * made; rerunning it reproduces the committed files byte for byte (gzip header carries no timestamp).
 *
 * <p>Usage: {@code MnistSampleWriter [dataDir [outDir]]}; defaults are {@link Datasets#defaultDataDir()}
 * and {@code framework/src/main/resources/org/latentlab/data/mnist-sample}. Fetches MNIST first if needed.
 */
public final class MnistSampleWriter {

    private static final Logger log = LoggerFactory.getLogger(MnistSampleWriter.class);

    public static final int TRAIN_COUNT = 2_000;
    public static final int TEST_COUNT = 500;
    public static final String DEFAULT_OUT_DIR = "framework/src/main/resources/org/latentlab/data/mnist-sample";

    private MnistSampleWriter() {}

    public static void main(String[] args) {
        Path dataDir = args.length > 0 ? Paths.get(args[0]) : Datasets.defaultDataDir();
        Path outDir = args.length > 1 ? Paths.get(args[1]) : Paths.get(DEFAULT_OUT_DIR);
        write(MnistFetcher.standard().fetch(dataDir), outDir);
    }

    /** Writes the sample files from the full MNIST files in {@code mnistDir} into {@code outDir}. */
    public static void write(Path mnistDir, Path outDir) {
        cut(mnistDir, outDir, "train-images-idx3-ubyte", TRAIN_COUNT);
        cut(mnistDir, outDir, "train-labels-idx1-ubyte", TRAIN_COUNT);
        cut(mnistDir, outDir, "t10k-images-idx3-ubyte", TEST_COUNT);
        cut(mnistDir, outDir, "t10k-labels-idx1-ubyte", TEST_COUNT);
    }

    private static void cut(Path mnistDir, Path outDir, String name, int count) {
        IdxArray head = IdxReader.read(mnistDir.resolve(name)).head(count);
        Path out = outDir.resolve(name + ".gz");
        IdxWriter.write(out, head, true);
        log.info("Wrote {} ({})", out.toAbsolutePath(), head);
    }
}
