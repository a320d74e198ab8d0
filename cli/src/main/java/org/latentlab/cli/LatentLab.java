package org.latentlab.cli;

import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.latentlab.engine.Backend;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code latentlab} command line. To add a command, write a picocli {@code @Command} class and list it in
 * {@code subcommands} below; it inherits {@code --help}, {@code --version}, {@code --verbose}, default values in
 * help and the error handling ({@link CliErrorHandler}).
 */
@Command(
        name = "latentlab",
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        versionProvider = VersionProvider.class,
        description = "Latent Lab: autoencoder experiments on Deeplearning4j (SameDiff).")
public final class LatentLab implements Callable<Integer> {

    /** The commands that always initialise ND4J soon after they start. */
    private static final java.util.Set<String> TRAINS = java.util.Set.of("train", "sweep", "bench-worker");

    /** The commands, in the order of the usage message. */
    static final List<Class<?>> COMMANDS = List.of(
            TrainCommand.class,
            EvaluateCommand.class,
            ProbeSamplesCommand.class,
            ModelsCommand.class,
            SweepCommand.class,
            CollectCommand.class,
            PlotCommand.class,
            ReportCommand.class,
            ExperimentsCommand.class,
            NewExperimentCommand.class,
            FetchDataCommand.class,
            BenchCommand.class,
            BenchWorkerCommand.class,
            HelpCommand.class);

    @Mixin
    private VerboseOption verbose;

    @Spec
    private CommandSpec spec;

    /** {@code latentlab} without a command is a usage error. */
    @Override
    public Integer call() {
        throw new ParameterException(
                spec.commandLine(),
                "missing command: choose one of "
                        + String.join(
                                ", ",
                                spec.subcommands().entrySet().stream()
                                        .filter(e -> !e.getValue()
                                                .getCommandSpec()
                                                .usageMessage()
                                                .hidden())
                                        .map(Map.Entry::getKey)
                                        .toList()));
    }

    /** A fresh command line writing to the current {@link System#out} / {@link System#err}. */
    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * A command line with only the command {@code only}, or with all of them if null: picocli reads every option of
     * every command it is given (0.2 s for all of them on a cold JVM), and {@code latentlab train ...} needs one.
     */
    static CommandLine commandLine(String only) {
        CommandLine cmd = new CommandLine(new LatentLab());
        for (Class<?> command : COMMANDS) {
            if (only == null || only.equals(nameOf(command))) {
                cmd.addSubcommand(command);
            }
        }
        // set after construction so that subcommands do not inherit it
        cmd.getCommandSpec()
                .usageMessage()
                .footer(
                        "",
                        "Run 'latentlab <command> --help' for a command's options.",
                        "Environment: LATENTLAB_JAVA_OPTS (JVM options, default -Xmx4g),",
                        "LATENTLAB_DATA_DIR (data folder, default ~/.latentlab/data).");
        // The models' hyperparameters close `train --help`; listed only when the help is shown (80 ms on a cold JVM).
        CommandLine train = cmd.getSubcommands().get("train");
        if (train != null) {
            train.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_FOOTER, help -> {
                UsageMessageSpec usage = help.commandSpec().usageMessage();
                if (usage.footer().length == 0) {
                    usage.footer(TrainCommand.modelHelp().toArray(String[]::new));
                }
                return help.footer();
            });
        }
        cmd.registerConverter(Path.class, LatentLab::path);
        cmd.setOut(new PrintWriter(System.out, true));
        cmd.setErr(new PrintWriter(System.err, true));
        return CliErrorHandler.install(cmd);
    }

    /** The name a command class declares in its {@code @Command}. */
    static String nameOf(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }

    /** Paths from the command line: an empty one (which Java takes for the current folder) or an invalid one is an error. */
    static Path path(String value) {
        if (value.isBlank()) {
            throw new CommandLine.TypeConversionException("empty path '" + value + "'");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new CommandLine.TypeConversionException("not a valid path: " + e.getReason());
        }
    }

    /** Runs the command line and returns its exit code (0 ok, 1 runtime error, 2 usage error); never exits. */
    public static int run(String... args) {
        Logging.configureDefaults();
        // A first argument that names a command (other than help) is that command: picocli needs no other.
        String first = args.length > 0 ? args[0] : null;
        boolean named =
                first != null && !first.equals("help") && COMMANDS.stream().anyMatch(c -> first.equals(nameOf(c)));
        if (named && TRAINS.contains(first)) {
            Backend.initialiseInBackground(); // overlaps building the command line (first step about 0.2 s sooner)
        }
        CommandLine cmd = commandLine(named ? first : null);
        try {
            return cmd.execute(args);
        } catch (Throwable t) { // Errors (e.g. OutOfMemoryError) get past picocli's handlers
            return CliErrorHandler.handleError(t, cmd.getErr(), Logging.isVerbose());
        } finally {
            cmd.getOut().flush();
            cmd.getErr().flush();
        }
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }
}
