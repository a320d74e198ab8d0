package org.latentlab.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which OpenBLAS kernels suit this CPU.
 *
 * <p>OpenBLAS 0.3.19, the one ND4J 1.0.0-M2.1 loads, picks its kernels from the CPU's family and
 * model number. On CPUs newer than it (Sapphire and Emerald Rapids; this project's cloud VMs report
 * "model 207") it falls back to "Prescott" (SSE3) kernels, which are much slower for the models'
 * matrix products (see docs/PERFORMANCE.md). The variable
 * {@code OPENBLAS_CORETYPE}, read when the library loads, overrides the choice; a JVM cannot set
 * it for itself, so {@code ./latentlab} and the Docker entrypoint export it
 * (docker/latentlab-backend.sh, the same rule as {@link #suggestedCore}) and training warns once
 * when a program started another way runs without it.
 */
public final class BlasKernels {
    private static final Logger LOG = LoggerFactory.getLogger(BlasKernels.class);
    private static final AtomicBoolean CHECKED = new AtomicBoolean();

    private BlasKernels() {}

    /**
     * The {@code OPENBLAS_CORETYPE} for a CPU described by {@code /proc/cpuinfo} text: SkylakeX with
     * AVX-512 F, CD, BW, DQ and VL; Haswell (Zen on AMD) with AVX2 and FMA; empty otherwise.
     */
    public static Optional<String> suggestedCore(String cpuinfo) {
        String flagsLine = field(cpuinfo, "flags");
        if (flagsLine == null) {
            return Optional.empty();
        }
        Set<String> flags = new HashSet<>(Arrays.asList(flagsLine.trim().split("\\s+")));
        if (flags.containsAll(Set.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"))) {
            return Optional.of("SkylakeX");
        }
        if (flags.containsAll(Set.of("avx2", "fma"))) {
            return Optional.of("AuthenticAMD".equals(field(cpuinfo, "vendor_id")) ? "Zen" : "Haswell");
        }
        return Optional.empty();
    }

    /** {@link #warnIfUnset(EngineOptions)} with {@link EngineOptions#current()}. */
    public static void warnIfUnset() {
        warnIfUnset(EngineOptions.current());
    }

    /**
     * Once per JVM, on the CPU backend: warns when {@code OPENBLAS_CORETYPE} is unset in
     * {@code options} although this CPU has a better kernel family than OpenBLAS may detect,
     * naming the value to set.
     */
    public static void warnIfUnset(EngineOptions options) {
        if (!CHECKED.compareAndSet(false, true)
                || !"amd64".equals(System.getProperty("os.arch"))
                || !"cpu".equals(Backend.loaded())) {
            return;
        }
        String cpuinfo;
        try {
            cpuinfo = Files.readString(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            return;
        }
        String set = options.openblasCoreType();
        if (set != null) {
            suggestedCore(cpuinfo)
                    .filter(core -> olderKernels(set, core))
                    .ifPresent(core -> LOG.warn(
                            "OPENBLAS_CORETYPE={} is set in the environment, but this CPU has {}: OpenBLAS's {} kernels "
                                    + "ran matrix products up to 1.8x faster on such a CPU (docs/PERFORMANCE.md); unset "
                                    + "OPENBLAS_CORETYPE (./latentlab then chooses) or set it to {}",
                            set,
                            core.equals("SkylakeX") ? "AVX-512" : "AVX2 and FMA",
                            core,
                            core));
            return;
        }
        suggestedCore(cpuinfo)
                .ifPresent(core -> LOG.warn(
                        "OPENBLAS_CORETYPE is not set: OpenBLAS 0.3.19 may choose slow SSE3 "
                                + "kernels on CPUs newer than itself (2.5-3x slower matrix products measured); export "
                                + "OPENBLAS_CORETYPE={} before starting Java (./latentlab and the Docker image do this)",
                        core));
    }

    /**
     * Whether the kernels {@code set} names are of an older instruction set than {@code suggested} ({@link
     * #suggestedCore}): AVX-512 (SkylakeX, Cooperlake, SapphireRapids) above AVX2 (Haswell, Zen, SkylakeX's
     * predecessors) above anything else.
     */
    static boolean olderKernels(String set, String suggested) {
        return rank(set) < rank(suggested);
    }

    private static int rank(String core) {
        return switch (core.trim().toLowerCase(Locale.ROOT)) {
            case "skylakex", "cooperlake", "sapphirerapids" -> 3;
            case "haswell", "zen", "skylake" -> 2;
            default -> 1;
        };
    }

    /** The value of the first {@code key : value} line of cpuinfo text, or null. */
    private static String field(String cpuinfo, String key) {
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0
                    && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(key)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }
}
