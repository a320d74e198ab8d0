package org.latentlab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.latentlab.sweep.Experiment;

/**
 * CI runs every lecture experiment once in quick mode, with its report: each registered {@link GalleryExperiment}
 * has a module test that runs its quick sweep and calls {@link QuickReports#writeAndCheck}. The command line's
 * {@code GalleryQuickTest} leaves these out so that they do not run twice.
 */
class GalleryCoverageTest {

    @Test
    void everyRegisteredGalleryExperimentHasAQuickSweepTestThatWritesItsReport() throws Exception {
        List<String> gallery = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Experiment e : ServiceLoader.load(Experiment.class)) {
            if (!(e instanceof GalleryExperiment)) {
                continue;
            }
            String name = e.getClass().getSimpleName();
            gallery.add(name);
            Path source = Path.of("src/test/java/org/latentlab/experiments", name + "Test.java");
            if (!Files.isRegularFile(source)
                    || !Files.readString(source).contains("QuickReports.writeAndCheck(")
                    || !Files.readString(source).contains("Experiment.Scale.QUICK")) {
                missing.add(name + " (" + source + ")");
            }
        }
        assertEquals(10, gallery.size(), "the ten lecture experiments of docs/EXPERIMENTS.md: " + gallery);
        assertTrue(
                missing.isEmpty(), "gallery experiments without a quick sweep test writing their report: " + missing);
    }
}
