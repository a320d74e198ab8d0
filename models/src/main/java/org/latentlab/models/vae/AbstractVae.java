package org.latentlab.models.vae;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.Generative;
import org.latentlab.core.LikelihoodModel;
import org.latentlab.core.Progress;
import org.latentlab.data.Batch;
import org.latentlab.graph.Activation;
import org.latentlab.graph.Dense;
import org.latentlab.graph.GraphContext;
import org.latentlab.graph.Mlp;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.KlDivergence;
import org.latentlab.loss.Likelihood;
import org.latentlab.loss.NoiseSource;
import org.latentlab.loss.Reparameterization;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The shared skeleton of the single-sample VAEs (Kingma &amp; Welling, <i>Auto-Encoding
 * Variational Bayes</i>, ICLR 2014): an encoder trunk, Dense heads for the posterior mean
 * ({@value #CODE}) and log-variance, one reparameterised sample z, a decoder, a
 * {@link Likelihood} and the closed-form KL to N(0, I). Subclasses supply only the encoder and
 * decoder networks (MLP: {@link Vae}, convolutional: {@link ConvVae}) and, for a conditional
 * model, a condition concatenated to the encoder input and to z ({@link ConditionalVae}).
 *
 * <p>Loss terms (means over the batch, nats per image): {@code recon} = -log p(x|z),
 * {@code kl} = KL(q(z|x) || N(0, I)), {@code loss} = recon + w * kl. The KL weight w is beta
 * (Higgins et al., <i>beta-VAE</i>, ICLR 2017) or, with {@code klWarmupSteps > 0}, the linear
 * warm-up w = beta * min(1, step / klWarmupSteps) (Bowman et al., <i>Generating Sentences from a
 * Continuous Space</i>, CoNLL 2016; Sonderby et al., <i>Ladder VAEs</i>, NIPS 2016), fed as the
 * scalar placeholder {@value #KL_WEIGHT} so the graph stays fixed; evaluation feeds the full beta.
 * Without warm-up the weight is a constant and the graph has no such placeholder.
 *
 * <p>As a {@link LikelihoodModel} it supplies the importance weights of Burda et al. (ICLR 2016)
 * from the graph's own outputs: with z = mu + sigma * eps,
 * <pre>
 *   log w = log p(x|z) + log p(z) - log q(z|x)
 *         = -recon_per_example - 0.5 |z|^2 + 0.5 |eps|^2 + 0.5 sum_j logVar_j
 * </pre>
 * (the 2 pi constants of p(z) and q(z|x) cancel), so whatever likelihood the config names
 * (Bernoulli or Gaussian) is the one in the weights.
 */
public abstract class AbstractVae<C extends VaeSettings> extends AutoencoderModel<C>
        implements Generative, LikelihoodModel {
    public static final String EPS = "eps";
    public static final String RECON = "recon";
    public static final String KL = "kl";
    /** Scalar placeholder holding the current KL weight, present only when klWarmupSteps > 0. */
    public static final String KL_WEIGHT = "kl_weight";
    /** Per-example negative ELBO, [N]: the anomaly score of a VAE. */
    public static final String NEG_ELBO_PER_EXAMPLE = "neg_elbo_per_example";
    /** Name of the decoder output before the mean function (the logits of a Bernoulli decoder). */
    static final String DECODER_OUTPUT = "logits";
    /** -log p(x|z) per example for the sampled z, [N]. */
    static final String RECON_PER_EXAMPLE = "recon_per_example";

    static final String LOG_VAR = "log_var";
    static final String Z = "z";
    /**
     * Rows (images times samples) per graph call of {@link #logImportanceWeights}: bounds the
     * activations held at once (for the conv-vae's first layer about 4096 * 32 * 14 * 14 floats).
     */
    static final int IMPORTANCE_ROWS_PER_CALL = 4096;

    /** A network applied to a variable; the same object can be applied twice with shared weights. */
    protected interface Block {
        SDVariable apply(SDVariable in);
    }

    /** An encoder trunk and the width of its [N, width] output. */
    protected record Encoder(Block block, int outputSize) {}

    protected AbstractVae(C config, SameDiff sd) {
        super(config, sd);
    }

    /** Creates the encoder's parameters; {@code inputWidth} = inputSize + conditionSize. */
    protected abstract Encoder buildEncoder(GraphContext g, int inputWidth);

    /** Creates the decoder's parameters: a map from [N, inputWidth] to the [N, inputSize] output. */
    protected abstract Block buildDecoder(GraphContext g, int inputWidth);

    /** Width of the condition placeholder; 0 (the default) for an unconditional model. */
    protected int conditionSize() {
        return 0;
    }

    /** The condition rows for a training batch; only called when {@link #conditionSize()} > 0. */
    protected INDArray condition(Batch batch) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no condition");
    }

    @Override
    protected void define(GraphContext g) {
        SameDiff sd = g.sd();
        C c = config;
        SDVariable x = sd.placeHolder(INPUT, DataType.FLOAT, -1, c.inputSize());
        SDVariable eps = Reparameterization.noisePlaceholder(sd, EPS, DataType.FLOAT, c.latentSize());
        SDVariable cond = conditionSize() > 0
                ? sd.placeHolder(ConditionalVae.CONDITION, DataType.FLOAT, -1, conditionSize())
                : null;

        // Parameter creation order (encoder, mu, log_var, decoder) fixes which seeded draws each
        // parameter gets: keep it, or the default VAE stops matching its measured result.
        Encoder encoder = buildEncoder(g, c.inputSize() + conditionSize());
        SDVariable h = encoder.block().apply(withCondition(sd, x, cond));
        SDVariable mu = Dense.create(g, "mu", encoder.outputSize(), c.latentSize(), Activation.IDENTITY, c.weightInit())
                .apply(h, CODE);
        SDVariable logVar = Dense.create(
                        g, LOG_VAR, encoder.outputSize(), c.latentSize(), Activation.IDENTITY, c.weightInit())
                .apply(h, LOG_VAR);
        SDVariable z = Reparameterization.sample(sd, Z, mu, logVar, eps);

        Block decoder = buildDecoder(g, c.latentSize() + conditionSize());
        SDVariable out = decoder.apply(withCondition(sd, z, cond)).rename(DECODER_OUTPUT);
        c.likelihood().mean(sd, RECONSTRUCTION, out);

        SDVariable zIn = sd.placeHolder(DECODER_INPUT, DataType.FLOAT, -1, c.latentSize());
        SDVariable decoded = decoder.apply(withCondition(sd, zIn, cond));
        c.likelihood().mean(sd, DECODED, decoded);
        // The decoder-only likelihood path of the importance-sampled log-likelihood (no parameters: adding it
        // changes no seeded draw).
        SDVariable target = sd.placeHolder(DecoderImportance.DECODER_TARGET, DataType.FLOAT, -1, c.inputSize());
        c.likelihood().negLogLikelihood(sd, DecoderImportance.DECODED_NLL, decoded, target, c.sigma());

        SDVariable nll = c.likelihood().negLogLikelihood(sd, RECON_PER_EXAMPLE, out, x, c.sigma());
        SDVariable kl = KlDivergence.standardNormal(sd, "kl_per_example", mu, logVar);
        nll.add(NEG_ELBO_PER_EXAMPLE, kl);
        SDVariable recon = nll.mean(RECON);
        SDVariable klMean = kl.mean(KL);
        SDVariable weightedKl =
                c.klWarmupSteps() > 0 ? klMean.mul(sd.placeHolder(KL_WEIGHT, DataType.FLOAT)) : klMean.mul(c.beta());
        recon.add(LOSS, weightedKl);
    }

    private static SDVariable withCondition(SameDiff sd, SDVariable v, SDVariable cond) {
        return cond == null ? v : sd.concat(1, v, cond);
    }

    @Override
    public List<String> lossTerms() {
        return List.of(LOSS, RECON, KL);
    }

    @Override
    public int codeSize() {
        return config.latentSize();
    }

    @Override
    public List<String> trainingPlaceholders() {
        List<String> names = new ArrayList<>(List.of(INPUT, EPS));
        if (conditionSize() > 0) {
            names.add(ConditionalVae.CONDITION);
        }
        if (config.klWarmupSteps() > 0) {
            names.add(KL_WEIGHT);
        }
        return names;
    }

    @Override
    public INDArray[] trainingInputs(Batch batch, NoiseSource noise, Progress progress) {
        List<INDArray> arrays = new ArrayList<>();
        arrays.add(batch.features());
        arrays.add(noise.standardNormal(batch.size(), config.latentSize()));
        if (conditionSize() > 0) {
            arrays.add(condition(batch));
        }
        if (config.klWarmupSteps() > 0) {
            arrays.add(Nd4j.scalar(DataType.FLOAT, klWeight(progress)));
        }
        return arrays.toArray(INDArray[]::new);
    }

    /** The KL weight at {@code progress}: beta * min(1, step / klWarmupSteps); beta at {@link Progress#DONE}. */
    public double klWeight(Progress progress) {
        return config.beta() * progress.warmup(config.klWarmupSteps());
    }

    /** Adds {@code neg_elbo} = recon + kl, the negative ELBO whatever the KL weight is. */
    @Override
    public Map<String, Double> summaryMetrics(Map<String, Double> meanTerms) {
        Map<String, Double> metrics = super.summaryMetrics(meanTerms);
        metrics.put("neg_elbo", meanTerms.get(RECON) + meanTerms.get(KL));
        return metrics;
    }

    @Override
    public INDArray sample(int n, NoiseSource noise) {
        return decode(noise.standardNormal(n, config.latentSize()));
    }

    /**
     * {@inheritDoc}
     *
     * <p>The posterior is computed once per image and only the decoder runs for each sample
     * ({@link DecoderImportance}, {@link #IMPORTANCE_ROWS_PER_CALL} rows per planned call, each drawing its eps as
     * {@code noise.standardNormal(s * N, latentSize)}, row i*N + n for sample i of image n). A graph saved before the
     * decoder-only path existed repeats the batch s times through the training path instead (the encoder re-run on
     * every copy), with the same draws.
     */
    @Override
    public INDArray logImportanceWeights(Batch batch, int samples, NoiseSource noise) {
        if (samples < 1) {
            throw new IllegalArgumentException("importance samples must be at least 1, got " + samples);
        }
        if (DecoderImportance.supports(sd)) {
            Map<String, INDArray> extra = new LinkedHashMap<>();
            if (conditionSize() > 0) {
                extra.put(ConditionalVae.CONDITION, condition(batch));
            }
            return DecoderImportance.logWeights(
                    posterior(batch),
                    batch.features(),
                    extra,
                    samples,
                    noise,
                    IMPORTANCE_ROWS_PER_CALL,
                    feeds -> plannedOutputs(feeds, List.of(DecoderImportance.DECODED_NLL))
                            .get(DecoderImportance.DECODED_NLL));
        }
        return trainingPathWeights(batch, samples, noise);
    }

    /**
     * The importance weights through the training graph: the batch repeated s times (sample-major), the encoder
     * re-run on every copy; the same draws as the decoder-only path. For graphs without that path, and to test it.
     */
    INDArray trainingPathWeights(Batch batch, int samples, NoiseSource noise) {
        int n = batch.size();
        double[][] weights = new double[n][samples];
        int perCall = Math.max(1, IMPORTANCE_ROWS_PER_CALL / Math.max(1, n));
        for (int done = 0; done < samples; done += perCall) {
            int s = Math.min(perCall, samples - done);
            Map<String, INDArray> feeds = feeds(repeat(batch, s), noise);
            Map<String, INDArray> out = sd.output(feeds, RECON_PER_EXAMPLE, Z, LOG_VAR);
            double[] nll = out.get(RECON_PER_EXAMPLE).castTo(DataType.DOUBLE).toDoubleVector();
            double[] zSq = rowSumsOfSquares(out.get(Z));
            double[] epsSq = rowSumsOfSquares(feeds.get(EPS));
            double[] logVarSum = out.get(LOG_VAR).castTo(DataType.DOUBLE).sum(1).toDoubleVector();
            for (int i = 0; i < s; i++) {
                for (int j = 0; j < n; j++) {
                    int r = i * n + j;
                    weights[j][done + i] = -nll[r] - 0.5 * zSq[r] + 0.5 * epsSq[r] + 0.5 * logVarSum[r];
                }
            }
        }
        return Nd4j.create(weights);
    }

    /** A Gaussian decoder has a density over continuous pixels; a Bernoulli one a probability of binary pixels. */
    @Override
    public boolean continuousDensity() {
        return config.likelihood() == Likelihood.GAUSSIAN;
    }

    /** recon_per_example + kl_per_example for one z per image drawn from {@code noise}. */
    @Override
    public INDArray negElboPerExample(Batch batch, NoiseSource noise) {
        return sd.output(feeds(batch, noise), NEG_ELBO_PER_EXAMPLE).get(NEG_ELBO_PER_EXAMPLE);
    }

    /** The encoder's mu ({@value #CODE}) and log-variance ({@value #LOG_VAR}), given the condition if any. */
    @Override
    public Posterior posterior(Batch batch) {
        Map<String, INDArray> feeds = new LinkedHashMap<>();
        feeds.put(INPUT, batch.features());
        if (conditionSize() > 0) {
            feeds.put(ConditionalVae.CONDITION, condition(batch));
        }
        Map<String, INDArray> out = plannedOutputs(feeds, List.of(CODE, LOG_VAR));
        return new Posterior(out.get(CODE), out.get(LOG_VAR));
    }

    private static double[] rowSumsOfSquares(INDArray a) {
        INDArray d = a.castTo(DataType.DOUBLE);
        return d.mul(d).sum(1).toDoubleVector();
    }

    /** The batch repeated {@code times} times, sample-major; labels and indices follow their rows. */
    static Batch repeat(Batch batch, int times) {
        int n = batch.size();
        int[] labels = new int[n * times];
        int[] indices = new int[n * times];
        for (int i = 0; i < times; i++) {
            System.arraycopy(batch.labels(), 0, labels, i * n, n);
            System.arraycopy(batch.indices(), 0, indices, i * n, n);
        }
        INDArray features = times == 1 ? batch.features() : Nd4j.tile(batch.features(), times, 1);
        return new Batch(features, labels, indices);
    }

    /** An MLP encoder trunk {@code inputWidth -> hidden[0] -> ... -> hidden[last]}, named {@code encoder/i}. */
    static Encoder mlpEncoder(GraphContext g, int inputWidth, List<Integer> hidden, Activation act, WeightInit init) {
        int[] sizes = new int[hidden.size() + 1];
        sizes[0] = inputWidth;
        for (int i = 0; i < hidden.size(); i++) {
            sizes[i + 1] = hidden.get(i);
        }
        Mlp mlp = Mlp.create(g, "encoder", sizes, act, act, init);
        return new Encoder(mlp::apply, mlp.outputSize());
    }

    /** The mirrored MLP decoder {@code inputWidth -> hidden[last] -> ... -> hidden[0] -> outputSize}, identity output. */
    static Block mlpDecoder(
            GraphContext g, int inputWidth, List<Integer> hidden, int outputSize, Activation act, WeightInit init) {
        int[] sizes = new int[hidden.size() + 2];
        sizes[0] = inputWidth;
        for (int i = 0; i < hidden.size(); i++) {
            sizes[i + 1] = hidden.get(hidden.size() - 1 - i);
        }
        sizes[sizes.length - 1] = outputSize;
        Mlp mlp = Mlp.create(g, "decoder", sizes, act, Activation.IDENTITY, init);
        return mlp::apply;
    }
}
