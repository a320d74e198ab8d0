package org.latentlab.experiments;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.latentlab.eval.EvaluationOptions;
import org.latentlab.eval.EvaluationResult;
import org.latentlab.models.vae.AbstractVae;
import org.latentlab.models.vae.VaeConfig;
import org.latentlab.plot.Figures;
import org.latentlab.plot.Palette;
import org.latentlab.run.RunConfig;
import org.latentlab.sweep.ResultsTable;
import org.latentlab.sweep.Sweep;
import org.latentlab.sweep.SweepAnalysis;

/**
 * The balance of the VAE's two loss terms, with the KL term weighted by beta. Lecture 001 (lines 378-402) describes
 * the reconstruction term and the KL ("similarity") term pulling against each other: the first wants narrow
 * posteriors, the second wants them to match N(0, I). Lecture 002 (line 88) notes that a VAE ends up using only a
 * small subset of its code units; lecture 003 (lines 469-547) motivates the KL term as what keeps the code space
 * regular enough to sample. Weighting the KL by beta (Higgins et al., ICLR 2017) moves along that balance.
 *
 * <p>Trials: the 784-400-50 VAE (lecture 001's architecture with a 50-d code, the width Burda et al., ICLR 2016,
 * counted active units in) with beta = 0, 0.5, 1, 2 and 4. The analysis tabulates per beta the test reconstruction
 * term, KL term and negative ELBO (nats per image; the ELBO weighs the KL by 1 whatever beta was trained with), the
 * active units (the variance over test images of the posterior mean above 0.01) and the mean posterior sigma, and
 * draws reconstruction against KL, one point per beta, beside active units against beta.
 *
 * <p>{@code latentlab sweep beta --out runs/beta --report}: full MNIST, 20 epochs per trial. An estimate, not a
 * measurement: 5 trials x 20 epochs x 54,000 images at about 12,000 images/s is 7.5 minutes of training on 2 quiet
 * cores; with the evaluations about 9 minutes, twice that under load. {@code --quick}: the shipped sample, 5 epochs.
 */
public final class Beta extends GalleryExperiment {
    /** The KL weights compared. */
    static final double[] BETAS = {0, 0.5, 1, 2, 4};
    /** Code width. */
    static final int LATENT = 50;
    /** {@link Palette#OKABE_ITO} indices of the beta markers: no black, no yellow. */
    private static final int[] MARKER_COLOURS = {5, 6, 3, 1, 7, 2};

    @Override
    public String name() {
        return "beta";
    }

    @Override
    public String description() {
        return "VAE 784-400-50 with beta 0, 0.5, 1, 2, 4: reconstruction vs KL, active units, posterior sigma "
                + "(lectures 001:378-402, 002:88)";
    }

    @Override
    public RunConfig baseConfig() {
        return RunConfig.of(VaeConfig.defaults().withLatentSize(LATENT))
                .withDataset(dataset())
                .withTrainer(trainer(20, 5));
    }

    @Override
    public Sweep sweep() {
        Object[] betas = new Object[BETAS.length];
        for (int i = 0; i < BETAS.length; i++) {
            betas[i] = BETAS[i];
        }
        return Sweep.grid().over("beta", betas);
    }

    /** Ranked by the test negative ELBO, which only beta = 1 optimises directly. */
    @Override
    public String metric() {
        return "test_neg_elbo";
    }

    @Override
    public Optional<EvaluationOptions> evaluation(RunConfig trial) {
        return Optional.of(baseEvaluation());
    }

    /** One trial's numbers: beta and the test-set terms, active units and posterior statistics. */
    record Point(
            double beta,
            double reconstruction,
            double kl,
            double negElbo,
            int activeUnits,
            int units,
            double meanSigma,
            double linearProbe) {}

    /** The completed, evaluated trials as points, in order of beta. */
    static List<Point> points(SweepAnalysis analysis) {
        List<Point> points = new ArrayList<>();
        for (ResultsTable.Row row : analysis.completed()) {
            EvaluationResult e = analysis.evaluation(row);
            if (e == null || e.testTerms() == null) {
                continue;
            }
            double beta = Double.parseDouble(row.params().get("beta"));
            points.add(new Point(
                    beta,
                    e.testTerms().get(AbstractVae.RECON),
                    e.testTerms().get(AbstractVae.KL),
                    e.negElbo() == null ? Double.NaN : e.negElbo(),
                    e.activeUnits() == null ? -1 : e.activeUnits().active(),
                    e.codeSize(),
                    e.posterior() == null ? Double.NaN : e.posterior().meanSigma(),
                    e.probes() == null ? Double.NaN : e.probes().linearAccuracy()));
        }
        points.sort(Comparator.comparingDouble(Point::beta));
        return points;
    }

    /**
     * How a quantity moves as beta grows: "falls" (never rises from one beta to the next, and ends lower), "rises"
     * (the reverse), "stays" (equal throughout) or "is not monotone".
     */
    static String trend(double[] values) {
        boolean up = false;
        boolean down = false;
        for (int i = 1; i < values.length; i++) {
            up |= values[i] > values[i - 1];
            down |= values[i] < values[i - 1];
        }
        return up && down ? "is not monotone" : down ? "falls" : up ? "rises" : "stays";
    }

    /** A beta as written in the sweep: 0, 0.5, 1, 2, 4. */
    static String format(double beta) {
        return BigDecimal.valueOf(beta).stripTrailingZeros().toPlainString();
    }

    @Override
    public void analyze(SweepAnalysis analysis) {
        List<Point> points = points(analysis);
        if (points.isEmpty()) {
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (Point p : points) {
            rows.add(List.of(
                    format(p.beta()),
                    SweepAnalysis.num(p.reconstruction()),
                    SweepAnalysis.num(p.kl()),
                    SweepAnalysis.num(p.negElbo()),
                    p.activeUnits() + " of " + p.units(),
                    SweepAnalysis.num(p.meanSigma()),
                    SweepAnalysis.num(p.linearProbe())));
        }
        figure(analysis, points);
        double[] active = points.stream().mapToDouble(Point::activeUnits).toArray();
        double[] recon = points.stream().mapToDouble(Point::reconstruction).toArray();
        double[] kl = points.stream().mapToDouble(Point::kl).toArray();
        Point first = points.get(0);
        Point last = points.get(points.size() - 1);
        StringBuilder text = new StringBuilder();
        text.append("Test-set means per image, nats: the reconstruction term -log p(x|z) (one z ~ q(z|x)), the KL "
                + "term KL(q(z|x) || N(0, I)) and the negative ELBO = their sum (beta weighs the KL only in "
                + "training). A unit is active when the variance of its posterior mean over the test images exceeds "
                + "0.01 (Burda et al., 2016); sigma is the posterior standard deviation, averaged over images and "
                + "units (1 = the prior's). Linear probe: logistic regression on the posterior means. Figure "
                + "beta_tradeoff.png.\n\n");
        text.append(SweepAnalysis.table(
                List.of(
                        "beta",
                        "reconstruction",
                        "KL",
                        "negative ELBO",
                        "active units",
                        "mean posterior sigma",
                        "linear probe accuracy"),
                rows));
        text.append("\nAs beta grows from ")
                .append(format(first.beta()))
                .append(" to ")
                .append(format(last.beta()))
                .append(", the number of active units ")
                .append(trend(active))
                .append(" (")
                .append(first.activeUnits())
                .append(" to ")
                .append(last.activeUnits())
                .append(" of ")
                .append(LATENT)
                .append("), the reconstruction term ")
                .append(trend(recon))
                .append(" (")
                .append(SweepAnalysis.num(first.reconstruction()))
                .append(" to ")
                .append(SweepAnalysis.num(last.reconstruction()))
                .append(" nats) and the KL term ")
                .append(trend(kl))
                .append(" (")
                .append(SweepAnalysis.num(first.kl()))
                .append(" to ")
                .append(SweepAnalysis.num(last.kl()))
                .append(
                        trend(recon).equals("rises") && trend(kl).equals("falls")
                                ? " nats): the trade of lecture 001:388-402."
                                : " nats): not the steady trade of lecture 001:388-402.");
        points.stream().filter(p -> p.beta() == 1.0).findFirst().ifPresent(p -> text.append(" At beta = 1 (the ELBO) ")
                .append(p.activeUnits())
                .append(" of ")
                .append(p.units())
                .append(" units are active")
                .append(
                        p.activeUnits() < p.units()
                                ? ", the subset of lecture 002:88; the others keep sigma near 1 and cost no KL."
                                : ": in this run the VAE used every unit."));
        text.append('\n');
        analysis.section("Reconstruction against KL as beta grows", text.toString());
    }

    /** Whether the trade-off figure draws the KL on a log axis: all KLs positive and spanning more than 20x. */
    static boolean logKlAxis(double minKl, double maxKl) {
        return minKl > 0 && maxKl / minKl > 20;
    }

    private static void figure(SweepAnalysis analysis, List<Point> points) {
        List<Map<String, Object>> tradeRows = new ArrayList<>();
        List<Map<String, Object>> activeRows = new ArrayList<>();
        for (Point p : points) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("KL term, nats", p.kl());
            t.put("reconstruction term, nats", p.reconstruction());
            tradeRows.add(t);
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("beta", p.beta());
            a.put("active units (of " + p.units() + ")", (double) p.activeUnits());
            activeRows.add(a);
        }
        XYChart trade = Figures.metricVsHyperparameterChart(tradeRows, "KL term, nats", "reconstruction term, nats");
        trade.setTitle("Reconstruction against KL, one point per beta");
        // beta = 0 leaves the KL unbounded (hundreds of nats against about ten at beta = 4): a linear axis would
        // squash every other beta into one corner, so a KL range over 20x is drawn on a log axis.
        double minKl = points.stream().mapToDouble(Point::kl).min().orElse(0);
        double maxKl = points.stream().mapToDouble(Point::kl).max().orElse(0);
        boolean logKl = logKlAxis(minKl, maxKl);
        trade.getStyler().setXAxisLogarithmic(logKl);
        if (logKl) {
            trade.setXAxisTitle("KL term, nats (log scale)");
        }
        for (XYSeries s : trade.getSeriesMap().values()) {
            s.setShowInLegend(false);
        }
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            XYSeries s = trade.addSeries(
                    "beta = " + format(p.beta()), new double[] {p.kl()}, new double[] {p.reconstruction()});
            s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.DIAMOND);
            s.setMarkerColor(Palette.OKABE_ITO.get(MARKER_COLOURS[i % MARKER_COLOURS.length]));
        }
        trade.getStyler().setLegendVisible(true);
        trade.getStyler().setMarkerSize(12);
        XYChart active = Figures.metricVsHyperparameterChart(
                activeRows, "beta", "active units (of " + points.get(0).units() + ")");
        active.setTitle("Active units against beta");
        active.getStyler().setXAxisLogarithmic(false);
        Figures.chartGrid(
                analysis.plotsDir(),
                "beta_tradeoff",
                List.of(trade, active),
                2,
                "VAE 784-400-" + points.get(0).units() + " on the test set, by KL weight beta");
    }
}
