/**
 * Variational autoencoders: the VAE (reparameterisation, closed-form Gaussian KL, ELBO; beta-VAE through
 * {@code beta}), its convolutional and conditional variants, and the importance-weighted autoencoder (IWAE).
 */
package org.latentlab.models.vae;
