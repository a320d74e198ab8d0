/**
 * Graph building blocks: trainable layers that add named SameDiff variables and ops.
 *
 * <p>Every block owns its parameters and can be applied to several inputs, which then share
 * the weights (a decoder used both on the sampled code during training and on a code fed
 * from outside for generation, or an encoder evaluated at perturbed inputs by the
 * contractive estimator). Parameters are initialised from the seeded generator of a
 * {@link org.latentlab.graph.GraphContext}, never from ND4J's global random state, so the
 * same seed builds the same model on any backend.
 */
package org.latentlab.graph;
