package org.latentlab.train;

import java.util.List;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.ModelConfig;
import org.latentlab.core.ModelRegistry;
import org.latentlab.core.ModelType;
import org.latentlab.graph.Activation;
import org.latentlab.graph.Dense;
import org.latentlab.graph.GraphContext;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.ReconstructionLoss;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/** A one-hidden-layer autoencoder with squared error: the smallest model the trainer can train. */
public final class TinyAutoencoder extends AutoencoderModel<TinyAutoencoder.Config> {
    public record Config(int inputSize, int codeSize, double outputScale) implements ModelConfig {}

    public static final ModelType<Config> TYPE =
            new ModelType<>("tiny", "test model", Config.class, new Config(784, 8, 1.0), TinyAutoencoder::new);

    public static ModelRegistry registry() {
        return new ModelRegistry().register(TYPE);
    }

    public TinyAutoencoder(Config config, SameDiff sd) {
        super(config, sd);
    }

    @Override
    protected void define(GraphContext g) {
        SameDiff sd = g.sd();
        SDVariable x = sd.placeHolder(INPUT, DataType.FLOAT, -1, config.inputSize());
        Dense enc = Dense.create(
                g, "enc", config.inputSize(), config.codeSize(), Activation.TANH, WeightInit.XAVIER_UNIFORM);
        Dense dec = Dense.create(
                g, "dec", config.codeSize(), config.inputSize(), Activation.SIGMOID, WeightInit.XAVIER_UNIFORM);
        SDVariable code = enc.apply(x, CODE);
        // outputScale lets a test blow the loss up to infinity on purpose
        SDVariable out = dec.apply(code).mul(config.outputScale()).rename(RECONSTRUCTION);
        SDVariable zIn = sd.placeHolder(DECODER_INPUT, DataType.FLOAT, -1, config.codeSize());
        dec.apply(zIn, DECODED);
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
}
