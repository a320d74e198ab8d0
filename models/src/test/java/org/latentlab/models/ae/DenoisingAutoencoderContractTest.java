package org.latentlab.models.ae;

import java.util.List;
import org.latentlab.core.ModelType;
import org.latentlab.data.Corruption;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.ReconstructionKind;
import org.latentlab.models.ModelContractTest;
import org.latentlab.models.Models;

public class DenoisingAutoencoderContractTest extends ModelContractTest<DenoisingAutoencoderConfig> {
    @Override
    protected ModelType<DenoisingAutoencoderConfig> type() {
        return Models.DAE;
    }

    @Override
    protected DenoisingAutoencoderConfig tinyConfig() {
        return DenoisingAutoencoderConfig.of(
                new AutoencoderConfig(
                        784,
                        List.of(32, 3),
                        Activation.RELU,
                        Activation.IDENTITY,
                        Activation.SIGMOID,
                        ReconstructionKind.BCE,
                        WeightInit.PYTORCH_DEFAULT),
                new Corruption(Corruption.Kind.MASKING, 0.25));
    }
}
