package org.latentlab.models.ae;

import java.util.List;
import org.latentlab.core.ModelType;
import org.latentlab.graph.WeightInit;
import org.latentlab.models.ModelContractTest;
import org.latentlab.models.Models;
import org.latentlab.models.ae.SparseAutoencoderConfig.SparsityPenalty;

public class SparseAutoencoderContractTest extends ModelContractTest<SparseAutoencoderConfig> {
    @Override
    protected ModelType<SparseAutoencoderConfig> type() {
        return Models.SPARSE_AE;
    }

    @Override
    protected SparseAutoencoderConfig tinyConfig() {
        return new SparseAutoencoderConfig(
                784, List.of(32), SparsityPenalty.KL, 0.05, 3.0, 0.1, WeightInit.XAVIER_UNIFORM);
    }

    /** The same contract with the other penalty, whose graph differs (ReLU code, softplus output). */
    static class L1 extends SparseAutoencoderContractTest {
        @Override
        protected SparseAutoencoderConfig tinyConfig() {
            return new SparseAutoencoderConfig(
                    784, List.of(24, 32), SparsityPenalty.L1, 0.05, 3.0, 0.1, WeightInit.HE_UNIFORM);
        }
    }
}
