package org.latentlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.latentlab.models.Models;
import org.latentlab.sweep.Experiment;
import org.latentlab.sweep.ResultsTable;
import org.latentlab.sweep.SpecExperiment;
import org.latentlab.sweep.SweepRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code latentlab collect --sweep DIR}: builds the results table of a sweep folder and runs its analysis. */
@Command(
        name = "collect",
        description = "Build results.csv and results.md of a sweep folder from its trial folders "
                + "(after an array job, or at any time to see progress), then run the experiment's analysis "
                + "(analysis.md) when its class is on the class path.")
public final class CollectCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(CollectCommand.class);

    @Option(
            names = "--sweep",
            paramLabel = "DIR",
            required = true,
            description = "Sweep folder written by 'latentlab sweep'.")
    Path sweep;

    @Option(names = "--no-analysis", description = "Only the results table.")
    boolean noAnalysis;

    @Mixin
    DataDirOption dataDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path file = sweep.resolve(SweepRunner.SWEEP_FILE);
        if (!Files.isRegularFile(file)) {
            throw new UserException("not a sweep folder: " + sweep + " has no " + SweepRunner.SWEEP_FILE);
        }
        Experiment experiment = noAnalysis ? null : experiment(file);
        ResultsTable table = new SweepRunner(Models.registry(), dataDir.dataDir(), false).collect(experiment, sweep);
        spec.commandLine().getOut().print(table.toMarkdown());
        return 0;
    }

    /** The sweep's experiment, from the class named in its sweep.json; null (with a warning) if it is not at hand. */
    private static Experiment experiment(Path sweepFile) {
        JsonNode sweep;
        try {
            sweep = new ObjectMapper().readTree(sweepFile.toFile());
        } catch (IOException e) {
            throw new UserException("cannot read " + sweepFile + ": " + e.getMessage());
        }
        String cls = sweep.path("class").asText("");
        String name = sweep.path("experiment").asText("");
        if (SpecExperiment.class.getName().equals(cls)) {
            Path copy = SpecCopy.find(sweepFile.getParent())
                    .orElseThrow(() -> new UserException(sweepFile.getParent() + ": a sweep of a spec file, but its "
                            + "copy (spec.yaml or spec.json) is missing from the folder"));
            return SpecExperiment.read(copy, Models.registry());
        }
        try {
            return ExperimentCatalog.get(cls.isEmpty() ? name : cls);
        } catch (IllegalArgumentException e) {
            // A sweep of a .java file: its class is compiled again from the copy the folder keeps.
            var source = SpecCopy.find(sweepFile.getParent())
                    .filter(p -> p.toString().endsWith(".java"));
            if (source.isPresent()) {
                return SourceExperiments.compile(source.get());
            }
            LOG.warn(
                    "{}: experiment {} is not on the class path, so its analysis is skipped ({})",
                    sweepFile,
                    name,
                    e.getMessage());
            return null;
        }
    }
}
