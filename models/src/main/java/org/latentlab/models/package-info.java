/**
 * The autoencoder variants, by family: deterministic autoencoders in {@link org.latentlab.models.ae} and
 * variational ones in {@link org.latentlab.models.vae}. Each variant is one small class and its config record
 * ({@code <ModelClass>Config}); shared behaviour lives in {@link org.latentlab.core.AutoencoderModel}.
 * {@link org.latentlab.models.Models} registers every variant: a new one is a file pair in its family package,
 * its contract test, and one registry line.
 */
package org.latentlab.models;
