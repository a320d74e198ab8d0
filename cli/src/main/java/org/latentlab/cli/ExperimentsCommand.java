package org.latentlab.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code latentlab experiments}: lists the registered experiments. */
@Command(name = "experiments", description = "List the experiments 'latentlab sweep' knows by name.")
public final class ExperimentsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ExperimentCatalog.known()
                .forEach((name, experiment) ->
                        spec.commandLine().getOut().printf("%-18s %s%n", name, experiment.description()));
        return 0;
    }
}
