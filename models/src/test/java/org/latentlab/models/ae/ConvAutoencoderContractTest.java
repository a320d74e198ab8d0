package org.latentlab.models.ae;

import java.util.List;
import org.latentlab.core.ModelType;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.ReconstructionKind;
import org.latentlab.models.ModelContractTest;
import org.latentlab.models.Models;

public class ConvAutoencoderContractTest extends ModelContractTest<ConvAutoencoderConfig> {
    @Override
    protected ModelType<ConvAutoencoderConfig> type() {
        return Models.CONV_AE;
    }

    @Override
    protected ConvAutoencoderConfig tinyConfig() {
        return new ConvAutoencoderConfig(
                784, 1, 28, List.of(4, 8), 3, 8, Activation.RELU, ReconstructionKind.BCE, WeightInit.PYTORCH_DEFAULT);
    }

    @Override
    protected String firstLayerVariable() {
        return "encoder/conv0/W";
    }
}
