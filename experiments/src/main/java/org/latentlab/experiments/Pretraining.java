package org.latentlab.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.latentlab.models.ae.StackedAutoencoderConfig;
import org.latentlab.plot.Figures;
import org.latentlab.run.RunConfig;
import org.latentlab.run.RunSummary;
import org.latentlab.sweep.ResultsTable;
import org.latentlab.sweep.Sweep;
import org.latentlab.sweep.SweepAnalysis;
import org.latentlab.train.TrainerConfig;

/**
 * Greedy layer-wise pretraining with few labels (lecture 000:379-426, the stacked autoencoder: each stage learns a
 * feature of the one below, then the stack is fine-tuned for a downstream task; lecture 003:160-165, an encoder
 * pretrained as an autoencoder initialises a supervised model that is fine-tuned end to end, which pays off most
 * when labelled data are scarce; lecture 001:33 adds that deep networks no longer need it since batch
 * normalisation and residual connections, which this experiment does not test). The stacked denoising autoencoder
 * 784-500-500-500 (sigmoid, 20% masking noise) is fine-tuned with a softmax on 100, 1,000 or all 60,000 labelled
 * training images, either from its random initialisation ({@code pretrainEpochs = 0}) or after greedy pretraining
 * of its three stages on all 60,000 training images (labels unused). A seed fixes the labelled subset
 * (class-balanced, nested across sizes), the initialisation and the shuffling, so the two settings of a seed
 * differ only in the pretraining. The analysis tabulates the test error (mean and standard deviation over seeds,
 * and the paired difference) and draws it against the number of labels.
 *
 * <p><b>Fine-tuning length.</b> {@link TrainerConfig} counts epochs, passes over the labelled subset, each of
 * ceil(N / 128) Adam steps (the last partial batch is kept): with 100 labels an epoch is one step of 100 images,
 * with all 60,000 it is 469 steps. A fixed epoch count would therefore give the small subsets almost no training,
 * so every setting fine-tunes for at least {@value #FINETUNE_STEPS} steps and at least {@value #MIN_PASSES} passes
 * ({@link #finetuneEpochs}): 500 epochs (500 steps) with 100 labels, 63 epochs (504 steps) with 1,000, 5 epochs
 * (2,345 steps) with 60,000. Probe runs with 100 labels on full MNIST (seed 1) fitted them exactly (training error
 * 0) after 26 steps with pretraining and 53 without, so 500 steps train the small subsets to convergence rather
 * than stopping them at an arbitrary point, the same for both settings; for the full training set 500 steps would
 * be barely one pass, and 5 passes are what the time budget allows. Both settings of a label count always get the
 * same steps. There is no validation split ({@code validationFraction = 0}: held-out labels would be more labels),
 * hence no early stopping and no choice of a best epoch (the trainer only reports the epoch of the lowest
 * validation loss, 0 without a validation set): the test error is that of the model after the last step.
 *
 * <p><b>Scale.</b> {@code latentlab sweep pretraining --out runs/pretraining --report}: full MNIST, 16 trials
 * (labels 100 and 1,000 with seeds 1-3, all labels with seeds 1-2, each with and without pretraining), one
 * pretraining epoch per stage (469 steps of 128 images). Measured on the 2-core machine under helper load: the
 * pretraining of the three stages 45-75 s, a fine-tuning epoch on 60,000 images about 22 s, 500 one-step epochs
 * of 100 labels 30-100 s (the per-epoch bookkeeping costs more than the step); together about 25 minutes (8
 * pretrainings, 4 x 5 full-data epochs, 12 small-subset fine-tunings and the per-trial set-up), less on a quiet
 * machine. Pretraining is repeated in each pretrained trial (the same seed pretrains the same weights for every
 * label count; sweeps have no way to share them). {@code --quick}: the shipped sample (2,000 training images),
 * labels 100 and all, seeds 1-2, one pretraining epoch (16 steps a stage: it checks the mechanics, it cannot
 * reproduce the claim), at least 50 fine-tuning steps and 6 passes.
 */
public final class Pretraining extends GalleryExperiment {
    /** Fine-tuning steps every full-scale setting gets at least. */
    static final int FINETUNE_STEPS = 500;
    /** Passes over the labelled examples every full-scale setting gets at least. */
    static final int MIN_PASSES = 5;
    /** Quick mode's {@link #FINETUNE_STEPS}. */
    static final int QUICK_FINETUNE_STEPS = 50;
    /** Quick mode's {@link #MIN_PASSES}. */
    static final int QUICK_MIN_PASSES = 6;
    /** Greedy pretraining epochs per stage when pretraining is on. */
    static final int PRETRAIN_EPOCHS = 1;
    /** Quick mode's {@link #PRETRAIN_EPOCHS}. */
    static final int QUICK_PRETRAIN_EPOCHS = 1;
    /** Training images of full MNIST (no validation split) and of the shipped sample: what trainSize 0 trains on. */
    static final int MNIST_TRAIN_IMAGES = 60_000;

    static final int SAMPLE_TRAIN_IMAGES = 2_000;
    static final int BATCH_SIZE = 128;
    static final List<Integer> HIDDEN_SIZES = List.of(500, 500, 500);

    private static final String TRAIN_SIZE = "trainSize";
    private static final String PRETRAIN = "pretrainEpochs";
    private static final String SEED = "seed";
    private static final String ERROR = "test_error_rate";

    @Override
    public String name() {
        return "pretraining";
    }

    @Override
    public String description() {
        return "stacked denoising AE fine-tuned on 100, 1,000 or all labels, with and without greedy layer-wise"
                + " pretraining (lectures 000:379-426, 003:160-165): test error over seeds";
    }

    @Override
    public RunConfig baseConfig() {
        StackedAutoencoderConfig model = StackedAutoencoderConfig.defaults()
                .withHiddenSizes(HIDDEN_SIZES)
                .withPretrainEpochs(pretrainEpochs());
        TrainerConfig trainer = trainer(MIN_PASSES, QUICK_MIN_PASSES).toBuilder()
                .batchSize(BATCH_SIZE)
                .checkpointEvery(0) // hundreds of one-step epochs: a checkpoint at the end only
                .build();
        return RunConfig.of(model)
                .withDataset(dataset())
                .withValidationFraction(0)
                .withTrainer(trainer);
    }

    /** Greedy pretraining epochs per stage of the pretrained trials. */
    int pretrainEpochs() {
        return quick() ? QUICK_PRETRAIN_EPOCHS : PRETRAIN_EPOCHS;
    }

    /** The label counts of the sweep, 0 for every training image. */
    List<Integer> labelCounts() {
        return quick() ? List.of(100, 0) : List.of(100, 1000, 0);
    }

    /** The seeds of label count {@code labels}: three for the subsets, two for all labels (one pair in quick). */
    List<Long> seeds(int labels) {
        if (quick()) {
            return List.of(1L, 2L);
        }
        return labels == 0 ? List.of(1L, 2L) : List.of(1L, 2L, 3L);
    }

    @Override
    public Sweep sweep() {
        List<Map<String, Object>> points = new ArrayList<>();
        int images = quick() ? SAMPLE_TRAIN_IMAGES : MNIST_TRAIN_IMAGES;
        for (int labels : labelCounts()) {
            int epochs = finetuneEpochs(
                    labels == 0 ? images : labels,
                    BATCH_SIZE,
                    quick() ? QUICK_FINETUNE_STEPS : FINETUNE_STEPS,
                    quick() ? QUICK_MIN_PASSES : MIN_PASSES);
            for (long seed : seeds(labels)) {
                for (int pretrain : List.of(0, pretrainEpochs())) {
                    Map<String, Object> p = new LinkedHashMap<>();
                    p.put(TRAIN_SIZE, labels);
                    p.put("trainer.epochs", epochs);
                    p.put("model." + PRETRAIN, pretrain);
                    p.put(Sweep.SEED, seed);
                    points.add(p);
                }
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object>[] array = points.toArray(new Map[0]);
        return Sweep.cases(array);
    }

    /**
     * Fine-tuning epochs for {@code examples} labelled examples: enough for at least {@code minSteps} optimizer steps
     * of {@code batchSize} (ceil(examples / batchSize) steps an epoch) and at least {@code minPasses} epochs.
     */
    static int finetuneEpochs(int examples, int batchSize, int minSteps, int minPasses) {
        int stepsPerEpoch = (examples + batchSize - 1) / batchSize;
        return Math.max(minPasses, (minSteps + stepsPerEpoch - 1) / stepsPerEpoch);
    }

    @Override
    public String metric() {
        return ERROR;
    }

    /** Mean of {@code xs}; NaN for none. */
    static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** Sample standard deviation (divisor n - 1) of {@code xs}; NaN for fewer than two values. */
    static double sd(List<Double> xs) {
        if (xs.size() < 2) {
            return Double.NaN;
        }
        double m = mean(xs);
        double ss = 0;
        for (double x : xs) {
            ss += (x - m) * (x - m);
        }
        return Math.sqrt(ss / (xs.size() - 1));
    }

    /**
     * The test errors of one label count and setting, by seed, the labelled examples it fine-tuned on and the test
     * images it was scored on.
     */
    record Cell(int examples, int testSize, TreeMap<Long, Double> errorBySeed) {
        List<Double> errors() {
            return List.copyOf(errorBySeed.values());
        }
    }

    /** One label count: its cells without and with pretraining (either may be missing if trials failed). */
    record LabelRow(int labels, Cell without, Cell with) {
        int examples() {
            return any().examples();
        }

        Cell any() {
            return without != null ? without : with;
        }

        /** Per seed present in both settings: error without minus error with (positive: pretraining helped). */
        List<Double> pairedGains() {
            List<Double> gains = new ArrayList<>();
            if (without == null || with == null) {
                return gains;
            }
            without.errorBySeed().forEach((seed, e) -> {
                Double p = with.errorBySeed().get(seed);
                if (p != null) {
                    gains.add(e - p);
                }
            });
            return gains;
        }
    }

    /** The completed trials grouped by label count (ascending by examples), each split by pretraining. */
    static List<LabelRow> rows(SweepAnalysis analysis) {
        Map<Integer, Cell[]> byLabels = new LinkedHashMap<>();
        for (ResultsTable.Row row : analysis.completed()) {
            Double error = row.metrics().get(ERROR);
            if (error == null) {
                continue;
            }
            int labels = Integer.parseInt(row.params().get(TRAIN_SIZE));
            boolean pretrained = Integer.parseInt(row.params().get(PRETRAIN)) > 0;
            long seed = Long.parseLong(row.params().get(SEED));
            RunSummary summary = RunSummary.read(analysis.trialDir(row));
            Cell[] cells = byLabels.computeIfAbsent(labels, k -> new Cell[2]);
            int k = pretrained ? 1 : 0;
            if (cells[k] == null) {
                cells[k] = new Cell(summary.trainSize(), summary.testSize(), new TreeMap<>());
            }
            cells[k].errorBySeed().put(seed, error);
        }
        List<LabelRow> out = new ArrayList<>();
        byLabels.forEach((labels, cells) -> out.add(new LabelRow(labels, cells[0], cells[1])));
        out.sort((a, b) -> Integer.compare(a.examples(), b.examples()));
        return out;
    }

    /** {@code x} as a percentage with two decimals. */
    static String percent(double x) {
        return String.format(Locale.ROOT, "%.2f", 100 * x);
    }

    /** "mean ± sd (n = k)" in percent; without the sd for a single value; empty for none. */
    static String meanSd(List<Double> xs) {
        if (xs.isEmpty()) {
            return "";
        }
        double s = sd(xs);
        return percent(mean(xs)) + (Double.isNaN(s) ? "" : " ± " + percent(s)) + " (n = " + xs.size() + ")";
    }

    /** The encoder's widths, input first: 784-500-500-500. */
    static String architecture() {
        StringBuilder b = new StringBuilder("784");
        HIDDEN_SIZES.forEach(h -> b.append('-').append(h));
        return b.toString();
    }

    private static String labelName(LabelRow r) {
        return r.labels() == 0 ? "all (" + r.examples() + ")" : String.valueOf(r.labels());
    }

    @Override
    public void analyze(SweepAnalysis analysis) {
        List<LabelRow> rows = rows(analysis);
        if (rows.isEmpty()) {
            analysis.section("Pretraining and the number of labels", "No trial completed.");
            return;
        }
        List<List<String>> table = new ArrayList<>();
        for (LabelRow r : rows) {
            List<Double> gains = r.pairedGains();
            long won = gains.stream().filter(g -> g > 0).count();
            table.add(List.of(
                    labelName(r),
                    r.without() == null ? "" : meanSd(r.without().errors()),
                    r.with() == null ? "" : meanSd(r.with().errors()),
                    meanSd(gains),
                    gains.isEmpty() ? "" : won + " of " + gains.size()));
        }
        String figure = "test_error_vs_labels";
        writeFigure(analysis, rows, figure);
        analysis.section(
                "Pretraining and the number of labels",
                "Test error in percent on the "
                        + String.format(Locale.ROOT, "%,d", rows.get(0).any().testSize())
                        + " test images: mean ± standard deviation over seeds (n = number "
                        + "of seeds). A seed fixes the labelled subset, the initialisation and the batch order, so "
                        + "the two settings of a seed differ only in the greedy pretraining ("
                        + pretrainEpochs() + (pretrainEpochs() == 1 ? " epoch" : " epochs")
                        + " per stage on every training image, labels unused) of the " + architecture()
                        + " encoder; the gain "
                        + "is the paired difference, error without minus error with pretraining (it varies less over "
                        + "seeds than the errors do when a seed's labelled subset is easier or harder for both "
                        + "settings alike).\n\n"
                        + SweepAnalysis.table(
                                List.of(
                                        "labels",
                                        "without pretraining",
                                        "with pretraining",
                                        "gain from pretraining",
                                        "seeds where pretraining won"),
                                table)
                        + "\n" + figure + ".png draws the means against the number of labels (log axis), with "
                        + "error bars of one standard deviation.\n\n"
                        + verdict(rows));
    }

    /**
     * Whether the lecture's claim held, in words computed from the numbers: pretraining lowers the test error with
     * the fewest labels (in every seed, or on average only), and by more than with the most labels.
     */
    static String verdict(List<LabelRow> rows) {
        LabelRow fewest = rows.get(0);
        LabelRow most = rows.get(rows.size() - 1);
        List<Double> gains = fewest.pairedGains();
        if (gains.isEmpty()) {
            return "The claim cannot be checked: no seed with " + labelName(fewest)
                    + " labels completed both with and without pretraining.";
        }
        double gain = mean(gains);
        long won = gains.stream().filter(g -> g > 0).count();
        StringBuilder b = new StringBuilder("**Did the lecture's claim hold in this run?** With "
                + labelName(fewest) + " labels pretraining changed the test error from "
                + percent(mean(fewest.without().errors())) + "% to "
                + percent(mean(fewest.with().errors()))
                + "% (mean gain " + percent(gain) + " points; pretraining was better in " + won + " of "
                + gains.size() + " seeds). ");
        if (gain > 0 && won == gains.size()) {
            b.append("Yes: pretraining helped with few labels, in every seed. ");
        } else if (gain > 0) {
            b.append("Only partly: pretraining helped on average with few labels, but not in every seed. ");
        } else {
            b.append("No: pretraining did not lower the mean test error with few labels. ");
        }
        List<Double> mostGains = most.pairedGains();
        if (most != fewest && !mostGains.isEmpty()) {
            double g = mean(mostGains);
            b.append("With ")
                    .append(labelName(most))
                    .append(" labels the mean gain was ")
                    .append(percent(g))
                    .append(" points, ")
                    .append(
                            gain > g
                                    ? "smaller than with few labels: the benefit shrinks as labels become plentiful,"
                                            + " as the lecture's 'useful with small data' says."
                                    : "no smaller than with few labels: this run does not show the benefit"
                                            + " shrinking as labels become plentiful.");
        }
        return b.toString();
    }

    private static void writeFigure(SweepAnalysis analysis, List<LabelRow> rows, String name) {
        List<Figures.ErrorBarSeries> series = new ArrayList<>();
        for (boolean pretrained : List.of(false, true)) {
            List<double[]> points = new ArrayList<>(); // x, mean, sd, n
            for (LabelRow r : rows) {
                Cell c = pretrained ? r.with() : r.without();
                if (c != null && !c.errorBySeed().isEmpty()) {
                    List<Double> e = c.errors();
                    points.add(new double[] {c.examples(), 100 * mean(e), 100 * sd(e), e.size()});
                }
            }
            if (points.isEmpty()) {
                continue;
            }
            series.add(new Figures.ErrorBarSeries(
                    pretrained ? "with pretraining" : "without pretraining",
                    points.stream().mapToDouble(p -> p[0]).toArray(),
                    points.stream().mapToDouble(p -> p[1]).toArray(),
                    points.stream().mapToDouble(p -> p[2]).toArray(),
                    points.stream().mapToInt(p -> (int) p[3]).toArray()));
        }
        Figures.meanWithErrorBars(
                analysis.plotsDir(),
                name,
                "Stacked denoising AE " + architecture() + ": test error vs labels (mean ± sd over seeds)",
                "labelled training images (log scale)",
                "test error (%)",
                series,
                true);
    }
}
