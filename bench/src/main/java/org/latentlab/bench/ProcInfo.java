package org.latentlab.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/** What Linux's /proc says about this process and machine; every reader returns empty/unknown elsewhere. */
final class ProcInfo {
    private ProcInfo() {}

    /**
     * A {@code kB} field of {@code /proc/self/status}, e.g. {@code VmHWM} (peak resident set
     * size) or {@code VmRSS}, in KiB.
     */
    static OptionalLong selfStatusKib(String field) {
        return kibField(Path.of("/proc/self/status"), field);
    }

    /** Total memory ({@code MemTotal} of /proc/meminfo) in KiB. */
    static OptionalLong memTotalKib() {
        return kibField(Path.of("/proc/meminfo"), "MemTotal");
    }

    static OptionalLong kibField(Path file, String field) {
        for (String line : lines(file)) {
            if (line.startsWith(field + ":")) {
                String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
                try {
                    return OptionalLong.of(Long.parseLong(parts[0]));
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }

    /**
     * CPU time the machine has spent busy, from the {@code cpu} line of /proc/stat: user, nice,
     * system, irq, softirq and steal (idle and iowait excluded), in units of 1/100 s (USER_HZ),
     * returned in nanoseconds; 0 where the file is missing.
     */
    static long machineBusyNanos(Path procStat) {
        for (String line : lines(procStat)) {
            if (line.startsWith("cpu ")) {
                String[] f = line.trim().split("\\s+");
                long busy = 0;
                for (int i : new int[] {1, 2, 3, 6, 7, 8}) { // user nice system [idle iowait] irq softirq steal
                    if (i < f.length) {
                        busy += Long.parseLong(f[i]);
                    }
                }
                return busy * 10_000_000L;
            }
        }
        return 0;
    }

    /** The real user id from /proc/self/status, or -1. */
    static int uid() {
        for (String line : lines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return Integer.parseInt(line.substring(4).trim().split("\\s+")[0]);
            }
        }
        return -1;
    }

    /** The CPU model name of the first processor in /proc/cpuinfo, or {@code os.arch}. */
    static String cpuModel() {
        for (String line : lines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return System.getProperty("os.arch");
    }

    /**
     * The widest vector instructions this CPU offers for float products, from the flags of /proc/cpuinfo: "AVX-512"
     * (F, CD, BW, DQ and VL), "AVX2" (with FMA), "AVX", "SSE" or, without the file, the architecture.
     */
    static String vectorExtensions() {
        return vectorExtensions(String.join("\n", lines(Path.of("/proc/cpuinfo"))));
    }

    static String vectorExtensions(String cpuinfo) {
        for (String line : cpuinfo.split("\n")) {
            if (line.startsWith("flags")) {
                List<String> flags =
                        List.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+"));
                if (flags.containsAll(List.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"))) {
                    return "AVX-512";
                }
                if (flags.containsAll(List.of("avx2", "fma"))) {
                    return "AVX2";
                }
                return flags.contains("avx") ? "AVX" : "SSE";
            }
        }
        return System.getProperty("os.arch");
    }

    /**
     * A folder name for this machine's benchmark: the CPU model and its vector instructions, lower case, e.g.
     * "amd-epyc-avx-512" or "intel-xeon-processor-avx-512" (each CPU model measured keeps its own table).
     */
    static String machineSlug(String cpuModel, String vector) {
        String name = (cpuModel.replaceAll("@.*$", "") + " " + vector)
                .toLowerCase(java.util.Locale.ROOT)
                .replace("(r)", "")
                .replace("(tm)", "")
                .replaceAll("\\bcpu\\b", "")
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
        return name.isEmpty() ? "unknown-cpu" : name;
    }

    /** The three load averages (1, 5, 15 minutes) of /proc/loadavg, or an empty array. */
    static double[] loadAverage() {
        List<String> lines = lines(Path.of("/proc/loadavg"));
        if (lines.isEmpty()) {
            return new double[0];
        }
        String[] p = lines.get(0).trim().split("\\s+");
        try {
            return new double[] {Double.parseDouble(p[0]), Double.parseDouble(p[1]), Double.parseDouble(p[2])};
        } catch (RuntimeException e) {
            return new double[0];
        }
    }

    /** The PRETTY_NAME of /etc/os-release and the kernel release, e.g. "Debian GNU/Linux 12 (bookworm), Linux 6.1.0". */
    static String operatingSystem() {
        String pretty = null;
        for (String line : lines(Path.of("/etc/os-release"))) {
            if (line.startsWith("PRETTY_NAME=")) {
                pretty = line.substring("PRETTY_NAME=".length()).replace("\"", "");
            }
        }
        String kernel = System.getProperty("os.name") + " " + System.getProperty("os.version");
        return pretty == null ? kernel : pretty + ", " + kernel;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
