package org.latentlab.models.ae;

import java.util.List;
import org.latentlab.core.ModelType;
import org.latentlab.data.Corruption;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.models.ModelContractTest;
import org.latentlab.models.Models;

public class StackedAutoencoderContractTest extends ModelContractTest<StackedAutoencoderConfig> {
    @Override
    protected ModelType<StackedAutoencoderConfig> type() {
        return Models.STACKED_AE;
    }

    @Override
    protected StackedAutoencoderConfig tinyConfig() {
        return new StackedAutoencoderConfig(
                784,
                List.of(64, 32),
                Activation.SIGMOID,
                Corruption.Kind.MASKING,
                0.2,
                1,
                1e-3,
                10,
                WeightInit.XAVIER_UNIFORM,
                0.0);
    }
}
