package org.latentlab.run;

import java.util.List;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.LikelihoodModel;
import org.latentlab.core.ModelConfig;
import org.latentlab.core.ModelRegistry;
import org.latentlab.core.ModelType;
import org.latentlab.data.Batch;
import org.latentlab.graph.Activation;
import org.latentlab.graph.Dense;
import org.latentlab.graph.GraphContext;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.NoiseSource;
import org.latentlab.loss.ReconstructionLoss;
import org.latentlab.train.TinyAutoencoder;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The smallest {@link LikelihoodModel}: a linear encoder gives the mean of q(z|x) = N(mu, s^2 I) with a fixed s, a
 * sigmoid decoder the Bernoulli means of p(x|z), a standard normal prior; trained on squared error. Its weights are
 * computed in Java from the graph's encoder and decoder, so they are exact for what the model is.
 */
public final class TinyLikelihood extends AutoencoderModel<TinyLikelihood.Config> implements LikelihoodModel {
    /** @param posteriorStd s of q(z|x) */
    public record Config(int inputSize, int codeSize, double posteriorStd) implements ModelConfig {}

    public static final ModelType<Config> TYPE =
            new ModelType<>("tiny-lik", "test model", Config.class, new Config(784, 2, 0.5), TinyLikelihood::new);

    /** The tiny autoencoder (no likelihood) and this model. */
    public static ModelRegistry registry() {
        return new ModelRegistry().register(TinyAutoencoder.TYPE).register(TYPE);
    }

    public TinyLikelihood(Config config, SameDiff sd) {
        super(config, sd);
    }

    @Override
    protected void define(GraphContext g) {
        SameDiff sd = g.sd();
        SDVariable x = sd.placeHolder(INPUT, DataType.FLOAT, -1, config.inputSize());
        Dense enc = Dense.create(
                g, "enc", config.inputSize(), config.codeSize(), Activation.IDENTITY, WeightInit.XAVIER_UNIFORM);
        Dense dec = Dense.create(
                g, "dec", config.codeSize(), config.inputSize(), Activation.SIGMOID, WeightInit.XAVIER_UNIFORM);
        SDVariable code = enc.apply(x, CODE);
        SDVariable out = dec.apply(code).rename(RECONSTRUCTION);
        dec.apply(sd.placeHolder(DECODER_INPUT, DataType.FLOAT, -1, config.codeSize()), DECODED);
        ReconstructionLoss.squaredError(sd, "se", out, x).mean("mse");
        sd.getVariable("mse").mul(LOSS, 1.0);
    }

    @Override
    public List<String> lossTerms() {
        return List.of(LOSS, "mse");
    }

    @Override
    public int codeSize() {
        return config.codeSize();
    }

    @Override
    public INDArray logImportanceWeights(Batch batch, int samples, NoiseSource noise) {
        double[][] mu = encode(batch).castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] x = batch.features().castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] logW = new double[mu.length][samples];
        for (int i = 0; i < samples; i++) {
            double[] w = draw(mu, x, noise);
            for (int n = 0; n < mu.length; n++) {
                logW[n][i] = w[n];
            }
        }
        return Nd4j.createFromArray(logW);
    }

    @Override
    public INDArray negElboPerExample(Batch batch, NoiseSource noise) {
        double[][] mu = encode(batch).castTo(DataType.DOUBLE).toDoubleMatrix();
        double[] w = draw(mu, batch.features().castTo(DataType.DOUBLE).toDoubleMatrix(), noise);
        for (int n = 0; n < w.length; n++) {
            w[n] = -w[n];
        }
        return Nd4j.createFromArray(w);
    }

    @Override
    public Posterior posterior(Batch batch) {
        INDArray mean = encode(batch);
        double logVar = 2 * Math.log(config.posteriorStd());
        return new Posterior(mean, Nd4j.zerosLike(mean).addi(logVar));
    }

    /** log w of one z ~ q(z|x) per image. */
    private double[] draw(double[][] mu, double[][] x, NoiseSource noise) {
        int d = config.codeSize();
        double s = config.posteriorStd();
        double[][] eps =
                noise.standardNormal(mu.length, d).castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] z = new double[mu.length][d];
        double[] logW = new double[mu.length];
        for (int n = 0; n < mu.length; n++) {
            for (int j = 0; j < d; j++) {
                z[n][j] = mu[n][j] + s * eps[n][j];
                // log p(z) - log q(z|x); the 2 pi terms cancel
                logW[n] += -0.5 * z[n][j] * z[n][j] + 0.5 * eps[n][j] * eps[n][j] + Math.log(s);
            }
        }
        double[][] p = decode(Nd4j.createFromArray(z).castTo(DataType.FLOAT))
                .castTo(DataType.DOUBLE)
                .toDoubleMatrix();
        for (int n = 0; n < mu.length; n++) {
            for (int i = 0; i < x[n].length; i++) {
                double q = Math.min(Math.max(p[n][i], 1e-6), 1 - 1e-6);
                logW[n] += x[n][i] * Math.log(q) + (1 - x[n][i]) * Math.log(1 - q);
            }
        }
        return logW;
    }
}
