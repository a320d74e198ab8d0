package org.latentlab.report;

import java.util.List;
import java.util.Map;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.Denoising;
import org.latentlab.core.ModelConfig;
import org.latentlab.core.ModelType;
import org.latentlab.core.Progress;
import org.latentlab.data.Batch;
import org.latentlab.data.Corruption;
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

/** A one-hidden-layer denoising autoencoder (masking noise, squared error against the clean input). */
final class TinyDenoising extends AutoencoderModel<TinyDenoising.Config> implements Denoising {
    record Config(int inputSize, int codeSize, double masking) implements ModelConfig {}

    static final ModelType<Config> TYPE =
            new ModelType<>("tiny-dae", "test model", Config.class, new Config(784, 4, 0.25), TinyDenoising::new);

    private static final String TARGET = "target";

    TinyDenoising(Config config, SameDiff sd) {
        super(config, sd);
    }

    @Override
    protected void define(GraphContext g) {
        SameDiff sd = g.sd();
        SDVariable x = sd.placeHolder(INPUT, DataType.FLOAT, -1, config.inputSize());
        SDVariable target = sd.placeHolder(TARGET, DataType.FLOAT, -1, config.inputSize());
        Dense enc = Dense.create(
                g, "enc", config.inputSize(), config.codeSize(), Activation.TANH, WeightInit.XAVIER_UNIFORM);
        Dense dec = Dense.create(
                g, "dec", config.codeSize(), config.inputSize(), Activation.SIGMOID, WeightInit.XAVIER_UNIFORM);
        SDVariable code = enc.apply(x, CODE);
        SDVariable out = dec.apply(code).rename(RECONSTRUCTION);
        SDVariable zIn = sd.placeHolder(DECODER_INPUT, DataType.FLOAT, -1, config.codeSize());
        dec.apply(zIn, DECODED);
        ReconstructionLoss.squaredError(sd, "se", out, target).mean("mse");
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
    public List<String> trainingPlaceholders() {
        return List.of(INPUT, TARGET);
    }

    @Override
    public INDArray[] trainingInputs(Batch batch, NoiseSource noise, Progress progress) {
        return new INDArray[] {corruption().apply(batch.features(), noise), batch.features()};
    }

    @Override
    public INDArray reconstruct(INDArray x, NoiseSource noise) {
        return sd.output(Map.of(INPUT, x), RECONSTRUCTION).get(RECONSTRUCTION);
    }

    @Override
    public Corruption corruption() {
        return new Corruption(Corruption.Kind.MASKING, config.masking());
    }
}
