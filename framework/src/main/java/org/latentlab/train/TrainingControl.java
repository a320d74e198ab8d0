package org.latentlab.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.latentlab.core.AutoencoderModel;

/**
 * What a {@link TrainingListener} sees of a training run and may do to it: the run's {@link TrainingContext}, the
 * model being trained, the {@link TrainingState} after the last finished epoch (what a checkpoint saves), and a
 * request to stop. A stop requested during an epoch takes effect when that epoch has ended: it is evaluated, the
 * remaining listeners see it (a checkpoint listener saves it as the last one) and no further epoch starts.
 */
public final class TrainingControl {
    private final TrainingContext context;
    private final AutoencoderModel<?> model;
    private final double minDelta;
    private TrainingState state;
    private String stopReason;

    /**
     * A control for a run on {@code model} that starts from {@code state}; a validation loss counts as an
     * improvement when it is below the best so far by more than {@code minDelta}.
     */
    public TrainingControl(TrainingContext context, AutoencoderModel<?> model, TrainingState state, double minDelta) {
        this.context = Objects.requireNonNull(context, "context");
        this.model = Objects.requireNonNull(model, "model");
        this.state = Objects.requireNonNull(state, "state");
        this.minDelta = minDelta;
    }

    public TrainingContext context() {
        return context;
    }

    public AutoencoderModel<?> model() {
        return model;
    }

    /** The state after the last finished epoch: its history, the best validation loss and the epochs since. */
    public TrainingState state() {
        return state;
    }

    /**
     * Asks the trainer to stop after the current epoch. The first request's reason is kept (it is logged and
     * {@link TrainingResult#stoppedEarly()} becomes true); later requests change nothing.
     */
    public void requestStop(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a stop request needs a reason");
        }
        if (stopReason == null) {
            stopReason = reason;
        }
    }

    public boolean stopRequested() {
        return stopReason != null;
    }

    /** Why training stops early, once a listener asked for it. */
    public Optional<String> stopReason() {
        return Optional.ofNullable(stopReason);
    }

    /** Whether {@code epoch} ends training: the configured last epoch, or a stop was requested. */
    public boolean isLastEpoch(int epoch) {
        return epoch >= context.epochs() || stopRequested();
    }

    /**
     * Records a finished epoch: appends it to the history and, when it has a validation loss, updates the best
     * loss, its epoch and the epochs without improvement.
     */
    public TrainingState recordEpoch(EpochResult result) {
        List<EpochResult> history = new ArrayList<>(state.history());
        history.add(result);
        double best = state.bestValidationLoss();
        int bestEpoch = state.bestEpoch();
        int stale = state.epochsWithoutImprovement();
        Double loss = result.validation().get(AutoencoderModel.LOSS);
        if (loss != null) {
            if (Double.isNaN(best) || loss < best - minDelta) {
                best = loss;
                bestEpoch = result.epoch();
                stale = 0;
            } else {
                stale++;
            }
        }
        state = new TrainingState(result.epoch(), history, best, bestEpoch, stale);
        return state;
    }

    /** The outcome so far, as {@link Trainer#fit} returns it. */
    public TrainingResult result() {
        return new TrainingResult(state.history(), stopRequested(), state.bestEpoch());
    }
}
