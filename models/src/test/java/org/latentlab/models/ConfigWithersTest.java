package org.latentlab.models;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.latentlab.core.ModelConfig;
import org.latentlab.core.ModelType;
import org.latentlab.data.Corruption;
import org.latentlab.graph.Activation;
import org.latentlab.loss.Likelihood;
import org.latentlab.models.ae.AutoencoderConfig;
import org.latentlab.models.ae.DenoisingAutoencoderConfig;
import org.latentlab.models.ae.SparseAutoencoderConfig;
import org.latentlab.models.vae.ConvVaeConfig;
import org.latentlab.models.vae.VaeConfig;

/** Every model config can be written from its defaults with one wither per key, validated as its constructor. */
class ConfigWithersTest {

    @Test
    void everyKeyOfEveryModelHasAWither() throws ReflectiveOperationException {
        List<String> missing = new ArrayList<>();
        for (ModelType<?> type : Models.registry().types()) {
            ModelConfig defaults = type.defaults();
            for (RecordComponent c : type.configClass().getRecordComponents()) {
                String name = "with" + Character.toUpperCase(c.getName().charAt(0))
                        + c.getName().substring(1);
                Method wither;
                try {
                    wither = type.configClass().getMethod(name, c.getType());
                } catch (NoSuchMethodException e) {
                    missing.add(type.name() + "." + name);
                    continue;
                }
                assertEquals(type.configClass(), wither.getReturnType(), name);
                // the default value gives the defaults back
                Object value = c.getAccessor().invoke(defaults);
                assertEquals(defaults, wither.invoke(defaults, value), type.name() + "." + name);
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void withersChangeOneKeyAndValidate() {
        VaeConfig vae = VaeConfig.defaults().withLatentSize(2).withBeta(4);
        assertEquals(2, vae.latentSize());
        assertEquals(4.0, vae.beta());
        assertEquals(VaeConfig.defaults().hiddenSizes(), vae.hiddenSizes());
        assertEquals(
                Likelihood.GAUSSIAN, vae.withLikelihood(Likelihood.GAUSSIAN).likelihood());

        AutoencoderConfig ae = AutoencoderConfig.defaults().withEncoderSizes(List.of(32, 2));
        assertEquals(2, ae.codeSize());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AutoencoderConfig.defaults()
                .withOutputActivation(Activation.TANH));
        assertTrue(e.getMessage().contains("loss bce needs outputActivation sigmoid"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> VaeConfig.defaults().withLatentSize(0));
        assertTrue(e.getMessage().contains("latentSize must be at least 1, got 0"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> ConvVaeConfig.defaults().withInputSize(780));
        assertTrue(e.getMessage().contains("square number"), e.getMessage());

        DenoisingAutoencoderConfig dae = DenoisingAutoencoderConfig.defaults()
                .withCorruptionKind(Corruption.Kind.GAUSSIAN)
                .withCorruptionLevel(0.3);
        assertEquals(new Corruption(Corruption.Kind.GAUSSIAN, 0.3), dae.corruption());
        SparseAutoencoderConfig sparse =
                SparseAutoencoderConfig.defaults().withRho(0.1).withHiddenSizes(List.of(64));
        assertEquals(0.1, sparse.rho());
        assertEquals(List.of(64), sparse.hiddenSizes());
        assertThrows(IllegalArgumentException.class, () -> sparse.withRho(1.5));
    }

    @Test
    void aWitherCopiesItsList() {
        List<Integer> sizes = new ArrayList<>(List.of(16));
        VaeConfig vae = VaeConfig.defaults().withHiddenSizes(sizes);
        sizes.add(8);
        assertEquals(List.of(16), vae.hiddenSizes());
    }
}
