package org.latentlab.models;

import java.util.List;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.model.ModelType;

class ConvAutoencoderContractTest extends ModelContractTest<ConvAutoencoderConfig> {
    @Override
    protected ModelType<ConvAutoencoderConfig> type() {
        return Models.CONV_AE;
    }

    @Override
    protected ConvAutoencoderConfig tinyConfig() {
        return new ConvAutoencoderConfig(784, 28, List.of(4, 8), 3, 8, Activation.RELU, ReconstructionKind.BCE,
                WeightInit.PYTORCH_DEFAULT);
    }
}
