package org.latentlab.train;

import org.latentlab.data.ImageDataset;

/**
 * A model with a training phase before the usual fit, such as the greedy layer-wise
 * pretraining of a stacked autoencoder (Bengio et al., NIPS 2006). {@code TrainingRun} calls
 * {@link #pretrain} once, before the first epoch of a new run (not on resume).
 */
public interface Pretrainable {

    /**
     * Pretrains the model's parameters on {@code train}. {@code trainer} carries the seed,
     * batch size and optimizer settings of the run; the model's own config says how long each
     * stage trains.
     */
    void pretrain(ImageDataset train, TrainerConfig trainer);
}
