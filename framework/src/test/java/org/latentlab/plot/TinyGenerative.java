package org.latentlab.plot;

import java.util.List;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.Generative;
import org.latentlab.core.ModelConfig;
import org.latentlab.core.ModelType;
import org.latentlab.graph.Activation;
import org.latentlab.graph.Dense;
import org.latentlab.graph.GraphContext;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.NoiseSource;
import org.latentlab.loss.ReconstructionLoss;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A linear encoder, a sigmoid decoder and a standard normal prior: the smallest generative model with a 2-D code. */
final class TinyGenerative extends AutoencoderModel<TinyGenerative.Config> implements Generative {
    record Config(int inputSize, int codeSize) implements ModelConfig {}

    static final ModelType<Config> TYPE =
            new ModelType<>("tiny-gen", "test model", Config.class, new Config(784, 2), TinyGenerative::new);

    TinyGenerative(Config config, SameDiff sd) {
        super(config, sd);
    }

    @Override
    protected void define(GraphContext g) {
        SameDiff sd = g.sd();
        SDVariable x = sd.placeHolder(INPUT, DataType.FLOAT, -1, config.inputSize());
        Dense enc = Dense.create(
                g, "encoder/0", config.inputSize(), config.codeSize(), Activation.IDENTITY, WeightInit.XAVIER_UNIFORM);
        Dense dec = Dense.create(
                g, "decoder/0", config.codeSize(), config.inputSize(), Activation.SIGMOID, WeightInit.XAVIER_UNIFORM);
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
    public INDArray sample(int n, NoiseSource noise) {
        return decode(noise.standardNormal(n, config.codeSize()));
    }
}
