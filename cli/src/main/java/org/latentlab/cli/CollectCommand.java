package org.latentlab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.latentlab.sweep.ResultsTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code latentlab collect --sweep DIR}: builds the results table of a sweep folder. */
@Command(
        name = "collect",
        description = "Build results.csv and results.md of a sweep folder from its trial folders "
                + "(after an array job, or at any time to see progress).")
public final class CollectCommand implements Callable<Integer> {

    @Option(
            names = "--sweep",
            paramLabel = "DIR",
            required = true,
            description = "Sweep folder written by 'latentlab sweep'.")
    Path sweep;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ResultsTable table = ResultsTable.collect(sweep);
        table.write(sweep);
        spec.commandLine().getOut().print(table.toMarkdown());
        return 0;
    }
}
