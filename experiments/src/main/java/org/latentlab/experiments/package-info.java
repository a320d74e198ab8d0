/**
 * Experiments: what researchers write. Each is a small class naming a base config, a sweep and
 * the metric that ranks trials; its {@code main} is one line. Run one with
 * {@code ./latentlab sweep NAME --out DIR}, list them with {@code ./latentlab experiments}.
 * These examples double as documentation: copy one to start your own, and add it to
 * {@link org.latentlab.experiments.Experiments}.
 */
package org.latentlab.experiments;
