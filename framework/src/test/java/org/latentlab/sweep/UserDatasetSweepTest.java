package org.latentlab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.data.Datasets;
import org.latentlab.eval.Evaluator;
import org.latentlab.run.RunConfig;
import org.latentlab.train.Optimizer;
import org.latentlab.train.TinyAutoencoder;
import org.latentlab.train.TrainerConfig;

/** A folder: and a csv: dataset as the values of a sweep's dataset dimension, and a judge trained per dataset. */
class UserDatasetSweepTest {
    @TempDir
    Path tmp;

    @Test
    void theDatasetDimensionTakesUserDatasetsAndTheirJudgesGetFileNames() throws IOException {
        // 10x10 PNGs resized to 8x8, and a CSV of 8x8 rows: both 64 features
        Path folder = tmp.resolve("my images");
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 10; i++) {
                BufferedImage image = new BufferedImage(10, 10, BufferedImage.TYPE_BYTE_GRAY);
                for (int y = 0; y < 10; y++) {
                    for (int x = 0; x < 10; x++) {
                        image.getRaster().setSample(x, y, 0, (c == 0 ? x : y) * 25 + i);
                    }
                }
                Path file = folder.resolve("class" + c).resolve(i + ".png");
                Files.createDirectories(file.getParent());
                ImageIO.write(image, "png", file.toFile());
            }
        }
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            StringBuilder b = new StringBuilder().append(i % 2);
            for (int p = 0; p < 64; p++) {
                b.append(',').append((p * 4 + i) % 256);
            }
            rows.add(b.toString());
        }
        Path csv = Files.write(tmp.resolve("rows.csv"), rows);
        String folderName = "folder:" + folder + "?size=8";
        String csvName = "csv:" + csv;

        Experiment experiment = new Experiment() {
            @Override
            public RunConfig baseConfig() {
                return new RunConfig(
                        Datasets.MNIST_SAMPLE,
                        0.2,
                        new TinyAutoencoder.Config(64, 3, 1.0),
                        new TrainerConfig(1, 4, Optimizer.ADAM, 1e-2, 0, 0, 1, 0, 0, 0));
            }

            @Override
            public Sweep sweep() {
                return Sweep.grid().over("dataset", folderName, csvName);
            }
        };
        Path dir = tmp.resolve("sweep");
        SweepRunner runner = new SweepRunner(TinyAutoencoder.registry(), Datasets.defaultDataDir(), false);
        assertEquals(new SweepRunner.Outcome(2, 0, 0), runner.run(experiment, dir, Shard.ALL));
        ResultsTable table = runner.collect(experiment, dir);
        assertTrue(table.rows().stream().allMatch(r -> r.status().equals("completed")));
        try (Stream<Path> trials = Files.list(dir.resolve("trials"))) {
            List<String> names =
                    trials.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(2, names.size());
            assertTrue(names.get(0).startsWith("000-dataset=folder_"), names.toString());
            assertTrue(names.stream().allMatch(n -> n.matches("[A-Za-z0-9.+=_-]+")), names.toString());
        }

        SweepJudges judges = new SweepJudges(dir, Datasets.defaultDataDir());
        Evaluator.Judge judge = judges.get(folderName, 1, 1);
        assertEquals("trained", judge.source());
        try (Stream<Path> files = Files.list(dir.resolve(SweepJudges.DIR))) {
            List<Path> sdz = files.filter(p -> p.toString().endsWith(".sdz")).toList();
            assertEquals(1, sdz.size());
            assertTrue(sdz.get(0).getFileName().toString().startsWith("folder__"), sdz.toString());
        }
        assertEquals(
                "loaded",
                new SweepJudges(dir, Datasets.defaultDataDir())
                        .get(folderName, 1, 1)
                        .source());
    }
}
