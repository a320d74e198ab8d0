package org.latentlab.models.ae;

import java.util.List;
import org.latentlab.core.ModelType;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.ReconstructionKind;
import org.latentlab.models.ModelContractTest;
import org.latentlab.models.Models;

public class AutoencoderContractTest extends ModelContractTest<AutoencoderConfig> {
    @Override
    protected ModelType<AutoencoderConfig> type() {
        return Models.AE;
    }

    @Override
    protected AutoencoderConfig tinyConfig() {
        return new AutoencoderConfig(
                784,
                List.of(32, 3),
                Activation.RELU,
                Activation.IDENTITY,
                Activation.SIGMOID,
                ReconstructionKind.BCE,
                WeightInit.PYTORCH_DEFAULT);
    }
}
