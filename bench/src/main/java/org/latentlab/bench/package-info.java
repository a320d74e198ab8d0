/**
 * {@code latentlab bench}: the measuring instrument for training speed (issue 6). Each workload
 * (a Latent Lab model trained through the real {@link org.latentlab.train.Trainer}, or the VAE's
 * encoder) runs in its own child JVM, which times steady-state windows after a warm-up and reports
 * its own peak resident memory; the peers (PyTorch with the same models, DL4J's own
 * VariationalAutoencoder layer, and ND4J's sgemm as the machine's arithmetic limit) are measured
 * in the same run on the same machine. {@link org.latentlab.bench.Benchmark} writes
 * {@code BENCHMARKS.md} and {@code bench-results.json}.
 */
package org.latentlab.bench;
