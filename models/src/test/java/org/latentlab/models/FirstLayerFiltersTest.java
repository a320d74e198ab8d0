package org.latentlab.models;

import org.latentlab.models.ae.StackedAutoencoderContractTest;
import org.latentlab.models.ae.ContractiveAutoencoderContractTest;
import org.latentlab.models.ae.SparseAutoencoderContractTest;
import org.latentlab.models.ae.ConvAutoencoderContractTest;
import org.latentlab.models.ae.DenoisingAutoencoderContractTest;
import org.latentlab.models.ae.AutoencoderContractTest;
import org.latentlab.models.Models;
import org.latentlab.models.vae.ConditionalVaeContractTest;
import org.latentlab.models.vae.ConvVaeContractTest;
import org.latentlab.models.vae.IwaeContractTest;
import org.latentlab.models.vae.VaeContractTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.plot.FirstLayerWeights;
import org.latentlab.plot.ImageFigures;
import org.latentlab.plot.PlotFiles;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link FirstLayerWeights#of} picks the encoder's first layer of every registered variant (tiny configs of
 * the contract tests), with the same result after a save and load, so the filter plot works for all of them.
 */
class FirstLayerFiltersTest {

    @TempDir
    Path tmp;

    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of("vae", new VaeContractTest(), "encoder/0/W"),
                Arguments.of("conv-vae", new ConvVaeContractTest(), "encoder/conv0/W"),
                Arguments.of("cvae", new ConditionalVaeContractTest(), "encoder/0/W"),
                Arguments.of("iwae", new IwaeContractTest(), "encoder/0/W"),
                Arguments.of("ae", new AutoencoderContractTest(), "encoder/0/W"),
                Arguments.of("dae", new DenoisingAutoencoderContractTest(), "encoder/0/W"),
                Arguments.of("conv-ae", new ConvAutoencoderContractTest(), "encoder/conv0/W"),
                Arguments.of("sparse-ae", new SparseAutoencoderContractTest(), "encoder/0/W"),
                Arguments.of("cae", new ContractiveAutoencoderContractTest(), "encoder/0/W"),
                Arguments.of("stacked-ae", new StackedAutoencoderContractTest(), "encoder/0/W"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void firstLayerIsTheEncodersFirstParameter(String name, ModelContractTest<?> contract, String expected)
            throws Exception {
        assertEquals(name, contract.type().name());
        AutoencoderModel<?> model = contract.build(3);
        FirstLayerWeights layer = FirstLayerWeights.of(model, 28, 28);
        assertEquals(expected, layer.variable());
        assertEquals(expected.contains("conv"), layer.convolutional());
        INDArray raw = model.graph().getVariable(layer.variable()).getArr();
        if (layer.convolutional()) {
            assertEquals(4, raw.rank());
            assertEquals(1, raw.size(2), "reads the single input channel");
            for (int c = 0; c < layer.count(); c++) {
                for (int i = 0; i < layer.rows(); i++) {
                    for (int j = 0; j < layer.cols(); j++) {
                        assertEquals(raw.getFloat(i, j, 0, c), layer.filters()[c][i * layer.cols() + j]);
                    }
                }
            }
        } else {
            assertEquals(2, raw.rank());
            assertTrue(raw.size(0) >= 784, "reads the pixels: " + Arrays.toString(raw.shape()));
            assertEquals(raw.size(1), layer.count());
            for (int u = 0; u < layer.count(); u += 7) {
                for (int p = 0; p < 784; p += 13) {
                    assertEquals(raw.getFloat(p, u), layer.filters()[u][p]);
                }
            }
        }
        Path saved = tmp.resolve("model");
        model.save(saved, Models.registry());
        FirstLayerWeights reloaded = FirstLayerWeights.of(AutoencoderModel.load(saved, Models.registry()), 28, 28);
        assertEquals(layer.variable(), reloaded.variable(), "the same variable after loading");
        assertArrayEquals(layer.filters(), reloaded.filters());

        PlotFiles files = ImageFigures.filters(tmp, "filters", name + " first-layer filters", layer, 16);
        assertTrue(Files.size(files.png()) > 0 && Files.size(files.svg()) > 0);
        assertFalse(Files.readString(files.csv()).isBlank());
    }
}
