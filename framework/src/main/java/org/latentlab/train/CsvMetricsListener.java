package org.latentlab.train;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.latentlab.io.AtomicFiles;

/**
 * Writes {@code metrics.csv}: one row per epoch with every named loss term on train and
 * validation ({@code train_kl}, {@code val_kl}, ...), seconds and samples per second. The file
 * is rewritten atomically after each epoch from the full history of the {@link TrainingState}
 * (which a resumed run restores from its checkpoint), so it is always complete and a resumed run
 * continues it.
 */
public final class CsvMetricsListener implements TrainingListener {
    private final Path file;
    private List<String> terms = List.of();
    private boolean validation;

    public CsvMetricsListener(Path file) {
        this.file = file;
    }

    @Override
    public void onTrainingStart(TrainingControl control) {
        terms = control.context().lossTerms();
        validation = control.context().validationSize() > 0;
    }

    @Override
    public void onEpochEnd(EpochResult result, TrainingControl control) {
        StringBuilder csv = new StringBuilder("epoch");
        for (String t : terms) {
            csv.append(",train_").append(t);
        }
        if (validation) {
            for (String t : terms) {
                csv.append(",val_").append(t);
            }
        }
        csv.append(",train_seconds,samples_per_second\n");
        for (EpochResult r : control.state().history()) {
            csv.append(r.epoch());
            for (String t : terms) {
                csv.append(',').append(number(r.train().get(t)));
            }
            if (validation) {
                for (String t : terms) {
                    csv.append(',').append(number(r.validation().get(t)));
                }
            }
            csv.append(',')
                    .append(String.format(Locale.ROOT, "%.3f", r.trainSeconds()))
                    .append(',')
                    .append(String.format(Locale.ROOT, "%.1f", r.samplesPerSecond()))
                    .append('\n');
        }
        AtomicFiles.writeString(file, csv.toString());
    }

    private static String number(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.6f", v);
    }
}
