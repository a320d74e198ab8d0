/**
 * Experiments: what researchers write. Each is a small class naming a base config, a sweep and
 * the metric that ranks trials. The command line finds them through {@link java.util.ServiceLoader}:
 * a new experiment is one class here and one line in
 * {@code src/main/resources/META-INF/services/org.latentlab.sweep.Experiment}. Run one with
 * {@code ./latentlab sweep NAME --out DIR}, list them with {@code ./latentlab experiments}.
 * These examples double as documentation: copy one to start your own.
 */
package org.latentlab.experiments;
