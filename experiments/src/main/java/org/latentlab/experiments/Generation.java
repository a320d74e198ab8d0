package org.latentlab.experiments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.latentlab.eval.EvaluationOptions;
import org.latentlab.eval.EvaluationResult;
import org.latentlab.models.vae.VaeConfig;
import org.latentlab.plot.PanelGrid;
import org.latentlab.run.RunConfig;
import org.latentlab.run.SampleGridListener;
import org.latentlab.sweep.ResultsTable;
import org.latentlab.sweep.SweepAnalysis;

/**
 * The generation experiment of lecture 001 (the 784-400-20 VAE of 001:256-289 with the loss of 001:291-304, trained with the loop of
 * 001:309-330, whose "generated data examples" figure shows samples as training proceeds, 001:243-247): the
 * same VAE, with 64 samples decoded from z ~ N(0, I) after every epoch (drawn with the same noise each time, so
 * the grids show the decoder changing, not the draw). The analysis tiles the grids of chosen epochs side by side
 * and tabulates the per-epoch losses; the evaluation adds the final test negative ELBO and an importance-sampled
 * log-likelihood on the first 1,000 test images.
 *
 * <p>{@code latentlab sweep generation --out runs/generation --report}: full MNIST, 20 epochs (about 2 minutes of
 * training on 2 cores); {@code --quick}: the shipped sample, 5 epochs.
 */
public final class Generation extends GalleryExperiment {

    @Override
    public String name() {
        return "generation";
    }

    @Override
    public String description() {
        return "VAE 784-400-20 samples from the prior after every epoch (lecture 001:243-330)";
    }

    @Override
    public RunConfig baseConfig() {
        return RunConfig.of(VaeConfig.defaults())
                .withDataset(dataset())
                .withTrainer(trainer(20, 5).toBuilder().sampleEvery(1).build());
    }

    @Override
    public String metric() {
        return "test_neg_elbo";
    }

    @Override
    public Optional<EvaluationOptions> evaluation(RunConfig trial) {
        return Optional.of(baseEvaluation().withImportanceSampling(quick() ? 100 : 1000, quick() ? 200 : 1000));
    }

    /** The epochs whose sample grids the figure shows: the first few, then doubling, and the last. */
    static List<Integer> shownEpochs(int epochs) {
        TreeSet<Integer> shown = new TreeSet<>();
        for (int e = 1; e <= epochs; e *= 2) {
            shown.add(e);
        }
        shown.add(epochs);
        return List.copyOf(shown);
    }

    @Override
    public void analyze(SweepAnalysis analysis) {
        for (ResultsTable.Row row : analysis.completed()) {
            Path dir = analysis.trialDir(row);
            List<String[]> epochs = metrics(dir.resolve("metrics.csv"));
            int last = epochs.size();
            List<PanelGrid.Panel> panels = new ArrayList<>();
            for (int e : shownEpochs(last)) {
                Path png = SampleGridListener.file(dir, e);
                panels.add(
                        Files.isRegularFile(png)
                                ? new PanelGrid.Panel("epoch " + e, png)
                                : PanelGrid.Panel.missing("epoch " + e));
            }
            PanelGrid.write(
                    analysis.plotsDir(),
                    "samples_over_training",
                    "VAE 784-400-20: 64 samples from N(0, I), same noise, after each epoch",
                    panels,
                    Math.min(panels.size(), 6));
            List<List<String>> rows = new ArrayList<>();
            for (String[] m : epochs) {
                rows.add(List.of(m[0], m[1], m[2]));
            }
            EvaluationResult e = analysis.evaluation(row);
            String evaluation = e == null
                    ? ""
                    : "\n\nFinal model on the test set: negative ELBO " + SweepAnalysis.num(e.negElbo())
                            + " nats per image"
                            + (e.importanceSampling() == null
                                    ? ""
                                    : ", log p(x) >= "
                                            + SweepAnalysis.num(
                                                    e.importanceSampling().logLikelihood())
                                            + " nats (k = "
                                            + e.importanceSampling().samples() + ", first "
                                            + e.importanceSampling().images() + " test images)")
                            + "; "
                            + (e.activeUnits() == null
                                    ? ""
                                    : e.activeUnits().active() + " of "
                                            + e.activeUnits().total() + " latent units active")
                            + ".";
            analysis.section(
                    "Samples over training",
                    "The figure samples_over_training.png tiles the prior samples after epochs "
                            + shownEpochs(last) + ". Per-epoch negative ELBO (nats per image, the training loss) "
                            + "on the training and validation images:\n\n"
                            + SweepAnalysis.table(List.of("epoch", "train", "validation"), rows)
                            + evaluation);
        }
    }

    /** Rows of metrics.csv as {epoch, train_loss, val_loss}, formatted. */
    private static List<String[]> metrics(Path csv) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv, e);
        }
        List<String> header = List.of(lines.get(0).split(","));
        int epoch = header.indexOf("epoch");
        int train = header.indexOf("train_loss");
        int val = header.indexOf("val_loss");
        List<String[]> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            out.add(new String[] {
                f[epoch],
                SweepAnalysis.num(Double.parseDouble(f[train])),
                val < 0 ? "" : SweepAnalysis.num(Double.parseDouble(f[val]))
            });
        }
        return out;
    }
}
