package org.latentlab.models;

import java.util.List;
import org.latentlab.data.Corruption;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.model.ModelType;

class DenoisingAutoencoderContractTest extends ModelContractTest<DaeConfig> {
    @Override
    protected ModelType<DaeConfig> type() {
        return Models.DAE;
    }

    @Override
    protected DaeConfig tinyConfig() {
        return DaeConfig.of(new AutoencoderConfig(784, List.of(32, 3), Activation.RELU, Activation.IDENTITY,
                Activation.SIGMOID, ReconstructionKind.BCE, WeightInit.PYTORCH_DEFAULT),
                new Corruption(Corruption.Kind.MASKING, 0.25));
    }
}
