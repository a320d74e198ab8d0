package org.latentlab.models;

import java.util.List;
import org.latentlab.data.Corruption;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.model.ModelType;

class StackedAeContractTest extends ModelContractTest<StackedAeConfig> {
    @Override
    protected ModelType<StackedAeConfig> type() {
        return Models.STACKED_AE;
    }

    @Override
    protected StackedAeConfig tinyConfig() {
        return new StackedAeConfig(784, List.of(64, 32), Activation.SIGMOID, Corruption.Kind.MASKING, 0.2, 1, 1e-3, 10,
                WeightInit.XAVIER_UNIFORM, 0.0);
    }
}
