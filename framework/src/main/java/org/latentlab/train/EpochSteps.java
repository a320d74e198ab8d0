package org.latentlab.train;

import java.util.List;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.data.BatchIterator;
import org.latentlab.data.ImageDataset;
import org.latentlab.engine.EngineOptions;
import org.latentlab.engine.TrainingEngine;
import org.latentlab.io.FaultPoint;

/**
 * The gradient steps of one epoch, through a planned step ({@link PlannedSteps}) where the engine and the graph
 * allow it, else SameDiff's fit with a {@link TermRecorder}. Batch order, noise and (on a dynamically binarized
 * dataset) the binarization are functions of (seed, epoch): a resumed run repeats them exactly.
 */
final class EpochSteps {
    private final AutoencoderModel<?> model;
    private final ImageDataset train;
    private final TrainerConfig config;
    private final List<TrainingListener> listeners;
    private final TermRecorder recorder;
    private final PlannedSteps planned;

    EpochSteps(
            AutoencoderModel<?> model,
            ImageDataset train,
            TrainerConfig config,
            EngineOptions options,
            boolean epochsLeft,
            List<TrainingListener> listeners) {
        this.model = model;
        this.train = train;
        this.config = config;
        this.listeners = listeners;
        List<String> terms = model.lossTerms();
        this.recorder = new TermRecorder(terms, (epoch, batch, size) -> {
            listeners.forEach(l -> l.onBatchEnd(epoch, batch, size));
            FaultPoint.reach(FaultPoint.BATCH, FaultPoint.armed() ? "epoch " + epoch + ", batch " + batch : null);
        });
        this.planned = options.engine() == TrainingEngine.PLANNED && epochsLeft ? plan(model, terms, options) : null;
    }

    /** Plans the full-batch step from the first batch's shapes (a pure function of seed and step); null if unsupported. */
    private PlannedSteps plan(AutoencoderModel<?> m, List<String> terms, EngineOptions options) {
        PlannedSteps steps = new PlannedSteps(m, terms, options);
        FeedIterator probe = new FeedIterator(
                m,
                new BatchIterator(train, config.batchSize(), config.seed(), 0),
                config.seed(),
                0,
                train.dynamicallyBinarized());
        return steps.supports(probe.next().getFeatures()) ? steps : null;
    }

    /** Runs the gradient steps of {@code epoch}; returns their wall time in seconds. */
    double run(int epoch) {
        BatchIterator batches = new BatchIterator(train, config.batchSize(), config.seed(), epoch - 1);
        listeners.forEach(l -> l.onEpochStart(epoch, batches.numBatches()));
        recorder.startEpoch(epoch);
        long start = System.nanoTime();
        if (planned != null) {
            batches.reusingFeatureArray(); // the planned step copies each batch in before asking for the next
        }
        FeedIterator feeds = new FeedIterator(model, batches, config.seed(), epoch - 1, train.dynamicallyBinarized());
        if (planned != null) {
            planned.runEpoch(feeds, epoch, listeners);
        } else {
            model.graph().fit(feeds, 1, recorder);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        listeners.forEach(l -> l.onEpochBatchesEnd(epoch));
        return seconds;
    }
}
