package org.latentlab.train;

import org.latentlab.engine.BlasKernels;
import org.latentlab.engine.EngineOptions;
import org.latentlab.engine.TrainingEngine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.latentlab.data.BatchIterator;
import org.latentlab.data.ImageDataset;
import org.latentlab.io.FaultPoint;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.engine.Quiet;
import org.latentlab.core.ModelRegistry;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains any {@link AutoencoderModel} on a dataset. The loop is deliberately short; progress,
 * logging and the metrics file are {@link TrainingListener}s.
 */
public final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    /** Seed offset for validation noise, so it never coincides with a training step's noise. */
    private static final long VALIDATION_SEED_OFFSET = 0x5DEECE66DL;

    /**
     * Training metrics are evaluated after each epoch on at most this many training examples:
     * M2.1's fit does not expose the loss values of its forward pass (see {@link TermRecorder}).
     */
    static final int TRAIN_PROBE_SIZE = 10_000;

    private final TrainerConfig config;
    private final ModelRegistry registry;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private Checkpoints checkpoints;
    private EngineOptions options = EngineOptions.current();

    public Trainer(TrainerConfig config, ModelRegistry registry) {
        this.config = config;
        this.registry = registry;
    }

    public Trainer addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /** Saves checkpoints into {@code checkpointDir} every {@code checkpointEvery} epochs and at the end. */
    public Trainer checkpointTo(Checkpoints target) {
        this.checkpoints = target;
        return this;
    }

    /** How each gradient step is executed (default: the engine of {@link EngineOptions#current()}). */
    public Trainer engine(TrainingEngine e) {
        this.options = options.withEngine(Objects.requireNonNull(e, "engine"));
        return this;
    }

    public TrainingEngine engine() {
        return options.engine();
    }

    /** The engine's switches for this trainer (default: {@link EngineOptions#current()}, read from the environment). */
    public Trainer engineOptions(EngineOptions o) {
        this.options = Objects.requireNonNull(o, "engine options");
        return this;
    }

    public EngineOptions engineOptions() {
        return options;
    }

    /** Trains a fresh model from epoch 1. */
    public TrainingResult fit(AutoencoderModel<?> model, ImageDataset train, ImageDataset validation) {
        return fit(model, train, validation, TrainingState.initial());
    }

    /**
     * Trains from {@code state} (epoch {@code state.epochsCompleted() + 1}) to {@code config.epochs()}.
     * A model loaded from a checkpoint keeps its updater state; a fresh one gets the configured optimizer.
     */
    public TrainingResult fit(AutoencoderModel<?> model, ImageDataset train, ImageDataset validation, TrainingState state) {
        if (config.patience() > 0 && (validation == null || validation.size() == 0)) {
            throw new IllegalArgumentException("early stopping (patience " + config.patience() + ") needs a validation set");
        }
        BlasKernels.warnIfUnset(options);
        SameDiff sd = model.graph();
        if (sd.getTrainingConfig() == null) {
            sd.setTrainingConfig(trainingConfig(model));
        }
        int stepsPerEpoch = (train.size() + config.batchSize() - 1) / config.batchSize();
        // Set on every fit, also on a model restored from a checkpoint: its schedule is then the
        // one of this config (same curve unless --epochs was extended), its step counter the saved one.
        sd.getTrainingConfig().getUpdater().setLrAndSchedule(config.learningRate(),
                config.lrSchedule().schedule(config.learningRate(), (long) stepsPerEpoch * config.epochs()));
        Quiet.stdout(() -> {
            sd.createGradFunction(); // M2.1 prints a line per differentiated op to stdout
        });

        List<String> terms = model.lossTerms();
        int validationSize = validation == null ? 0 : validation.size();
        TrainingContext context = new TrainingContext(registry.typeOf(model.config()).name(), terms, train.size(),
                validationSize, state.epochsCompleted() + 1, config.epochs());
        listeners.forEach(l -> l.onTrainingStart(context));

        List<EpochResult> history = new ArrayList<>(state.history());
        double best = state.bestValidationLoss();
        int bestEpoch = state.bestEpoch();
        int stale = state.epochsWithoutImprovement();
        boolean stoppedEarly = false;
        ImageDataset trainProbe = trainingProbe(train);
        TermRecorder recorder = new TermRecorder(terms,
                (epoch, batch, size) -> {
                    listeners.forEach(l -> l.onBatchEnd(epoch, batch, size));
                    FaultPoint.reach(FaultPoint.BATCH, FaultPoint.armed() ? "epoch " + epoch + ", batch " + batch : null);
                });
        PlannedSteps planned = null;
        if (options.engine() == TrainingEngine.PLANNED && state.epochsCompleted() < config.epochs()) {
            planned = new PlannedSteps(model, terms, options);
            // Plans the full-batch step from the first batch's shapes (a pure function of seed and step).
            FeedIterator probe = new FeedIterator(model, new BatchIterator(train, config.batchSize(), config.seed(), 0),
                    config.seed(), 0);
            if (!planned.supports(probe.next().getFeatures())) {
                planned = null;
            }
        }

        for (int epoch = state.epochsCompleted() + 1; epoch <= config.epochs(); epoch++) {
            // Batch order and noise are functions of (seed, epoch): a resumed run repeats them exactly.
            BatchIterator batches = new BatchIterator(train, config.batchSize(), config.seed(), epoch - 1);
            final int e = epoch;
            listeners.forEach(l -> l.onEpochStart(e, batches.numBatches()));
            recorder.startEpoch(epoch);
            long start = System.nanoTime();
            if (planned != null) {
                batches.reusingFeatureArray(); // the planned step copies each batch in before asking for the next
            }
            FeedIterator feeds = new FeedIterator(model, batches, config.seed(), epoch - 1);
            if (planned != null) {
                planned.runEpoch(feeds, epoch, listeners);
            } else {
                sd.fit(feeds, 1, recorder);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            listeners.forEach(l -> l.onEpochBatchesEnd(e));

            int evalBatch = Math.max(config.batchSize(), 256);
            Map<String, Double> trainTerms = model.evaluate(trainProbe, evalBatch, config.seed() + VALIDATION_SEED_OFFSET);
            checkFinite("training", trainTerms, epoch);
            Map<String, Double> validationTerms = validationSize == 0 ? Map.of()
                    : model.evaluate(validation, evalBatch, config.seed() + VALIDATION_SEED_OFFSET);
            checkFinite("validation", validationTerms, epoch);
            EpochResult result = new EpochResult(epoch, trainTerms, validationTerms, seconds, train.size() / seconds);
            history.add(result);

            if (validationSize > 0) {
                double loss = validationTerms.get(AutoencoderModel.LOSS);
                if (Double.isNaN(best) || loss < best - config.minDelta()) {
                    best = loss;
                    bestEpoch = epoch;
                    stale = 0;
                } else {
                    stale++;
                }
            }
            listeners.forEach(l -> l.onEpochEnd(result));

            stoppedEarly = config.patience() > 0 && stale >= config.patience();
            boolean last = epoch == config.epochs() || stoppedEarly;
            boolean due = config.checkpointEvery() > 0 && epoch % config.checkpointEvery() == 0;
            if (checkpoints != null && (due || last)) {
                Path saved = checkpoints.save(model, new TrainingState(epoch, history, best, bestEpoch, stale));
                LOG.debug("checkpoint saved to {}", saved);
            }
            FaultPoint.reach(FaultPoint.EPOCH_END, FaultPoint.armed() ? "epoch " + epoch : null);
            if (stoppedEarly) {
                LOG.info("early stopping after epoch {}: validation loss has not improved for {} epochs (best {} at epoch {})",
                        epoch, stale, String.format("%.4f", best), bestEpoch);
                break;
            }
        }
        TrainingResult result = new TrainingResult(history, stoppedEarly, bestEpoch);
        listeners.forEach(l -> l.onTrainingEnd(result));
        return result;
    }

    private TrainingConfig trainingConfig(AutoencoderModel<?> model) {
        TrainingConfig.Builder b = TrainingConfig.builder()
                .updater(config.optimizer().updater(config.learningRate(), config.momentum()))
                .dataSetFeatureMapping(model.trainingPlaceholders().toArray(String[]::new))
                .markLabelsUnused();
        if (config.weightDecay() > 0) {
            b.weightDecay(config.weightDecay(), true);
        }
        return b.build();
    }

    private static void checkFinite(String split, Map<String, Double> terms, int epoch) {
        terms.forEach((name, value) -> {
            if (!Double.isFinite(value)) {
                throw new NonFiniteLossException(split + " " + name, value, epoch, 0);
            }
        });
    }

    /**
     * The training examples the per-epoch training metrics are computed on: all of them up to
     * {@value #TRAIN_PROBE_SIZE}, else a fixed seeded subset of that size.
     */
    private ImageDataset trainingProbe(ImageDataset train) {
        if (train.size() <= TRAIN_PROBE_SIZE) {
            return train;
        }
        int[] order = BatchIterator.permutation(train.size(), config.seed() + VALIDATION_SEED_OFFSET, 0);
        return train.subset(java.util.Arrays.copyOf(order, TRAIN_PROBE_SIZE));
    }
}
