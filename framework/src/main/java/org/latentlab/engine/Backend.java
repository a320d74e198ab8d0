package org.latentlab.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The compute backend a run asks for, and the check that ND4J loaded it.
 *
 * <p>ND4J chooses its backend once, when it first loads, by priority: the environment variables
 * {@code BACKEND_PRIORITY_GPU} (default 100) and {@code BACKEND_PRIORITY_CPU} (default 0). The
 * {@code latentlab} launcher sets them from {@code --backend} before the JVM starts; this class
 * verifies the outcome and fails fast with a message that says what is wrong.
 */
public enum Backend {
    /** CUDA when the CUDA backend loads and a usable GPU is present, otherwise CPU. */
    AUTO,
    CPU,
    CUDA;

    /**
     * Oldest and newest compute capability DL4J 1.0.0-M2.1's CUDA 11.6 kernels are built for
     * (3.7 to 8.6, no PTX; read off its libnd4jcuda.so with bench/cuda_arches.py): newer GPUs such as
     * Hopper (9.0) get "no kernel image". The launchers check the same limit with nvidia-smi before the
     * JVM starts (docker/latentlab-backend.sh, LATENTLAB_MAX_CUDA_CAPABILITY); this is the check for
     * programs that load ND4J without them.
     */
    static final int MAX_SUPPORTED_CAPABILITY = 86;

    public static Backend parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown backend '" + value + "'; expected auto, cpu or cuda");
        }
    }

    /** What ND4J loaded: {@code cpu} or {@code cuda}. */
    public static String loaded() {
        return Nd4j.getBackend()
                        .getClass()
                        .getSimpleName()
                        .toLowerCase(Locale.ROOT)
                        .contains("cublas")
                ? "cuda"
                : "cpu";
    }

    /** Checks that the loaded backend satisfies this request; returns a one-line description of it. */
    public String require() {
        return require(false);
    }

    /**
     * {@link #require()}, told whether the launcher found no sign of an NVIDIA GPU or driver at all (it then sets
     * {@value #NO_GPU_ENV} to {@code 1} and chooses the CPU for {@code auto}), which words the {@code auto} line.
     */
    public String require(boolean launcherFoundNoGpu) {
        String loaded = loaded();
        if (this == CUDA && !loaded.equals("cuda")) {
            throw new IllegalStateException(
                    cudaInBuild()
                            ? "--backend cuda: this build has the CUDA backend, but it did not load: no usable NVIDIA "
                                    + "GPU and driver were found on this machine (check nvidia-smi; in Docker, run with "
                                    + "--gpus all and the NVIDIA container toolkit)"
                            : "--backend cuda: this build has no CUDA backend (build with 'mvn -Pcuda install "
                                    + "-DskipTests' or use the CUDA Docker image)");
        }
        if (this == CPU && !loaded.equals("cpu")) {
            throw new IllegalStateException(
                    "--backend cpu: ND4J loaded the CUDA backend; set BACKEND_PRIORITY_CPU above "
                            + "BACKEND_PRIORITY_GPU (the latentlab launcher does this for --backend cpu)");
        }
        if (loaded.equals("cuda")) {
            for (Gpu gpu : gpus()) {
                if (gpu.capability() > MAX_SUPPORTED_CAPABILITY) {
                    throw new IllegalStateException(String.format(
                            Locale.ROOT,
                            "GPU %s has compute capability %d.%d, but DL4J 1.0.0-M2.1's CUDA 11.6 build only has kernels "
                                    + "for 3.7 to 8.6 (no PTX), so it cannot run on this GPU (Hopper and newer); use "
                                    + "--backend cpu, or a GPU of the Ampere generation or older",
                            gpu.name(),
                            gpu.capability() / 10,
                            gpu.capability() % 10));
                }
            }
            return "cuda: " + gpus();
        }
        if (this == AUTO && cudaInBuild()) {
            return launcherFoundNoGpu
                    ? "cpu (this build has the CUDA backend, but this machine shows no NVIDIA GPU or driver)"
                    : "cpu (this build has the CUDA backend, but it did not load: no usable NVIDIA GPU and driver; "
                            + "--backend cpu skips the attempt)";
        }
        return "cpu";
    }

    /**
     * Starts ND4J's initialisation (its native libraries, 0.3-0.5 s on a cold JVM) on a daemon thread, so that it
     * overlaps what the caller does next; the first use of ND4J on another thread waits for it. For builds without
     * the CUDA backend only (see {@link #cudaInBuild}): there the CPU backend cannot fail to load for reasons a
     * user must read, whereas a CUDA backend that fails on this thread would leave the later use a bare
     * "could not initialize class". Logging must be set up before (SLF4J would otherwise queue the thread's log
     * lines and replay them with a warning).
     */
    public static void initialiseInBackground() {
        if (cudaInBuild()) {
            return;
        }
        Thread thread = new Thread(
                () -> {
                    try {
                        Nd4j.getBackend();
                    } catch (RuntimeException | LinkageError e) {
                        // the caller's own first use of ND4J fails with the same cause and reports it
                    }
                },
                "latentlab-nd4j-init");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether ND4J's CUDA backend is on the class path (a build with the {@code cuda} Maven profile). */
    public static boolean cudaInBuild() {
        try {
            Class.forName(CUDA_BACKEND_CLASS, false, Backend.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Set to {@code 1} by the launchers (docker/latentlab-backend.sh) when {@code --backend auto} chose the CPU
     * because the machine shows no NVIDIA GPU or driver at all.
     */
    public static final String NO_GPU_ENV = "LATENTLAB_NO_GPU";

    /** ND4J's CUDA backend class, in nd4j-cuda-11.6. */
    static final String CUDA_BACKEND_CLASS = "org.nd4j.linalg.jcublas.JCublasBackend";

    /** A GPU as ND4J reports it. */
    public record Gpu(String name, int capability, long totalMemory) {}

    /** The GPUs ND4J sees (empty on the CPU backend). */
    @SuppressWarnings("unchecked")
    public static List<Gpu> gpus() {
        List<Gpu> gpus = new ArrayList<>();
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        Object devices = env.get("cuda.devicesInformation");
        if (devices instanceof List<?> list) {
            for (Object d : list) {
                if (d instanceof Map<?, ?> m) {
                    int major = toInt(m.get("cuda.deviceMajor"));
                    int minor = toInt(m.get("cuda.deviceMinor"));
                    gpus.add(new Gpu(
                            String.valueOf(m.get("cuda.deviceName")),
                            major * 10 + minor,
                            toLong(m.get("cuda.totalMemory"))));
                }
            }
        }
        return gpus;
    }

    private static int toInt(Object o) {
        return o instanceof Number n ? n.intValue() : o == null ? 0 : Integer.parseInt(o.toString());
    }

    private static long toLong(Object o) {
        return o instanceof Number n ? n.longValue() : o == null ? 0 : Long.parseLong(o.toString());
    }
}
