package org.latentlab.train;

/**
 * Which epoch's parameters a run keeps as its model ({@code model/}, the test metrics, the pictures).
 *
 * <ul>
 *   <li>{@link #BEST}: the epoch of the lowest validation loss ({@code best_epoch}), as Keras' {@code
 *       ModelCheckpoint(save_best_only=True)} and Lightning's {@code ModelCheckpoint(monitor="val_loss")} keep it. A
 *       run without a validation split has no best epoch and keeps the last one.</li>
 *   <li>{@link #LAST}: the parameters after the last epoch, as every run before this choice existed did (a
 *       config.json without the key reads as LAST, so that it replays the same run).</li>
 * </ul>
 */
public enum KeepModel {
    BEST,
    LAST
}
