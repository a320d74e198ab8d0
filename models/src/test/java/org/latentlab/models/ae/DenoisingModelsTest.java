package org.latentlab.models.ae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;
import org.latentlab.core.Denoising;
import org.latentlab.data.Corruption;
import org.latentlab.models.Models;

/** The models whose training corrupts inputs say so through {@link Denoising}, which the run figures read. */
class DenoisingModelsTest {

    @Test
    void denoisingModelsReportTheCorruptionOfTheirConfig() {
        Corruption gaussian = new Corruption(Corruption.Kind.GAUSSIAN, 0.3);
        Denoising dae = assertInstanceOf(
                Denoising.class,
                Models.DAE.build(
                        DenoisingAutoencoderConfig.defaults()
                                .withCorruptionKind(gaussian.kind())
                                .withCorruptionLevel(gaussian.level()),
                        1));
        assertEquals(gaussian, dae.corruption());
        Denoising convDae =
                assertInstanceOf(Denoising.class, Models.CONV_DAE.build(ConvDenoisingAutoencoderConfig.defaults(), 1));
        assertEquals(ConvDenoisingAutoencoderConfig.defaults().corruption(), convDae.corruption());
        StackedAutoencoderConfig stacked = StackedAutoencoderConfig.defaults().withCorruptionLevel(0.4);
        Denoising sae = assertInstanceOf(Denoising.class, Models.STACKED_AE.build(stacked, 1));
        assertEquals(new Corruption(stacked.corruptionKind(), 0.4), sae.corruption());
    }

    @Test
    void plainAutoencoderAndVaeAreNotDenoising() {
        assertFalse(Models.AE.build(AutoencoderConfig.defaults(), 1) instanceof Denoising);
        assertFalse(Models.VAE.build(Models.VAE.defaults(), 1) instanceof Denoising);
    }
}
