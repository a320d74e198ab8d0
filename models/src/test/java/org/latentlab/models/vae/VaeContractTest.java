package org.latentlab.models.vae;

import java.util.List;
import org.latentlab.core.ModelType;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.models.ModelContractTest;
import org.latentlab.models.Models;

public class VaeContractTest extends ModelContractTest<VaeConfig> {
    @Override
    protected ModelType<VaeConfig> type() {
        return Models.VAE;
    }

    @Override
    protected VaeConfig tinyConfig() {
        return new VaeConfig(784, List.of(32), 3, Activation.RELU, 1.0, WeightInit.PYTORCH_DEFAULT);
    }
}
