package org.latentlab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.latentlab.core.ModelRegistry;
import org.latentlab.data.Corruption;
import org.latentlab.data.DataException;
import org.latentlab.data.Datasets;
import org.latentlab.data.ImageDataset;
import org.latentlab.eval.EvaluationOptions;
import org.latentlab.eval.EvaluationResult;
import org.latentlab.eval.Evaluator;
import org.latentlab.eval.ImageClassifier;
import org.latentlab.models.Models;
import org.latentlab.run.TrainingRun;
import org.latentlab.sweep.ResultsTable;
import org.latentlab.sweep.SweepRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code latentlab evaluate DIR}: the evaluation metrics of a run, or of every completed trial of
 * a sweep, written to {@code evaluation.json} in each run folder.
 */
@Command(
        name = "evaluate",
        defaultValueProvider = EvaluateCommand.Defaults.class,
        description = {
            "Evaluate a run folder, or every completed trial of a sweep folder, from the saved model: reconstruction "
                    + "MSE and BCE, negative ELBO and an importance-sampled log-likelihood (VAEs), the PCA baseline at "
                    + "the same code size, linear-probe and k-NN accuracy on the codes, active units, anomaly "
                    + "AUROC with one class as normal, the code's achieved sparsity (mean activation per unit, "
                    + "share of near-zero activations), the encoder's squared Jacobian norm, an independent "
                    + "classifier's accuracy on the reconstructions beside the real test images and its verdict on "
                    + "generated images (prior samples, and codes from N(0, I) and from a Gaussian fitted to the "
                    + "training codes, decoded: mean top probability, share >= 0.9, entropy of the predicted classes), "
                    + "the error of reconstructions of corrupted test images against the clean ones (--denoising), "
                    + "and for VAEs the posterior's mean sigma per unit and KL per image. Writes evaluation.json in "
                    + "each run folder (and, for a sweep, the eval_ columns of results.csv)."
        })
public final class EvaluateCommand implements Callable<Integer> {
    public static final String EVALUATION_FILE = EvaluationResult.FILE;

    @Parameters(
            paramLabel = "DIR",
            arity = "0..1",
            description =
                    "Run folder (from 'latentlab train'), sweep folder, or a checkpoint of a run "
                            + "(RUN/checkpoints/epoch-NNNN, also of an unfinished run: the model at that point of its schedule).")
    Path dir;

    @Option(names = "--run", paramLabel = "DIR", description = "Same as DIR (kept for scripts).", hidden = true)
    Path run;

    @Option(
            names = "--is-samples",
            paramLabel = "K",
            description =
                    "Importance samples per image for the log-likelihood estimate (Burda et al. use 5000; 0 = skip).")
    int importanceSamples;

    @Option(
            names = "--is-images",
            paramLabel = "N",
            description = "Test images the log-likelihood is estimated on (0 = all; the cost is K x N decoder passes).")
    int importanceImages;

    @Option(
            names = "--probe-size",
            paramLabel = "N",
            description = "Training codes the linear and k-NN probes are fitted on (0 = skip the probes).")
    int probeSize;

    @Option(names = "--knn-k", paramLabel = "K", description = "Neighbours of the k-NN probe.")
    int knnK;

    @Option(
            names = "--anomaly-class",
            paramLabel = "C",
            description = "Class taken as normal for the anomaly AUROC (-1 = skip; a run trained with "
                    + "--train-classes C is the usual setting).")
    int anomalyClass;

    @Option(
            names = "--anomaly-score",
            paramLabel = "NAME",
            description = "Anomaly score: auto (neg. ELBO for VAEs, else BCE), neg_elbo, bce or mse.")
    String anomalyScore;

    @Option(
            names = "--sparsity-threshold",
            paramLabel = "T",
            description = "A code activation a counts as near zero when |a| < T.")
    double sparsityThreshold;

    @Option(
            names = "--jacobian-probes",
            paramLabel = "K",
            description = "Random directions per image of the encoder-Jacobian estimate E||J v||^2 (central "
                    + "differences of encode; relative spread per image at most sqrt(2/K); 0 = skip).")
    int jacobianProbes;

    @Option(
            names = "--jacobian-step",
            paramLabel = "H",
            description = "Finite-difference step of the Jacobian estimate, in pixel units.")
    double jacobianStep;

    @Option(
            names = "--jacobian-images",
            paramLabel = "N",
            description = "Test images the Jacobian is estimated on (the first ones; 0 = all).")
    int jacobianImages;

    @Option(
            names = "--classifier-epochs",
            paramLabel = "E",
            description = "Training epochs of the independent MLP classifier (trained on the dataset's real "
                    + "training images) scored on the reconstructions of the test images (0 = skip).")
    int classifierEpochs;

    @Option(
            names = "--classifier",
            paramLabel = "FILE",
            description = "Classifier file: read if it exists (then scored even without --classifier-epochs), else "
                    + "trained and written there (so later evaluations and probe-samples skip training).")
    Path classifierFile;

    @Option(
            names = "--sample-images",
            paramLabel = "N",
            description = "Images per sampler (prior samples; codes from N(0, I) and from a Gaussian fitted to the "
                    + "training codes, decoded) judged by the classifier; needs --classifier-epochs or --classifier "
                    + "(0 = skip).")
    int sampleImages;

    @Option(
            names = "--denoising",
            paramLabel = "KIND:LEVEL",
            description = "Corrupt the test images (seeded by --seed) and report the MSE per pixel of their "
                    + "reconstructions, and of the corrupted images, against the clean ones, for any model: "
                    + "gaussian:STD, masking:FRACTION, salt_and_pepper:FRACTION, e.g. masking:0.3 (none = skip).")
    String denoising;

    @Option(names = "--force", description = "Re-evaluate sweep trials that already have " + EVALUATION_FILE + ".")
    boolean force;

    @Option(names = "--seed", paramLabel = "S", description = "Seeds the evaluation's noise and subsets.")
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
        Path target = dir != null ? dir : run;
        if (target == null) {
            throw new UserException("give the run or sweep folder to evaluate: latentlab evaluate DIR");
        }
        if (!Files.isDirectory(target)) {
            throw new UserException("not a run folder: " + target + " does not exist");
        }
        EvaluationOptions options = options();
        ModelRegistry registry = Models.registry();
        TrainingRun runs = new TrainingRun(registry, dataDir.dataDir(), false);
        if (classifierFile != null && !ClassifierFiles.exists(classifierFile)) {
            if (options.classifierEpochs() == 0) {
                throw new UserException("--classifier " + classifierFile
                        + " does not exist; give --classifier-epochs E to train a classifier and write it there");
            }
            ClassifierFiles.checkWritable(classifierFile);
        }
        if (dryRun.dryRun()) {
            if (TrainingRun.isCheckpoint(target)) {
                runs.loadCheckpoint(target);
                spec.commandLine().getOut().println("dry run: would evaluate the checkpoint " + target);
                return 0;
            }
            int runs0 = PlotCommand.check(target, runs);
            spec.commandLine().getOut().println("dry run: would evaluate " + runs0 + " run(s) in " + target);
            return 0;
        }
        Judges judges = new Judges(options);
        if (Files.isRegularFile(target.resolve(SweepRunner.SWEEP_FILE))) {
            ResultsTable before = ResultsTable.collect(target);
            int done = 0;
            for (ResultsTable.Row row : before.rows()) {
                Path trial = target.resolve(SweepRunner.TRIALS_DIR).resolve(row.trial());
                if (!"completed".equals(row.status())) {
                    continue;
                }
                if (!force && Files.isRegularFile(trial.resolve(EVALUATION_FILE))) {
                    spec.commandLine()
                            .getOut()
                            .println(row.trial() + ": " + EVALUATION_FILE + " exists, skipped (--force redoes it)");
                    continue;
                }
                spec.commandLine().getOut().println("== " + row.trial());
                print(evaluate(runs, trial, options, judges, labelOptionsAsked()));
                done++;
            }
            ResultsTable table = ResultsTable.collect(target);
            table.write(target);
            spec.commandLine()
                    .getOut()
                    .println("evaluated " + done + " trials; results table: " + target.resolve(ResultsTable.CSV));
        } else if (TrainingRun.isCheckpoint(target) && !Files.isRegularFile(target.resolve(TrainingRun.SUMMARY_FILE))) {
            spec.commandLine()
                    .getOut()
                    .println("evaluating the checkpoint " + target + " of an unfinished or finished run");
            print(evaluate(runs, runs.loadCheckpoint(target), target, options, judges, labelOptionsAsked()));
        } else {
            if (!Files.isRegularFile(target.resolve(TrainingRun.SUMMARY_FILE))) {
                throw new UserException("not a run folder: " + target + " has no " + TrainingRun.SUMMARY_FILE
                        + " (nor is it a sweep folder with " + SweepRunner.SWEEP_FILE + ", or a checkpoint folder"
                        + " RUN/checkpoints/NAME with state.json and model/)");
            }
            print(evaluate(runs, target, options, judges, labelOptionsAsked()));
        }
        return 0;
    }

    private EvaluationOptions options() {
        EvaluationOptions.AnomalyScore score;
        try {
            score = EvaluationOptions.AnomalyScore.valueOf(anomalyScore.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserException("--anomaly-score: expected auto, neg_elbo, bce or mse, got '" + anomalyScore + "'");
        }
        nonNegative("--is-samples", importanceSamples);
        nonNegative("--is-images", importanceImages);
        nonNegative("--probe-size", probeSize);
        nonNegative("--jacobian-probes", jacobianProbes);
        nonNegative("--jacobian-images", jacobianImages);
        nonNegative("--classifier-epochs", classifierEpochs);
        nonNegative("--sample-images", sampleImages);
        Corruption corruption;
        try {
            corruption = Corruption.parse(denoising);
        } catch (IllegalArgumentException e) {
            throw new UserException("--denoising=" + denoising + ": " + e.getMessage());
        }
        if (!(sparsityThreshold >= 0) || Double.isInfinite(sparsityThreshold)) {
            throw new UserException("--sparsity-threshold=" + sparsityThreshold + ": must be a finite number >= 0");
        }
        if (!(jacobianStep > 0) || Double.isInfinite(jacobianStep)) {
            throw new UserException("--jacobian-step=" + jacobianStep + ": must be a finite number > 0");
        }
        if (knnK < 1) {
            throw new UserException("--knn-k=" + knnK + ": the k-NN probe needs at least 1 neighbour");
        }
        if (anomalyClass < -1) {
            throw new UserException("--anomaly-class=" + anomalyClass + ": expected a class number, or -1 to skip");
        }
        return EvaluationOptions.commandLine()
                .withImportanceSampling(importanceSamples, importanceImages)
                .withProbes(probeSize, 0)
                .withKnnK(knnK)
                .withAnomaly(anomalyClass, score)
                .withSparsityThreshold(sparsityThreshold)
                .withJacobian(jacobianProbes, jacobianStep, jacobianImages)
                .withClassifierEpochs(classifierEpochs)
                .withSampleImages(sampleImages)
                .withDenoising(corruption)
                .withSeed(seed);
    }

    private static void nonNegative(String option, int value) {
        if (value < 0) {
            throw new UserException(option + "=" + value + ": must be >= 0");
        }
    }

    /**
     * The options given on this command line that need class labels ({@code --probe-size}, {@code --sample-images}
     * when given, a classifier, an anomaly class), as typed; on a dataset without labels they are an error, while
     * the defaults that need labels are skipped with a note.
     */
    private List<String> labelOptionsAsked() {
        ParseResult parsed = spec.commandLine().getParseResult();
        List<String> asked = new ArrayList<>();
        if (parsed != null && parsed.hasMatchedOption("--probe-size") && probeSize > 0) {
            asked.add("--probe-size " + probeSize);
        }
        if (classifierEpochs > 0) {
            asked.add("--classifier-epochs " + classifierEpochs);
        }
        if (classifierFile != null) {
            asked.add("--classifier " + classifierFile);
        }
        if (parsed != null && parsed.hasMatchedOption("--sample-images") && sampleImages > 0) {
            asked.add("--sample-images " + sampleImages);
        }
        if (anomalyClass >= 0) {
            asked.add("--anomaly-class " + anomalyClass);
        }
        return asked;
    }

    private static EvaluationResult evaluate(
            TrainingRun runs, Path runDir, EvaluationOptions options, Judges judges, List<String> labelOptions) {
        return evaluate(runs, runs.load(runDir), runDir, options, judges, labelOptions);
    }

    private static EvaluationResult evaluate(
            TrainingRun runs,
            TrainingRun.Finished run,
            Path runDir,
            EvaluationOptions options,
            Judges judges,
            List<String> labelOptions) {
        if (!run.train().hasLabels() && !labelOptions.isEmpty()) {
            throw new UserException("dataset '" + run.config().dataset() + "' of " + runDir + " has no labels, but "
                    + String.join(", ", labelOptions) + " need them (probes, classifier and anomaly AUROC by class"
                    + " compare with the labels); leave them out");
        }
        EvaluationResult result = Evaluator.evaluate(
                run.model(),
                run.train(),
                run.test(),
                options,
                judges.forDataset(run.config().dataset()));
        result.write(runDir.resolve(EVALUATION_FILE));
        return result;
    }

    private void print(EvaluationResult result) {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Double> e : result.headline().entrySet()) {
            lines.add(String.format(Locale.ROOT, "%-24s %.6g", e.getKey(), e.getValue()));
        }
        lines.forEach(spec.commandLine().getOut()::println);
    }

    /**
     * The reconstruction classifiers of one command, one per dataset: trained on the dataset's full training set
     * (not a run's class filter or validation split; as {@code probe-samples} does), or read from and written to
     * {@code --classifier}, and shared by every trial of a sweep.
     */
    private final class Judges {
        private final EvaluationOptions options;
        private final Map<String, Evaluator.Judge> byDataset = new HashMap<>();

        Judges(EvaluationOptions options) {
            this.options = options;
        }

        Evaluator.Judge forDataset(String dataset) {
            if (options.classifierEpochs() == 0 && !ClassifierFiles.exists(classifierFile)) {
                return null; // not asked for: no epochs to train one, no file to read
            }
            return byDataset.computeIfAbsent(dataset, this::obtain);
        }

        private Evaluator.Judge obtain(String dataset) {
            ImageDataset train;
            try {
                train = Datasets.load(dataset, dataDir.dataDir()).train();
            } catch (DataException e) {
                throw new UserException("dataset '" + dataset + "': " + e.getMessage());
            }
            if (ClassifierFiles.exists(classifierFile)) {
                spec.commandLine().getOut().println("classifier: loaded from " + classifierFile);
                return new Evaluator.Judge(ClassifierFiles.read(classifierFile, train), "loaded", 0);
            }
            ImageClassifier trained =
                    ClassifierFiles.train(train, options.classifierEpochs(), options.seed(), classifierFile);
            spec.commandLine()
                    .getOut()
                    .printf(
                            Locale.ROOT,
                            "classifier: MLP %d-%d-%d, %d epoch(s) on %d %s training images%n",
                            train.featureSize(),
                            ImageClassifier.DEFAULT_HIDDEN,
                            train.numClasses(),
                            options.classifierEpochs(),
                            train.size(),
                            dataset);
            return new Evaluator.Judge(trained, "trained", options.classifierEpochs());
        }
    }

    /** The options' defaults, read from {@link EvaluationOptions#commandLine()}: defined there once, shown by --help. */
    static final class Defaults implements IDefaultValueProvider {
        @Override
        public String defaultValue(ArgSpec arg) {
            if (!(arg instanceof OptionSpec option)) {
                return null;
            }
            EvaluationOptions d = EvaluationOptions.commandLine();
            Object value =
                    switch (option.longestName()) {
                        case "--is-samples" -> d.importanceSamples();
                        case "--is-images" -> d.importanceImages();
                        case "--probe-size" -> d.probeTrainSize();
                        case "--knn-k" -> d.knnK();
                        case "--anomaly-class" -> d.anomalyClass();
                        case "--anomaly-score" -> d.anomalyScore().name().toLowerCase(Locale.ROOT);
                        case "--seed" -> d.seed();
                        case "--sparsity-threshold" -> d.sparsityThreshold();
                        case "--jacobian-probes" -> d.jacobianProbes();
                        case "--jacobian-step" -> d.jacobianStep();
                        case "--jacobian-images" -> d.jacobianImages();
                        case "--classifier-epochs" -> d.classifierEpochs();
                        case "--sample-images" -> d.sampleImages();
                        case "--denoising" -> d.denoising().format();
                        default -> null;
                    };
            return value == null ? null : String.valueOf(value);
        }
    }
}
