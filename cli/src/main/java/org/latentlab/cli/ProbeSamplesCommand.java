package org.latentlab.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.ConditionalGenerative;
import org.latentlab.core.ModelRegistry;
import org.latentlab.data.DataBundle;
import org.latentlab.data.DataException;
import org.latentlab.data.Datasets;
import org.latentlab.data.UserDatasets;
import org.latentlab.eval.ImageClassifier;
import org.latentlab.eval.SampleProbeResult;
import org.latentlab.loss.NoiseSource;
import org.latentlab.models.Models;
import org.latentlab.run.RunConfig;
import org.latentlab.run.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code latentlab probe-samples RUN}: how many images a conditional model (cvae) generates for each
 * class that an independent {@link ImageClassifier}, trained on real images only, assigns to that
 * class. Writes {@value #RESULT_FILE} in the run folder and prints a per-class table.
 */
@Command(
        name = "probe-samples",
        sortOptions = false,
        description = {
            "Judge a conditional model's generated images (cvae): train an MLP classifier on the real training "
                    + "images (or load it with --classifier), generate N images per class (z ~ N(0, I), decoder "
                    + "means) and report the share the classifier assigns to the requested class, per class and "
                    + "overall, beside the classifier's own test accuracy. Writes " + ProbeSamplesCommand.RESULT_FILE
                    + " in the run folder."
        })
public final class ProbeSamplesCommand implements Callable<Integer> {
    /** The result file written in the run folder. */
    public static final String RESULT_FILE = "probe-samples.json";
    /** Hidden units of the classifier's MLP. */
    static final int CLASSIFIER_HIDDEN = ImageClassifier.DEFAULT_HIDDEN;
    /**
     * Added to {@code --seed} for the generator's noise, so that the default seed 1 draws the same
     * images as the probe's figures in docs/RESULTS.md (noise seed 12345).
     */
    static final long NOISE_SEED_OFFSET = 12344;

    @Parameters(paramLabel = "RUN", description = "Run folder (from 'latentlab train') of a conditional model.")
    Path run;

    @Option(
            names = "--dataset",
            paramLabel = "NAME",
            description = "Dataset the classifier is trained and tested on (default: the run's own dataset).")
    String dataset;

    @Option(
            names = "--samples-per-class",
            paramLabel = "N",
            defaultValue = "1000",
            description = "Images generated per class.")
    int samplesPerClass;

    @Option(
            names = "--classifier-epochs",
            paramLabel = "E",
            defaultValue = "5",
            description = "Training epochs of the classifier (batch 128, Adam 1e-3).")
    int classifierEpochs;

    @Option(
            names = "--classifier",
            paramLabel = "FILE",
            description = "Classifier file: read if it exists, else trained and written there (so later probes "
                    + "skip training).")
    Path classifierFile;

    @Option(
            names = "--seed",
            paramLabel = "S",
            defaultValue = "1",
            description = "Seeds the classifier's training and the generator's noise.")
    long seed;

    @Mixin
    DataDirOption dataDir;

    @Mixin
    BackendOption backend;

    @Mixin
    DryRunOption dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        backend.check();
        if (samplesPerClass < 1) {
            throw new UserException("--samples-per-class=" + samplesPerClass + ": must be at least 1");
        }
        if (classifierEpochs < 1) {
            throw new UserException("--classifier-epochs=" + classifierEpochs + ": must be at least 1");
        }
        if (!Files.isDirectory(run)) {
            throw new UserException(
                    "not a run folder: " + run + (Files.exists(run) ? " is not a folder" : " does not exist"));
        }
        if (!Files.isRegularFile(run.resolve(TrainingRun.SUMMARY_FILE))
                || !Files.isDirectory(run.resolve(TrainingRun.MODEL_DIR))) {
            throw new UserException("not a finished run folder: " + run + " (expected " + TrainingRun.SUMMARY_FILE
                    + " and " + TrainingRun.MODEL_DIR + "/ written by 'latentlab train')");
        }
        ModelRegistry registry = Models.registry();
        RunConfig config = new TrainingRun(registry, dataDir.dataDir(), false).readConfig(run);
        AutoencoderModel<?> loaded = AutoencoderModel.load(run.resolve(TrainingRun.MODEL_DIR), registry);
        String modelName = registry.typeOf(loaded.config()).name();
        if (!(loaded instanceof ConditionalGenerative model)) {
            throw new UserException("run " + run + " holds a '" + modelName + "' model, which is not conditional: "
                    + "probe-samples needs a model that generates a requested class, such as cvae");
        }
        String datasetName = dataset != null ? dataset : config.dataset();
        if (!Datasets.isKnown(datasetName)) {
            throw new UserException("unknown dataset '" + datasetName + "': choose one of "
                    + String.join(", ", Datasets.names()) + ", " + UserDatasets.FORMS);
        }
        DataBundle data;
        try {
            data = Datasets.load(datasetName, dataDir.dataDir());
        } catch (DataException e) {
            throw new UserException("dataset '" + datasetName + "': " + e.getMessage());
        }
        if (!data.train().hasLabels()) {
            throw new UserException("dataset '" + datasetName + "' has no labels: probe-samples trains a classifier"
                    + " on labelled images to judge the generated classes; choose a labelled dataset with --dataset");
        }
        if (data.train().featureSize() != loaded.config().inputSize()
                || data.train().numClasses() != model.numClasses()) {
            throw new UserException("dataset '" + datasetName + "' has "
                    + data.train().featureSize() + " pixels and "
                    + data.train().numClasses() + " classes, but the '" + modelName + "' model of " + run
                    + " generates " + loaded.config().inputSize() + " pixels for " + model.numClasses() + " classes");
        }
        boolean reuse = ClassifierFiles.exists(classifierFile);
        ImageClassifier stored = reuse ? ClassifierFiles.read(classifierFile, data.train()) : null;
        if (classifierFile != null && !reuse) {
            ClassifierFiles.checkWritable(classifierFile);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (dryRun.dryRun()) {
            out.println("dry run: would "
                    + (reuse
                            ? "load the classifier " + classifierFile
                            : "train a classifier for " + classifierEpochs + " epoch(s) on "
                                    + data.train().size() + " " + datasetName + " images")
                    + ", classify " + samplesPerClass + " generated images per class of the '" + modelName
                    + "' model and write " + run.resolve(RESULT_FILE));
            return 0;
        }
        ImageClassifier classifier;
        SampleProbeResult.Classifier judge;
        String file = classifierFile == null ? null : classifierFile.toString();
        if (reuse) {
            classifier = stored;
            out.println("classifier: loaded from " + classifierFile);
            judge = new SampleProbeResult.Classifier(
                    "loaded",
                    file,
                    0,
                    0,
                    0,
                    classifier.accuracy(data.test()),
                    data.test().size());
        } else {
            classifier = ClassifierFiles.train(data.train(), classifierEpochs, seed, classifierFile);
            out.printf(
                    Locale.ROOT,
                    "classifier: MLP %d-%d-%d, %d epoch(s) on %d %s training images%n",
                    data.train().featureSize(),
                    CLASSIFIER_HIDDEN,
                    data.train().numClasses(),
                    classifierEpochs,
                    data.train().size(),
                    datasetName);
            judge = new SampleProbeResult.Classifier(
                    "trained",
                    file,
                    CLASSIFIER_HIDDEN,
                    classifierEpochs,
                    data.train().size(),
                    classifier.accuracy(data.test()),
                    data.test().size());
        }
        double[] shares =
                classifier.conditionalAccuracy(model, samplesPerClass, new NoiseSource(seed + NOISE_SEED_OFFSET));
        SampleProbeResult result =
                SampleProbeResult.of(run.toString(), modelName, datasetName, samplesPerClass, seed, judge, shares);
        result.write(run.resolve(RESULT_FILE));
        print(out, result, run.resolve(RESULT_FILE));
        return 0;
    }

    private static void print(PrintWriter out, SampleProbeResult result, Path written) {
        out.printf(
                Locale.ROOT,
                "classifier test accuracy %.4f on %d %s test images%n",
                result.classifier().testAccuracy(),
                result.classifier().testImages(),
                result.dataset());
        out.printf(Locale.ROOT, "%-7s %s%n", "class", "classified as requested");
        for (int c = 0; c < result.perClass().size(); c++) {
            out.printf(Locale.ROOT, "%-7d %.4f%n", c, result.perClass().get(c));
        }
        out.printf(
                Locale.ROOT,
                "%-7s %.4f (%d generated images per class)%n",
                "all",
                result.overall(),
                result.samplesPerClass());
        out.println("written: " + written);
    }
}
