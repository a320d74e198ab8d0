/**
 * What every autoencoder variant shares: its config contract, the graph naming convention,
 * encode/decode/reconstruct/sample, evaluation of its named loss terms, save and load, and
 * the registry that maps type names to variant classes.
 *
 * <p>A variant is one small class: a config record and a {@code define} method that builds
 * its SameDiff graph. Everything else lives here, once.
 */
package org.latentlab.core;
