package org.latentlab.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.latentlab.io.AtomicFiles;
import org.latentlab.model.ModelRegistry;
import org.latentlab.models.Models;
import org.latentlab.run.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code latentlab evaluate --run DIR}: recomputes a run's test metrics from its saved model. */
@Command(name = "evaluate", description = "Recompute the test metrics of a run from its saved model; "
        + "prints them and writes evaluation.json in the run folder.")
public final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--run", paramLabel = "DIR", required = true, description = "Run folder written by 'latentlab train'.")
    Path run;

    @Mixin
    DataDirOption dataDir;

    @Mixin
    BackendOption backend;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        backend.check();
        ModelRegistry registry = Models.registry();
        Map<String, Double> metrics = new TrainingRun(registry, dataDir.dataDir(), false).evaluate(run);
        AtomicFiles.writeString(run.resolve("evaluation.json"), registry.mapper().writeValueAsString(metrics));
        metrics.forEach((k, v) -> spec.commandLine().getOut().printf("%s %.4f%n", k, v));
        return 0;
    }
}
