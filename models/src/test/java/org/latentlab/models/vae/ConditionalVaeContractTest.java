package org.latentlab.models.vae;

import java.util.List;
import org.latentlab.core.ModelType;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.Likelihood;
import org.latentlab.models.ModelContractTest;
import org.latentlab.models.Models;

public class ConditionalVaeContractTest extends ModelContractTest<ConditionalVaeConfig> {
    @Override
    protected ModelType<ConditionalVaeConfig> type() {
        return Models.CVAE;
    }

    @Override
    protected ConditionalVaeConfig tinyConfig() {
        return new ConditionalVaeConfig(
                784,
                List.of(32),
                3,
                10,
                Activation.RELU,
                1.0,
                WeightInit.PYTORCH_DEFAULT,
                Likelihood.BERNOULLI,
                0.1,
                0);
    }
}
