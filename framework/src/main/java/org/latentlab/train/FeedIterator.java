package org.latentlab.train;

import java.util.NoSuchElementException;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.Progress;
import org.latentlab.data.Batch;
import org.latentlab.data.BatchIterator;
import org.latentlab.data.Binarization;
import org.latentlab.loss.NoiseSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * One epoch of training feeds for SameDiff's fit: each batch becomes the arrays of the model's
 * training placeholders, with noise for step s drawn from {@code NoiseSource.forStep(seed,
 * epoch, s)} so that the stream does not depend on what was drawn before (resume-safe). On a dynamically
 * binarized dataset each batch is first binarized afresh by {@link Binarization#forStep}, a pure function of
 * (seed, epoch, s) too.
 */
final class FeedIterator implements MultiDataSetIterator {
    private final AutoencoderModel<?> model;
    private final BatchIterator batches;
    private final long seed;
    private final int epoch;
    private final boolean binarize;
    private final long firstGlobalStep;
    private int step;

    /** @param binarize whether to binarize each batch afresh (a dynamically binarized training set) */
    FeedIterator(AutoencoderModel<?> model, BatchIterator batches, long seed, int epoch, boolean binarize) {
        this.model = model;
        this.batches = batches;
        this.seed = seed;
        this.epoch = epoch;
        this.binarize = binarize;
        this.firstGlobalStep = (long) epoch * batches.numBatches();
    }

    @Override
    public boolean hasNext() {
        return batches.hasNext();
    }

    @Override
    public MultiDataSet next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Batch batch = batches.next();
        if (binarize) {
            batch = Binarization.forStep(batch, seed, epoch, step);
        }
        INDArray[] inputs = model.trainingInputs(
                batch, NoiseSource.forStep(seed, epoch, step), new Progress(epoch, firstGlobalStep + step));
        step++;
        return new org.nd4j.linalg.dataset.MultiDataSet(inputs, new INDArray[0]);
    }

    @Override
    public MultiDataSet next(int num) {
        return next();
    }

    @Override
    public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
        throw new UnsupportedOperationException("feeds are built by the model");
    }

    @Override
    public MultiDataSetPreProcessor getPreProcessor() {
        return null;
    }

    @Override
    public boolean resetSupported() {
        return false;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public void reset() {
        throw new UnsupportedOperationException("a FeedIterator covers one epoch; make a new one");
    }
}
