package org.latentlab.run;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.latentlab.data.DataFile;
import org.latentlab.engine.EngineOptions;
import org.latentlab.io.AtomicFiles;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where a run came from: enough to rebuild it or to explain a difference between two runs
 * (code version and whether the checkout had uncommitted changes, library versions, backend and
 * device, JVM, host, and each data file read with its SHA-256). Written in {@code summary.json} under
 * {@code "provenance"} and beside the final model as {@value #FILE}, with the keys of earlier versions
 * ({@code latentlab_version}, {@code git_commit}, ...); a summary written before a key existed reads it as null.
 *
 * @param latentlabVersion project version
 * @param gitCommit        commit of the checkout the code was built from, or {@code unknown}
 * @param gitDirty         whether that checkout had uncommitted changes; null if unknown (written {@code "unknown"})
 * @param dl4jVersion      ND4J's version
 * @param backend          ND4J backend class
 * @param device           CPU model or CUDA devices
 * @param cores            available processors
 * @param openblasCoretype {@code OPENBLAS_CORETYPE}, or {@code unset}
 * @param nd4jThreads      ND4J's threads
 * @param blasThreads      BLAS threads; null if unknown (written {@code "unknown"})
 * @param opThreads        {@code LATENTLAB_OP_THREADS}, or {@code timed}
 * @param jvm              JVM name and version
 * @param os               OS name and architecture
 * @param host             host name
 * @param dataFiles        the dataset files read, with SHA-256 (empty: none recorded; the key is then left out)
 */
@JsonSerialize(using = Provenance.Writer.class)
@JsonDeserialize(using = Provenance.Reader.class)
public record Provenance(
        String latentlabVersion,
        String gitCommit,
        Boolean gitDirty,
        String dl4jVersion,
        String backend,
        String device,
        int cores,
        String openblasCoretype,
        Integer nd4jThreads,
        Integer blasThreads,
        String opThreads,
        String jvm,
        String os,
        String host,
        List<DataFile> dataFiles) {
    /** The copy written beside the final model. */
    public static final String FILE = "provenance.json";

    private static final String UNKNOWN = "unknown";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public Provenance {
        dataFiles = dataFiles == null ? List.of() : List.copyOf(dataFiles);
    }

    /** A snapshot of the current process's provenance, without data files, with {@link EngineOptions#current()}. */
    public static Provenance capture() {
        return capture(EngineOptions.current(), List.of());
    }

    /** A snapshot of the current process's provenance: the engine's {@code options}, the data files the run read. */
    public static Provenance capture(EngineOptions options, List<DataFile> dataFiles) {
        Path checkout = checkoutRoot();
        String commit;
        Boolean dirty;
        if (checkout != null) {
            commit = git(checkout, "rev-parse", "HEAD");
            String status = git(checkout, "status", "--porcelain", "--untracked-files=no");
            dirty = UNKNOWN.equals(status) ? null : !status.isBlank();
        } else {
            // No .git beside the jars (a Docker image, an unpacked release): the commit baked in at build time.
            commit = builtCommit(System.getenv(COMMIT_ENV));
            dirty = builtDirty(System.getenv(DIRTY_ENV));
        }
        Object blas = currentBlasThreads();
        // What the numbers may depend on besides the seed, data and config (docs/RELIABILITY.md):
        // OpenBLAS's kernels for this CPU and the thread counts that sums are split over.
        return new Provenance(
                Version.project(),
                commit,
                dirty,
                currentDl4jVersion(),
                Nd4j.getBackend().getClass().getSimpleName(),
                currentDevice(),
                Runtime.getRuntime().availableProcessors(),
                options.openblasCoreType() == null ? "unset" : options.openblasCoreType(),
                Nd4j.getEnvironment().maxMasterThreads(),
                blas instanceof Integer i ? i : null,
                options.opThreads().setting(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                hostName(),
                dataFiles);
    }

    /** Writes {@value #FILE} into {@code dir} atomically. */
    public void write(Path dir) {
        AtomicFiles.writeString(dir.resolve(FILE), toJson());
    }

    /** Reads a {@value #FILE}. */
    public static Provenance read(Path file) {
        try {
            return JSON.readValue(file.toFile(), Provenance.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The JSON written to {@value #FILE}. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As a JSON object, with the keys of {@code summary.json}. */
    public ObjectNode toTree() {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        putIfSet(p, "latentlab_version", latentlabVersion);
        putIfSet(p, "git_commit", gitCommit);
        if (gitDirty == null) {
            p.put("git_dirty", UNKNOWN);
        } else {
            p.put("git_dirty", gitDirty);
        }
        putIfSet(p, "dl4j_version", dl4jVersion);
        putIfSet(p, "backend", backend);
        putIfSet(p, "device", device);
        p.put("cores", cores);
        putIfSet(p, "openblas_coretype", openblasCoretype);
        if (nd4jThreads != null) {
            p.put("nd4j_threads", nd4jThreads);
        }
        if (blasThreads == null) {
            p.put("blas_threads", UNKNOWN);
        } else {
            p.put("blas_threads", blasThreads);
        }
        putIfSet(p, "op_threads", opThreads);
        putIfSet(p, "jvm", jvm);
        putIfSet(p, "os", os);
        putIfSet(p, "host", host);
        if (!dataFiles.isEmpty()) {
            ArrayNode files = p.putArray("data_files");
            dataFiles.forEach(f -> {
                ObjectNode file = files.addObject()
                        .put("file", f.file())
                        .put("bytes", f.bytes())
                        .put("sha256", f.sha256());
                if (f.count() != 1) {
                    file.put("count", f.count()); // a folder: how many files its manifest hash covers
                }
            });
        }
        return p;
    }

    /** Reads the JSON object of {@link #toTree()}; keys it lacks are null (0 for {@code cores}). */
    public static Provenance fromTree(JsonNode p) {
        List<DataFile> files = new ArrayList<>();
        p.path("data_files")
                .forEach(f -> files.add(new DataFile(
                        f.path("file").asText(),
                        f.path("bytes").asLong(),
                        f.path("sha256").asText(),
                        f.path("count").asInt(1))));
        JsonNode dirty = p.path("git_dirty");
        JsonNode blas = p.path("blas_threads");
        return new Provenance(
                text(p, "latentlab_version"),
                text(p, "git_commit"),
                dirty.isBoolean() ? dirty.asBoolean() : null,
                text(p, "dl4j_version"),
                text(p, "backend"),
                text(p, "device"),
                p.path("cores").asInt(),
                text(p, "openblas_coretype"),
                p.path("nd4j_threads").isNumber() ? p.path("nd4j_threads").asInt() : null,
                blas.isNumber() ? blas.asInt() : null,
                text(p, "op_threads"),
                text(p, "jvm"),
                text(p, "os"),
                text(p, "host"),
                files);
    }

    private static void putIfSet(ObjectNode node, String key, String value) {
        if (value != null) {
            node.put(key, value);
        }
    }

    private static String text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** Jackson writes a provenance as {@link #toTree()}. */
    static final class Writer extends JsonSerializer<Provenance> {
        @Override
        public void serialize(Provenance value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeTree(value.toTree());
        }
    }

    /** Jackson reads a provenance with {@link #fromTree}. */
    static final class Reader extends JsonDeserializer<Provenance> {
        @Override
        public Provenance deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return fromTree(p.readValueAsTree());
        }
    }

    private static Object currentBlasThreads() {
        try {
            return Nd4j.factory().blas().getMaxThreads();
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    private static String currentDl4jVersion() {
        Properties props = new Properties();
        try (InputStream in = Nd4j.class.getResourceAsStream("/META-INF/maven/org.nd4j/nd4j-api/pom.properties")) {
            if (in != null) {
                props.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return props.getProperty("version", "unknown");
    }

    private static String currentDevice() {
        if (Nd4j.getBackend().getClass().getSimpleName().toLowerCase().contains("cuda")) {
            Object devices = Nd4j.getExecutioner().getEnvironmentInformation().get("cuda.devicesInformation");
            return devices == null ? "CUDA device" : devices.toString();
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The git checkout the running code was built from, found upward from its jar or classes folder. */
    /** The commit an image was built from, baked in by {@code docker/Dockerfile.*} ({@code --build-arg GIT_COMMIT}). */
    public static final String COMMIT_ENV = "LATENTLAB_GIT_COMMIT";
    /** Whether that build had uncommitted changes: {@code true}, {@code false}, or empty when not known. */
    public static final String DIRTY_ENV = "LATENTLAB_GIT_DIRTY";

    /** The commit named by {@value #COMMIT_ENV}, or {@code unknown} when it is unset, empty or not a commit hash. */
    static String builtCommit(String value) {
        if (value == null) {
            return UNKNOWN;
        }
        String v = value.trim();
        return v.matches("[0-9a-f]{7,64}") ? v : UNKNOWN;
    }

    /** {@value #DIRTY_ENV} read as a flag: null unless it says {@code true} or {@code false}. */
    static Boolean builtDirty(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        return "true".equals(v) ? Boolean.TRUE : "false".equals(v) ? Boolean.FALSE : null;
    }

    private static Path checkoutRoot() {
        try {
            Path p = Path.of(Provenance.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toAbsolutePath();
            for (; p != null; p = p.getParent()) {
                if (Files.exists(p.resolve(".git"))) {
                    return p;
                }
            }
        } catch (Exception e) {
            // no code source (e.g. a custom class loader): provenance says unknown
        }
        return null;
    }

    private static String git(Path dir, String... args) {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "git";
        cmd[1] = "-C";
        cmd[2] = dir.toString();
        System.arraycopy(args, 0, cmd, 3, args.length);
        try {
            Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!proc.waitFor(10, TimeUnit.SECONDS) || proc.exitValue() != 0) {
                return "unknown";
            }
            return out;
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
