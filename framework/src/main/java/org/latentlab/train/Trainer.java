package org.latentlab.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.data.BatchIterator;
import org.latentlab.data.Binarization;
import org.latentlab.data.ImageDataset;
import org.latentlab.engine.BlasKernels;
import org.latentlab.engine.EngineOptions;
import org.latentlab.engine.OpDescriptors;
import org.latentlab.engine.Quiet;
import org.latentlab.engine.TrainingEngine;
import org.latentlab.io.FaultPoint;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains any {@link AutoencoderModel} on a dataset. The loop is deliberately short: progress, logging, the metrics
 * file, early stopping and checkpoints are {@link TrainingListener}s, which see the run through a
 * {@link TrainingControl}.
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
    private final List<TrainingListener> listeners = new ArrayList<>();
    private Checkpoints checkpoints;
    private EngineOptions options = EngineOptions.current();
    private FitTimings lastFit = FitTimings.NONE;

    public Trainer(TrainerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public Trainer addListener(TrainingListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Saves checkpoints into {@code target} every {@code checkpointEvery} epochs and after the last one, through a
     * {@link CheckpointListener} that runs after every other listener.
     */
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
     * Trains from {@code state} (epoch {@code state.epochsCompleted() + 1}) to {@code config.epochs()}, or until a
     * listener requests a stop. A model loaded from a checkpoint keeps its updater state; a fresh one gets the
     * configured optimizer.
     */
    public TrainingResult fit(
            AutoencoderModel<?> model, ImageDataset train, ImageDataset validation, TrainingState state) {
        int validationSize = validation == null ? 0 : validation.size();
        if (config.patience() > 0 && validationSize == 0) {
            throw new IllegalArgumentException(
                    "early stopping (patience " + config.patience() + ") needs a validation set");
        }
        long prepareStart = System.nanoTime();
        prepareGraph(model, train.size());
        double prepareSeconds = seconds(prepareStart);
        TrainingContext context = new TrainingContext(
                model.typeName(),
                model.lossTerms(),
                train.size(),
                validationSize,
                state.epochsCompleted() + 1,
                config.epochs());
        TrainingControl control = new TrainingControl(context, model, state, config.minDelta());
        List<TrainingListener> all = listenersForFit();
        long[] firstStepEnd = {-1};
        all.add(0, new TrainingListener() {
            @Override
            public void onBatchEnd(int epoch, int batch, int batchSize) {
                if (firstStepEnd[0] < 0) {
                    firstStepEnd[0] = System.nanoTime();
                }
            }
        });
        all.forEach(l -> l.onTrainingStart(control));
        ImageDataset trainProbe = trainingProbe(train);
        EpochSteps steps =
                new EpochSteps(model, train, config, options, state.epochsCompleted() < config.epochs(), all);

        double stepSeconds = 0;
        double evaluationSeconds = 0;
        double epochEndSeconds = 0;
        for (int epoch = context.firstEpoch(); epoch <= config.epochs() && !control.stopRequested(); epoch++) {
            double seconds = steps.run(epoch);
            stepSeconds += seconds;
            long evaluationStart = System.nanoTime();
            Map<String, Double> trainTerms = evaluate(model, trainProbe, "training", epoch);
            Map<String, Double> validationTerms =
                    validationSize == 0 ? Map.of() : evaluate(model, validation, "validation", epoch);
            evaluationSeconds += seconds(evaluationStart);
            EpochResult result = new EpochResult(epoch, trainTerms, validationTerms, seconds, train.size() / seconds);
            control.recordEpoch(result);
            long epochEndStart = System.nanoTime();
            all.forEach(l -> l.onEpochEnd(result, control));
            epochEndSeconds += seconds(epochEndStart);
            lastFit = new FitTimings(firstStepEnd[0], stepSeconds, evaluationSeconds, epochEndSeconds, prepareSeconds);
            FaultPoint.reach(FaultPoint.EPOCH_END, FaultPoint.armed() ? "epoch " + epoch : null);
        }
        lastFit = new FitTimings(firstStepEnd[0], stepSeconds, evaluationSeconds, epochEndSeconds, prepareSeconds);
        control.stopReason()
                .ifPresent(reason -> LOG.info(
                        "early stopping after epoch {}: {}", control.state().epochsCompleted(), reason));
        TrainingResult result = control.result();
        all.forEach(l -> l.onTrainingEnd(result));
        return result;
    }

    /** Where the wall time of the last (or the current) {@link #fit} call went. */
    public FitTimings lastFitTimings() {
        return lastFit;
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    /** The added listeners, then early stopping and checkpointing (which must see every stop request). */
    private List<TrainingListener> listenersForFit() {
        List<TrainingListener> all = new ArrayList<>(listeners);
        if (config.patience() > 0) {
            all.add(new EarlyStopping(config.patience()));
        }
        if (checkpoints != null) {
            all.add(new CheckpointListener(
                    checkpoints, config.checkpointEvery(), config.keepCheckpoints(), config.keep()));
        }
        return all;
    }

    /**
     * Builds {@code model}'s gradient graph now (1-1.5 s on a cold JVM), so that it can overlap other work such as
     * loading the data; {@link #fit} builds it again, which is much faster once the code has run.
     */
    public static void prepareGradient(AutoencoderModel<?> model) {
        OpDescriptors.preload();
        Quiet.stdout(() -> {
            model.graph().createGradFunction(); // M2.1 prints a line per differentiated op to stdout
        });
    }

    /** Sets the optimizer (fresh models), the learning-rate schedule and the gradient function. */
    private void prepareGraph(AutoencoderModel<?> model, int trainSize) {
        BlasKernels.warnIfUnset(options);
        SameDiff sd = model.graph();
        if (sd.getTrainingConfig() == null) {
            sd.setTrainingConfig(trainingConfig(model));
        }
        int stepsPerEpoch = (trainSize + config.batchSize() - 1) / config.batchSize();
        // Set on every fit, also on a model restored from a checkpoint: its schedule is then the
        // one of this config (same curve unless --epochs was extended), its step counter the saved one.
        sd.getTrainingConfig()
                .getUpdater()
                .setLrAndSchedule(
                        config.learningRate(),
                        config.lrSchedule().schedule(config.learningRate(), (long) stepsPerEpoch * config.epochs()));
        long t0 = System.nanoTime();
        OpDescriptors.preload();
        Quiet.stdout(() -> {
            sd.createGradFunction(); // M2.1 prints a line per differentiated op to stdout
        });
        LOG.debug("gradient graph built in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }

    /** Mean loss terms on {@code data} after {@code epoch}, with the fixed validation noise; all finite. */
    private Map<String, Double> evaluate(AutoencoderModel<?> model, ImageDataset data, String split, int epoch) {
        int evalBatch = Math.max(config.batchSize(), 256);
        Map<String, Double> terms = model.evaluate(data, evalBatch, config.seed() + VALIDATION_SEED_OFFSET);
        terms.forEach((name, value) -> {
            if (!Double.isFinite(value)) {
                throw new NonFiniteLossException(split + " " + name, value, epoch, 0);
            }
        });
        return terms;
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

    /**
     * The training examples the per-epoch training metrics are computed on: all of them up to
     * {@value #TRAIN_PROBE_SIZE}, else a fixed seeded subset of that size; binarized once with
     * {@link Binarization#PROBE_SEED} when the training set is dynamically binarized.
     */
    private ImageDataset trainingProbe(ImageDataset train) {
        ImageDataset probe = train;
        if (train.size() > TRAIN_PROBE_SIZE) {
            int[] order = BatchIterator.permutation(train.size(), config.seed() + VALIDATION_SEED_OFFSET, 0);
            probe = train.subset(Arrays.copyOf(order, TRAIN_PROBE_SIZE));
        }
        return probe.dynamicallyBinarized() ? probe.binarized(Binarization.PROBE_SEED) : probe;
    }
}
