package org.latentlab.models.vae;

import java.util.List;
import org.latentlab.core.ModelType;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.Likelihood;
import org.latentlab.models.ModelContractTest;
import org.latentlab.models.Models;

public class ConvVaeContractTest extends ModelContractTest<ConvVaeConfig> {
    @Override
    protected ModelType<ConvVaeConfig> type() {
        return Models.CONV_VAE;
    }

    @Override
    protected ConvVaeConfig tinyConfig() {
        return new ConvVaeConfig(
                784,
                1,
                List.of(4, 8),
                4,
                3,
                Activation.RELU,
                1.0,
                WeightInit.PYTORCH_DEFAULT,
                Likelihood.BERNOULLI,
                0.1,
                0);
    }

    @Override
    protected String firstLayerVariable() {
        return "encoder/conv0/W";
    }
}
