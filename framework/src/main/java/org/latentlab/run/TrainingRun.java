package org.latentlab.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.latentlab.config.InvalidConfigException;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.Generative;
import org.latentlab.core.LikelihoodModel;
import org.latentlab.core.ModelRegistry;
import org.latentlab.data.Batch;
import org.latentlab.data.Binarization;
import org.latentlab.data.DataBundle;
import org.latentlab.data.DataRequest;
import org.latentlab.data.Datasets;
import org.latentlab.data.ImageDataset;
import org.latentlab.data.PreparedData;
import org.latentlab.io.AtomicFiles;
import org.latentlab.io.FaultPoint;
import org.latentlab.loss.NoiseSource;
import org.latentlab.plot.ImageGrid;
import org.latentlab.train.Checkpoints;
import org.latentlab.train.ConsoleListener;
import org.latentlab.train.CsvMetricsListener;
import org.latentlab.train.KeepModel;
import org.latentlab.train.Pretrainable;
import org.latentlab.train.ProgressBarListener;
import org.latentlab.train.Trainer;
import org.latentlab.train.TrainingResult;
import org.latentlab.train.TrainingState;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one model and writes its run folder:
 * <pre>
 *   config.json          the resolved {@link RunConfig}
 *   metrics.csv          every named loss term, train and validation, per epoch
 *   checkpoints/         epoch-NNNN/ (model with updater state + training state)
 *   checkpoints/best/    the best model on validation so far (trainer.keep BEST)
 *   model/               the kept model, the last or the best epoch's (model.json + graph.sdz) and provenance.json
 *   summary.json         test metrics, timings, samples per second, provenance ({@link RunSummary})
 *   reconstructions.png  test inputs above their reconstructions
 *   samples.png          decoded draws from the prior (generative models)
 *   samples/             epoch-NNNN.png every trainer.sampleEvery epochs, when set ({@link SampleGridListener})
 *   likelihood.csv       the test NLL every trainer.likelihoodEvery epochs, when set ({@link LikelihoodCurveListener})
 *   tensorboard/         TensorBoard events: scalars, images, hparams, the embedding projector ({@link TensorBoardListener})
 * </pre>
 */
public final class TrainingRun {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);
    public static final String CONFIG_FILE = "config.json";
    public static final String SUMMARY_FILE = RunSummary.FILE;
    public static final String METRICS_FILE = "metrics.csv";
    public static final String MODEL_DIR = "model";
    public static final String CHECKPOINT_DIR = "checkpoints";
    /** Seed offset for test-set noise, distinct from training and validation noise. */
    private static final long TEST_SEED_OFFSET = 0x7E57L;

    private final ModelRegistry registry;
    private final Path dataDir;
    private final boolean progressBar;
    private final RunConfigJson json;

    public TrainingRun(ModelRegistry registry, Path dataDir, boolean progressBar) {
        this.registry = registry;
        this.dataDir = dataDir;
        this.progressBar = progressBar;
        this.json = new RunConfigJson(registry);
    }

    private boolean tensorBoard = true;
    /** A dataset whose loading {@link #preloadData} started, and its name; null when none. */
    private CompletableFuture<DataBundle> preloaded;

    private String preloadedName;

    /**
     * Starts loading {@code dataset} now, on a thread of its own, for the next {@link #train} of that dataset: a
     * command line calls this before it initialises ND4J (about 0.8 s on a cold JVM), which the loading then
     * overlaps. A {@link #train} of another dataset loads its own and leaves this one unused; an error of the
     * loading is thrown by {@link #train}, as if it had loaded the data itself.
     */
    public TrainingRun preloadData(String dataset) {
        preloadedName = Objects.requireNonNull(dataset, "dataset");
        preloaded = loadInBackground(() -> Datasets.load(dataset, dataDir));
        return this;
    }

    /** Whether runs write TensorBoard events into {@code tensorboard/} ({@link TensorBoardListener}; on by default). */
    public TrainingRun tensorBoard(boolean on) {
        this.tensorBoard = on;
        return this;
    }

    /** The JSON of a run config (model tagged with its type). */
    public String toJson(RunConfig config) {
        return json.toJson(config);
    }

    /** Reads {@code config.json} of a run folder. */
    public RunConfig readConfig(Path runDir) {
        Path file = runDir.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("not a run folder: " + runDir + " has no " + CONFIG_FILE);
        }
        return json.read(file);
    }

    /** Trains a new run into {@code outDir}, which must not hold a run yet. */
    public RunSummary train(RunConfig config, Path outDir) {
        RunClock clock = RunClock.start();
        if (Files.exists(outDir.resolve(SUMMARY_FILE))) {
            throw new IllegalArgumentException("output folder " + outDir + " already holds a finished run ("
                    + SUMMARY_FILE + "); choose another --out");
        }
        if (Files.exists(outDir.resolve(CONFIG_FILE))) {
            throw new IllegalArgumentException("output folder " + outDir + " holds an unfinished run; continue it with "
                    + "--resume or choose another --out");
        }
        // The data loads and is split on a second thread while the model and its gradient graph are built (1-2 s
        // each on a cold JVM); a bad dataset is reported before a bad model, as when they ran one after the other.
        DataRequest request = dataRequest(config);
        CompletableFuture<DataBundle> early = config.dataset().equals(preloadedName) ? preloaded : null;
        preloaded = null;
        preloadedName = null;
        CompletableFuture<PreparedData> loading = loadInBackground(() -> {
            DataBundle bundle = early != null ? awaitData(early) : Datasets.load(config.dataset(), dataDir);
            long t = System.nanoTime();
            PreparedData prepared = PreparedData.prepare(bundle, request); // classes, split, input size
            LOG.debug("data prepared (classes, split, sizes) in {} ms", (System.nanoTime() - t) / 1_000_000);
            return prepared;
        });
        AutoencoderModel<?> model;
        long t0 = System.nanoTime();
        try {
            model = build(config);
            long t1 = System.nanoTime();
            Trainer.prepareGradient(model);
            LOG.debug(
                    "model built in {} ms, its gradient graph in {} ms",
                    (t1 - t0) / 1_000_000,
                    (System.nanoTime() - t1) / 1_000_000);
        } catch (RuntimeException | Error e) {
            awaitData(loading); // its error first
            throw e;
        }
        PreparedData data = awaitData(loading); // fail on bad data before writing anything
        requireLabelsIfUsed(config, model, data);
        AtomicFiles.writeString(outDir.resolve(CONFIG_FILE), toJson(config));
        return run(config, outDir, model, TrainingState.initial(), data, clock);
    }

    /** Runs {@code load} on a daemon thread of its own. */
    private static <T> CompletableFuture<T> loadInBackground(Supplier<T> load) {
        return CompletableFuture.supplyAsync(load, task -> {
            Thread t = new Thread(task, "latentlab-data");
            t.setDaemon(true);
            t.start();
        });
    }

    /** The loaded data, or the loader's own exception (not wrapped). */
    private static <T> T awaitData(CompletableFuture<T> loading) {
        try {
            return loading.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /**
     * Checks everything {@link #train} checks before it writes: the output folder is free, the data loads, the
     * model builds, the class filter and validation split leave examples, and the model fits the data; writes
     * nothing. Returns the number of parameters of the model.
     */
    public long check(RunConfig config, Path outDir) {
        if (Files.exists(outDir.resolve(SUMMARY_FILE)) || Files.exists(outDir.resolve(CONFIG_FILE))) {
            throw new IllegalArgumentException(
                    "output folder " + outDir + " already holds a run; choose another --out" + " (or --resume it)");
        }
        DataBundle loaded = Datasets.load(config.dataset(), dataDir);
        AutoencoderModel<?> model = build(config);
        requireLabelsIfUsed(config, model, PreparedData.prepare(loaded, dataRequest(config)));
        return model.parameterCount();
    }

    /**
     * Checks what {@link #resume} checks before it trains: the config, the latest checkpoint (if any) and that
     * they describe the same model, and the data; writes nothing. Returns the epochs the checkpoint completed.
     */
    public int checkResume(Path runDir, Optional<Integer> epochs) {
        RunConfig config = readConfig(runDir);
        if (epochs.isPresent()) {
            config = config.withTrainer(config.trainer().withEpochs(epochs.get()));
        }
        Optional<Path> latest = new Checkpoints(runDir.resolve(CHECKPOINT_DIR), registry).latest();
        int done = 0;
        if (latest.isPresent()) {
            Checkpoints.Loaded loaded = new Checkpoints(runDir.resolve(CHECKPOINT_DIR), registry).load(latest.get());
            requireSameModel(config, loaded.model(), runDir.resolve(CONFIG_FILE), latest.get());
            done = loaded.state().epochsCompleted();
        } else {
            build(config);
        }
        PreparedData.load(dataRequest(config), dataDir);
        return done;
    }

    /**
     * A new model of the config; a model whose sizes cannot be built (more parameters than an array or the memory
     * holds, sizes that do not fit together) is an error that lists the config's sizes.
     */
    private AutoencoderModel<?> build(RunConfig config) {
        try {
            return registry.typeOf(config.model())
                    .buildUnchecked(config.model(), config.trainer().seed());
        } catch (InvalidConfigException e) {
            throw e;
        } catch (IllegalArgumentException | ArithmeticException | OutOfMemoryError e) {
            String detail = e instanceof OutOfMemoryError ? "out of memory (" + e.getMessage() + ")" : e.getMessage();
            throw new InvalidConfigException(
                    "model",
                    "model " + registry.typeOf(config.model()).name() + " cannot be built with " + sizes(config) + ": "
                            + detail);
        }
    }

    /** The numeric and list keys of the model config, as {@code key=value}. */
    private String sizes(RunConfig config) {
        List<String> parts = new ArrayList<>();
        try {
            JsonNode tree = registry.mapper().readTree(registry.toJson(config.model()));
            tree.fields().forEachRemaining(f -> {
                if (f.getValue().isNumber() || f.getValue().isArray()) {
                    parts.add(f.getKey() + "=" + f.getValue());
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return String.join(", ", parts);
    }

    /** Fails if the model trains on class labels (conditional, supervised) and the dataset has none. */
    private static void requireLabelsIfUsed(RunConfig config, AutoencoderModel<?> model, PreparedData data) {
        if (model.usesLabels() && !data.train().hasLabels()) {
            throw new InvalidConfigException(
                    "dataset",
                    "model " + model.typeName() + " trains on class labels, but dataset " + config.dataset()
                            + " has none; choose a labelled dataset, or a model that needs no labels");
        }
    }

    /**
     * What data a run of {@code config} trains and is tested on: its dataset, classes, validation split and training
     * subset (both seeded by the trainer's seed), checked against the model's input size. Every command that reads
     * a run's data prepares it from this request.
     */
    public static DataRequest dataRequest(RunConfig config) {
        return DataRequest.of(config.dataset())
                .withTrainClasses(config.trainClasses())
                .withValidation(config.validationFraction(), config.trainer().seed())
                .withTrainSize(config.trainSize(), config.trainer().seed())
                .withInputSize(config.model().inputSize())
                .withImageShape(config.model().imageShape());
    }

    /** Fails unless the model of {@code config.json} is the one saved in {@code saved}, naming the first key that differs. */
    private void requireSameModel(RunConfig config, AutoencoderModel<?> model, Path configFile, Path saved) {
        if (config.model().equals(model.config())) {
            return;
        }
        JsonNode want;
        JsonNode have;
        try {
            have = registry.mapper().readTree(registry.toJson(model.config()));
            want = registry.mapper().readTree(registry.toJson(config.model()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String key = "type";
        for (Iterator<String> it = have.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!have.get(k).equals(want.get(k))) {
                key = k;
                break;
            }
        }
        throw new InvalidConfigException(
                key,
                configFile + ": model key " + key + "=" + want.path(key)
                        + " does not match the saved model in " + saved + " (" + key + "=" + have.path(key)
                        + "); restore it or start a new run");
    }

    /**
     * Continues the run in {@code runDir} from its latest checkpoint, up to {@code epochs} if given
     * (else the configured number).
     */
    public RunSummary resume(Path runDir, Optional<Integer> epochs) {
        RunClock clock = RunClock.start();
        RunConfig config = readConfig(runDir);
        if (epochs.isPresent()) {
            config = config.withTrainer(config.trainer().withEpochs(epochs.get()));
        }
        // A process killed while writing leaves temporary siblings (a half-written checkpoint folder,
        // a metrics.csv draft); they are never read, but may be as large as a model.
        List<String> removed = AtomicFiles.removeLeftovers(runDir);
        if (!removed.isEmpty()) {
            LOG.info("removed what an interrupted write left in {}: {}", runDir, String.join(", ", removed));
        }
        Checkpoints checkpoints = new Checkpoints(runDir.resolve(CHECKPOINT_DIR), registry);
        Optional<Path> latest = checkpoints.latest();
        if (latest.isEmpty()) {
            LOG.info("no checkpoint in {}: starting the run from epoch 1", runDir);
            AutoencoderModel<?> model = build(config);
            PreparedData data = PreparedData.load(dataRequest(config), dataDir);
            if (epochs.isPresent()) {
                AtomicFiles.writeString(runDir.resolve(CONFIG_FILE), toJson(config));
            }
            return run(config, runDir, model, TrainingState.initial(), data, clock);
        }
        // Everything is read and checked before config.json is rewritten with the new epochs.
        Checkpoints.Loaded loaded = checkpoints.load(latest.get());
        requireSameModel(config, loaded.model(), runDir.resolve(CONFIG_FILE), latest.get());
        PreparedData resumeData = PreparedData.load(dataRequest(config), dataDir);
        if (epochs.isPresent()) {
            AtomicFiles.writeString(runDir.resolve(CONFIG_FILE), toJson(config));
        }
        LOG.info(
                "resuming {} from {} (epoch {} done)",
                runDir,
                latest.get().getFileName(),
                loaded.state().epochsCompleted());
        return run(config, runDir, loaded.model(), loaded.state(), resumeData, clock);
    }

    private RunSummary run(
            RunConfig config,
            Path outDir,
            AutoencoderModel<?> model,
            TrainingState state,
            PreparedData data,
            RunClock clock) {
        Instant started = Instant.now();
        requireLabelsIfUsed(config, model, data);
        ImageDataset train = data.train();
        if (!config.trainClasses().isEmpty()) {
            LOG.info(
                    "training on classes {} only: {} of {} training examples",
                    config.trainClasses(),
                    data.pool().size(),
                    data.bundle().train().size());
        }
        if (config.trainSize() > 0) {
            LOG.info(
                    "training on a {} subset of {} of {} training examples",
                    train.hasLabels() ? "class-balanced" : "seeded",
                    train.size(),
                    data.fullTrain().size());
        }
        LOG.info(
                "model {} with {} parameters; data {}: {} train, {} validation, {} test",
                model.typeName(),
                model.parameterCount(),
                config.dataset(),
                train.size(),
                data.validationSize(),
                data.test().size());

        Checkpoints checkpoints = new Checkpoints(outDir.resolve(CHECKPOINT_DIR), registry);
        Trainer trainer = new Trainer(config.trainer()).checkpointTo(checkpoints);
        if (progressBar) {
            trainer.addListener(new ProgressBarListener()); // first, so the bar ends before the epoch's log line
        }
        trainer.addListener(new ConsoleListener()).addListener(new CsvMetricsListener(outDir.resolve(METRICS_FILE)));
        if (config.trainer().sampleEvery() > 0) {
            trainer.addListener(new SampleGridListener(
                    outDir,
                    config.trainer().sampleEvery(),
                    data.test(),
                    config.trainer().seed()));
        }
        if (config.trainer().likelihoodEvery() > 0) {
            if (model instanceof LikelihoodModel) {
                trainer.addListener(new LikelihoodCurveListener(
                        outDir,
                        config.trainer().likelihoodEvery(),
                        config.trainer().likelihoodSamples(),
                        config.trainer().likelihoodImages(),
                        data.test(),
                        config.trainer().seed()));
            } else {
                LOG.warn(
                        "trainer.likelihoodEvery={} ignored: model {} has no likelihood to estimate",
                        config.trainer().likelihoodEvery(),
                        model.typeName());
            }
        }
        TensorBoardListener board = null;
        if (tensorBoard) {
            board = new TensorBoardListener(outDir, config, json.toTree(config), data.test());
            trainer.addListener(board);
        }
        Double pretrainSeconds = null;
        Integer pretrainSize = null;
        if (model instanceof Pretrainable pretrainable && state.epochsCompleted() == 0) {
            // Pretraining needs no labels: it sees the whole training part, the subset only the fine-tuning.
            ImageDataset unlabelled = data.fullTrain();
            LOG.info("pretraining {} on {} training examples", model.typeName(), unlabelled.size());
            long t0 = System.nanoTime();
            pretrainable.pretrain(unlabelled, config.trainer());
            pretrainSize = unlabelled.size();
            pretrainSeconds = (System.nanoTime() - t0) / 1e9;
            LOG.info("pretraining took {} s", String.format("%.1f", pretrainSeconds));
        }
        TrainingResult result;
        try {
            result = trainer.fit(model, train, data.validation(), state);
        } catch (RuntimeException e) {
            if (board != null) {
                board.fail();
            }
            throw e;
        }
        long fitEnd = System.nanoTime();
        int lastEpoch = result.history().get(result.history().size() - 1).epoch();
        int modelEpoch = keepsBest(config.trainer().keep(), result) ? result.bestEpoch() : lastEpoch;
        if (modelEpoch != lastEpoch) {
            model = bestModel(result, checkpoints, lastEpoch);
        } else if (config.trainer().keep() == KeepModel.BEST && result.bestEpoch() == 0) {
            LOG.info("no validation split, so no best epoch: the model is the last epoch's ({})", lastEpoch);
        }
        Provenance provenance = Provenance.capture(trainer.engineOptions(), data.files());
        // provenance.json appears with the model, so a copied model folder says where it came from.
        // Shares the graph file of the last checkpoint or the best model when the state is the same (it usually is).
        long t0 = System.nanoTime();
        model.save(outDir.resolve(MODEL_DIR), registry, provenance::write, checkpoints.savedModels());
        long t1 = System.nanoTime();
        Map<String, Double> testTerms =
                model.evaluate(data.test(), 500, config.trainer().seed() + TEST_SEED_OFFSET);
        long t2 = System.nanoTime();
        writePictures(model, data.test(), outDir, config.trainer().seed());
        long t3 = System.nanoTime();

        Map<String, Double> testMetrics = model.summaryMetrics(testTerms);
        RunSummary summary = new RunSummary(
                model.typeName(),
                config.dataset(),
                train.size(),
                config.trainClasses(),
                data.validationSize(),
                data.test().size(),
                model.parameterCount(),
                result.history().size(),
                result.stoppedEarly(),
                result.bestEpoch(),
                testMetrics,
                result.last().train(),
                result.last().validation(),
                result.trainSeconds(),
                pretrainSeconds,
                pretrainSize,
                result.samplesPerSecond(train.size()),
                config.trainer().seed(),
                started,
                Instant.now(),
                provenance);
        if (train.dynamicallyBinarized()) {
            summary = summary.withBinarization(Binarization.describe());
        } else if (data.bundle().binarization() != null) {
            summary = summary.withBinarization(data.bundle().binarization()); // e.g. static binarized MNIST
        }
        summary = summary.withModelEpoch(modelEpoch);
        if (board != null) {
            board.finish(testMetrics, lastEpoch, model);
        }
        LOG.debug(
                "after training: model saved in {} ms, test metrics {} ms, pictures {} ms, TensorBoard {} ms",
                (t1 - t0) / 1_000_000,
                (t2 - t1) / 1_000_000,
                (t3 - t2) / 1_000_000,
                (System.nanoTime() - t3) / 1_000_000);
        Map<String, Double> timings = clock.timings(trainer.lastFitTimings(), pretrainSeconds, fitEnd);
        summary = summary.withTimings(timings);
        summary.write(outDir);
        LOG.info("wall time: {}", RunClock.describe(timings));
        LOG.info("test: {}", formatMetrics(testMetrics));
        LOG.info(
                "wrote {} ({} samples/s over {} s of training)",
                outDir,
                String.format("%.0f", result.samplesPerSecond(train.size())),
                String.format("%.1f", result.trainSeconds()));
        return summary;
    }

    private static boolean keepsBest(KeepModel keep, TrainingResult result) {
        return keep == KeepModel.BEST && result.bestEpoch() > 0;
    }

    /** The best model on validation, which the checkpoint folder holds since that epoch ended. */
    private static AutoencoderModel<?> bestModel(TrainingResult result, Checkpoints checkpoints, int lastEpoch) {
        Optional<Checkpoints.Best> best = checkpoints.best();
        if (best.isEmpty() || best.get().epoch() != result.bestEpoch()) {
            throw new IllegalStateException("the best model on validation (epoch " + result.bestEpoch()
                    + ") is missing from " + checkpoints.dir().resolve(Checkpoints.BEST)
                    + (best.isEmpty() ? "" : " (it holds epoch " + best.get().epoch() + ")")
                    + "; rerun with --keep last, or train the run again");
        }
        LOG.info(
                "the model is epoch {}'s, the best on validation (the last epoch was {}; --keep last keeps that)",
                result.bestEpoch(),
                lastEpoch);
        return best.get().model();
    }

    /**
     * A finished run, loaded: its config, saved model, its training part (its classes, without the validation
     * split) and the full test set. With a {@code trainSize} the training part is still the whole part the subset
     * was drawn from, so that what evaluation fits on it (the PCA baseline, the probes) is the same for every
     * {@code trainSize}: the probes measure the codes, and are not limited to the subset's examples.
     */
    /** A loaded run; {@code summary} is null for a checkpoint ({@link #loadCheckpoint}). */
    public record Finished(
            Path dir,
            RunConfig config,
            AutoencoderModel<?> model,
            ImageDataset train,
            ImageDataset test,
            RunSummary summary) {
        /** The model's registered type name, e.g. {@code vae}. */
        public String modelName() {
            return model.typeName();
        }
    }

    /** Loads a finished run folder (config.json, summary.json and model/ must exist). */
    public Finished load(Path runDir) {
        if (!Files.isRegularFile(runDir.resolve(SUMMARY_FILE)) || !Files.isDirectory(runDir.resolve(MODEL_DIR))) {
            throw new IllegalArgumentException("not a finished run folder: " + runDir + " (expected " + SUMMARY_FILE
                    + " and " + MODEL_DIR + "/ written by 'latentlab train')");
        }
        RunConfig config = readConfig(runDir);
        RunSummary summary = RunSummary.read(runDir);
        AutoencoderModel<?> model = AutoencoderModel.load(runDir.resolve(MODEL_DIR), registry);
        requireSameModel(config, model, runDir.resolve(CONFIG_FILE), runDir.resolve(MODEL_DIR));
        PreparedData data = PreparedData.load(dataRequest(config), dataDir);
        return new Finished(runDir, config, model, data.fullTrain(), data.test(), summary);
    }

    /**
     * Whether {@code dir} is a checkpoint of a run ({@code RUN/checkpoints/NAME} with {@code state.json} and
     * {@code model/}), which {@link #loadCheckpoint} reads.
     */
    public static boolean isCheckpoint(Path dir) {
        Path parent = dir.toAbsolutePath().normalize().getParent();
        return Files.isRegularFile(dir.resolve("state.json"))
                && Files.isDirectory(dir.resolve(MODEL_DIR))
                && parent != null
                && parent.getFileName() != null
                && parent.getFileName().toString().equals(CHECKPOINT_DIR)
                && Files.isRegularFile(parent.getParent().resolve(CONFIG_FILE));
    }

    /**
     * A checkpoint of a run, possibly unfinished ({@code RUN/checkpoints/NAME}), loaded like a finished run: the run's
     * config, the checkpoint's model and the run's data; no summary (null). For evaluating a long run at a point of
     * its schedule.
     */
    public Finished loadCheckpoint(Path checkpointDir) {
        if (!isCheckpoint(checkpointDir)) {
            throw new IllegalArgumentException("not a checkpoint folder: " + checkpointDir + " (expected RUN/"
                    + CHECKPOINT_DIR + "/NAME with state.json and " + MODEL_DIR + "/, and RUN/" + CONFIG_FILE + ")");
        }
        Path runDir = checkpointDir.toAbsolutePath().normalize().getParent().getParent();
        RunConfig config = readConfig(runDir);
        AutoencoderModel<?> model = AutoencoderModel.load(checkpointDir.resolve(MODEL_DIR), registry);
        requireSameModel(config, model, runDir.resolve(CONFIG_FILE), checkpointDir.resolve(MODEL_DIR));
        PreparedData data = PreparedData.load(dataRequest(config), dataDir);
        return new Finished(checkpointDir, config, model, data.fullTrain(), data.test(), null);
    }

    /** Recomputes the test metrics of a finished run from its saved model. */
    public Map<String, Double> evaluate(Path runDir) {
        RunConfig config = readConfig(runDir);
        AutoencoderModel<?> model = AutoencoderModel.load(runDir.resolve(MODEL_DIR), registry);
        PreparedData data = PreparedData.load(dataRequest(config), dataDir);
        Map<String, Double> terms =
                model.evaluate(data.test(), 500, config.trainer().seed() + TEST_SEED_OFFSET);
        Map<String, Double> metrics = new LinkedHashMap<>();
        model.summaryMetrics(terms).forEach((k, v) -> metrics.put("test_" + k, v));
        return metrics;
    }

    private static void writePictures(AutoencoderModel<?> model, ImageDataset test, Path outDir, long seed) {
        int n = Math.min(16, test.size());
        int[] first = new int[n];
        for (int i = 0; i < n; i++) {
            first[i] = i;
        }
        Batch batch = test.batch(first);
        INDArray inputs = batch.features();
        INDArray outputs = model.reconstruct(batch, new NoiseSource(seed + TEST_SEED_OFFSET));
        ImageGrid.writeReconstructions(
                outDir.resolve("reconstructions.png"), inputs, outputs, test.channels(), test.rows(), test.cols(), 8);
        FaultPoint.reach(FaultPoint.FINAL_EVALUATION, outDir);
        if (model instanceof Generative generative) {
            INDArray samples = generative.sample(64, new NoiseSource(seed + 1));
            ImageGrid.writeSamples(
                    outDir.resolve("samples.png"), samples, test.channels(), test.rows(), test.cols(), 8);
        }
    }

    static String formatMetrics(Map<String, Double> metrics) {
        StringBuilder b = new StringBuilder();
        metrics.forEach((k, v) ->
                b.append(b.length() == 0 ? "" : "  ").append(k).append('=').append(String.format("%.4f", v)));
        return b.toString();
    }
}
