package org.latentlab.experiments;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.latentlab.data.Datasets;
import org.latentlab.eval.EvaluationOptions;
import org.latentlab.eval.EvaluationResult;
import org.latentlab.plot.Figures;
import org.latentlab.run.LikelihoodCurveListener;
import org.latentlab.run.RunConfig;
import org.latentlab.sweep.Experiment;
import org.latentlab.sweep.ResultsTable;
import org.latentlab.sweep.SweepAnalysis;

/**
 * What the likelihood experiments share: a Bernoulli-decoder model trained on {@code binarized-mnist} (dynamic
 * binarization: 0/1 training pixels drawn afresh every step; a test set binarized once with a fixed seed) on all
 * 60,000 training images (no validation split, as in the literature), then the importance-sampled negative
 * log-likelihood of Burda et al. (ICLR 2016) with k = 5,000 on all 10,000 test images, set beside published anchors.
 * The binarization is named beside every number: static (Larochelle &amp; Murray's fixed files) and dynamic results
 * are not comparable, and the anchors say which they are.
 *
 * <p>{@code --quick}: {@code binarized-mnist-sample}, a few epochs, k = 50 on 100 test images.
 */
abstract class LikelihoodExperiment extends Experiment {

    /** k of the full evaluation (Burda et al. 2016, Sec. 5). */
    static final int IMPORTANCE_SAMPLES = 5000;

    /** The figure of the likelihood curve during training, in the sweep's plots folder. */
    static final String CURVE_FIGURE = "likelihood_curve";

    /** A published number to set beside ours: a negative log-likelihood in nats, or bits per dimension. */
    record Anchor(String who, Double nll, Double bitsPerDim, String setting) {
        Anchor(String who, double nll, String setting) {
            this(who, nll, null, setting);
        }
    }

    /** The dataset: dynamic binarization, or the sample of it in quick mode. */
    protected String dataset() {
        return quick() ? Datasets.BINARIZED_MNIST_SAMPLE : Datasets.BINARIZED_MNIST;
    }

    /** The run config of the single trial, before the dataset and the validation split are set. */
    protected abstract RunConfig model();

    /** The published numbers this experiment is compared with. */
    protected abstract List<Anchor> anchors();

    /** The goal the issue sets, in nats (lower is better); NaN when there is none. */
    protected abstract double goal();

    /** How the test images were made, beside each of our numbers. */
    protected String dataNote(EvaluationResult e) {
        return e.importanceSampling().dequantized()
                ? "8-bit, dequantized (" + e.testSet() + ")"
                : "dynamic binarization (" + e.testSet() + ")";
    }

    /** A short name of the model for the tables, e.g. {@code VAE 784-400-40}. */
    protected abstract String label();

    @Override
    public RunConfig baseConfig() {
        return model().withDataset(dataset()).withValidationFraction(0);
    }

    @Override
    public String metric() {
        return "eval_is_log_likelihood";
    }

    @Override
    public boolean minimize() {
        return false;
    }

    @Override
    public Optional<EvaluationOptions> evaluation(RunConfig trial) {
        return Optional.of(EvaluationOptions.defaults()
                .withImportanceSampling(quick() ? 50 : IMPORTANCE_SAMPLES, quick() ? 100 : 0)
                .withProbes(0, 0)
                .withJacobian(0, EvaluationOptions.JACOBIAN_STEP, 0)
                .withClassifierEpochs(0));
    }

    @Override
    public void analyze(SweepAnalysis analysis) {
        List<List<String>> rows = new ArrayList<>();
        StringBuilder notes = new StringBuilder();
        for (ResultsTable.Row row : analysis.completed()) {
            EvaluationResult e = analysis.evaluation(row);
            if (e == null || e.importanceSampling() == null) {
                continue;
            }
            EvaluationResult.ImportanceSampling is = e.importanceSampling();
            Double seconds = e.seconds().get("importance_sampling");
            rows.add(List.of(
                    label() + (row.params().isEmpty() ? "" : " " + row.params()) + " (ours)",
                    SweepAnalysis.num(-is.logLikelihood()),
                    SweepAnalysis.num(is.standardError()),
                    SweepAnalysis.num(e.negElbo()),
                    dataNote(e),
                    String.format(Locale.ROOT, "k = %,d on %,d test images", is.samples(), is.images()),
                    is.bitsPerDim() == null ? "" : SweepAnalysis.num(is.bitsPerDim())));
            notes.append(String.format(
                    Locale.ROOT,
                    "Trial %s: the importance-sampled estimate took %s s (k = %,d on %,d images).%s%n%n",
                    row.trial(),
                    seconds == null ? "?" : SweepAnalysis.num(seconds),
                    is.samples(),
                    is.images(),
                    Double.isNaN(goal())
                            ? ""
                            : " Goal: at most " + SweepAnalysis.num(goal()) + " nats; "
                                    + (-is.logLikelihood() <= goal() ? "reached." : "not reached.")));
        }
        for (Anchor a : anchors()) {
            rows.add(List.of(
                    a.who(),
                    a.nll() == null ? "" : SweepAnalysis.num(a.nll()),
                    "",
                    "",
                    a.setting(),
                    "",
                    a.bitsPerDim() == null ? "" : SweepAnalysis.num(a.bitsPerDim())));
        }
        analysis.section(
                "Negative log-likelihood on the test set",
                "-log p(x) in nats per image, estimated by importance sampling (a stochastic upper bound that tightens "
                        + "as k grows; Burda et al. 2016, Sec. 5), beside published numbers. Static and dynamic "
                        + "binarizations are different test sets and are not comparable number for number.\n\n"
                        + SweepAnalysis.table(
                                List.of(
                                        "model",
                                        "NLL (nats)",
                                        "standard error",
                                        "negative ELBO",
                                        "data",
                                        "estimate",
                                        "bits/dim"),
                                rows)
                        + "\n\n" + notes);
        for (ResultsTable.Row row : analysis.completed()) {
            curve(analysis, row);
        }
    }

    /**
     * A section with the test NLL against the epochs, as training recorded it ({@code likelihood.csv} of the trial,
     * {@code trainer.likelihoodEvery}): a table of every estimate and its figure; nothing for a trial without one.
     */
    private void curve(SweepAnalysis analysis, ResultsTable.Row row) {
        Path file = LikelihoodCurveListener.file(analysis.trialDir(row));
        List<LikelihoodCurveListener.Row> estimates = LikelihoodCurveListener.read(file);
        if (estimates.isEmpty()) {
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        String setting = "";
        for (LikelihoodCurveListener.Row estimate : estimates) {
            // epoch,samples,images,nll,standard_error,neg_elbo_same_draws,seconds
            String[] c = estimate.line().split(",", -1);
            rows.add(List.of(
                    c[0],
                    SweepAnalysis.num(Double.parseDouble(c[3])),
                    SweepAnalysis.num(Double.parseDouble(c[4])),
                    SweepAnalysis.num(Double.parseDouble(c[5])),
                    SweepAnalysis.num(Double.parseDouble(c[6]))));
            setting = String.format(
                    Locale.ROOT,
                    "k = %,d on the first %,d test images",
                    Integer.parseInt(c[1]),
                    Integer.parseInt(c[2]));
        }
        String name = analysis.completed().size() == 1 ? CURVE_FIGURE : CURVE_FIGURE + "_" + row.trial();
        Figures.likelihoodCurve(analysis.plotsDir(), name, file, label() + ": test NLL during training");
        String text = "-log p(x) in nats per image, estimated during training every trainer.likelihoodEvery epochs and "
                + "after the last (" + setting + ", dynamic binarization; the same draws at every epoch, none taken "
                + "from training), beside the negative ELBO of the same draws. The table above, on more images, "
                + "holds the number to quote; this curve shows how far training has come.\n\n"
                + "![NLL during training](" + SweepAnalysis.PLOTS_DIR + "/" + name + ".png)\n\n";
        List<String> header = List.of("epoch", "NLL (nats)", "standard error", "negative ELBO, same draws", "seconds");
        analysis.section("Negative log-likelihood during training", text + SweepAnalysis.table(header, rows));
    }
}
