/**
 * One training run end to end: resolve the config, load data, train with listeners, evaluate on
 * the test set, and write the run folder (config, metrics, summary, model, pictures). The
 * command line and, later, the sweep runner both call {@link org.latentlab.run.TrainingRun}.
 */
package org.latentlab.run;
