package org.latentlab.models.vae;

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
import org.latentlab.loss.FeatureReductions;
import org.latentlab.loss.KlDivergence;
import org.latentlab.loss.Likelihood;
import org.latentlab.loss.NoiseSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Importance weighted autoencoder (Burda, Grosse &amp; Salakhutdinov, <i>Importance Weighted
 * Autoencoders</i>, ICLR 2016): the VAE's networks trained on the k-sample bound
 * <pre>
 *   L_k(x) = E[ log (1/k) sum_i w_i ],   w_i = p(x|z_i) p(z_i) / q(z_i|x),   z_i ~ q(z|x) iid
 * </pre>
 * (their Eq. 8), which is at least the ELBO and rises towards log p(x) as k grows. With
 * z_i = mu + sigma * eps_i the log weights are
 * <pre>
 *   log w_i = log p(x|z_i) - 0.5 |z_i|^2 + 0.5 |eps_i|^2 + 0.5 sum_j logVar_j
 * </pre>
 * (the 2 pi constants of p(z) and q(z|x) cancel). The bound is computed stably as
 * m + log sum_i exp(log w_i - m) - log k with m = max_i log w_i.
 *
 * <p>The noise is the placeholder {@value #EPS} of shape [k, N, latentSize]; row n of sample i is
 * row i*N + n of the decoder batch. Loss terms (means over the batch): {@code loss} = -L_k;
 * {@code neg_elbo_k} = -(1/k) sum_i log w_i, the single-sample ELBO averaged over the same k
 * samples (so loss &lt;= neg_elbo_k holds on every batch, by Jensen); {@code recon} = the mean of
 * -log p(x|z_i) over the samples; {@code kl} = the closed-form KL(q(z|x) || N(0, I)).
 * {@value #RECONSTRUCTION} is the decoder mean at z = mu (deterministic).
 *
 * <p>As a {@link LikelihoodModel} it returns the graph's own {@value #LOG_WEIGHTS}, k of them per
 * call, for any number of evaluation samples.
 */
public final class Iwae extends AutoencoderModel<IwaeConfig> implements Generative, LikelihoodModel {
    public static final String EPS = AbstractVae.EPS;
    public static final String RECON = AbstractVae.RECON;
    public static final String KL = AbstractVae.KL;
    /** The single-sample negative ELBO averaged over the k samples. */
    public static final String NEG_ELBO_K = "neg_elbo_k";
    /** Log importance weights, [k, N]. */
    public static final String LOG_WEIGHTS = "log_weights";
    /** Per-example k-sample bound L_k, [N]. */
    public static final String BOUND_PER_EXAMPLE = "iwae_bound_per_example";
    /** The posterior log-variance, [N, latentSize]. */
    static final String LOG_VAR = AbstractVae.LOG_VAR;

    public Iwae(IwaeConfig config, SameDiff sd) {
        super(config, sd);
    }

    @Override
    protected void define(GraphContext g) {
        SameDiff sd = g.sd();
        IwaeConfig c = config;
        int k = c.samples();
        int latent = c.latentSize();
        SDVariable x = sd.placeHolder(INPUT, DataType.FLOAT, -1, c.inputSize());
        SDVariable eps = sd.placeHolder(EPS, DataType.FLOAT, k, -1, latent);

        // Same parameters, names and creation order as the Vae, so equal seeds give equal weights.
        AbstractVae.Encoder encoder =
                AbstractVae.mlpEncoder(g, c.inputSize(), c.hiddenSizes(), c.activation(), c.weightInit());
        SDVariable h = encoder.block().apply(x);
        SDVariable mu = Dense.create(g, "mu", encoder.outputSize(), latent, Activation.IDENTITY, c.weightInit())
                .apply(h, CODE);
        SDVariable logVar = Dense.create(g, LOG_VAR, encoder.outputSize(), latent, Activation.IDENTITY, c.weightInit())
                .apply(h, LOG_VAR);
        AbstractVae.Block decoder =
                AbstractVae.mlpDecoder(g, latent, c.hiddenSizes(), c.inputSize(), c.activation(), c.weightInit());

        // z[i, n] = mu[n] + sigma[n] * eps[i, n], broadcast over the k samples, then flattened
        // sample-major to [k*N, latent] for the decoder's matrix products.
        SDVariable z3 = mu.add(sd.math().exp(logVar.mul(0.5)).mul(eps));
        SDVariable z = sd.reshape(z3, -1, latent);
        SDVariable epsFlat = sd.reshape(eps, -1, latent);
        SDVariable out = decoder.apply(z);
        SDVariable xTiled = sd.tile(x, k, 1);
        SDVariable nll =
                sd.reshape(c.likelihood().negLogLikelihood(sd, "recon_per_sample", out, xTiled, c.sigma()), k, -1);
        SDVariable zSquared = sd.reshape(
                FeatureReductions.sumOverFeatures(sd, "z_sq", sd.math().square(z)), k, -1);
        SDVariable epsSquared = sd.reshape(
                FeatureReductions.sumOverFeatures(sd, "eps_sq", sd.math().square(epsFlat)), k, -1);
        SDVariable logVarSum = FeatureReductions.sumOverFeatures(sd, "log_var_sum", logVar);
        // log w = log p(x|z) + log p(z) - log q(z|x), [k, N]
        SDVariable logW = nll.neg()
                .sub(zSquared.mul(0.5))
                .add(epsSquared.mul(0.5))
                .add(logVarSum.mul(0.5))
                .rename(LOG_WEIGHTS);

        SDVariable bound;
        if (k == 1) {
            // A reduction over a dimension of size 1 fails in M2.1; with one sample L_1 = log w.
            bound = sd.reshape(logW, -1).rename(BOUND_PER_EXAMPLE);
        } else {
            SDVariable m = logW.max(0);
            SDVariable lse = m.add(sd.math().log(sd.math().exp(logW.sub(m)).sum(0)));
            bound = lse.sub(BOUND_PER_EXAMPLE, Math.log(k));
        }
        bound.mean().neg(LOSS);
        logW.mean().neg(NEG_ELBO_K);
        nll.mean(RECON);
        KlDivergence.standardNormal(sd, "kl_per_example", mu, logVar).mean(KL);

        c.likelihood().mean(sd, RECONSTRUCTION, decoder.apply(mu));
        SDVariable zIn = sd.placeHolder(DECODER_INPUT, DataType.FLOAT, -1, latent);
        SDVariable decoded = decoder.apply(zIn);
        c.likelihood().mean(sd, DECODED, decoded);
        // The decoder-only likelihood path of the evaluation's importance sampling (no parameters).
        SDVariable target = sd.placeHolder(DecoderImportance.DECODER_TARGET, DataType.FLOAT, -1, c.inputSize());
        c.likelihood().negLogLikelihood(sd, DecoderImportance.DECODED_NLL, decoded, target, c.sigma());
    }

    @Override
    public List<String> lossTerms() {
        return List.of(LOSS, NEG_ELBO_K, RECON, KL);
    }

    @Override
    public int codeSize() {
        return config.latentSize();
    }

    @Override
    public List<String> trainingPlaceholders() {
        return List.of(INPUT, EPS);
    }

    @Override
    public INDArray[] trainingInputs(Batch batch, NoiseSource noise, Progress progress) {
        return new INDArray[] {
            batch.features(), noise.standardNormal(DataType.FLOAT, config.samples(), batch.size(), config.latentSize())
        };
    }

    /** Adds {@code neg_elbo} = recon + kl (closed-form KL), comparable with the VAE's. */
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
     * <p>As for the VAE ({@link DecoderImportance}): the posterior once per image, the decoder alone for each of
     * the {@code samples} draws, whatever the training k. A graph saved before that path existed uses the training
     * graph's k draws per call ({@code noise.standardNormal(FLOAT, k, N, latentSize)}), the surplus draws of the
     * last call dropped.
     */
    @Override
    public INDArray logImportanceWeights(Batch batch, int samples, NoiseSource noise) {
        if (samples < 1) {
            throw new IllegalArgumentException("importance samples must be at least 1, got " + samples);
        }
        if (DecoderImportance.supports(sd)) {
            return DecoderImportance.logWeights(
                    posterior(batch),
                    batch.features(),
                    Map.of(),
                    samples,
                    noise,
                    AbstractVae.IMPORTANCE_ROWS_PER_CALL,
                    feeds -> plannedOutputs(feeds, List.of(DecoderImportance.DECODED_NLL))
                            .get(DecoderImportance.DECODED_NLL));
        }
        int n = batch.size();
        double[][] weights = new double[n][samples];
        for (int done = 0; done < samples; done += config.samples()) {
            double[][] logW = logWeights(batch, noise);
            for (int i = 0; i < Math.min(config.samples(), samples - done); i++) {
                for (int j = 0; j < n; j++) {
                    weights[j][done + i] = logW[i][j];
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

    /** The single-sample negative ELBO -log w averaged over the graph's k draws: [N]. */
    @Override
    public INDArray negElboPerExample(Batch batch, NoiseSource noise) {
        double[][] logW = logWeights(batch, noise);
        double[] negElbo = new double[batch.size()];
        for (double[] sample : logW) {
            for (int j = 0; j < negElbo.length; j++) {
                negElbo[j] -= sample[j] / logW.length;
            }
        }
        return Nd4j.createFromArray(negElbo);
    }

    /** The encoder's mu ({@value #CODE}) and log-variance ({@value #LOG_VAR}). */
    @Override
    public Posterior posterior(Batch batch) {
        Map<String, INDArray> out = plannedOutputs(Map.of(INPUT, batch.features()), List.of(CODE, LOG_VAR));
        return new Posterior(out.get(CODE), out.get(LOG_VAR));
    }

    /** One call of the graph: [k][N] log weights. */
    private double[][] logWeights(Batch batch, NoiseSource noise) {
        INDArray eps = noise.standardNormal(DataType.FLOAT, config.samples(), batch.size(), config.latentSize());
        INDArray logW = sd.output(Map.of(INPUT, batch.features(), EPS, eps), LOG_WEIGHTS)
                .get(LOG_WEIGHTS);
        return logW.castTo(DataType.DOUBLE)
                .reshape(config.samples(), batch.size())
                .toDoubleMatrix();
    }
}
