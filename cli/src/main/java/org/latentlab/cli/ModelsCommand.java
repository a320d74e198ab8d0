package org.latentlab.cli;

import java.util.concurrent.Callable;
import org.latentlab.core.ModelType;
import org.latentlab.models.Models;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code latentlab models}: lists the registered model variants. */
@Command(name = "models", description = "List the model variants, one line each.")
public final class ModelsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        for (ModelType<?> type : Models.registry().types()) {
            spec.commandLine().getOut().printf("%-12s %s%n", type.name(), type.description());
        }
        return 0;
    }
}
