package org.latentlab.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.latentlab.eval.EvaluationOptions;
import org.latentlab.eval.EvaluationResult;
import org.latentlab.models.ae.SparseAutoencoderConfig;
import org.latentlab.run.RunConfig;
import org.latentlab.sweep.ResultsTable;
import org.latentlab.sweep.Sweep;
import org.latentlab.sweep.SweepAnalysis;
import org.latentlab.train.TrainerConfig;

/**
 * The sparse autoencoder of lecture 000 (lines 218-250): sigmoid code units whose mean activation over the data,
 * rho-hat, is pulled towards a target rho by a KL(rho || rho-hat) penalty; the lecture's claim is that a smaller rho
 * gives a sparser code. The sweep trains the 784-196-784 KL sparse autoencoder (beta 3) at rho = 0.01, 0.05, 0.1 and
 * 0.2 and measures on the test set the achieved rho-hat (mean, smallest and largest over the units), the share of
 * near-zero activations (below 0.01) and the reconstruction error; the analysis says for each rho whether rho-hat came
 * close to it and whether the codes got sparser as rho fell. The report puts the trials' first-layer filters side by
 * side ({@code filters_grid}).
 *
 * <p>{@code latentlab sweep sparsity --out runs/sparsity --report}: full MNIST, 4 trials of {@value #FULL_EPOCHS}
 * epochs (54,000 images; estimated, not measured at full scale: the sigmoid 784-196-784 network, about half the
 * arithmetic of the 784-400-20 VAE, at roughly 8,000 samples/s on 2 busy cores, about 2.5 minutes per trial with
 * its evaluation): about 11 minutes, within the 15-minute budget. {@code --quick}: the
 * shipped sample, {@value #QUICK_EPOCHS} epochs of batches of {@value #QUICK_BATCH}.
 */
public final class Sparsity extends GalleryExperiment {
    /** Target mean activations swept. */
    static final double[] RHOS = {0.01, 0.05, 0.1, 0.2};

    static final int FULL_EPOCHS = 20;
    static final int QUICK_EPOCHS = 10;
    /** Batch size of the quick run: 1,800 training images make 29 steps per epoch. */
    static final int QUICK_BATCH = 64;
    /** rho-hat counts as close to rho when the mean over units is within this fraction of rho. */
    static final double CLOSE = 0.25;

    @Override
    public String name() {
        return "sparsity";
    }

    @Override
    public String description() {
        return "sparse AE with KL penalty at rho 0.01-0.2 (lecture 000:218-250): achieved rho-hat, near-zero share, MSE";
    }

    @Override
    public RunConfig baseConfig() {
        return RunConfig.of(SparseAutoencoderConfig.defaults())
                .withDataset(dataset())
                .withTrainer(trainer(FULL_EPOCHS, QUICK_EPOCHS).toBuilder()
                        .batchSize(
                                quick() ? QUICK_BATCH : TrainerConfig.defaults().batchSize())
                        .build());
    }

    @Override
    public Sweep sweep() {
        Object[] rhos = new Object[RHOS.length];
        for (int i = 0; i < RHOS.length; i++) {
            rhos[i] = RHOS[i];
        }
        return Sweep.grid().over("model.rho", rhos);
    }

    @Override
    public String metric() {
        return "eval_recon_mse_per_pixel";
    }

    /** Reconstruction, PCA baseline and the code's sparsity; no probes (not needed here). */
    @Override
    public Optional<EvaluationOptions> evaluation(RunConfig trial) {
        return Optional.of(baseEvaluation().withProbes(0, 0));
    }

    @Override
    public void analyze(SweepAnalysis analysis) {
        List<double[]> measured = new ArrayList<>(); // rho, mean, min, max, near-zero, mse
        double threshold = EvaluationOptions.SPARSITY_THRESHOLD;
        for (ResultsTable.Row row : analysis.completed()) {
            EvaluationResult e = analysis.evaluation(row);
            if (e == null || e.sparsity() == null || !row.params().containsKey("rho")) {
                continue;
            }
            EvaluationResult.Sparsity s = e.sparsity();
            threshold = s.threshold();
            measured.add(new double[] {
                Double.parseDouble(row.params().get("rho")),
                s.meanActivation(),
                s.minUnitActivation(),
                s.maxUnitActivation(),
                s.nearZeroFraction(),
                e.reconstruction().msePerPixel()
            });
        }
        if (measured.isEmpty()) {
            analysis.section("Achieved sparsity", "No completed trial has a sparsity evaluation.");
            return;
        }
        measured.sort((a, b) -> Double.compare(a[0], b[0]));
        List<List<String>> rows = new ArrayList<>();
        for (double[] m : measured) {
            rows.add(List.of(
                    SweepAnalysis.num(m[0]),
                    SweepAnalysis.num(m[1]),
                    SweepAnalysis.num(m[2]),
                    SweepAnalysis.num(m[3]),
                    SweepAnalysis.num(m[1] / m[0]),
                    SweepAnalysis.num(m[4]),
                    SweepAnalysis.num(m[5]),
                    close(m[0], m[1]) ? "yes" : "no"));
        }
        analysis.section(
                "Achieved sparsity against the target rho",
                "Test-set numbers of each trial. rho-hat of a unit is its mean activation over the test images; "
                        + "the table gives their mean, smallest and largest over the code units, the share of all "
                        + "activations below " + threshold + " and the reconstruction error. rho-hat counts as "
                        + "close to rho when the mean is within " + Math.round(CLOSE * 100) + "% of rho.\n\n"
                        + SweepAnalysis.table(
                                List.of(
                                        "rho",
                                        "rho-hat mean",
                                        "rho-hat min unit",
                                        "rho-hat max unit",
                                        "rho-hat / rho",
                                        "near-zero share",
                                        "MSE per pixel",
                                        "rho-hat close to rho"),
                                rows)
                        + "\n"
                        + verdict(measured));
    }

    /** Whether the mean rho-hat is within {@link #CLOSE} of rho, relatively. */
    static boolean close(double rho, double rhoHat) {
        return Math.abs(rhoHat - rho) <= CLOSE * rho;
    }

    /** What the trials say about the lecture's claim (smaller rho, sparser code), computed from the rows. */
    private String verdict(List<double[]> measured) {
        if (measured.size() < 2) {
            return "One trial only: nothing to compare.";
        }
        boolean sparser = true;
        boolean lowerMean = true;
        for (int i = 1; i < measured.size(); i++) {
            sparser &= measured.get(i)[4] <= measured.get(i - 1)[4];
            lowerMean &= measured.get(i)[1] >= measured.get(i - 1)[1];
        }
        long closeCount = measured.stream().filter(m -> close(m[0], m[1])).count();
        return String.format(
                Locale.ROOT,
                "Lecture 000 says a smaller rho gives a sparser code. Here, going from rho = %s to %s, the mean "
                        + "activation %s with rho and the share of near-zero activations %s as rho fell. rho-hat came "
                        + "close to rho in %d of %d trials.%s",
                SweepAnalysis.num(measured.get(0)[0]),
                SweepAnalysis.num(measured.get(measured.size() - 1)[0]),
                lowerMean ? "rose monotonically" : "did not rise monotonically",
                sparser ? "grew monotonically" : "did not grow monotonically",
                closeCount,
                measured.size(),
                quick() ? " (Quick run: few images and epochs; the full-scale run is the one to quote.)" : "");
    }
}
