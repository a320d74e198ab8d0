/**
 * The execution engine under the trainer: a SameDiff graph's gradient step planned once
 * ({@code StepPlanner}) and run with its arrays reused ({@link org.latentlab.engine.CompiledStep}), its ops'
 * libnd4j threads chosen by {@code ThreadTuner}, Java kernels for small products, fused Adam and Bernoulli ops,
 * planned inference ({@link org.latentlab.engine.PlannedOutputs}), the BLAS and backend checks, and
 * {@link org.latentlab.engine.Quiet} for DL4J's printing. Its switches are read from the environment once, into
 * {@link org.latentlab.engine.EngineOptions}, and passed from there; no other class of the engine reads the
 * environment. It imports nothing else of Latent Lab: every other package may use it, it uses none of them
 * (both checked by {@code ArchitectureTest}).
 */
package org.latentlab.engine;
