package org.latentlab.train;

import java.util.Map;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One log line per epoch: every named term on train and validation, time and throughput. */
public final class ConsoleListener implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger("org.latentlab.train");
    private int epochs;

    @Override
    public void onTrainingStart(TrainingControl control) {
        TrainingContext context = control.context();
        epochs = context.epochs();
        LOG.info(
                "training {} on {} examples ({} validation), epochs {}..{}",
                context.modelName(),
                context.trainSize(),
                context.validationSize(),
                context.firstEpoch(),
                context.epochs());
    }

    @Override
    public void onEpochEnd(EpochResult r, TrainingControl control) {
        LOG.info(
                "epoch {}/{}  train {}{}  {}s  {} samples/s",
                r.epoch(),
                epochs,
                format(r.train()),
                r.validation().isEmpty() ? "" : "  val " + format(r.validation()),
                String.format("%.1f", r.trainSeconds()),
                String.format("%.0f", r.samplesPerSecond()));
    }

    static String format(Map<String, Double> terms) {
        StringJoiner j = new StringJoiner(" ");
        terms.forEach((k, v) -> j.add(k + "=" + String.format("%.4f", v)));
        return j.toString();
    }
}
