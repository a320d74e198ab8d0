package org.latentlab.models.ae;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.ModelType;
import org.latentlab.data.Corruption;
import org.latentlab.data.Datasets;
import org.latentlab.data.ImageDataset;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.NoiseSource;
import org.latentlab.loss.ReconstructionKind;
import org.latentlab.models.ModelContractTest;
import org.latentlab.models.Models;
import org.latentlab.train.Optimizer;
import org.latentlab.train.Trainer;
import org.latentlab.train.TrainerConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

public class ConvDenoisingAutoencoderContractTest extends ModelContractTest<ConvDenoisingAutoencoderConfig> {
    @Override
    protected ModelType<ConvDenoisingAutoencoderConfig> type() {
        return Models.CONV_DAE;
    }

    @Override
    protected ConvDenoisingAutoencoderConfig tinyConfig() {
        return ConvDenoisingAutoencoderConfig.of(
                new ConvAutoencoderConfig(
                        784,
                        1,
                        28,
                        List.of(4, 8),
                        3,
                        8,
                        Activation.RELU,
                        ReconstructionKind.BCE,
                        WeightInit.PYTORCH_DEFAULT),
                new Corruption(Corruption.Kind.GAUSSIAN, 0.5));
    }

    /** The point of a denoising model: its output is closer to the clean image than its noisy input is. */
    @Test
    void outputIsCloserToTheCleanImageThanTheNoisyInput() {
        ImageDataset train = Datasets.load(Datasets.MNIST_SAMPLE).train().head(1000);
        ImageDataset test = Datasets.load(Datasets.MNIST_SAMPLE).test().head(200);
        AutoencoderModel<ConvDenoisingAutoencoderConfig> dae = Models.CONV_DAE.build(tinyConfig(), 3);
        new Trainer(new TrainerConfig(2, 32, Optimizer.ADAM, 3e-3, 0, 0, 3, 0, 0, 0)).fit(dae, train, null);
        INDArray clean = test.features();
        INDArray noisy = tinyConfig().corruption().apply(clean, new NoiseSource(99));
        double noisyMse = noisy.squaredDistance(clean) / clean.length();
        double outMse = dae.reconstruct(noisy, new NoiseSource(1)).squaredDistance(clean) / clean.length();
        assertTrue(outMse < 0.5 * noisyMse, "output mse " + outMse + " vs noisy input mse " + noisyMse);
    }

    @Override
    protected String firstLayerVariable() {
        return "encoder/conv0/W";
    }
}
