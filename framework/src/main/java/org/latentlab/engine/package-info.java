/**
 * The execution engine under the trainer: a SameDiff graph's gradient step planned once and run with its arrays
 * reused ({@link org.latentlab.engine.CompiledStep}), Java kernels for small products, fused Adam and Bernoulli ops,
 * planned inference ({@link org.latentlab.engine.PlannedOutputs}), the BLAS and backend checks, and
 * {@link org.latentlab.engine.Quiet} for DL4J's printing. It imports nothing else of Latent Lab: every other
 * package may use it, it uses none of them (checked by {@code ArchitectureTest}).
 */
package org.latentlab.engine;
