package org.latentlab.experiments;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.latentlab.data.Batch;
import org.latentlab.data.Corruption;
import org.latentlab.data.ImageDataset;
import org.latentlab.eval.EvaluationOptions;
import org.latentlab.eval.EvaluationResult;
import org.latentlab.eval.Evaluator;
import org.latentlab.graph.Activation;
import org.latentlab.loss.NoiseSource;
import org.latentlab.models.ae.AutoencoderConfig;
import org.latentlab.models.ae.DenoisingAutoencoderConfig;
import org.latentlab.plot.ImageFigures;
import org.latentlab.plot.PanelGrid;
import org.latentlab.run.RunConfig;
import org.latentlab.run.TrainingRun;
import org.latentlab.sweep.ResultsTable;
import org.latentlab.sweep.Sweep;
import org.latentlab.sweep.SweepAnalysis;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The denoising autoencoder of lectures 000 (148-180: corrupt the input, as dropout on the input layer would, and
 * train to give back the clean image) and 003 (303-332: the DAE minimises L(x, g(f(x~))) with x~ drawn from a
 * corruption process C(x~|x); 334-358: on MNIST it maps corrupted digits back onto the data), over the three noise
 * processes of {@link Corruption} at three levels each. Every trial is the same 784-256-784 autoencoder with a
 * sigmoid code and a sigmoid output trained with BCE (the denoisers of {@link Regularised}, whose medium levels are
 * these), and is evaluated on the test images corrupted the way it was trained.
 *
 * <p>The levels are mild, medium and strong for each kind. MNIST pixels are mostly 0 (background) with about 13%
 * ink, so the kinds hurt very differently at the same number: masking a fraction p only erases ink (noisy MSE about
 * 0.1 p per pixel), whereas salt-and-pepper at p turns p/2 of the mostly black background white (about 0.45 p), and
 * Gaussian noise of standard deviation s costs s^2 everywhere. Masking 0.1 / 0.3 / 0.5 goes from a few missing
 * strokes to half the ink gone; Gaussian 0.1 / 0.3 / 0.5 from faint grain to noise half the pixel range wide; salt
 * and pepper at half the masking fractions, 0.05 / 0.15 / 0.3, from scattered specks to digits hard to pick out of
 * the specks. The medium levels (masking 0.3, Gaussian 0.3, salt and pepper 0.15) are those of {@link Regularised}.
 *
 * <p>The analysis tabulates, per kind and level, the MSE per pixel of the noisy input (noisy vs clean: what doing
 * nothing scores) and of the denoised output (reconstruction of the noisy image vs the clean one), and their ratio;
 * the figure {@code denoising_medium.png} shows noisy, denoised and clean rows of the first ten test images for each
 * kind at the medium level.
 *
 * <p>{@code latentlab sweep denoising --out runs/denoising --report}: full MNIST, 10 epochs per trial, 9 trials. This
 * DAE trained at 3,500 samples/s on full MNIST with 2 cores shared with other jobs (load average 11; about 15 s per
 * epoch), and a quiet machine is 2 to 3 times faster. At about 7,000 samples/s a trial takes about 80 s of training
 * and 15 s of evaluation (no probes): about 14 minutes in all, 27 under the load measured. {@code --quick}: the
 * shipped sample, 5 epochs, the same 9 trials.
 */
public final class DenoisingSweep extends GalleryExperiment {
    /** Training epochs of every trial at full scale. */
    static final int EPOCHS = 10;

    /** Width of the single encoder layer, the code (as in {@link Regularised}). */
    static final int WIDTH = 256;

    /** The corruption kinds, in table order. */
    static final List<Corruption.Kind> KINDS =
            List.of(Corruption.Kind.MASKING, Corruption.Kind.GAUSSIAN, Corruption.Kind.SALT_AND_PEPPER);

    /** Mild, medium and strong levels of each kind (see the class comment for why). */
    static final Map<Corruption.Kind, double[]> LEVELS = Map.of(
            Corruption.Kind.MASKING, new double[] {0.1, 0.3, 0.5},
            Corruption.Kind.GAUSSIAN, new double[] {0.1, 0.3, 0.5},
            Corruption.Kind.SALT_AND_PEPPER, new double[] {0.05, 0.15, 0.3});

    /** Names of the levels, in order. */
    static final List<String> LEVEL_NAMES = List.of("mild", "medium", "strong");

    /** Test images shown per kind in the figure. */
    static final int FIGURE_IMAGES = 10;

    @Override
    public String name() {
        return "denoising";
    }

    @Override
    public String description() {
        return "denoising AE over masking, gaussian, salt-and-pepper noise x 3 levels (lectures 000:148-180, "
                + "003:293-358): denoised vs noisy MSE";
    }

    /** The medium-level corruption of {@code kind}. */
    static Corruption medium(Corruption.Kind kind) {
        return new Corruption(kind, LEVELS.get(kind)[1]);
    }

    /** The autoencoder every trial trains: 784-256-784, sigmoid code and output, BCE. */
    static AutoencoderConfig architecture() {
        return AutoencoderConfig.defaults().withEncoderSizes(List.of(WIDTH)).withCodeActivation(Activation.SIGMOID);
    }

    @Override
    public RunConfig baseConfig() {
        return RunConfig.of(DenoisingAutoencoderConfig.of(architecture(), medium(Corruption.Kind.MASKING)))
                .withDataset(dataset())
                .withTrainer(trainer(EPOCHS, 5));
    }

    @Override
    public Sweep sweep() {
        List<Map<String, Object>> points = new ArrayList<>();
        for (Corruption.Kind kind : KINDS) {
            for (double level : LEVELS.get(kind)) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("corruptionKind", kind.name().toLowerCase(Locale.ROOT));
                p.put("corruptionLevel", level);
                points.add(p);
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object>[] array = points.toArray(new Map[0]);
        return Sweep.cases(array);
    }

    @Override
    public String metric() {
        return "eval_denoising_mse";
    }

    /** The test images corrupted as the trial was trained; no probes, Jacobian or classifier (not asked for here). */
    @Override
    public Optional<EvaluationOptions> evaluation(RunConfig trial) {
        Corruption corruption = ((DenoisingAutoencoderConfig) trial.model()).corruption();
        return Optional.of(baseEvaluation().withProbes(0, 0).withDenoising(corruption));
    }

    /** One row of the table: a trial's corruption and its denoising numbers. */
    record Row(Corruption corruption, double noisyMse, double denoisedMse, double cleanMse) {
        /** Denoised over noisy MSE: below 1, the model removes more error than it adds. */
        double ratio() {
            return denoisedMse / noisyMse;
        }
    }

    /** The table's cells for {@code rows}, in the given order. */
    static List<List<String>> cells(List<Row> rows) {
        List<List<String>> cells = new ArrayList<>();
        for (Row r : rows) {
            cells.add(List.of(
                    r.corruption().kind().name().toLowerCase(Locale.ROOT),
                    String.valueOf(r.corruption().level()),
                    levelName(r.corruption()),
                    SweepAnalysis.num(r.noisyMse()),
                    SweepAnalysis.num(r.denoisedMse()),
                    SweepAnalysis.num(r.ratio()),
                    SweepAnalysis.num(r.cleanMse())));
        }
        return cells;
    }

    /** "mild", "medium" or "strong" for a level of {@link #LEVELS}; the level itself otherwise. */
    static String levelName(Corruption c) {
        double[] levels = LEVELS.get(c.kind());
        for (int i = 0; levels != null && i < levels.length; i++) {
            if (levels[i] == c.level()) {
                return LEVEL_NAMES.get(i);
            }
        }
        return c.format();
    }

    /** Sentences read off the rows: the best and worst ratio, and how the ratio moves with the level per kind. */
    static String reading(List<Row> rows) {
        if (rows.isEmpty()) {
            return "No trial was evaluated.";
        }
        StringBuilder b = new StringBuilder();
        Row best = rows.get(0);
        Row worst = rows.get(0);
        for (Row r : rows) {
            best = r.ratio() < best.ratio() ? r : best;
            worst = r.ratio() > worst.ratio() ? r : worst;
        }
        long helped = rows.stream().filter(r -> r.ratio() < 1).count();
        b.append("- The denoised output is closer to the clean image than the noisy input in ")
                .append(helped)
                .append(" of ")
                .append(rows.size())
                .append(" trials (ratio below 1).\n");
        b.append("- Largest relative gain: ")
                .append(best.corruption().format())
                .append(" (denoised MSE ")
                .append(SweepAnalysis.num(best.ratio()))
                .append(" of the noisy input's); smallest: ")
                .append(worst.corruption().format())
                .append(" (")
                .append(SweepAnalysis.num(worst.ratio()))
                .append(").\n");
        for (Corruption.Kind kind : KINDS) {
            List<Row> of = rows.stream()
                    .filter(r -> r.corruption().kind() == kind)
                    .sorted((x, y) -> Double.compare(
                            x.corruption().level(), y.corruption().level()))
                    .toList();
            if (of.size() < 2) {
                continue;
            }
            boolean rising = true;
            boolean falling = true;
            for (int i = 1; i < of.size(); i++) {
                rising &= of.get(i).ratio() > of.get(i - 1).ratio();
                falling &= of.get(i).ratio() < of.get(i - 1).ratio();
            }
            b.append("- ")
                    .append(kind.name().toLowerCase(Locale.ROOT))
                    .append(": as the level rises the ratio ")
                    .append(rising ? "rises" : falling ? "falls" : "does not move one way")
                    .append(" (")
                    .append(String.join(
                            ", ",
                            of.stream()
                                    .map(r -> r.corruption().level() + ": " + SweepAnalysis.num(r.ratio()))
                                    .toList()))
                    .append("); the denoised MSE goes from ")
                    .append(SweepAnalysis.num(of.get(0).denoisedMse()))
                    .append(" to ")
                    .append(SweepAnalysis.num(of.get(of.size() - 1).denoisedMse()))
                    .append(", against a clean-input reconstruction MSE of ")
                    .append(SweepAnalysis.num(of.get(0).cleanMse()))
                    .append(" to ")
                    .append(SweepAnalysis.num(of.get(of.size() - 1).cleanMse()))
                    .append(".\n");
        }
        return b.toString();
    }

    @Override
    public void analyze(SweepAnalysis analysis) {
        List<Row> rows = new ArrayList<>();
        Map<Corruption.Kind, ResultsTable.Row> mediumTrials = new LinkedHashMap<>();
        Map<Corruption.Kind, Long> seeds = new LinkedHashMap<>();
        for (ResultsTable.Row row : analysis.completed()) {
            EvaluationResult e = analysis.evaluation(row);
            if (e == null || e.denoising() == null) {
                continue;
            }
            Corruption c = e.denoising().corruption();
            rows.add(new Row(
                    c,
                    e.denoising().noisyMsePerPixel(),
                    e.denoising().msePerPixel(),
                    e.reconstruction().msePerPixel()));
            if (c.equals(medium(c.kind()))) {
                mediumTrials.put(c.kind(), row);
                seeds.put(c.kind(), e.options().seed());
            }
        }
        analysis.section(
                "Denoising against noise kind and level",
                "Each trial is a 784-" + WIDTH + "-784 denoising autoencoder (sigmoid code and output, BCE) trained "
                        + "with one corruption and evaluated on the test images corrupted the same way (one seeded "
                        + "draw). MSE per pixel: noisy = corrupted input vs clean image (what doing nothing scores), "
                        + "denoised = the model's reconstruction of the corrupted input vs the clean image, ratio = "
                        + "denoised / noisy (below 1: the model removes noise), clean input = the reconstruction "
                        + "error of the uncorrupted test images.\n\n"
                        + SweepAnalysis.table(
                                List.of(
                                        "noise",
                                        "level",
                                        "strength",
                                        "noisy MSE",
                                        "denoised MSE",
                                        "denoised / noisy",
                                        "clean-input MSE"),
                                cells(rows))
                        + "\n"
                        + reading(rows));
        if (!mediumTrials.isEmpty()) {
            List<PanelGrid.Panel> panels = new ArrayList<>();
            for (Map.Entry<Corruption.Kind, ResultsTable.Row> e : mediumTrials.entrySet()) {
                Corruption c = medium(e.getKey());
                Path png = denoisingFigure(analysis, e.getValue(), c, seeds.get(e.getKey()));
                panels.add(PanelGrid.Panel.belowTitle(
                        "DAE trained and tested with " + c.format() + " (medium): noisy, denoised, clean", png));
            }
            PanelGrid.write(
                    analysis.plotsDir(),
                    "denoising_medium",
                    "Noisy, denoised and clean test images at the medium level of each noise",
                    panels,
                    1);
            analysis.section(
                    "Noisy, denoised, clean",
                    "The figure denoising_medium.png shows, for each noise kind at its medium level, the first "
                            + FIGURE_IMAGES + " test images corrupted as in the evaluation (top row), the trial's "
                            + "reconstruction of them (middle) and the clean images (bottom).");
        }
    }

    /**
     * Writes {@code plots/denoising_KIND.png} for a trial: the first test images corrupted with the evaluation's
     * noise stream ({@code seed}, the evaluation's, plus {@link Evaluator#DENOISING_STREAM}), their reconstructions
     * and the clean images. Returns the PNG.
     */
    static Path denoisingFigure(SweepAnalysis analysis, ResultsTable.Row row, Corruption corruption, long seed) {
        TrainingRun.Finished run = analysis.load(row);
        ImageDataset test = run.test();
        int n = Math.min(FIGURE_IMAGES, test.size());
        int[] first = new int[n];
        for (int i = 0; i < n; i++) {
            first[i] = i;
        }
        Batch clean = test.batch(first);
        INDArray noisy = corruption.apply(clean.features(), new NoiseSource(seed + Evaluator.DENOISING_STREAM));
        INDArray denoised =
                run.model().reconstruct(new Batch(noisy, clean.labels(), clean.indices()), new NoiseSource(seed));
        String name = "denoising_" + corruption.kind().name().toLowerCase(Locale.ROOT);
        new ImageFigures(test.channels(), test.rows(), test.cols())
                .denoising(
                        analysis.plotsDir(),
                        name,
                        "DAE trained and tested with " + corruption.format() + ": noisy, denoised, clean",
                        noisy,
                        denoised,
                        clean.features(),
                        clean.labels());
        return analysis.figure(name + ".png");
    }
}
