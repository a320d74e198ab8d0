/**
 * Training: one short loop ({@link org.latentlab.train.Trainer#fit}) and everything optional
 * hung off {@link org.latentlab.train.TrainingListener}s: progress bar, console lines, the
 * metrics CSV, early stopping, checkpoints. Listeners see the model and the training state through a
 * {@link org.latentlab.train.TrainingControl} and may request a stop. Checkpoints hold parameters and
 * updater state and let a run resume.
 *
 * <p>Reported loss terms are recorded from the activations of the named term variables in the
 * training forward pass itself: M2.1 hands listeners a total loss that is always 0.
 */
package org.latentlab.train;
