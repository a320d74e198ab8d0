package org.latentlab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.latentlab.data.ImageDataset;
import org.latentlab.eval.ImageClassifier;
import org.latentlab.io.AtomicFiles;

/**
 * The independent image classifier that {@code probe-samples} and {@code evaluate} train on real training
 * images, and its {@code --classifier FILE} cache: read if the file exists, else trained and written there, so
 * that later commands skip the training.
 */
final class ClassifierFiles {
    private ClassifierFiles() {}

    /** Whether {@code file} (may be null) holds a classifier to read rather than a place to write one. */
    static boolean exists(Path file) {
        return file != null && Files.isRegularFile(file);
    }

    /** Reads the {@code --classifier} file and checks that it fits {@code train}'s images and classes. */
    static ImageClassifier read(Path file, ImageDataset train) {
        ImageClassifier classifier;
        try {
            classifier = ImageClassifier.load(file);
        } catch (RuntimeException e) {
            throw new UserException("--classifier " + file + ": cannot read it as a classifier written by "
                    + "'latentlab probe-samples --classifier FILE' or 'latentlab evaluate --classifier FILE'");
        }
        if (classifier.inputSize() != train.featureSize() || classifier.numClasses() != train.numClasses()) {
            throw new UserException("--classifier " + file + ": takes " + classifier.inputSize()
                    + " pixels and " + classifier.numClasses() + " classes, but dataset '" + train.name()
                    + "' has " + train.featureSize() + " and " + train.numClasses());
        }
        return classifier;
    }

    /** Fails now, not after training, if the classifier cannot be written to {@code file}. */
    static void checkWritable(Path file) {
        if (Files.exists(file)) {
            throw new UserException("--classifier " + file + ": exists and is not a file");
        }
        for (Path p = file.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new UserException("--classifier " + file + ": " + p + " is not a folder");
                }
                return;
            }
        }
    }

    /**
     * Trains the classifier (MLP with {@link ImageClassifier#DEFAULT_HIDDEN} hidden units) on {@code train} and, if
     * {@code file} is not null, writes it there atomically.
     */
    static ImageClassifier train(ImageDataset train, int epochs, long seed, Path file) {
        ImageClassifier classifier = ImageClassifier.train(train, ImageClassifier.DEFAULT_HIDDEN, epochs, seed);
        if (file != null) {
            AtomicFiles.write(file, classifier::save);
        }
        return classifier;
    }
}
