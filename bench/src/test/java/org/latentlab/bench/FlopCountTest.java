package org.latentlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.models.ae.ContractiveAutoencoderConfig;
import org.latentlab.models.ae.ConvAutoencoderConfig;
import org.latentlab.models.vae.VaeConfig;

/** FLOP counts against hand computations of the default architectures. */
class FlopCountTest {

    @Test
    void vaeTrainingFlopsMatchTheHandCount() {
        // 784*400 (encoder) + 2*400*20 (mu, log-variance) + 20*400 + 400*784 (decoder)
        long macs = 313_600 + 16_000 + 8_000 + 313_600;
        assertEquals(651_200, macs);
        assertEquals(macs, FlopCount.vae(VaeConfig.defaults()).total());
        assertEquals(3_907_200.0, Workload.VAE128.flopsPerSample());
        assertEquals(3_907_200.0, Workload.VAE512.flopsPerSample());
        assertTrue(
                Workload.VAE128
                        .flopsFormula()
                        .startsWith(
                                "forward MACs 784*400 + 2*400*20 + 20*400 + 400*784 = 651,200; 6 * 651,200 = 3,907,200"),
                Workload.VAE128.flopsFormula());
    }

    @Test
    void encodeCountsTheEncoderAndTheMeanHeadForwardOnly() {
        assertEquals(2.0 * (784 * 400 + 400 * 20), Workload.ENCODE.flopsPerSample());
    }

    @Test
    void deeperVaeCountsEveryLayer() {
        VaeConfig c = new VaeConfig(784, List.of(512, 256), 8, Activation.RELU, 1.0, WeightInit.PYTORCH_DEFAULT);
        long expected = 784 * 512 + 512 * 256 + 2 * 256 * 8 + 8 * 256 + 256 * 512 + 512 * 784;
        assertEquals(expected, FlopCount.vae(c).total());
    }

    @Test
    void convAeMatchesTheHandCount() {
        // conv 1->16 to 14x14: 14*14*9*1*16; conv 16->32 to 7x7: 7*7*9*16*32; the transposed convs mirror them;
        // dense 1568->32 and 32->1568.
        long conv = 14 * 14 * 9 * 16 + 7 * 7 * 9 * 16 * 32;
        long expected = 2 * conv + 2 * 1568 * 32;
        assertEquals(608_384, expected);
        assertEquals(
                expected, FlopCount.convAe(ConvAutoencoderConfig.defaults()).total());
        assertEquals(6.0 * expected, Workload.CONV.flopsPerSample());

        // conv-vae: conv 1->32 to 14x14 and 32->64 to 7x7 with 4x4 kernels, mirrored; heads 3136->20 twice; 20->3136
        long convVae = 14 * 14 * 16 * 32 + 7 * 7 * 16 * 32 * 64;
        long expectedVae = 2 * convVae + 2 * 3136 * 20 + 20 * 3136;
        assertEquals(
                expectedVae,
                FlopCount.convVae(org.latentlab.models.vae.ConvVaeConfig.defaults())
                        .total());
        assertEquals(6.0 * expectedVae, Workload.CONV_VAE.flopsPerSample());
        // a transposed conv does the work of the conv it mirrors
        assertEquals(FlopCount.conv(7, 3, 16, 32), FlopCount.deconv(7, 3, 32, 16));
        assertEquals(FlopCount.conv(14, 3, 1, 16), FlopCount.deconv(14, 3, 16, 1));
    }

    @Test
    void caeCountsFiniteDifferencePassesOnlyWhenThePenaltyIsEstimated() {
        assertEquals(
                2L * 784 * 1000,
                FlopCount.cae(ContractiveAutoencoderConfig.defaults()).total());
        ContractiveAutoencoderConfig deep = new ContractiveAutoencoderConfig(
                784, List.of(256, 32), Activation.RELU, 0.1, 2, 0.01, WeightInit.XAVIER_UNIFORM);
        long encoder = 784 * 256 + 256 * 32;
        assertEquals(2 * encoder + 2 * 2 * encoder, FlopCount.cae(deep).total());
    }
}
