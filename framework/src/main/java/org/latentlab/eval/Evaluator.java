package org.latentlab.eval;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.Generative;
import org.latentlab.core.LikelihoodModel;
import org.latentlab.data.Batch;
import org.latentlab.data.BatchIterator;
import org.latentlab.data.Corruption;
import org.latentlab.data.ImageDataset;
import org.latentlab.eval.EvaluationOptions.AnomalyScore;
import org.latentlab.loss.NoiseSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.MessageFormatter;

/**
 * Evaluates a trained autoencoder on a test set, with a training set for the baselines that
 * need fitting. Works with any {@link AutoencoderModel}; the likelihood metrics need a
 * {@link LikelihoodModel} (the VAE family). Measured, in this order:
 * <ol>
 *   <li>reconstruction: MSE per pixel and BCE per image of {@code reconstruct} on the test set
 *       (the labelled-batch form, so a conditional model sees its condition);</li>
 *   <li>the model's own loss terms and summary metrics on the test set, including
 *       {@code neg_elbo} for a VAE ({@link AutoencoderModel#summaryMetrics});</li>
 *   <li>the importance-sampled log-likelihood (Burda, Grosse &amp; Salakhutdinov, ICLR 2016):
 *       log p(x) ~= logmeanexp_i log w_i over k draws, combined in double with a running
 *       log-sum-exp so that k = 5,000 needs no [N, k] matrix beyond one batch;</li>
 *   <li>the PCA baseline: reconstruction MSE of PCA fitted on the training set with as many
 *       components as the code;</li>
 *   <li>probes on the codes ({@link Probes}): linear (logistic regression) and k-NN accuracy;</li>
 *   <li>active units: Cov_x(E_q[z_u|x]) &gt; threshold over the test codes (Burda et al., Sec. 5.2);</li>
 *   <li>anomaly detection: AUROC of "label != normal class" from a per-image score
 *       ({@link Metrics#auroc}), with every score kept for ROC plots;</li>
 *   <li>the achieved sparsity of the code: rho-hat per unit (mean activation over the test set) and the share of
 *       near-zero activations;</li>
 *   <li>the encoder's squared Jacobian norm ||d code / d x||_F^2 per image, from forward passes only
 *       (Hutchinson directions and central differences, {@link #jacobian});</li>
 *   <li>an independent {@link ImageClassifier}'s accuracy on the reconstructions of the test images, beside its
 *       accuracy on the real ones;</li>
 *   <li>the same classifier's verdict on generated images ({@link #sampleVerdict}): prior samples of a
 *       {@link Generative} model, and for every model codes from N(0, I) and from a Gaussian fitted to training
 *       codes ({@link RandomCodes}), decoded: mean maximum probability, share of confident samples, entropy of the
 *       predicted classes;</li>
 *   <li>denoising ({@link #denoising}): reconstructions of corrupted test images against the clean ones, for any
 *       model;</li>
 *   <li>posterior statistics of a {@link LikelihoodModel} ({@link #posterior}): sigma of q(z|x) per unit and
 *       overall, and KL(q(z|x) || N(0, I)) per image.</li>
 * </ol>
 * Codes are {@link AutoencoderModel#encode(Batch)}: E_q[z|x] for a VAE (given the label for the
 * conditional VAE), the code for a deterministic model. Each step logs its result and time.
 *
 * <p>On an unlabelled dataset ({@link ImageDataset#hasLabels()}) the steps that need labels (the probes, the
 * reconstruction classifier and its sample verdict) are skipped with one logged note; anomaly detection by class
 * and a classifier handed in are errors.
 */
public final class Evaluator {
    private static final Logger log = LoggerFactory.getLogger(Evaluator.class);

    // Offsets of the noise streams of the steps from the options' seed: each step's draws stay the
    // same whichever other steps run.
    private static final long RECONSTRUCTION_STREAM = 0;
    private static final long IMPORTANCE_STREAM = 1;
    private static final long ANOMALY_STREAM = 2;
    private static final long PROBE_SUBSET_STREAM = 3;
    // 4 is the probes' test subset (PROBE_SUBSET_STREAM + 1).
    private static final long JACOBIAN_STREAM = 5;
    private static final long CLASSIFIER_STREAM = 6;
    // The sample verdict's streams are package-private so that tests can redraw its codes.
    static final long PRIOR_SAMPLE_STREAM = 7;
    static final long NORMAL_SAMPLE_STREAM = 8;
    static final long FITTED_SAMPLE_STREAM = 9;
    static final long FIT_SUBSET_STREAM = 10;
    private static final long DEQUANTIZATION_STREAM = 11;
    /**
     * Offset from the options' seed of the noise that corrupts the test images in {@link #denoising}: the corrupted
     * images are {@code opts.denoising().apply(test.features(), new NoiseSource(opts.seed() + DENOISING_STREAM))}.
     */
    public static final long DENOISING_STREAM = 11;

    private static final long DENOISING_RECONSTRUCTION_STREAM = 12;

    /** A generated image counts as confidently classified when the classifier's top probability is at least this. */
    public static final double CONFIDENT_PROBABILITY = 0.9;
    /** Images per {@link Generative#sample} call of the sample verdict. */
    private static final int SAMPLE_CHUNK = 500;

    private Evaluator() {}

    /**
     * Runs every metric the options ask for; see the class comment. The reconstruction classifier, if
     * {@code opts.classifierEpochs() > 0}, is trained here on {@code train}.
     */
    public static EvaluationResult evaluate(
            AutoencoderModel<?> model, ImageDataset train, ImageDataset test, EvaluationOptions opts) {
        return evaluate(model, train, test, opts, null);
    }

    /**
     * A reconstruction classifier obtained by the caller, e.g. trained on a full training set or loaded from a file.
     *
     * @param classifier the classifier
     * @param source     how it was obtained, for the result: "trained" or "loaded"
     * @param epochs     its training epochs, 0 if not known (loaded)
     */
    public record Judge(ImageClassifier classifier, String source, int epochs) {
        public Judge {
            Objects.requireNonNull(classifier, "classifier");
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * As {@link #evaluate(AutoencoderModel, ImageDataset, ImageDataset, EvaluationOptions)}, with the
     * reconstruction classifier given ({@code judge}) instead of trained here on {@code train}; {@code judge} null
     * means train one if the options ask for it ({@code opts.classifierEpochs() > 0}).
     */
    public static EvaluationResult evaluate(
            AutoencoderModel<?> model, ImageDataset train, ImageDataset test, EvaluationOptions opts, Judge judge) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(opts, "opts");
        if (train.featureSize() != test.featureSize()) {
            throw new IllegalArgumentException("train set " + train.name() + " has " + train.featureSize()
                    + " pixels per image but test set " + test.name() + " has " + test.featureSize());
        }
        if (test.size() < 2) {
            throw new IllegalArgumentException(
                    "test set " + test.name() + " needs at least 2 images, has " + test.size());
        }
        checkAnomalyOptions(model, test, opts);
        boolean labelled = train.hasLabels() && test.hasLabels();
        if (!labelled) {
            if (judge != null) {
                throw new IllegalArgumentException("the reconstruction classifier scores reconstructions against"
                        + " labels, but " + (train.hasLabels() ? test.name() : train.name()) + " has none");
            }
            skipLabelled(train.hasLabels() ? test : train, opts);
            opts = opts.withProbes(0, 0).withClassifierEpochs(0);
        }
        Map<String, Double> seconds = new LinkedHashMap<>();
        Timer timer = new Timer(seconds);
        log.info(
                "Evaluating {} (code size {}) on {} ({} images), baselines fitted on {} ({} images)",
                model.getClass().getSimpleName(),
                model.codeSize(),
                test.name(),
                test.size(),
                train.name(),
                train.size());

        ImageClassifier classifier = judge == null ? null : judge.classifier();
        String classifierSource = judge == null ? "trained" : judge.source();
        int classifierEpochs = judge == null ? opts.classifierEpochs() : judge.epochs();
        if (classifier == null && opts.classifierEpochs() > 0) {
            timer.start("classifier_training");
            classifier = ImageClassifier.train(
                    train, ImageClassifier.DEFAULT_HIDDEN, opts.classifierEpochs(), opts.seed() + CLASSIFIER_STREAM);
            timer.stop(
                    "MLP {}-{}-{}, {} epoch(s) on {} training images",
                    train.featureSize(),
                    ImageClassifier.DEFAULT_HIDDEN,
                    train.numClasses(),
                    opts.classifierEpochs(),
                    train.size());
        }
        if (classifier != null && classifier.inputSize() != test.featureSize()) {
            throw new IllegalArgumentException("the reconstruction classifier takes " + classifier.inputSize()
                    + " pixels per image but test set " + test.name() + " has " + test.featureSize());
        }

        timer.start("reconstruction");
        int n = test.size();
        int reconstructionHits = 0;
        double[] bce = new double[n];
        double[] mse = new double[n];
        INDArray testCodes = Nd4j.create(DataType.DOUBLE, n, model.codeSize());
        NoiseSource reconNoise = new NoiseSource(opts.seed() + RECONSTRUCTION_STREAM);
        for (Batch batch : new BatchIterator(test, opts.batchSize(), false, 0, 0, false)) {
            INDArray r = model.reconstruct(batch, reconNoise);
            double[] b = Metrics.bcePerImage(batch.features(), r);
            double[] m = Metrics.msePerPixel(batch.features(), r);
            INDArray codes = model.encode(batch);
            if (classifier != null) {
                int[] predicted = classifier.predict(r);
                for (int i = 0; i < batch.size(); i++) {
                    reconstructionHits += predicted[i] == batch.labels()[i] ? 1 : 0;
                }
            }
            for (int i = 0; i < batch.size(); i++) {
                int row = batch.indices()[i];
                bce[row] = b[i];
                mse[row] = m[i];
                testCodes.putRow(row, codes.getRow(i).castTo(DataType.DOUBLE));
            }
        }
        var reconstruction = new EvaluationResult.Reconstruction(Metrics.mean(mse), Metrics.mean(bce));
        timer.stop(
                "MSE per pixel {}, BCE per image {} nats",
                fmt(reconstruction.msePerPixel()),
                fmt(reconstruction.bcePerImage()));

        timer.start("test_terms");
        Map<String, Double> terms = model.summaryMetrics(model.evaluate(test, opts.batchSize(), opts.seed()));
        Double negElbo = terms.get("neg_elbo");
        timer.stop("{}", terms);

        EvaluationResult.ImportanceSampling importance = null;
        if (opts.importanceSamples() > 0 && model instanceof LikelihoodModel lm) {
            timer.start("importance_sampling");
            importance = importanceSampling(lm, test, opts);
            timer.stop(
                    "k = {} on {} {}images: log p(x) >= {} nats (standard error {}), ELBO from the same draws {}{}",
                    importance.samples(),
                    importance.images(),
                    importance.dequantized() ? "dequantized " : "",
                    fmt(importance.logLikelihood()),
                    fmt(importance.standardError()),
                    fmt(importance.meanLogWeight()),
                    importance.bitsPerDim() == null ? "" : "; " + fmt(importance.bitsPerDim()) + " bits per dimension");
        }

        timer.start("pca");
        int k = Math.min(model.codeSize(), Math.min(train.featureSize(), train.size() - 1));
        Pca pca = Pca.fit(train.features(), k);
        double explained = Arrays.stream(pca.explainedVarianceRatio()).sum();
        var pcaBaseline = new EvaluationResult.PcaBaseline(
                k, pca.reconstructionMse(test.features()), explained, reconstruction.msePerPixel());
        timer.stop(
                "{} components ({}% of the variance): MSE per pixel {} (model {})",
                k, fmt(100 * explained), fmt(pcaBaseline.msePerPixel()), fmt(reconstruction.msePerPixel()));

        EvaluationResult.ProbeAccuracy probes = null;
        if (opts.probeTrainSize() > 0) {
            probes = probes(model, train, test, testCodes, opts, timer);
        }

        timer.start("active_units");
        double[] variances = Metrics.unitVariances(testCodes);
        var active = new EvaluationResult.ActiveUnits(
                Metrics.activeUnits(variances, opts.activeUnitThreshold()),
                variances.length,
                opts.activeUnitThreshold(),
                variances);
        timer.stop("{} of {} units with variance > {}", active.active(), active.total(), opts.activeUnitThreshold());

        EvaluationResult.Anomaly anomaly = null;
        if (opts.anomalyClass() >= 0) {
            timer.start("anomaly");
            anomaly = anomaly(model, test, opts, bce, mse);
            timer.stop(
                    "normal class {}, score {}: AUROC {} ({} normal, {} anomalous)",
                    anomaly.normalClass(),
                    anomaly.score(),
                    fmt(anomaly.auroc()),
                    anomaly.normals(),
                    anomaly.anomalies());
        }

        timer.start("sparsity");
        var sparsity = sparsity(testCodes, opts.sparsityThreshold());
        timer.stop(
                "mean activation {} (units {} to {}), {}% of activations below {} in magnitude",
                fmt(sparsity.meanActivation()),
                fmt(sparsity.minUnitActivation()),
                fmt(sparsity.maxUnitActivation()),
                fmt(100 * sparsity.nearZeroFraction()),
                opts.sparsityThreshold());

        EvaluationResult.Jacobian jacobian = null;
        if (opts.jacobianProbes() > 0) {
            timer.start("jacobian");
            jacobian = jacobian(model, test, opts);
            timer.stop(
                    "||d code / d x||_F^2 = {} per image (standard error {}; {} directions, step {}, {} images)",
                    fmt(jacobian.frobeniusSquared()),
                    fmt(jacobian.standardError()),
                    jacobian.probes(),
                    jacobian.step(),
                    jacobian.images());
        }

        EvaluationResult.ReconstructionClassifier judged = null;
        if (classifier != null) {
            timer.start("classifier");
            judged = new EvaluationResult.ReconstructionClassifier(
                    classifierSource, classifierEpochs, n, classifier.accuracy(test), (double) reconstructionHits / n);
            timer.stop(
                    "accuracy {} on real test images, {} on their reconstructions",
                    fmt(judged.realAccuracy()),
                    fmt(judged.reconstructionAccuracy()));
        }

        EvaluationResult.SampleVerdict samples = null;
        if (classifier != null && opts.sampleImages() > 0) {
            timer.start("samples");
            samples = sampleVerdict(model, train, test, classifier, opts);
            timer.stop(
                    "{} images per sampler, classifier confidence: real {}, prior {}, N(0, I) {}, fitted Gaussian {}",
                    samples.images(),
                    fmt(samples.real().confidence()),
                    samples.prior() == null ? "-" : fmt(samples.prior().confidence()),
                    fmt(samples.normal().confidence()),
                    samples.fitted() == null ? "-" : fmt(samples.fitted().confidence()));
        }

        EvaluationResult.DenoisingScore denoised = null;
        if (opts.denoising().active()) {
            timer.start("denoising");
            denoised = denoising(model, test, opts);
            timer.stop(
                    "{}: MSE per pixel {} denoised, {} noisy",
                    opts.denoising().format(),
                    fmt(denoised.msePerPixel()),
                    fmt(denoised.noisyMsePerPixel()));
        }

        EvaluationResult.PosteriorStatistics posterior = null;
        if (model instanceof LikelihoodModel lm) {
            timer.start("posterior");
            posterior = posterior(lm, test, opts.batchSize());
            timer.stop(
                    "mean sigma {}, KL(q(z|x) || N(0, I)) {} nats per image",
                    fmt(posterior.meanSigma()),
                    fmt(posterior.klPerImage()));
        }
        return new EvaluationResult(
                model.getClass().getSimpleName(),
                train.name(),
                test.name(),
                train.size(),
                test.size(),
                model.codeSize(),
                opts,
                reconstruction,
                terms,
                negElbo,
                importance,
                pcaBaseline,
                probes,
                anomaly,
                active,
                seconds,
                sparsity,
                jacobian,
                judged,
                samples,
                denoised,
                posterior);
    }

    /**
     * Lets {@code classifier} judge {@code opts.sampleImages()} generated images from each sampler: decoded prior
     * samples ({@link Generative#sample}; null for other models), codes from N(0, I) and codes from a Gaussian
     * fitted to the codes of up to {@value RandomCodes#FIT_POINTS} training images (null with fewer than 2), both
     * decoded by the model's decoder ({@link RandomCodes}); and, for reference, the first as many real test images.
     * Every draw comes from its own stream of the options' seed.
     */
    public static EvaluationResult.SampleVerdict sampleVerdict(
            AutoencoderModel<?> model,
            ImageDataset train,
            ImageDataset test,
            ImageClassifier classifier,
            EvaluationOptions opts) {
        int n = opts.sampleImages();
        if (n < 1) {
            throw new IllegalArgumentException("the sample verdict needs at least 1 image, got " + n);
        }
        EvaluationResult.SamplerVerdict real =
                judge(classifier, test.head(Math.min(n, test.size())).features());
        EvaluationResult.SamplerVerdict prior = null;
        if (model instanceof Generative generative) {
            NoiseSource noise = new NoiseSource(opts.seed() + PRIOR_SAMPLE_STREAM);
            int classes = (int) classifier.numClasses();
            Histogram h = new Histogram(classes);
            for (int done = 0; done < n; done += SAMPLE_CHUNK) {
                h.add(classifier.probabilities(generative.sample(Math.min(SAMPLE_CHUNK, n - done), noise)));
            }
            prior = h.verdict();
        }
        INDArray normalCodes =
                GaussianFit.standard(model.codeSize()).sample(n, new NoiseSource(opts.seed() + NORMAL_SAMPLE_STREAM));
        EvaluationResult.SamplerVerdict normal = judge(classifier, RandomCodes.decode(model, normalCodes));
        EvaluationResult.SamplerVerdict fitted = null;
        int fittedCodes = 0;
        double jitter = 0;
        if (train.size() >= 2) {
            RandomCodes.Fitted fit = RandomCodes.fitTrainingCodes(model, train, opts.seed() + FIT_SUBSET_STREAM);
            INDArray codes = fit.fit().sample(n, new NoiseSource(opts.seed() + FITTED_SAMPLE_STREAM));
            fitted = judge(classifier, RandomCodes.decode(model, codes));
            fittedCodes = fit.codes();
            jitter = fit.fit().jitter();
        }
        return new EvaluationResult.SampleVerdict(n, real, prior, normal, fitted, fittedCodes, jitter);
    }

    /**
     * What {@code classifier} makes of {@code images} [N, inputSize]: the mean of its largest softmax probability,
     * the share of images where that is at least {@value #CONFIDENT_PROBABILITY}, and the entropy (nats) of the
     * histogram of predicted classes with the counts.
     */
    public static EvaluationResult.SamplerVerdict judge(ImageClassifier classifier, INDArray images) {
        Histogram h = new Histogram((int) classifier.numClasses());
        h.add(classifier.probabilities(images));
        return h.verdict();
    }

    /** Running sums of {@link #judge} over chunks of images. */
    private static final class Histogram {
        private final int[] counts;
        private double maxSum;
        private int confident;
        private int images;

        Histogram(int classes) {
            counts = new int[classes];
        }

        void add(INDArray probabilities) {
            for (double[] p : probabilities.toDoubleMatrix()) {
                int best = 0;
                for (int c = 1; c < p.length; c++) {
                    best = p[c] > p[best] ? c : best;
                }
                counts[best]++;
                maxSum += p[best];
                confident += p[best] >= CONFIDENT_PROBABILITY ? 1 : 0;
                images++;
            }
        }

        EvaluationResult.SamplerVerdict verdict() {
            double entropy = 0;
            for (int c : counts) {
                if (c > 0) {
                    double q = (double) c / images;
                    entropy -= q * Math.log(q);
                }
            }
            return new EvaluationResult.SamplerVerdict(
                    images, maxSum / images, (double) confident / images, entropy, counts.clone());
        }
    }

    /**
     * Denoising, for any model: every test image corrupted with {@code opts.denoising()} (one draw over the whole
     * test set, from a stream of the options' seed, so it does not depend on the batch size), reconstructed by the
     * model from the corrupted image (the labelled-batch form, so a conditional model sees its condition), and
     * compared with the clean image. {@code reconstruct} adds no corruption of its own: a denoising model corrupts
     * only its training inputs.
     */
    public static EvaluationResult.DenoisingScore denoising(
            AutoencoderModel<?> model, ImageDataset test, EvaluationOptions opts) {
        Corruption corruption = opts.denoising();
        if (!corruption.active()) {
            throw new IllegalArgumentException("denoising needs a corruption, got " + corruption.format());
        }
        INDArray noisy = corruption.apply(
                test.features().castTo(DataType.FLOAT), new NoiseSource(opts.seed() + DENOISING_STREAM));
        NoiseSource reconNoise = new NoiseSource(opts.seed() + DENOISING_RECONSTRUCTION_STREAM);
        double[] denoisedMse = new double[test.size()];
        double[] noisyMse = new double[test.size()];
        for (Batch batch : new BatchIterator(test, opts.batchSize(), false, 0, 0, false)) {
            INDArray corrupted = Nd4j.pullRows(noisy, 1, batch.indices());
            INDArray r = model.reconstruct(new Batch(corrupted, batch.labels(), batch.indices()), reconNoise);
            double[] d = Metrics.msePerPixel(batch.features(), r);
            double[] c = Metrics.msePerPixel(batch.features(), corrupted);
            for (int i = 0; i < batch.size(); i++) {
                denoisedMse[batch.indices()[i]] = d[i];
                noisyMse[batch.indices()[i]] = c[i];
            }
        }
        return new EvaluationResult.DenoisingScore(
                corruption, test.size(), Metrics.mean(denoisedMse), Metrics.mean(noisyMse));
    }

    /**
     * Statistics of the posterior q(z|x) = N(mu, diag(sigma^2)) of every test image ({@link LikelihoodModel#posterior},
     * no noise drawn), in double: sigma = exp(logVar / 2) averaged per unit and overall, and
     * <pre>
     *   KL(q(z|x) || N(0, I)) = 0.5 sum_u (mu_u^2 + sigma_u^2 - 1 - log sigma_u^2)
     * </pre>
     * averaged over the images, in total and per unit.
     */
    public static EvaluationResult.PosteriorStatistics posterior(
            LikelihoodModel model, ImageDataset test, int batchSize) {
        double[] sigmaSums = null;
        double[] klSums = null;
        int images = 0;
        for (Batch batch : new BatchIterator(test, batchSize, false, 0, 0, false)) {
            LikelihoodModel.Posterior q = model.posterior(batch);
            double[][] mu = q.mean().castTo(DataType.DOUBLE).toDoubleMatrix();
            double[][] logVar = q.logVariance().castTo(DataType.DOUBLE).toDoubleMatrix();
            if (sigmaSums == null) {
                sigmaSums = new double[mu[0].length];
                klSums = new double[mu[0].length];
            }
            for (int i = 0; i < mu.length; i++) {
                for (int u = 0; u < sigmaSums.length; u++) {
                    sigmaSums[u] += Math.exp(0.5 * logVar[i][u]);
                    klSums[u] += 0.5 * (mu[i][u] * mu[i][u] + Math.exp(logVar[i][u]) - 1 - logVar[i][u]);
                }
            }
            images += mu.length;
        }
        if (sigmaSums == null) {
            throw new IllegalArgumentException("posterior statistics need test images, " + test.name() + " has none");
        }
        double sigma = 0;
        double kl = 0;
        for (int u = 0; u < sigmaSums.length; u++) {
            sigmaSums[u] /= images;
            klSums[u] /= images;
            sigma += sigmaSums[u];
            kl += klSums[u];
        }
        return new EvaluationResult.PosteriorStatistics(images, sigma / sigmaSums.length, sigmaSums, kl, klSums);
    }

    /**
     * rho-hat_u = mean over rows of {@code codes} [N, units] of unit u, summarised (mean, min, max over units),
     * and the share of entries with |a| &lt; {@code threshold}.
     */
    static EvaluationResult.Sparsity sparsity(INDArray codes, double threshold) {
        double[][] a = codes.castTo(DataType.DOUBLE).toDoubleMatrix();
        int units = (int) codes.size(1);
        double[] rho = new double[units];
        long nearZero = 0;
        for (double[] row : a) {
            for (int u = 0; u < units; u++) {
                rho[u] += row[u];
                nearZero += Math.abs(row[u]) < threshold ? 1 : 0;
            }
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int u = 0; u < units; u++) {
            rho[u] /= a.length;
            min = Math.min(min, rho[u]);
            max = Math.max(max, rho[u]);
        }
        return new EvaluationResult.Sparsity(
                Metrics.mean(rho), min, max, threshold, (double) nearZero / ((double) a.length * units), rho);
    }

    /**
     * The encoder's squared Jacobian norm per image, from forward passes of {@link AutoencoderModel#encode(Batch)}
     * only (M2.1 has no gradients of gradients, and no Jacobian op): for each image, K =
     * {@code opts.jacobianProbes()} directions v ~ N(0, I) drawn from a {@link NoiseSource} seeded by the options,
     * and
     * <pre>
     *   ||J||_F^2 ~ (1/K) sum_k ||(f(x + h v_k) - f(x - h v_k)) / (2h)||^2,   h = opts.jacobianStep()
     * </pre>
     * since E ||J v||^2 = trace(J^T J) (Hutchinson); its relative standard deviation per image is at most
     * sqrt(2 / K), its bias O(h^2) for a smooth encoder. Differences are taken in double from FLOAT codes.
     * Inputs are not clipped to [0, 1]: the derivative is the encoder's, wherever the image lies.
     */
    public static EvaluationResult.Jacobian jacobian(
            AutoencoderModel<?> model, ImageDataset test, EvaluationOptions opts) {
        int k = opts.jacobianProbes();
        double h = opts.jacobianStep();
        if (k < 1) {
            throw new IllegalArgumentException("the Jacobian estimate needs at least 1 direction, got " + k);
        }
        ImageDataset data = opts.jacobianImages() > 0 ? test.head(opts.jacobianImages()) : test;
        NoiseSource noise = new NoiseSource(opts.seed() + JACOBIAN_STREAM);
        double[] perImage = new double[data.size()];
        for (Batch batch : new BatchIterator(data, opts.batchSize(), false, 0, 0, false)) {
            INDArray x = batch.features().castTo(DataType.FLOAT);
            double[] sums = new double[batch.size()];
            for (int probe = 0; probe < k; probe++) {
                INDArray offset = noise.standardNormal(DataType.FLOAT, x.size(0), x.size(1))
                        .muli(h);
                double[][] plus = model.encode(new Batch(x.add(offset), batch.labels(), batch.indices()))
                        .castTo(DataType.DOUBLE)
                        .toDoubleMatrix();
                double[][] minus = model.encode(new Batch(x.sub(offset), batch.labels(), batch.indices()))
                        .castTo(DataType.DOUBLE)
                        .toDoubleMatrix();
                for (int i = 0; i < sums.length; i++) {
                    for (int j = 0; j < plus[i].length; j++) {
                        double jv = (plus[i][j] - minus[i][j]) / (2 * h);
                        sums[i] += jv * jv;
                    }
                }
            }
            for (int i = 0; i < sums.length; i++) {
                perImage[batch.indices()[i]] = sums[i] / k;
            }
        }
        double mean = Metrics.mean(perImage);
        double var = 0;
        for (double e : perImage) {
            var += (e - mean) * (e - mean);
        }
        double standardError =
                perImage.length > 1 ? Math.sqrt(var / (perImage.length - 1) / perImage.length) : Double.NaN;
        return new EvaluationResult.Jacobian(k, h, data.size(), mean, standardError);
    }

    /**
     * The importance-sampled log-likelihood alone: for each of the first
     * {@code opts.importanceImages()} test images (0 = all) the log-mean-exp of
     * {@code opts.importanceSamples()} log weights, averaged; images go to the model
     * {@code opts.importanceBatchSize()} at a time.
     */
    public static EvaluationResult.ImportanceSampling importanceSampling(
            LikelihoodModel model, ImageDataset test, EvaluationOptions opts) {
        ImageDataset data = opts.importanceImages() > 0 ? test.head(opts.importanceImages()) : test;
        int k = opts.importanceSamples();
        if (k < 1) {
            throw new IllegalArgumentException("importance sampling needs at least 1 sample, got " + k);
        }
        NoiseSource noise = new NoiseSource(opts.seed() + IMPORTANCE_STREAM);
        boolean dequantize = model.continuousDensity();
        NoiseSource dequantization = new NoiseSource(opts.seed() + DEQUANTIZATION_STREAM);
        boolean binary = true;
        double[] estimates = new double[data.size()];
        double weightSum = 0;
        int done = 0;
        long start = System.nanoTime();
        long lastReport = start;
        for (Batch raw : new BatchIterator(data, opts.importanceBatchSize(), false, 0, 0, false)) {
            binary = binary && isBinary(raw.features());
            Batch batch = dequantize ? dequantized(raw, dequantization) : raw;
            double[][] logW = model.logImportanceWeights(batch, k, noise).toDoubleMatrix();
            if (logW.length != batch.size() || logW[0].length != k) {
                throw new IllegalStateException(
                        model.getClass().getSimpleName() + ".logImportanceWeights returned " + logW.length + " x "
                                + logW[0].length + " weights for " + batch.size() + " images and k = " + k);
            }
            for (int i = 0; i < logW.length; i++) {
                estimates[batch.indices()[i]] = LogMath.logMeanExp(logW[i]);
                for (double w : logW[i]) {
                    weightSum += w;
                }
            }
            done += batch.size();
            long now = System.nanoTime();
            if (now - lastReport > 30_000_000_000L && done < data.size()) {
                // Long work shows progress: k = 5,000 on 10,000 images takes hours on a CPU.
                double rate = done / ((now - start) / 1e9);
                log.info(
                        "importance sampling: {} of {} images, {} images/s, about {} min left",
                        done,
                        data.size(),
                        String.format("%.1f", rate),
                        String.format("%.1f", (data.size() - done) / rate / 60));
                lastReport = now;
            }
        }
        double mean = Metrics.mean(estimates);
        double var = 0;
        for (double e : estimates) {
            var += (e - mean) * (e - mean);
        }
        double standardError =
                estimates.length > 1 ? Math.sqrt(var / (estimates.length - 1) / estimates.length) : Double.NaN;
        long dims = data.featureSize();
        Double bitsPerDim = null;
        if (dequantize) {
            bitsPerDim = (-mean + dims * Math.log(256)) / (dims * Math.log(2));
        } else if (binary) {
            bitsPerDim = -mean / (dims * Math.log(2));
        }
        return new EvaluationResult.ImportanceSampling(
                k, data.size(), mean, standardError, weightSum / ((double) k * data.size()), dequantize, bitsPerDim);
    }

    /** Whether every value of {@code x} is 0 or 1. */
    private static boolean isBinary(INDArray x) {
        for (float v : x.castTo(DataType.FLOAT).dup().data().asFloat()) {
            if (v != 0f && v != 1f) {
                return false;
            }
        }
        return true;
    }

    /**
     * The batch with its 8-bit pixels dequantized (Theis, van den Oord &amp; Bethge, ICLR 2016): x' = (round(255 x) +
     * u) / 256 with u ~ U(0, 1) from {@code noise}, so that a density on [0, 1]^D integrates over each pixel's cell.
     */
    private static Batch dequantized(Batch batch, NoiseSource noise) {
        INDArray x = batch.features().castTo(DataType.FLOAT);
        float[] v = x.dup().data().asFloat();
        float[] u = noise.uniform(DataType.FLOAT, v.length).toFloatVector();
        for (int i = 0; i < v.length; i++) {
            v[i] = (Math.round(v[i] * 255f) + u[i]) / 256f;
        }
        return new Batch(Nd4j.create(v, x.shape()), batch.labels(), batch.indices());
    }

    private static EvaluationResult.ProbeAccuracy probes(
            AutoencoderModel<?> model,
            ImageDataset train,
            ImageDataset test,
            INDArray testCodes,
            EvaluationOptions opts,
            Timer timer) {
        timer.start("train_codes");
        int[] trainRows = subset(train.size(), opts.probeTrainSize(), opts.seed() + PROBE_SUBSET_STREAM);
        ImageDataset probeTrain = train.subset(trainRows);
        INDArray trainCodes = encodeAll(model, probeTrain, opts.batchSize());
        int[] trainLabels = probeTrain.labels();
        int[] testRows = opts.probeTestSize() > 0
                ? subset(test.size(), opts.probeTestSize(), opts.seed() + PROBE_SUBSET_STREAM + 1)
                : range(test.size());
        INDArray probeTestCodes = Nd4j.pullRows(testCodes, 1, testRows);
        int[] testLabels = test.labels(testRows);
        timer.stop("{} training codes, {} test codes", trainRows.length, testRows.length);

        timer.start("linear_probe");
        double linear = Probes.linearProbeAccuracy(trainCodes, trainLabels, probeTestCodes, testLabels, opts.probeL2());
        timer.stop("logistic regression (lambda {}): accuracy {}", opts.probeL2(), fmt(linear));

        timer.start("knn_probe");
        int knnK = Math.min(opts.knnK(), trainRows.length);
        double knn = Probes.knnAccuracy(trainCodes, trainLabels, probeTestCodes, testLabels, knnK);
        timer.stop("{}-NN: accuracy {}", knnK, fmt(knn));
        return new EvaluationResult.ProbeAccuracy(trainRows.length, testRows.length, linear, opts.probeL2(), knnK, knn);
    }

    private static EvaluationResult.Anomaly anomaly(
            AutoencoderModel<?> model, ImageDataset test, EvaluationOptions opts, double[] bce, double[] mse) {
        AnomalyScore kind = opts.anomalyScore();
        if (kind == AnomalyScore.AUTO) {
            kind = model instanceof LikelihoodModel ? AnomalyScore.NEG_ELBO : AnomalyScore.BCE;
        }
        double[] scores =
                switch (kind) {
                    case BCE -> bce.clone();
                    case MSE -> mse.clone();
                    case NEG_ELBO -> negElbo((LikelihoodModel) model, test, opts);
                    case AUTO -> throw new AssertionError("resolved above");
                };
        int[] labels = test.labels();
        boolean[] anomalous = new boolean[labels.length];
        int anomalies = 0;
        for (int i = 0; i < labels.length; i++) {
            anomalous[i] = labels[i] != opts.anomalyClass();
            anomalies += anomalous[i] ? 1 : 0;
        }
        double auroc = Metrics.auroc(scores, anomalous);
        return new EvaluationResult.Anomaly(
                opts.anomalyClass(),
                kind.name().toLowerCase(Locale.ROOT),
                auroc,
                labels.length - anomalies,
                anomalies,
                scores,
                labels);
    }

    private static double[] negElbo(LikelihoodModel model, ImageDataset test, EvaluationOptions opts) {
        NoiseSource noise = new NoiseSource(opts.seed() + ANOMALY_STREAM);
        double[] scores = new double[test.size()];
        for (Batch batch : new BatchIterator(test, opts.batchSize(), false, 0, 0, false)) {
            double[] s = model.negElboPerExample(batch, noise)
                    .castTo(DataType.DOUBLE)
                    .toDoubleVector();
            for (int i = 0; i < s.length; i++) {
                scores[batch.indices()[i]] = s[i];
            }
        }
        return scores;
    }

    /** Logs, once, which of the measurements {@code opts} asks for need the labels that {@code data} lacks. */
    private static void skipLabelled(ImageDataset data, EvaluationOptions opts) {
        StringBuilder skipped = new StringBuilder();
        if (opts.probeTrainSize() > 0) {
            skipped.append("the linear and k-NN probes");
        }
        if (opts.classifierEpochs() > 0) {
            skipped.append(skipped.length() > 0 ? ", " : "")
                    .append("the reconstruction classifier")
                    .append(opts.sampleImages() > 0 ? " and its verdict on generated images" : "");
        }
        if (skipped.length() > 0) {
            log.info("{} has no labels: skipping {}", data.name(), skipped);
        }
    }

    private static void checkAnomalyOptions(AutoencoderModel<?> model, ImageDataset test, EvaluationOptions opts) {
        int c = opts.anomalyClass();
        if (c < 0) {
            return;
        }
        if (!test.hasLabels()) {
            throw new IllegalArgumentException("anomaly detection with normal class " + c + " needs class labels,"
                    + " but test set " + test.name() + " has none");
        }
        if (c >= test.numClasses()) {
            throw new IllegalArgumentException("anomaly normal class " + c + " is outside 0.." + (test.numClasses() - 1)
                    + " of test set " + test.name());
        }
        long normals = Arrays.stream(test.labels()).filter(l -> l == c).count();
        if (normals == 0 || normals == test.size()) {
            throw new IllegalArgumentException("anomaly detection needs normal and anomalous test images, but test set "
                    + test.name() + " has " + normals + " of " + test.size() + " images of class " + c);
        }
        if (opts.anomalyScore() == AnomalyScore.NEG_ELBO && !(model instanceof LikelihoodModel)) {
            throw new IllegalArgumentException(
                    "anomaly score NEG_ELBO needs a model with a likelihood (the VAE family); "
                            + model.getClass().getSimpleName() + " has none: use BCE or MSE");
        }
    }

    private static INDArray encodeAll(AutoencoderModel<?> model, ImageDataset data, int batchSize) {
        INDArray codes = Nd4j.create(DataType.DOUBLE, data.size(), model.codeSize());
        for (Batch batch : new BatchIterator(data, batchSize, false, 0, 0, false)) {
            INDArray c = model.encode(batch).castTo(DataType.DOUBLE);
            for (int i = 0; i < batch.size(); i++) {
                codes.putRow(batch.indices()[i], c.getRow(i));
            }
        }
        return codes;
    }

    /** min(size, n) distinct indices of 0..n-1 drawn with {@code seed}, in increasing order. */
    static int[] subset(int n, int size, long seed) {
        if (size >= n) {
            return range(n);
        }
        int[] rows = Arrays.copyOf(BatchIterator.permutation(n, seed, 0), size);
        Arrays.sort(rows);
        return rows;
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** Times one step at a time into the result's seconds map and logs its outcome. */
    private static final class Timer {
        private final Map<String, Double> seconds;
        private String step;
        private long startNanos;

        Timer(Map<String, Double> seconds) {
            this.seconds = seconds;
        }

        void start(String name) {
            step = name;
            startNanos = System.nanoTime();
        }

        void stop(String message, Object... args) {
            double s = (System.nanoTime() - startNanos) / 1e9;
            seconds.put(step, s);
            if (log.isInfoEnabled()) {
                String text = MessageFormatter.arrayFormat(message, args).getMessage();
                log.info("{}: {} ({} s)", step, text, String.format(Locale.ROOT, "%.2f", s));
            }
        }
    }
}
