/**
 * Deterministic autoencoders: the vanilla MLP and convolutional autoencoders, denoising (MLP and convolutional),
 * sparse (KL to a target activation, or L1), contractive (Frobenius norm of the encoder's Jacobian) and stacked
 * (greedy layer-wise pretraining, then fine-tuning).
 */
package org.latentlab.models.ae;
