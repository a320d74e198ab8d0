package org.latentlab.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Records the value of every named loss term as the training forward pass computes it, so the
 * reported epoch means cost no extra forward pass. (M2.1's {@code Loss} given to listeners is
 * always 0, so it is not used.) Also checks each value for NaN/Inf and reports batch ends.
 */
final class TermRecorder extends BaseListener {
    private final List<String> terms;
    private final Set<String> termSet;
    private final double[] sums;
    private final double[] current;
    private final BatchCallback onBatchEnd;
    private int epoch;
    private int batch;
    private long examples;
    private int lastBatchSize;

    TermRecorder(List<String> terms, BatchCallback onBatchEnd) {
        this.terms = List.copyOf(terms);
        this.termSet = Set.copyOf(terms);
        this.sums = new double[terms.size()];
        this.current = new double[terms.size()];
        this.onBatchEnd = onBatchEnd;
    }

    void startEpoch(int epochNumber) {
        epoch = epochNumber;
        batch = 0;
        examples = 0;
        java.util.Arrays.fill(sums, 0);
    }

    @Override
    public ListenerVariables requiredVariables(SameDiff sd) {
        return ListenerVariables.builder().trainingVariables(terms.toArray(String[]::new)).build();
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
    public void activationAvailable(SameDiff sd, At at, MultiDataSet batchData, SameDiffOp op, String varName,
                                    INDArray activation) {
        if (!termSet.contains(varName)) {
            return;
        }
        double value = activation.getDouble(0);
        if (!Double.isFinite(value)) {
            throw new NonFiniteLossException(varName, value, epoch, batch);
        }
        current[terms.indexOf(varName)] = value;
    }

    @Override
    public void iterationDone(SameDiff sd, At at, MultiDataSet data, Loss loss) {
        for (int i = 0; i < sums.length; i++) {
            sums[i] += current[i] * lastBatchSize;
        }
        examples += lastBatchSize;
        onBatchEnd.batchDone(epoch, batch, lastBatchSize);
    }

    /** Called after every gradient step. */
    @FunctionalInterface
    interface BatchCallback {
        void batchDone(int epoch, int batch, int batchSize);
    }

    /** Example-weighted mean of each term over the epoch so far. */
    Map<String, Double> means() {
        Map<String, Double> means = new LinkedHashMap<>();
        for (int i = 0; i < sums.length; i++) {
            means.put(terms.get(i), examples == 0 ? Double.NaN : sums[i] / examples);
        }
        return means;
    }
}
