package org.latentlab.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.models.Models;

/**
 * Same seed, same numbers: {@code latentlab train} run three times with one seed, each in a JVM
 * of its own, gives bit-identical losses, test metrics and saved parameters, whatever the planned
 * step's thread choices. One run chooses them by timing while two busy threads load both cores
 * (so the timings differ from a quiet run's), one runs every tunable op on one thread
 * ({@code LATENTLAB_OP_THREADS=1}), one on libnd4j's configured threads ({@code =0}). The VAE at
 * batch 128 is the model whose step has the most tunable ops and one-thread product blocks.
 */
@Tag("e2e")
class DeterminismTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void trainGivesTheSameBitsWhateverTheThreadChoicesAndTheLoad() throws Exception {
        Path loaded = train("loaded", null, true);
        Path one = train("one-thread", "1", false);
        Path configured = train("configured", "0", false);

        String expected = metrics(loaded);
        assertEquals(3, expected.lines().count(), expected); // header + 2 epochs
        assertEquals(expected, metrics(one), "metrics.csv, tunable ops on one thread vs chosen by timing under load");
        assertEquals(
                expected, metrics(configured), "metrics.csv, every op on the configured threads vs chosen by timing");

        Map<String, String> tests = testMetrics(loaded);
        assertTrue(tests.containsKey("test_neg_elbo"), tests.toString());
        assertEquals(tests, testMetrics(one));
        assertEquals(tests, testMetrics(configured));

        Map<String, byte[]> params = parameters(loaded);
        assertFalse(params.isEmpty());
        for (Path other : List.of(one, configured)) {
            Map<String, byte[]> p = parameters(other);
            assertEquals(params.keySet(), p.keySet());
            params.forEach((k, v) -> assertArrayEquals(v, p.get(k), "parameter " + k + " of " + other.getFileName()));
        }
    }

    private Path train(String name, String opThreads, boolean underLoad) throws Exception {
        Path out = tmp.resolve(name);
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx1g",
                "-cp",
                System.getProperty("java.class.path"),
                LatentLab.class.getName(),
                "train",
                "--dataset",
                "mnist-sample",
                "--epochs",
                "2",
                "--batch-size",
                "128",
                "--seed",
                "5",
                "--checkpoint-every",
                "0",
                "--out",
                out.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve(name + ".log").toFile());
        pb.environment().remove("LATENTLAB_OP_THREADS");
        if (opThreads != null) {
            pb.environment().put("LATENTLAB_OP_THREADS", opThreads);
        }
        AtomicBoolean busy = new AtomicBoolean(underLoad);
        List<Thread> load = new ArrayList<>();
        for (int i = 0; underLoad && i < 2; i++) {
            Thread t = new Thread(() -> {
                long x = 0;
                while (busy.get()) {
                    x += System.nanoTime() % 7;
                }
                if (x == 42) {
                    System.out.print("");
                }
            });
            t.setDaemon(true);
            t.start();
            load.add(t);
        }
        try {
            Process p = pb.start();
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), name + " did not finish");
            assertEquals(0, p.exitValue(), Files.readString(tmp.resolve(name + ".log")));
        } finally {
            busy.set(false);
            for (Thread t : load) {
                t.join();
            }
        }
        return out;
    }

    /** metrics.csv without its timing columns. */
    private static String metrics(Path run) throws Exception {
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        String[] header = lines.get(0).split(",");
        StringBuilder b = new StringBuilder();
        for (String line : lines) {
            String[] cells = line.split(",", -1);
            for (int i = 0; i < cells.length; i++) {
                if (!header[i].contains("second")) {
                    b.append(cells[i]).append(',');
                }
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static Map<String, String> testMetrics(Path run) throws Exception {
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        Map<String, String> m = new TreeMap<>();
        summary.fields().forEachRemaining(e -> {
            if (e.getKey().startsWith("test_")) {
                m.put(e.getKey(), e.getValue().toString());
            }
        });
        return m;
    }

    private static Map<String, byte[]> parameters(Path run) {
        AutoencoderModel<?> model = AutoencoderModel.load(run.resolve("model"), Models.registry());
        Map<String, byte[]> p = new TreeMap<>();
        for (String name : model.parameterNames()) {
            p.put(name, model.graph().getArrForVarName(name).dup().data().asBytes());
        }
        return p;
    }
}
