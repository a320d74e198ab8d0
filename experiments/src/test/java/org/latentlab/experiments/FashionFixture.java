package org.latentlab.experiments;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.latentlab.data.Datasets;
import org.latentlab.data.FashionMnistFetcher;
import org.latentlab.data.IdxArray;
import org.latentlab.data.IdxWriter;
import org.latentlab.data.ImageDataset;

/**
 * A small data folder in which dataset {@code fashion-mnist} loads: the four gzip IDX files under their published
 * names, written with {@link IdxWriter}, holding {@value #TRAIN_PER_CLASS} training and {@value #TEST_PER_CLASS} test
 * images of each of the ten classes. CI cannot download Fashion-MNIST, so the images are those of the shipped MNIST
 * sample: what the tests check is that an experiment on a Fashion-MNIST dataset runs on it and names its classes, not
 * what it learns.
 */
final class FashionFixture {
    /** Training images per class: enough for a quick trial's subsets after the 10% validation split. */
    static final int TRAIN_PER_CLASS = 120;

    static final int TEST_PER_CLASS = 30;

    private FashionFixture() {}

    /** Writes the fixture into {@code dataDir} (its {@code fashion-mnist/} folder) and returns {@code dataDir}. */
    static Path write(Path dataDir) {
        var sample = Datasets.load(Datasets.MNIST_SAMPLE);
        Path dir = FashionMnistFetcher.fashionMnistDir(dataDir);
        List<String> files = FashionMnistFetcher.FILES;
        writePart(sample.train(), TRAIN_PER_CLASS, dir.resolve(files.get(0)), dir.resolve(files.get(1)));
        writePart(sample.test(), TEST_PER_CLASS, dir.resolve(files.get(2)), dir.resolve(files.get(3)));
        return dataDir;
    }

    /** The first {@code perClass} images of each class of {@code from}, in their order, as IDX images and labels. */
    private static void writePart(ImageDataset from, int perClass, Path images, Path labels) {
        int[] taken = new int[from.numClasses()];
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < from.size(); i++) {
            int c = from.label(i);
            if (taken[c] < perClass) {
                taken[c]++;
                rows.add(i);
            }
        }
        for (int c = 0; c < taken.length; c++) {
            if (taken[c] < perClass) {
                throw new IllegalStateException("the MNIST sample has only " + taken[c] + " images of class " + c);
            }
        }
        int pixels = from.rows() * from.cols();
        byte[] x = new byte[rows.size() * pixels];
        byte[] y = new byte[rows.size()];
        for (int k = 0; k < rows.size(); k++) {
            int i = rows.get(k);
            for (int p = 0; p < pixels; p++) {
                x[k * pixels + p] = (byte) Math.round(from.pixel(i, p) * 255f);
            }
            y[k] = (byte) from.label(i);
        }
        IdxWriter.write(images, new IdxArray(new int[] {rows.size(), from.rows(), from.cols()}, x), true);
        IdxWriter.write(labels, new IdxArray(new int[] {rows.size()}, y), true);
    }
}
