package org.latentlab.models.ae;

import java.util.List;
import org.latentlab.core.ModelType;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.models.ModelContractTest;
import org.latentlab.models.Models;

/** The contract with the exact penalty (one sigmoid layer); {@link FiniteDifference} with the estimate. */
public class ContractiveAutoencoderContractTest extends ModelContractTest<ContractiveAutoencoderConfig> {
    @Override
    protected ModelType<ContractiveAutoencoderConfig> type() {
        return Models.CAE;
    }

    @Override
    protected ContractiveAutoencoderConfig tinyConfig() {
        return new ContractiveAutoencoderConfig(
                784, List.of(32), Activation.SIGMOID, 0.1, 2, 0.01, WeightInit.XAVIER_UNIFORM);
    }

    /** Two encoder layers: the penalty is the finite-difference estimate fed with random directions. */
    static class FiniteDifference extends ContractiveAutoencoderContractTest {
        @Override
        protected ContractiveAutoencoderConfig tinyConfig() {
            return new ContractiveAutoencoderConfig(
                    784, List.of(32, 8), Activation.TANH, 0.1, 2, 0.01, WeightInit.XAVIER_UNIFORM);
        }
    }
}
