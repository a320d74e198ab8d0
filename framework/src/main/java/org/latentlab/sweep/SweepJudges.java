package org.latentlab.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import org.latentlab.data.Datasets;
import org.latentlab.data.ImageDataset;
import org.latentlab.data.UserDatasets;
import org.latentlab.eval.Evaluator;
import org.latentlab.eval.ImageClassifier;
import org.latentlab.io.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The independent classifiers ("judges") of one sweep: one per dataset, epochs and seed, trained once on the
 * dataset's whole training set (not a trial's class filter or validation split) and kept in the sweep's
 * {@value #DIR} folder, so every trial, every worker process and every rerun scores its reconstructions and samples
 * with the same classifier. The first process to need one trains it while holding a file lock; the others wait for
 * it and read it.
 */
final class SweepJudges {
    private static final Logger LOG = LoggerFactory.getLogger(SweepJudges.class);
    static final String DIR = "judges";

    private final Path sweepDir;
    private final Path dataDir;
    private final Map<String, Evaluator.Judge> loaded = new HashMap<>();

    SweepJudges(Path sweepDir, Path dataDir) {
        this.sweepDir = sweepDir;
        this.dataDir = dataDir;
    }

    /** The judge for {@code dataset} trained for {@code epochs} with {@code seed}, trained here if no file has it. */
    synchronized Evaluator.Judge get(String dataset, int epochs, long seed) {
        String key = UserDatasets.fileKey(dataset) + "-e" + epochs + "-s" + seed; // a file name: no path's slashes
        Evaluator.Judge judge = loaded.get(key);
        if (judge == null) {
            judge = obtain(key, dataset, epochs, seed);
            loaded.put(key, judge);
        }
        return judge;
    }

    private Evaluator.Judge obtain(String key, String dataset, int epochs, long seed) {
        Path dir = sweepDir.resolve(DIR);
        Path file = dir.resolve(key + ".sdz");
        try {
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(
                            dir.resolve(key + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = channel.lock()) {
                if (Files.isRegularFile(file)) {
                    LOG.info("classifier {}: read from {}", key, file);
                    return new Evaluator.Judge(ImageClassifier.load(file), "loaded", epochs);
                }
                ImageDataset train = Datasets.load(dataset, dataDir).train();
                LOG.info(
                        "classifier {}: training an MLP {}-{}-{} for {} epoch(s) on {} {} images",
                        key,
                        train.featureSize(),
                        ImageClassifier.DEFAULT_HIDDEN,
                        train.numClasses(),
                        epochs,
                        train.size(),
                        dataset);
                ImageClassifier classifier = ImageClassifier.train(train, ImageClassifier.DEFAULT_HIDDEN, epochs, seed);
                AtomicFiles.write(file, classifier::save);
                return new Evaluator.Judge(classifier, "trained", epochs);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the sweep's classifier " + file, e);
        }
    }
}
