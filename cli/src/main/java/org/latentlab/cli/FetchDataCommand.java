package org.latentlab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.latentlab.data.Binarization;
import org.latentlab.data.Datasets;
import org.latentlab.data.MnistFetcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code latentlab fetch-data mnist}: downloads and verifies a dataset into the data folder. */
@Command(
        name = "fetch-data",
        description = {
            "Download a dataset into the data folder and verify its checksums.",
            "Only mnist needs fetching: mnist-sample ships with Latent Lab. binarized-mnist is made from the MNIST"
                    + " files, so fetching either fetches those; binarized-mnist-sample ships too."
        })
public final class FetchDataCommand implements Callable<Integer> {

    /** Datasets this command can fetch. */
    public static final List<String> FETCHABLE = List.of(Datasets.MNIST, Datasets.BINARIZED_MNIST);

    /** Datasets that ship with Latent Lab: nothing to fetch. */
    private static final List<String> SHIPPED = List.of(Datasets.MNIST_SAMPLE, Datasets.BINARIZED_MNIST_SAMPLE);

    @Parameters(
            index = "0",
            paramLabel = "DATASET",
            description = "Dataset to fetch: mnist or binarized-mnist (the same MNIST files).")
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
            out.println("dry run: would fetch " + name + " into " + MnistFetcher.mnistDir(dataDir.dataDir()));
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
}
