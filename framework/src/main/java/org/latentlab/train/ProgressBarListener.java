package org.latentlab.train;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A per-epoch progress bar on stderr (batches done, rate, time left), from the progressbar
 * library. Use it only on an interactive terminal; logs get {@link ConsoleListener} lines.
 */
public final class ProgressBarListener implements TrainingListener {
    private ProgressBar bar;
    private int epochs;

    @Override
    public void onTrainingStart(TrainingControl control) {
        epochs = control.context().epochs();
    }

    @Override
    public void onEpochStart(int epoch, int batches) {
        bar = new ProgressBarBuilder()
                .setTaskName(String.format("epoch %d/%d", epoch, epochs))
                .setInitialMax(batches)
                .setUnit(" batches", 1)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUpdateIntervalMillis(250)
                .continuousUpdate()
                .build();
    }

    @Override
    public void onBatchEnd(int epoch, int batch, int batchSize) {
        if (bar != null) {
            bar.stepTo(batch);
        }
    }

    @Override
    public void onEpochEnd(EpochResult result, TrainingControl control) {
        close();
    }

    @Override
    public void onTrainingEnd(TrainingResult result) {
        close();
    }

    private void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
