package org.latentlab.models.vae;

import java.util.List;
import org.latentlab.core.ModelType;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.Likelihood;
import org.latentlab.models.ModelContractTest;
import org.latentlab.models.Models;

public class IwaeContractTest extends ModelContractTest<IwaeConfig> {
    @Override
    protected ModelType<IwaeConfig> type() {
        return Models.IWAE;
    }

    @Override
    protected IwaeConfig tinyConfig() {
        return new IwaeConfig(
                784, List.of(32), 3, 3, Activation.RELU, WeightInit.PYTORCH_DEFAULT, Likelihood.BERNOULLI, 0.1);
    }
}
