package org.latentlab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.imports.converters.DifferentialFunctionClassHolder;
import org.nd4j.imports.descriptors.tensorflow.TensorflowDescriptorParser;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.protobuf.TextFormat;
import org.tensorflow.framework.OpDef;
import org.tensorflow.framework.OpList;

class OpDescriptorsTest {

    /** ND4J's own way of reading {@code ops.proto} (TensorflowDescriptorParser.opDescs, M2.1), done here directly. */
    private static Map<String, OpDef> parseText() throws IOException {
        StringBuilder text = new StringBuilder();
        try (InputStream in =
                        TensorflowDescriptorParser.class.getClassLoader().getResourceAsStream(OpDescriptors.SOURCE);
                BufferedReader lines = new BufferedReader(new InputStreamReader(
                        Objects.requireNonNull(in, "nd4j-api has no " + OpDescriptors.SOURCE),
                        StandardCharsets.UTF_8))) {
            lines.lines().forEach(text::append); // line after line without the breaks, as ND4J does
        }
        OpList.Builder list = OpList.newBuilder();
        TextFormat.getParser().merge(text, list);
        Map<String, OpDef> byName = new TreeMap<>();
        for (OpDef op : list.getOpList()) {
            byName.put(op.getName(), op);
        }
        return byName;
    }

    @Test
    void theShippedBinaryHoldsExactlyTheDefinitionsOfTheText() throws IOException {
        Map<String, OpDef> parsed = parseText();
        if (Boolean.getBoolean("latentlab.remakeOpDescriptors")) {
            OpList.Builder sorted = OpList.newBuilder();
            parsed.values().forEach(sorted::addOp);
            Path out = Path.of("src/main/resources/org/latentlab/engine", OpDescriptors.RESOURCE);
            Files.createDirectories(out.getParent());
            Files.write(out, sorted.build().toByteArray());
        }
        Map<String, OpDef> shipped = OpDescriptors.read();
        assertEquals(1412, parsed.size(), "op definitions in nd4j-api 1.0.0-M2.1's " + OpDescriptors.SOURCE);
        assertEquals(parsed.keySet(), new TreeMap<>(shipped).keySet());
        for (Map.Entry<String, OpDef> e : parsed.entrySet()) {
            assertEquals(e.getValue(), shipped.get(e.getKey()), e.getKey());
        }
        OpDef matMul = shipped.get("MatMul");
        assertEquals("MatMul", matMul.getName());
        assertEquals(2, matMul.getInputArgCount());
    }

    @Test
    void theTextOnTheClassPathIsTheOneTheBinaryWasMadeFrom() throws IOException {
        // If this fails after an ND4J upgrade, remake the binary (see OpDescriptors) and update its size and CRC.
        assertTrue(OpDescriptors.sourceMatches());
    }

    @Test
    void afterPreloadNd4jAnswersWithTheShippedDefinitionsAndDifferentiates() throws IOException {
        OpDescriptors.preload();
        assertFalse(OpDescriptors.preload(), "a second call does nothing");
        Map<String, OpDef> parsed = parseText();
        Map<String, OpDef> inUse = TensorflowDescriptorParser.opDescs();
        assertEquals(parsed, new TreeMap<>(inUse));
        assertEquals(
                parsed.get("Conv2D"),
                DifferentialFunctionClassHolder.getInstance().getOpDefByTensorflowName("Conv2D"));

        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3);
        SDVariable w = sd.var("w", Nd4j.rand(DataType.FLOAT, 3, 2));
        sd.math().square(x.mmul(w)).sum().markAsLoss();
        sd.createGradFunction();
        assertNotNull(sd.getGradForVariable("w"));
    }
}
