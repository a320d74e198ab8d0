package org.latentlab.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Starts measurements in fresh JVMs: the java of this JVM, its flags (minus agents) and its class
 * path, running {@code <mainClass> bench-worker ...}. The environment is inherited, so ND4J picks
 * the same backend as this process (the launcher sets its priorities from {@code --backend}).
 */
final class ChildJvm {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String java;
    private final List<String> jvmFlags;
    private final String classPath;
    private final String mainClass;
    private final Duration timeout;

    ChildJvm(String java, List<String> jvmFlags, String classPath, String mainClass, Duration timeout) {
        this.java = java;
        this.jvmFlags = List.copyOf(jvmFlags);
        this.classPath = classPath;
        this.mainClass = mainClass;
        this.timeout = timeout;
    }

    /** A launcher of JVMs like this one, running {@code mainClass}. */
    static ChildJvm likeThisJvm(String mainClass, Duration timeout) {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> flags = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-agentlib")
                        && !a.startsWith("-javaagent")
                        && !a.startsWith("-Xdebug")
                        && !a.startsWith("-Xrunjdwp"))
                .toList();
        return new ChildJvm(java, flags, System.getProperty("java.class.path"), mainClass, timeout);
    }

    List<String> jvmFlags() {
        return jvmFlags;
    }

    String java() {
        return java;
    }

    /**
     * Runs {@code bench-worker} with {@code args} (plus {@code --result}); its output goes to
     * {@code <workDir>/<name>.log}. Returns the worker's JSON result, or {@code status: failed}
     * with the reason (exit code and the last lines of its log, or the timeout).
     */
    Map<String, Object> run(String name, List<String> args, Path workDir) {
        return run(name, args, workDir, Map.of());
    }

    /** As {@link #run(String, List, Path)}, with {@code env} added to the inherited environment. */
    Map<String, Object> run(String name, List<String> args, Path workDir, Map<String, String> env) {
        Path resultFile = workDir.resolve(name + ".json");
        Path log = workDir.resolve(name + ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-cp", classPath, mainClass, "bench-worker"));
        cmd.addAll(args);
        cmd.addAll(List.of("--result", resultFile.toString()));
        return runProcess(cmd, env, log, resultFile, timeout);
    }

    /**
     * Runs {@code <mainClass> args...} (a user's command, such as {@code train} or {@code sweep}) with its output in
     * {@code <workDir>/<name>.log}, timed from just before the launch to the exit: {@code status} ok or failed (with
     * the reason), {@code wall_seconds}.
     */
    Map<String, Object> launch(String name, List<String> args, Path workDir) {
        Path log = workDir.resolve(name + ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-cp", classPath, mainClass));
        cmd.addAll(args);
        return timedProcess(cmd, Map.of(), log, timeout);
    }

    /**
     * Runs {@code cmd} with {@code env} added to the inherited environment and its output in {@code log}, timed from
     * just before the launch to the exit: {@code status} ok (with {@code wall_seconds} and {@code pid}) or failed.
     */
    static Map<String, Object> timedProcess(List<String> cmd, Map<String, String> env, Path log, Duration timeout) {
        Process p = null;
        try {
            ProcessBuilder pb =
                    new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(env);
            long start = System.nanoTime();
            p = pb.start();
            RUNNING.add(p);
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
                return failed("did not finish within " + timeout.toMinutes() + " min (killed)" + tail(log));
            }
            double wall = (System.nanoTime() - start) / 1e9;
            if (p.exitValue() != 0) {
                return failed("exit code " + p.exitValue() + tail(log));
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("status", "ok");
            r.put("wall_seconds", wall);
            r.put("pid", p.pid());
            return r;
        } catch (IOException e) {
            return failed("cannot run " + cmd.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed("interrupted");
        } finally {
            if (p != null) {
                RUNNING.remove(p);
            }
        }
    }

    /** Measurements in progress, ended if this JVM is stopped (Ctrl-C) so that none is left running. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> RUNNING.forEach(p -> {
                            p.descendants().forEach(ProcessHandle::destroyForcibly);
                            p.destroyForcibly();
                        }),
                        "bench-children"));
    }

    /** Runs {@code cmd} with its output in {@code log}; reads the JSON object it left in {@code resultFile}. */
    static Map<String, Object> runProcess(List<String> cmd, Path log, Path resultFile, Duration timeout) {
        return runProcess(cmd, Map.of(), log, resultFile, timeout);
    }

    /** As {@link #runProcess(List, Path, Path, Duration)}, with {@code env} added to the inherited environment. */
    static Map<String, Object> runProcess(
            List<String> cmd, Map<String, String> env, Path log, Path resultFile, Duration timeout) {
        Map<String, Object> run = timedProcess(cmd, env, log, timeout);
        if (!"ok".equals(run.get("status"))) {
            return run;
        }
        if (!Files.isRegularFile(resultFile)) {
            return failed("exit code 0 but no " + resultFile.getFileName() + tail(log));
        }
        try {
            Map<String, Object> result =
                    JSON.readValue(resultFile.toFile(), new TypeReference<LinkedHashMap<String, Object>>() {});
            result.put("pid", run.get("pid"));
            return result;
        } catch (IOException e) {
            return failed("cannot read " + resultFile + ": " + e.getMessage());
        }
    }

    static Map<String, Object> failed(String reason) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("status", "failed");
        r.put("reason", reason);
        return r;
    }

    static Map<String, Object> unavailable(String reason) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("status", "unavailable");
        r.put("reason", reason);
        return r;
    }

    /** The last lines of a log, an {@code error:} line first if there is one, as "; log: ...". */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank())
                    .toList();
            if (lines.isEmpty()) {
                return "";
            }
            String error = lines.stream()
                    .filter(l -> l.startsWith("error:"))
                    .findFirst()
                    .orElse(null);
            List<String> last = lines.subList(Math.max(0, lines.size() - 3), lines.size());
            return "; log " + log.getFileName() + ": " + (error != null ? error : String.join(" | ", last));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
