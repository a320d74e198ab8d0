package org.latentlab.core;

import org.latentlab.data.Corruption;

/**
 * A model trained to reconstruct clean inputs from corrupted ones (a denoising autoencoder, or a
 * stacked autoencoder whose layers were pretrained as denoising autoencoders). Reports use it to
 * show noisy inputs, the model's reconstructions of them and the clean images side by side.
 */
public interface Denoising {

    /** The corruption the model's training applies to its inputs (kind and level). */
    Corruption corruption();
}
