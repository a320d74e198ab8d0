package org.latentlab.train;

import java.util.List;
import java.util.Set;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.ListenerVariables;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Watches the training iterations: reports each batch end, and checks every named loss term
 * that the training pass computes for NaN/Inf, stopping at the first bad batch.
 *
 * <p>It cannot supply the epoch means: in M2.1 the fit pass computes only the forward values
 * that backprop needs, so a term such as the total loss is often never materialised (and the
 * {@code Loss} given to listeners is always 0). The trainer evaluates the terms itself.
 */
final class TermRecorder extends BaseListener {
    private final List<String> terms;
    private final Set<String> termSet;
    private final BatchCallback onBatchEnd;
    private int epoch;
    private int batch;
    private int lastBatchSize;

    TermRecorder(List<String> terms, BatchCallback onBatchEnd) {
        this.terms = List.copyOf(terms);
        this.termSet = Set.copyOf(terms);
        this.onBatchEnd = onBatchEnd;
    }

    void startEpoch(int epochNumber) {
        epoch = epochNumber;
        batch = 0;
    }

    @Override
    public ListenerVariables requiredVariables(SameDiff sd) {
        return ListenerVariables.builder()
                .trainingVariables(terms.toArray(String[]::new))
                .build();
    }

    @Override
    public boolean isActive(Operation operation) {
        return operation == Operation.TRAINING;
    }

    @Override
    public void iterationStart(SameDiff sd, At at, MultiDataSet data, long etlTimeMs) {
        lastBatchSize = (int) data.getFeatures(0).size(0);
        batch++;
    }

    @Override
    public void activationAvailable(
            SameDiff sd, At at, MultiDataSet batchData, SameDiffOp op, String varName, INDArray activation) {
        if (!termSet.contains(varName)) {
            return;
        }
        double value = activation.getDouble(0);
        if (!Double.isFinite(value)) {
            throw new NonFiniteLossException(varName, value, epoch, batch);
        }
    }

    @Override
    public void iterationDone(SameDiff sd, At at, MultiDataSet data, Loss loss) {
        onBatchEnd.batchDone(epoch, batch, lastBatchSize);
    }

    /** Called after every gradient step. */
    @FunctionalInterface
    interface BatchCallback {
        void batchDone(int epoch, int batch, int batchSize);
    }
}
