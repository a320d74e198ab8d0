/**
 * Evaluation of trained autoencoders: reconstruction errors, the importance-sampled
 * log-likelihood (Burda et al. 2016), a PCA baseline, linear and k-NN probes on the codes,
 * active units, anomaly-detection AUROC, and 2-D embeddings (PCA, t-SNE) of the codes for plots.
 * {@link org.latentlab.eval.Evaluator#evaluate} runs them all and returns an
 * {@link org.latentlab.eval.EvaluationResult} that serialises to JSON.
 */
package org.latentlab.eval;
