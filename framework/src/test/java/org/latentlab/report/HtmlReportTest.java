package org.latentlab.report;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.data.Datasets;
import org.latentlab.run.LikelihoodCurveListener;
import org.latentlab.run.RunConfig;
import org.latentlab.run.SampleGridListener;
import org.latentlab.run.TrainingRun;
import org.latentlab.train.TinyAutoencoder;
import org.latentlab.train.TrainerConfig;

class HtmlReportTest {
    @TempDir
    Path tmp;

    @Test
    void runReportShowsTheGridsWrittenDuringTrainingInEpochOrder() throws Exception {
        Path run = tmp.resolve("run");
        RunConfig config = new RunConfig(
                Datasets.MNIST_SAMPLE,
                0.1,
                new TinyAutoencoder.Config(784, 4, 1.0),
                TrainerConfig.builder()
                        .epochs(2)
                        .batchSize(100)
                        .checkpointEvery(0)
                        .sampleEvery(1)
                        .build());
        new TrainingRun(TinyAutoencoder.registry(), Datasets.defaultDataDir(), false).train(config, run);
        // epoch 10 sorts after epoch 2 by number, not by name; a stray file is no grid
        Files.copy(SampleGridListener.file(run, 2), SampleGridListener.file(run, 10));
        Files.writeString(run.resolve("samples/notes.txt"), "x");
        Files.writeString(
                LikelihoodCurveListener.file(run),
                LikelihoodCurveListener.HEADER + "\n2,20,50,170.123456,2.500000,178.000000,0.500\n");

        assertEquals(
                List.of("epoch-0001.png", "epoch-0002.png", "epoch-0010.png"),
                HtmlReport.trainingSampleFiles(run).stream()
                        .map(p -> p.getFileName().toString())
                        .toList());
        String html = Files.readString(HtmlReport.writeRun(run));
        int section = html.indexOf("<h2>Samples during training</h2>");
        assertTrue(section > 0, html);
        int e1 = html.indexOf("src=\"samples/epoch-0001.png\"", section);
        int e2 = html.indexOf("src=\"samples/epoch-0002.png\"", section);
        int e10 = html.indexOf("src=\"samples/epoch-0010.png\"", section);
        assertTrue(e1 > 0 && e1 < e2 && e2 < e10, html.substring(section));
        assertTrue(html.contains("<figcaption>epoch 10</figcaption>"));
        assertFalse(html.contains("notes.txt"));
        int likelihood = html.indexOf("<h2>Likelihood during training");
        assertTrue(likelihood > 0 && html.indexOf("<td class=\"num\">170.123456</td>", likelihood) > 0, html);

        // a run without grids has no such section
        Path plain = tmp.resolve("plain");
        new TrainingRun(TinyAutoencoder.registry(), Datasets.defaultDataDir(), false)
                .train(
                        config.withTrainer(
                                config.trainer().toBuilder().sampleEvery(0).build()),
                        plain);
        String plainHtml = Files.readString(HtmlReport.writeRun(plain));
        assertFalse(plainHtml.contains("Samples during training"));
        assertFalse(plainHtml.contains("Likelihood during training"));
    }
}
