package org.latentlab.engine;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import org.nd4j.imports.descriptors.tensorflow.TensorflowDescriptorParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.framework.OpDef;
import org.tensorflow.framework.OpList;

/**
 * Gives ND4J its TensorFlow op descriptors from a binary copy shipped with Latent Lab, so that the first gradient
 * graph of a process does not parse them from text.
 *
 * <p>The first {@code createGradFunction} (or model load) of a JVM initialises ND4J's op registry
 * ({@code DifferentialFunctionClassHolder}), which reads TensorFlow's 1,412 op definitions from the 873 KB text file
 * {@code ops.proto} in {@code nd4j-api} with protobuf's text parser: 0.96 s of a cold JVM's 1.2 s registry set-up
 * (2-core AMD EPYC, 2026-12-04), on the critical path to the first training step. Latent Lab never imports
 * TensorFlow graphs, but the registry reads them all the same. The same definitions in protobuf's binary form parse in
 * about 0.06 s; {@link #preload} puts them where ND4J caches them ({@code TensorflowDescriptorParser.DESCRIPTORS}).
 *
 * <p>The binary copy ({@value #RESOURCE}) is used only when {@code ops.proto} on the class path is the very file it
 * was made from (its size and CRC-32, read from the jar's directory without inflating it); otherwise, or when
 * anything else is unexpected, ND4J parses the text as it always did. {@code OpDescriptorsTest} checks that the
 * copy equals the parsed text and remakes it ({@code -Dlatentlab.remakeOpDescriptors=true}).
 */
public final class OpDescriptors {

    private static final Logger LOG = LoggerFactory.getLogger(OpDescriptors.class);

    /** The binary {@link OpList}, next to this class. */
    static final String RESOURCE = "tensorflow-ops.pb";
    /** Size of the {@code ops.proto} of nd4j-api 1.0.0-M2.1 that {@value #RESOURCE} was made from. */
    static final long SOURCE_SIZE = 873_007L;
    /** Its CRC-32. */
    static final long SOURCE_CRC = 0x47f650e5L;
    /** Where nd4j-api keeps the text, and the cache field {@code TensorflowDescriptorParser.opDescs()} fills. */
    static final String SOURCE = "ops.proto";

    static final String CACHE_FIELD = "DESCRIPTORS";

    private static boolean done;

    private OpDescriptors() {}

    /**
     * Installs the binary descriptors if ND4J has not parsed its own yet and the text on the class path is the one
     * they were made from; returns whether it installed them. Cheap after the first call; never throws.
     */
    public static synchronized boolean preload() {
        if (done) {
            return false;
        }
        done = true;
        long t0 = System.nanoTime();
        try {
            // Same lock as TensorflowDescriptorParser.opDescs(), a static synchronized method.
            synchronized (TensorflowDescriptorParser.class) {
                Field cache = TensorflowDescriptorParser.class.getDeclaredField(CACHE_FIELD);
                cache.setAccessible(true);
                if (cache.get(null) != null) {
                    return false;
                }
                if (!sourceMatches()) {
                    LOG.debug("{} is not the file {} was made from: ND4J parses its op descriptors", SOURCE, RESOURCE);
                    return false;
                }
                cache.set(null, read());
            }
            LOG.debug(
                    "TensorFlow op descriptors read from {} in {} ms", RESOURCE, (System.nanoTime() - t0) / 1_000_000);
            return true;
        } catch (IOException | ReflectiveOperationException | RuntimeException e) {
            LOG.debug("op descriptors not preloaded ({}): ND4J parses them", e.toString());
            return false;
        }
    }

    /** The shipped descriptors by op name, as {@code TensorflowDescriptorParser.opDescs()} makes them. */
    static Map<String, OpDef> read() throws IOException {
        try (InputStream in = OpDescriptors.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is missing from the class path");
            }
            Map<String, OpDef> byName = new HashMap<>();
            for (OpDef op : OpList.parseFrom(in).getOpList()) {
                byName.put(op.getName(), op);
            }
            return byName;
        }
    }

    /** Whether {@value #SOURCE} as ND4J loads it has the size and CRC-32 of the file {@value #RESOURCE} was made from. */
    static boolean sourceMatches() throws IOException {
        URL url = TensorflowDescriptorParser.class.getClassLoader().getResource(SOURCE);
        if (url == null) {
            return false;
        }
        URLConnection connection = url.openConnection();
        if (connection instanceof JarURLConnection jar) {
            ZipEntry entry = jar.getJarEntry(); // from the jar's directory: nothing is inflated
            return entry != null && entry.getSize() == SOURCE_SIZE && entry.getCrc() == SOURCE_CRC;
        }
        try (InputStream in = connection.getInputStream()) {
            byte[] bytes = in.readAllBytes();
            CRC32 crc = new CRC32();
            crc.update(bytes);
            return bytes.length == SOURCE_SIZE && crc.getValue() == SOURCE_CRC;
        }
    }
}
