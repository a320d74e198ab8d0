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
        Result peer = CliRunner.run("bench", "--peers", "torch");
        assertTrue(
                peer.err()
                        .startsWith("error: --peers: unknown peer 'torch'; expected one of pytorch,dl4j,samediff,gemm"),
                peer.err());
    }
}
