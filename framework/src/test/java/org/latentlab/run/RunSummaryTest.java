package org.latentlab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.data.DataFile;
import org.latentlab.data.Datasets;
import org.latentlab.engine.EngineOptions;
import org.latentlab.train.TinyAutoencoder;

/** summary.json and provenance.json: typed, with the keys runs have always been written with. */
class RunSummaryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static RunSummary summary() {
        Map<String, Double> test = new LinkedHashMap<>();
        test.put("loss", 101.5);
        test.put("neg_elbo", Double.NaN);
        Provenance provenance = new Provenance(
                "0.1.0",
                "abc",
                null,
                "1.0.0-M2.1",
                "CpuBackend",
                "cpu",
                2,
                "Zen",
                2,
                null,
                "timed",
                "jvm",
                "os",
                "host",
                List.of(new DataFile("/d/train", 12, "ab12"), new DataFile("/d/images", 3456, "cd34", 17)));
        return new RunSummary(
                "vae",
                "mnist-sample",
                900,
                List.of(1, 7),
                100,
                500,
                1234,
                3,
                true,
                2,
                test,
                Map.of("loss", 99.0),
                Map.of("loss", 100.25),
                1.5,
                0.25,
                1800,
                1800.0,
                3,
                Instant.parse("2026-12-03T08:38:20.382963968Z"),
                Instant.parse("2026-12-03T08:38:25Z"),
                provenance);
    }

    @Test
    void aSummaryRoundTripsThroughItsJson() throws Exception {
        RunSummary s = summary();
        s.write(tmp);
        RunSummary read = RunSummary.read(tmp);
        assertEquals(s.toTree(), read.toTree());
        assertTrue(Double.isNaN(read.test().get("neg_elbo")));
        assertEquals(s.provenance(), read.provenance());
        assertEquals(s.trainClasses(), read.trainClasses());
        assertEquals(0.25, read.pretrainSeconds());
        assertEquals(1800, read.pretrainSize());

        JsonNode tree = JSON.readTree(tmp.resolve(RunSummary.FILE).toFile());
        assertEquals(
                List.of(
                        "model",
                        "dataset",
                        "train_size",
                        "train_classes",
                        "validation_size",
                        "test_size",
                        "parameters",
                        "epochs_completed",
                        "stopped_early",
                        "best_epoch",
                        "test_loss",
                        "test_neg_elbo",
                        "final_train",
                        "final_validation",
                        "train_seconds",
                        "pretrain_seconds",
                        "pretrain_size",
                        "samples_per_second",
                        "seed",
                        "started",
                        "finished",
                        "provenance"),
                fieldNames(tree));
        assertEquals("unknown", tree.path("provenance").path("git_dirty").asText());
        assertEquals("unknown", tree.path("provenance").path("blas_threads").asText());
        assertEquals(
                "ab12",
                tree.path("provenance").path("data_files").get(0).path("sha256").asText());
        // a single file has no count; a folder (folder:PATH) says how many files its manifest hash covers
        assertTrue(
                tree.path("provenance").path("data_files").get(0).path("count").isMissingNode());
        assertEquals(
                17,
                tree.path("provenance").path("data_files").get(1).path("count").asInt());
    }

    @Test
    void timingsAreWrittenAfterFinishedInTheirOrderAndReadBack() throws Exception {
        Map<String, Double> timings = new LinkedHashMap<>();
        timings.put("process_to_first_step", 1.25);
        timings.put("steps", 3.5);
        timings.put("run_total", 6.0);
        RunSummary s = summary().withModelEpoch(3).withTimings(timings);
        s.write(tmp);
        RunSummary read = RunSummary.read(tmp);
        assertEquals(List.copyOf(timings.keySet()), List.copyOf(read.timings().keySet()));
        assertEquals(timings, read.timings());
        assertEquals(3, read.modelEpoch(), "withTimings keeps what was set before");
        List<String> keys =
                fieldNames(JSON.readTree(tmp.resolve(RunSummary.FILE).toFile()));
        assertEquals(keys.indexOf("finished") + 1, keys.indexOf("timings"), keys.toString());
        assertTrue(summary().toTree().path("timings").isMissingNode(), "no timings, no key");
    }

    @Test
    void aSummaryWrittenByTheEarlierUntypedCodeStillReads() throws Exception {
        Path run = tmp.resolve("old");
        Files.createDirectories(run);
        try (InputStream in = getClass().getResourceAsStream("summary-old.json")) {
            Files.copy(in, run.resolve(RunSummary.FILE));
        }
        RunSummary s = RunSummary.read(run);
        assertEquals("vae", s.model());
        assertEquals(1800, s.trainSize());
        assertEquals(List.of(), s.trainClasses());
        assertEquals(4, s.epochsCompleted());
        assertEquals(
                List.of("loss", "recon", "kl", "neg_elbo"), List.copyOf(s.test().keySet()));
        assertEquals(203.63224411010742, s.testMetrics().get("test_neg_elbo"));
        assertEquals(9.733122834099664, s.finalTrain().get("kl"));
        assertNull(s.pretrainSeconds());
        assertNull(s.pretrainSize(), "a summary without pretraining has no pretrain_size");
        assertEquals(Instant.parse("2026-12-03T08:38:25.977046580Z"), s.finished());
        assertEquals(Boolean.FALSE, s.provenance().gitDirty());
        assertEquals("0b2f124062ef29b82659ea4a88e0a1a594e39750", s.provenance().gitCommit());
        assertNull(s.provenance().openblasCoretype(), "a key added later reads as null");
        assertEquals(List.of(), s.provenance().dataFiles());

        // Written again, every key of the old file is there with its value (and none is lost).
        JsonNode old = JSON.readTree(run.resolve(RunSummary.FILE).toFile());
        JsonNode again = JSON.readTree(s.toJson());
        old.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("provenance")) {
                assertEquals(f.getValue(), again.get(f.getKey()), f.getKey());
            }
        });
        old.path("provenance")
                .fields()
                .forEachRemaining(
                        f -> assertEquals(f.getValue(), again.path("provenance").get(f.getKey()), f.getKey()));
    }

    @Test
    void provenanceNamesTheShippedSampleFilesWithTheirSha256AndIsSavedBesideTheModel() throws Exception {
        List<DataFile> files = Datasets.load(Datasets.MNIST_SAMPLE).files();
        assertEquals(4, files.size(), files.toString());
        for (DataFile f : files) {
            String resource = f.file().substring("classpath:".length());
            byte[] bytes;
            try (InputStream in = Datasets.class.getResourceAsStream(resource)) {
                bytes = in.readAllBytes();
            }
            assertEquals(
                    HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
                    f.sha256(),
                    f.file());
            assertEquals(bytes.length, f.bytes());
        }
        assertTrue(
                files.get(0).file().endsWith("mnist-sample/train-images-idx3-ubyte.gz"),
                files.get(0).file());

        Provenance provenance = Provenance.capture(EngineOptions.defaults(), files);
        AutoencoderModel<?> model = TinyAutoencoder.TYPE.build(new TinyAutoencoder.Config(784, 2, 1.0), 1);
        Path modelDir = tmp.resolve("model");
        model.save(modelDir, TinyAutoencoder.registry(), provenance::write);
        Path written = modelDir.resolve(Provenance.FILE);
        assertTrue(Files.isRegularFile(written));
        assertEquals(provenance, Provenance.read(written));
        JsonNode tree = JSON.readTree(written.toFile());
        assertEquals(
                files.get(0).sha256(),
                tree.path("data_files").get(0).path("sha256").asText());
        assertFalse(tree.path("git_commit").asText().isEmpty());
        assertEquals(
                "tiny",
                AutoencoderModel.load(modelDir, TinyAutoencoder.registry()).typeName());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
