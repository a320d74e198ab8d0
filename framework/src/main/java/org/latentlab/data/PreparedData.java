package org.latentlab.data;

import java.nio.file.Path;
import java.util.List;
import org.latentlab.config.InvalidConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data of a run, prepared in the one place that does it ({@link #prepare}): the training examples (the
 * requested classes, without the validation split, the requested subset of them), the whole training part the
 * subset was drawn from, the validation examples (null without a split), the full test part, and the files it was
 * all read from. On a dynamically binarized dataset ({@link Binarization}) the validation examples are binarized
 * once with {@link Binarization#VALIDATION_SEED}; the training examples keep their intensities for the trainer.
 *
 * <p>A dataset published with its own validation part ({@link DataBundle#validation()}, the static binarized MNIST)
 * is validated on that part, with the same class filter as the training part; nothing is held out of the training
 * part, and a {@code validationFraction} is ignored with a logged note.
 *
 * @param train      training examples: the class-balanced subset when the request has a {@code trainSize}
 * @param validation validation examples, or null: the published validation part of a dataset that has one, else
 *                   the split held out of the training part, if any
 * @param test       test examples (every class)
 * @param pool       the training part after the class filter, before the split
 * @param bundle     the dataset as loaded
 * @param fullTrain  the training part after the class filter and the split, before the subset (and before
 *                   repetition): what a model pretrains on without labels; {@code train} when there is no subset
 */
public record PreparedData(
        ImageDataset train,
        ImageDataset validation,
        ImageDataset test,
        ImageDataset pool,
        DataBundle bundle,
        ImageDataset fullTrain) {
    /** Offset of the subset's seed from the request's, so the subset draws differ from the split's. */
    static final long SUBSET_STREAM = 0x5B5E7L;

    private static final Logger LOG = LoggerFactory.getLogger(PreparedData.class);

    /** Loads the dataset of {@code request} from {@code dataDir} and prepares it. */
    public static PreparedData load(DataRequest request, Path dataDir) {
        return prepare(Datasets.load(request.dataset(), dataDir), request);
    }

    /**
     * Applies {@code request} to a loaded dataset: class filter, validation split, training subset, input size
     * check, repetition.
     * A request the data cannot meet is an {@link InvalidConfigException} naming the run config key.
     */
    public static PreparedData prepare(DataBundle data, DataRequest request) {
        ImageDataset train = data.train();
        if (!request.trainClasses().isEmpty()) {
            try {
                train = train.withClasses(request.trainClasses());
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException(
                        "trainClasses", "train classes " + request.trainClasses() + ": " + e.getMessage());
            }
        }
        ImageDataset pool = train;
        ImageDataset validation = null;
        if (data.hasFixedValidation()) {
            validation = fixedValidation(data, request);
        } else if (request.validationFraction() > 0) {
            TrainValidationSplit split = train.split(request.validationFraction(), request.splitSeed());
            if (split.train().size() == 0 || split.validation().size() == 0) {
                throw new InvalidConfigException(
                        "validationFraction",
                        "validation fraction "
                                + request.validationFraction() + " of " + train.size() + " training examples leaves "
                                + split.train().size() + " to train on and "
                                + split.validation().size()
                                + " to validate on; each needs at least 1");
            }
            train = split.train();
            validation = split.validation();
            if (validation.dynamicallyBinarized()) {
                // measured on the same 0/1 images after every epoch, as the test set is
                validation = validation.binarized(Binarization.VALIDATION_SEED);
            }
        }
        ImageDataset fullTrain = train;
        if (request.trainSize() > 0) {
            if (request.trainSize() > train.size()) {
                throw new InvalidConfigException(
                        "trainSize",
                        "trainSize=" + request.trainSize() + " is more than the " + train.size()
                                + " training examples available (" + request.dataset() + describeFilter(request, data)
                                + "); use at most " + train.size() + ", or 0 for all");
            }
            train = train.balancedSubset(request.trainSize(), request.subsetSeed() + SUBSET_STREAM);
        }
        List<Integer> shape = request.imageShape();
        if (!shape.isEmpty() && !shape.equals(train.shape())) {
            throw new InvalidConfigException(
                    "inputSize",
                    "the model takes images of shape " + ImageDataset.shapeOf(shape.get(0), shape.get(1), shape.get(2))
                            + " (channels x height x width) but dataset " + request.dataset() + " has images of"
                            + " shape " + train.shapeText() + "; set the model's inputSize=" + train.featureSize()
                            + " and its image channels and size to fit (" + train.shapeText() + ")");
        }
        if (request.inputSize() > 0 && train.featureSize() != request.inputSize()) {
            throw new InvalidConfigException(
                    "inputSize",
                    "model key inputSize=" + request.inputSize()
                            + " does not fit dataset " + request.dataset() + ", which has " + train.featureSize()
                            + " features per image (" + train.shapeText() + ", channels x height x width)");
        }
        if (request.repeatTrainTo() > 0) {
            int[] indices = new int[request.repeatTrainTo()];
            for (int i = 0; i < indices.length; i++) {
                indices[i] = i % train.size();
            }
            train = train.subset(indices);
        }
        return new PreparedData(train, validation, data.test(), pool, data, fullTrain);
    }

    /**
     * The published validation part of {@code data}, filtered to the request's classes; a validation fraction is
     * ignored, with a note.
     */
    private static ImageDataset fixedValidation(DataBundle data, DataRequest request) {
        ImageDataset validation = data.validation();
        if (request.validationFraction() > 0) {
            LOG.info(
                    "dataset {} has a published validation split of {} images, used instead of holding out"
                            + " validationFraction={} of the training part (which is ignored)",
                    request.dataset(),
                    validation.size(),
                    request.validationFraction());
        }
        if (!request.trainClasses().isEmpty()) {
            try {
                validation = validation.withClasses(request.trainClasses());
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException(
                        "trainClasses", "train classes " + request.trainClasses() + ": " + e.getMessage());
            }
        }
        return validation.dynamicallyBinarized() ? validation.binarized(Binarization.VALIDATION_SEED) : validation;
    }

    /** What was taken off the training part before the subset, for the error message. */
    private static String describeFilter(DataRequest request, DataBundle data) {
        StringBuilder b = new StringBuilder();
        if (!request.trainClasses().isEmpty()) {
            b.append(", classes ").append(request.trainClasses());
        }
        if (request.validationFraction() > 0 && !data.hasFixedValidation()) {
            b.append(", after holding out validationFraction=").append(request.validationFraction());
        }
        return b.toString();
    }

    /** Validation examples, 0 without a split. */
    public int validationSize() {
        return validation == null ? 0 : validation.size();
    }

    /** The files the dataset was read from, with their SHA-256. */
    public List<DataFile> files() {
        return bundle.files();
    }
}
