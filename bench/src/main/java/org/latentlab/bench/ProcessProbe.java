package org.latentlab.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * What {@link SteadyStateTimer} reads at every window boundary: this process's CPU time, its
 * resident set size, and the CPU time the whole machine spent busy, which together say how many
 * cores this process kept busy and how many other processes took meanwhile.
 */
interface ProcessProbe {
    /** CPU time of this process so far (all threads, user and system), in nanoseconds. */
    long cpuNanos();

    /** Resident set size of this process now, in KiB (-1 if unknown). */
    long rssKib();

    /** CPU time all cores of the machine have spent busy so far (not idle, not waiting for I/O), in nanoseconds. */
    long machineBusyNanos();

    /** The probe of this JVM: its process CPU time, /proc/self/status and /proc/stat. */
    static ProcessProbe thisJvm() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        com.sun.management.OperatingSystemMXBean sun =
                os instanceof com.sun.management.OperatingSystemMXBean s ? s : null;
        return new ProcessProbe() {
            @Override
            public long cpuNanos() {
                return sun == null ? 0 : sun.getProcessCpuTime();
            }

            @Override
            public long rssKib() {
                return ProcInfo.selfStatusKib("VmRSS").orElse(-1);
            }

            @Override
            public long machineBusyNanos() {
                return ProcInfo.machineBusyNanos(Path.of("/proc/stat"));
            }
        };
    }
}
