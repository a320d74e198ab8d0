package org.latentlab.train;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.engine.CompiledStep;
import org.latentlab.engine.EngineOptions;
import org.latentlab.io.FaultPoint;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's epoch loop on {@link CompiledStep}s: one per batch size (a full batch and the
 * epoch's last, smaller one), made on first use. Keeps SameDiff's iteration and epoch counters
 * as {@code SameDiff.fit} keeps them, so schedules, checkpoints and resumption do not change.
 */
final class PlannedSteps {
    private static final Logger LOG = LoggerFactory.getLogger(PlannedSteps.class);
    /** More distinct batch shapes than this and planning is not worth its memory: fall back. */
    private static final int MAX_PLANS = 4;

    /** Timings per op and thread setting when a step is planned (see {@link CompiledStep#tuneThreads}). */
    private static final int TUNING_REPS = 5;

    private final AutoencoderModel<?> model;
    private final List<String> terms;
    private final EngineOptions options;
    private final Map<Long, CompiledStep> plans = new HashMap<>();
    private String unsupported;

    /**
     * Steps planned with {@code options}; with {@link EngineOptions#opTimes()} every op is timed and
     * the slowest are logged after each epoch.
     */
    PlannedSteps(AutoencoderModel<?> model, List<String> terms, EngineOptions options) {
        this.model = model;
        this.terms = List.copyOf(terms);
        this.options = options;
    }

    /** Trains one epoch on {@code feeds}, as {@code sd.fit(feeds, 1, ...)} would. */
    void runEpoch(FeedIterator feeds, int epoch, List<TrainingListener> listeners) {
        SameDiff sd = model.graph();
        TrainingConfig config = sd.getTrainingConfig();
        int batch = 0;
        while (feeds.hasNext()) {
            INDArray[] inputs = feeds.next().getFeatures();
            CompiledStep step = plan(sd, inputs);
            if (step == null) {
                throw new IllegalStateException("cannot plan the training step for a batch of shape "
                        + Arrays.toString(inputs[0].shape()) + ": " + unsupported);
            }
            step.step(inputs, config);
            batch++;
            for (String t : terms) {
                double v = step.monitoredValue(t);
                if (!Double.isFinite(v)) {
                    throw new NonFiniteLossException(t, v, epoch, batch);
                }
            }
            config.incrementIterationCount();
            int size = (int) inputs[0].size(0);
            int b = batch;
            listeners.forEach(l -> l.onBatchEnd(epoch, b, size));
            FaultPoint.reach(FaultPoint.BATCH, FaultPoint.armed() ? "epoch " + epoch + ", batch " + b : null);
        }
        config.incrementEpochCount();
        if (options.opTimes()) {
            plans.forEach((size, step) -> step.opTimes(25).forEach(l -> LOG.info("op times, batch {}: {}", size, l)));
        }
    }

    /** Whether the model's graph can be planned; plans the full batch shape of {@code first} to find out. */
    boolean supports(INDArray[] first) {
        return plan(model.graph(), first) != null;
    }

    private CompiledStep plan(SameDiff sd, INDArray[] inputs) {
        long key = inputs[0].size(0);
        CompiledStep step = plans.get(key);
        if (step != null || unsupported != null) {
            return step;
        }
        if (plans.size() >= MAX_PLANS) {
            plans.clear();
        }
        long start = System.nanoTime();
        CompiledStep.Compilation c = CompiledStep.compile(sd, model.trainingPlaceholders(), inputs, terms, options);
        if (!c.ok()) {
            unsupported = c.unsupportedReason();
            LOG.info("training with SameDiff's fit: the graph cannot be planned ({})", unsupported);
            return null;
        }
        int singles = c.step().tuneThreads(inputs, TUNING_REPS);
        LOG.debug(
                "planned the training step for batch {}: {} ops ({} of them on one thread) in {} ms",
                key,
                c.step().opCount(),
                singles,
                (System.nanoTime() - start) / 1_000_000);
        plans.put(key, c.step());
        if (options.opTimes()) {
            c.step().tuningReport().lines().forEach(l -> LOG.info("op threads, batch {}: {}", key, l));
            c.step().startTimingOps();
        }
        return c.step();
    }
}
