package org.latentlab.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.latentlab.eval.EvaluationOptions;
import org.latentlab.eval.EvaluationResult;
import org.latentlab.models.ae.ConvAutoencoderConfig;
import org.latentlab.run.RunConfig;
import org.latentlab.sweep.ResultsTable;
import org.latentlab.sweep.Sweep;
import org.latentlab.sweep.SweepAnalysis;

/**
 * The bottleneck experiment of lecture 003 (lines 169-207): a convolutional autoencoder trained on MNIST with codes
 * of size 2, 4 and 32. The lecture claims that with d = 2 the reconstructions are still good enough for a classifier
 * to recognise most digits, and that with d = 32 they are nearly perfect (a compression to about 4% of the pixels).
 * Each trial is judged by the reconstruction error and by an independent classifier's accuracy on its
 * reconstructions of the test images (beside its accuracy on the real ones); PCA with as many components is the
 * baseline. The report puts the trials' reconstructions side by side.
 *
 * <p>{@code latentlab sweep bottleneck --out runs/bottleneck --report} (full MNIST, 10 epochs per trial), or
 * {@code --quick} (the shipped sample, 3 epochs).
 */
public final class Bottleneck extends GalleryExperiment {
    static final int[] CODE_SIZES = {2, 4, 32};

    @Override
    public String name() {
        return "bottleneck";
    }

    @Override
    public String description() {
        return "conv AE with code size 2, 4, 32 (lecture 003:169-207): reconstructions, MSE, classifier accuracy";
    }

    @Override
    public RunConfig baseConfig() {
        return RunConfig.of(ConvAutoencoderConfig.defaults())
                .withDataset(dataset())
                .withTrainer(trainer(10, 3));
    }

    @Override
    public Sweep sweep() {
        return Sweep.grid().over("codeSize", 2, 4, 32);
    }

    @Override
    public String metric() {
        return "eval_classifier_recon_accuracy";
    }

    @Override
    public boolean minimize() {
        return false;
    }

    @Override
    public Optional<EvaluationOptions> evaluation(RunConfig trial) {
        return Optional.of(withJudge(baseEvaluation()));
    }

    @Override
    public void analyze(SweepAnalysis analysis) {
        List<List<String>> rows = new ArrayList<>();
        for (ResultsTable.Row row : analysis.completed()) {
            EvaluationResult e = analysis.evaluation(row);
            if (e == null) {
                continue;
            }
            rows.add(List.of(
                    String.valueOf(e.codeSize()),
                    SweepAnalysis.num(e.reconstruction().msePerPixel()),
                    SweepAnalysis.num(e.pca().msePerPixel()),
                    e.classifier() == null
                            ? ""
                            : SweepAnalysis.num(e.classifier().reconstructionAccuracy()),
                    e.classifier() == null
                            ? ""
                            : SweepAnalysis.num(e.classifier().realAccuracy()),
                    e.probes() == null ? "" : SweepAnalysis.num(e.probes().linearAccuracy())));
        }
        analysis.section(
                "Reconstruction against code size",
                "Test-set numbers of each trial. An independent MLP classifier, trained on the real training images, "
                        + "labels the reconstructions of the test images; its accuracy on the real test images is "
                        + "the ceiling. PCA uses as many components as the code has units.\n\n"
                        + SweepAnalysis.table(
                                List.of(
                                        "code size",
                                        "MSE per pixel",
                                        "PCA MSE per pixel",
                                        "classifier on reconstructions",
                                        "classifier on real images",
                                        "linear probe on codes"),
                                rows));
    }
}
