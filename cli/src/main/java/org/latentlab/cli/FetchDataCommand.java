package org.latentlab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
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
            "Only mnist needs fetching: mnist-sample ships with Latent Lab."
        })
public final class FetchDataCommand implements Callable<Integer> {

    /** Datasets this command can fetch. */
    public static final List<String> FETCHABLE = List.of(Datasets.MNIST);

    @Parameters(index = "0", paramLabel = "DATASET", description = "Dataset to fetch: mnist.")
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
        if (Datasets.MNIST_SAMPLE.equals(name)) {
            out.println("mnist-sample ships with Latent Lab; there is nothing to fetch.");
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
        return CliErrorHandler.EXIT_OK;
    }
}
