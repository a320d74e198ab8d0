/**
 * Experiments and sweeps: a researcher's {@link org.latentlab.sweep.Experiment} declares
 * a base run config and a {@link org.latentlab.sweep.Sweep}; the
 * {@link org.latentlab.sweep.SweepRunner} runs its trials (all, or one shard of them for an
 * array job or a local worker process), each into its own run folder, skipping completed trials
 * and redoing interrupted ones, and {@link org.latentlab.sweep.ResultsTable} aggregates them.
 * Processes sharing a sweep folder claim each trial before running it
 * ({@link org.latentlab.sweep.TrialClaim}, a file lock that dies with its process) and
 * journal what they did in {@link org.latentlab.sweep.SweepEvents events.log}.
 */
package org.latentlab.sweep;
