package org.latentlab.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.latentlab.core.LikelihoodModel;
import org.latentlab.data.ImageDataset;
import org.latentlab.eval.EvaluationOptions;
import org.latentlab.eval.EvaluationResult;
import org.latentlab.eval.Evaluator;
import org.latentlab.io.AtomicFiles;
import org.latentlab.train.EpochResult;
import org.latentlab.train.TrainingControl;
import org.latentlab.train.TrainingListener;
import org.latentlab.train.TrainingResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The curve of the test negative log-likelihood against epochs: every {@code every} epochs and after the last, the
 * importance-sampled estimate of Burda et al. (ICLR 2016) ({@link Evaluator#importanceSampling}) with k samples on the
 * first N test images, one row per estimate in {@value #FILE} of the run folder:
 * <pre>
 *   epoch,samples,images,nll,standard_error,neg_elbo_same_draws,seconds
 * </pre>
 * {@code nll} is -log p(x) in nats per image, {@code standard_error} its standard error over the images,
 * {@code neg_elbo_same_draws} the negative mean log weight of the same draws (an ELBO estimate, the k = 1 bound), and
 * {@code seconds} the estimate's wall time.
 *
 * <p>Every estimate draws its noise from a source of its own, seeded from the run's seed
 * ({@link #LIKELIHOOD_SEED_OFFSET}) and the same at every epoch, so the curve compares the models of successive epochs on
 * the same draws, an epoch gives the same numbers on a rerun, and no training RNG stream is touched: a run with the
 * curve trains bit for bit as one without. A resumed run keeps the rows up to its checkpoint's epoch and recomputes
 * the later ones; the file is rewritten atomically after every estimate.
 */
public final class LikelihoodCurveListener implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(LikelihoodCurveListener.class);
    /** The file of the curve in a run folder. */
    public static final String FILE = "likelihood.csv";
    /** Its header. */
    public static final String HEADER = "epoch,samples,images,nll,standard_error,neg_elbo_same_draws,seconds";
    /** Seed offset of the estimates' noise, apart from training, test, final-figure and sample-grid noise. */
    public static final long LIKELIHOOD_SEED_OFFSET = 0x11CE5L;

    private final Path file;
    private final int every;
    private final ImageDataset test;
    private final EvaluationOptions options;
    /** The rows written so far, by epoch, as text. */
    private final TreeMap<Integer, String> rows = new TreeMap<>();

    private TrainingControl control;

    /**
     * @param runDir  where {@value #FILE} goes
     * @param every   an estimate every N epochs, at least 1
     * @param samples k of each estimate, at least 1
     * @param images  the first N test images (0 = all)
     * @param test    the test set
     * @param seed    the run's seed
     */
    public LikelihoodCurveListener(Path runDir, int every, int samples, int images, ImageDataset test, long seed) {
        if (every < 1) {
            throw new IllegalArgumentException("likelihood interval must be >= 1 epoch, got " + every);
        }
        if (test == null || test.size() == 0) {
            throw new IllegalArgumentException("a likelihood curve needs test images, got none");
        }
        this.file = runDir.resolve(FILE);
        this.every = every;
        this.test = test;
        this.options = options(samples, images, seed);
    }

    /**
     * The evaluation options of the estimates of a run with seed {@code seed}: k = {@code samples} on the first
     * {@code images} test images (0 = all), seeded by {@code seed + }{@link #LIKELIHOOD_SEED_OFFSET}.
     */
    public static EvaluationOptions options(int samples, int images, long seed) {
        if (samples < 1) {
            throw new IllegalArgumentException("likelihood samples must be at least 1, got " + samples);
        }
        return EvaluationOptions.defaults()
                .withImportanceSampling(samples, images)
                .withSeed(seed + LIKELIHOOD_SEED_OFFSET);
    }

    /** The file of the curve in {@code runDir}. */
    public static Path file(Path runDir) {
        return runDir.resolve(FILE);
    }

    /**
     * Keeps the rows of epochs up to the one training starts after (those of a resumed run's checkpoint and before)
     * and drops the rest, which a run interrupted after its checkpoint may have written.
     */
    @Override
    public void onTrainingStart(TrainingControl trainingControl) {
        if (!(trainingControl.model() instanceof LikelihoodModel)) {
            throw new IllegalArgumentException("a likelihood curve needs a model with a likelihood; "
                    + trainingControl.model().typeName() + " has none");
        }
        this.control = trainingControl;
        rows.clear();
        int done = trainingControl.state().epochsCompleted();
        int dropped = 0;
        for (Row row : read(file)) {
            if (row.epoch() <= done) {
                rows.put(row.epoch(), row.line());
            } else {
                dropped++;
            }
        }
        if (dropped > 0) {
            LOG.info("{}: dropped {} rows after epoch {}, which are recomputed", file, dropped, done);
            write();
        }
    }

    @Override
    public void onEpochEnd(EpochResult result, TrainingControl trainingControl) {
        int epoch = result.epoch();
        if (epoch % every == 0 || trainingControl.isLastEpoch(epoch)) {
            estimate(trainingControl, epoch);
        }
    }

    /** The last epoch when training stopped early after this listener saw it (early stopping runs later). */
    @Override
    public void onTrainingEnd(TrainingResult result) {
        if (control == null || result.history().isEmpty()) {
            return;
        }
        int last = result.history().get(result.history().size() - 1).epoch();
        if (!rows.containsKey(last)) {
            estimate(control, last);
        }
    }

    private void estimate(TrainingControl trainingControl, int epoch) {
        LikelihoodModel model = (LikelihoodModel) trainingControl.model();
        long t0 = System.nanoTime();
        EvaluationResult.ImportanceSampling is = Evaluator.importanceSampling(model, test, options);
        double seconds = (System.nanoTime() - t0) / 1e9;
        rows.put(
                epoch,
                String.format(
                        Locale.ROOT,
                        "%d,%d,%d,%.6f,%.6f,%.6f,%.3f",
                        epoch,
                        is.samples(),
                        is.images(),
                        -is.logLikelihood(),
                        is.standardError(),
                        -is.meanLogWeight(),
                        seconds));
        write();
        LOG.info(
                "epoch {}: test NLL {} nats (standard error {}, k = {} on {} images) in {} s",
                epoch,
                String.format(Locale.ROOT, "%.3f", -is.logLikelihood()),
                String.format(Locale.ROOT, "%.3f", is.standardError()),
                is.samples(),
                is.images(),
                String.format(Locale.ROOT, "%.1f", seconds));
    }

    private void write() {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        rows.values().forEach(line -> csv.append(line).append('\n'));
        AtomicFiles.writeString(file, csv.toString());
    }

    /** One row of {@value #FILE}: its epoch and its text. */
    public record Row(int epoch, String line) {}

    /**
     * The rows of a {@value #FILE} in file order, none when it does not exist.
     *
     * @throws IllegalArgumentException for a file that is not a likelihood curve (wrong header, a row without an
     *                                  epoch), naming the file and line
     */
    public static List<Row> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (lines.isEmpty() || !lines.get(0).trim().equals(HEADER)) {
            throw new IllegalArgumentException(
                    file + " is not a likelihood curve: its header must be '" + HEADER + "'");
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            try {
                rows.add(new Row(Integer.parseInt(cells[0]), line));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + " has no epoch: '" + line + "'");
            }
        }
        return rows;
    }
}
