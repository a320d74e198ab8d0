package org.latentlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.cli.CliRunner.Result;

/**
 * End-to-end: {@code latentlab bench --quick} measures the VAE in a child JVM on the repeated MNIST
 * sample (an empty data folder), and ND4J's sgemm, without PyTorch.
 */
@Tag("e2e")
class BenchCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void quickBenchWritesResultsAndTheMarkdownTable() throws Exception {
        Path out = tmp.resolve("out");
        Path emptyData = Files.createDirectories(tmp.resolve("no-data"));
        Result r = CliRunner.run(
                "bench",
                "--quick",
                "--workloads",
                "vae128",
                "--peers",
                "gemm,samediff",
                "--out",
                out.toString(),
                "--data-dir",
                emptyData.toString(),
                "--backend",
                "cpu");
        assertEquals(0, r.exit(), r.err() + r.out());

        JsonNode json = JSON.readTree(out.resolve("bench-results.json").toFile());
        assertEquals("mnist-sample-repeated", json.path("data").path("source").asText());
        assertTrue(
                json.path("command").asText().startsWith("./latentlab bench --quick --workloads vae128"),
                json.path("command").asText());
        assertEquals(1, json.path("workloads").size());
        JsonNode vae = json.path("workloads").get(0);
        assertEquals("vae128", vae.path("id").asText());
        assertEquals(3_907_200.0, vae.path("flops_per_sample").asDouble());
        JsonNode ours = vae.path("results").path("latentlab");
        assertEquals("ok", ours.path("status").asText(), ours.toString());
        assertTrue(ours.path("samples_per_second").asDouble() > 0, ours.toString());
        assertEquals(3, ours.path("window_rates").size(), ours.toString());
        // a JVM that loaded ND4J and 60,000 images resides in far more than 100 MiB
        assertTrue(ours.path("peak_rss_kib").asLong() > 100 * 1024, ours.toString());
        assertTrue(ours.path("pid").asLong() != ProcessHandle.current().pid(), "measured in a child JVM");
        assertTrue(ours.path("timed_steps").asInt() >= 3 * 2, ours.toString());
        assertTrue(vae.path("results").path("pytorch").isMissingNode()
                && vae.path("results").path("dl4j").isMissingNode());
        JsonNode fit = vae.path("results").path("samediff");
        assertEquals("ok", fit.path("status").asText(), "the same model on SameDiff's fit: " + fit);
        assertTrue(fit.path("samples_per_second").asDouble() > 0, fit.toString());
        assertEquals(
                "not requested",
                json.path("peers").path("pytorch").path("reason").asText());
        assertTrue(ours.path("cores_busy").asDouble() > 0.1, ours.toString());
        assertTrue(ours.path("other_cores_busy").asDouble() >= 0, ours.toString());
        assertEquals(3, ours.path("rss_kib_at_window_ends").size(), ours.toString());
        JsonNode gemm = json.path("gemm").path("nd4j");
        assertEquals(2, gemm.size(), "measured at the start and at the end: " + gemm);
        for (JsonNode g : gemm) {
            assertEquals("ok", g.path("status").asText(), g.toString());
            assertTrue(g.path("best_gflops").asDouble() > 0.1, g.toString());
        }

        String md = Files.readString(out.resolve("BENCHMARKS.md"));
        assertTrue(md.contains("| workload | Latent Lab | PyTorch |"), md);
        assertTrue(
                md.matches(
                        "(?s).*\\n\\| vae128 \\| [0-9,]+ \\| n/a \\| n/a \\| n/a \\| n/a \\| [0-9,]+ \\| [0-9.]+ \\| [0-9.]+% \\|\\n.*"),
                md);
        assertTrue(
                md.matches(
                        "(?s).*\\n\\| Latent Lab \\| [0-9,]+ \\| [0-9,]+ - [0-9,]+ \\| 1 \\| [0-9.]+, [0-9.]+ \\| [0-9,]+ MiB \\| "
                                + "[0-9,]+ MiB, [0-9,]+ MiB \\| [0-9.]+ \\| [0-9.]+% \\|\\n.*"),
                md);
        assertTrue(md.contains("| Latent Lab on SameDiff's fit (`LATENTLAB_ENGINE=samediff`) | "), md);
        assertTrue(md.contains("shipped 2,000-image MNIST sample, repeated to 60,000 images"), md);
        assertTrue(md.contains("GPU: this run used the CPU backend"), md);
        assertTrue(md.contains("Quick mode"), md);
    }

    @Test
    void quickWholeRunsTimeATrainingRunAndASweepWithOneAndTwoWorkers() throws Exception {
        Path out = tmp.resolve("runs-out");
        Path emptyData = Files.createDirectories(tmp.resolve("no-data"));
        Result r = CliRunner.run(
                "bench",
                "--quick",
                "--workloads",
                "none",
                "--runs",
                "train,sweep",
                "--no-peers",
                "--out",
                out.toString(),
                "--data-dir",
                emptyData.toString(),
                "--backend",
                "cpu");
        assertEquals(0, r.exit(), r.err() + r.out());
        JsonNode runs =
                JSON.readTree(out.resolve("bench-results.json").toFile()).path("runs");

        JsonNode train = runs.path("train");
        assertEquals("mnist-sample", train.path("dataset").asText(), train.toString());
        JsonNode ours = train.path("latentlab");
        assertEquals("ok", ours.path("status").asText(), ours.toString());
        JsonNode t = ours.path("timings");
        double wall = ours.path("wall_seconds").asDouble();
        double firstStep = t.path("process_to_first_step").asDouble();
        // the first step ends after the JVM has started and loaded ND4J, and before the process exits
        assertTrue(firstStep > 0.3 && firstStep < wall, train.toString());
        assertTrue(t.path("steps").asDouble() > 0 && t.path("process_total").asDouble() <= wall + 0.1, t.toString());
        assertTrue(
                t.path("process_total").asDouble()
                        >= firstStep + t.path("epoch_evaluation").asDouble(),
                t.toString());
        assertTrue(ours.path("test_neg_elbo").asDouble() > 50, ours.toString());
        assertTrue(train.path("pytorch").isMissingNode(), "no peers: " + train);

        JsonNode sweeps = runs.path("sweep");
        assertEquals(2, sweeps.size(), sweeps.toString());
        for (int i = 0; i < 2; i++) {
            JsonNode sw = sweeps.get(i);
            assertEquals(i + 1, sw.path("workers").asInt(), sw.toString());
            assertEquals("ok", sw.path("status").asText(), sw.toString());
            assertEquals(4, sw.path("trials_finished").asInt(), sw.toString());
            assertTrue(sw.path("trials_error").isMissingNode(), sw.toString());
            double perTrial = sw.path("seconds_per_trial").asDouble();
            double steps = sw.path("step_seconds_per_trial").asDouble();
            assertTrue(steps > 0 && steps < perTrial, sw.toString());
            assertEquals(perTrial - steps, sw.path("overhead_seconds_per_trial").asDouble(), 1e-9, sw.toString());
            assertTrue(sw.path("mean_trial_timings").path("after_training").asDouble() > 0, sw.toString());
        }

        String md = Files.readString(out.resolve("BENCHMARKS.md"));
        assertTrue(md.contains("## Whole runs"), md);
        assertTrue(
                md.matches(
                        "(?s).*\\n\\| Latent Lab \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\| [0-9,]+ \\| [0-9.]+ \\|\\n.*"),
                md);
        assertTrue(
                md.matches(
                        "(?s).*\\n\\| 2 \\| [0-9.]+ \\| [0-9,]+ \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\| [0-9]+% \\|.*"),
                md);
    }

    @Test
    void benchIsListedAndItsWorkerIsHidden() {
        Result r = CliRunner.run("--help");
        assertTrue(r.out().contains("bench"), r.out());
        assertTrue(!r.out().contains("bench-worker"), r.out());
    }

    @Test
    void badChoicesGetOneClearErrorLine() {
        Result r = CliRunner.run("bench", "--workloads", "vae128,vae1024");
        assertEquals(1, r.exit());
        assertEquals(
                "error: --workloads: unknown workload 'vae1024'; expected one of vae128,vae512,conv,conv-vae,cae,encode",
                r.err().strip());
        Result both = CliRunner.run("bench", "--no-peers", "--peers", "gemm");
        assertEquals(1, both.exit());
        assertEquals(1, both.errLines().size(), both.err());
        Result runs = CliRunner.run("bench", "--runs", "train,walk");
        assertEquals(
                "error: --runs: unknown whole run 'walk'; valid: train, sweep",
                runs.err().strip());
        Result nothing = CliRunner.run("bench", "--workloads", "none", "--runs", "none");
        assertEquals(
                "error: --workloads none and no --runs: nothing to measure",
                nothing.err().strip());
        Result peer = CliRunner.run("bench", "--peers", "torch");
        assertTrue(
                peer.err()
                        .startsWith("error: --peers: unknown peer 'torch'; expected one of pytorch,dl4j,samediff,gemm"),
                peer.err());
    }
}
