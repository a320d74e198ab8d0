package org.latentlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tag;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.latentlab.cli.CliRunner.Result;
import org.latentlab.core.ModelRegistry;
import org.latentlab.core.ModelType;
import org.latentlab.io.AtomicFiles;
import org.latentlab.models.Models;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Property-based tests of bad input (jqwik): random and mutated values for every option and positional parameter
 * of every subcommand (read from picocli's {@link CommandSpec}), every {@code --set KEY=VALUE} key of every model
 * (read from the {@link ModelRegistry}) and every field of a real run's {@code config.json} (read from the file),
 * so a new option, model or key is covered without editing this class.
 *
 * <p>Each case must either work, or exit non-zero with exactly one {@code error:} line on stderr (for usage
 * errors followed by picocli's {@code Try '... --help'} hint) that names the option or key, with no stack trace
 * ("Exception", "\tat "); and no file may be left half-written (no temporary files, every {@code .json} parses),
 * and a {@code --dry-run} writes nothing at all. Accepted values are checked with {@code --dry-run} (arguments,
 * config, model, data and folders are checked, nothing runs); a handful of accepted cases run for real.
 *
 * <p>Seeds are fixed: the same values every build.
 */
@Tag("e2e")
class BadInputPropertiesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Options that change the output format by design and are not inputs to validate. */
    private static final Set<String> NOT_INPUTS = Set.of("--help", "--version", "--verbose", "--dry-run");

    /** Commands that do nothing expensive, so they need no --dry-run. */
    private static final Set<String> CHEAP = Set.of("models", "experiments", "collect", "help");

    private static Path root;
    private static Path runDir;
    /** A tiny conditional run, the base of probe-samples' cases. */
    private static Path cvaeRunDir;

    private static Path emptyDataDir;
    /** A sweep folder with no trials yet (its sweep.json only), the base of collect's cases. */
    private static Path emptySweep;

    private static final AtomicInteger CASES = new AtomicInteger();
    private static final AtomicInteger ACCEPTED = new AtomicInteger();
    private static final AtomicInteger REAL_RUNS = new AtomicInteger();
    private static final Map<String, Set<String>> COVERED = new TreeMap<>();
    private static long started;
    /** Per command: cases, accepted, milliseconds. */
    private static final Map<String, long[]> STATS = new TreeMap<>();

    @BeforeContainer
    static void trainTinyRun() throws IOException {
        started = System.nanoTime();
        root = Files.createTempDirectory("latentlab-bad-input");
        emptyDataDir = Files.createDirectories(root.resolve("no-data"));
        emptySweep = Files.createDirectories(root.resolve("sweep"));
        Files.writeString(
                emptySweep.resolve("sweep.json"),
                "{\"experiment\": \"none\", \"metric\": \"test_loss\", \"minimize\": true, \"trials\": []}");
        runDir = root.resolve("run");
        Result r = CliRunner.run(
                "train",
                "--model",
                "vae",
                "--set",
                "hiddenSizes=16",
                "--set",
                "latentSize=2",
                "--epochs",
                "1",
                "--batch-size",
                "200",
                "--validation-fraction",
                "0.1",
                "--out",
                runDir.toString());
        if (r.exit() != 0) {
            throw new IllegalStateException("fixture run failed: " + r.err());
        }
        REAL_RUNS.incrementAndGet();
        cvaeRunDir = root.resolve("cvae-run");
        Result c = CliRunner.run(
                "train",
                "--model",
                "cvae",
                "--set",
                "hiddenSizes=16",
                "--set",
                "latentSize=2",
                "--epochs",
                "1",
                "--batch-size",
                "200",
                "--validation-fraction",
                "0",
                "--out",
                cvaeRunDir.toString());
        if (c.exit() != 0) {
            throw new IllegalStateException("fixture cvae run failed: " + c.err());
        }
        REAL_RUNS.incrementAndGet();
    }

    @AfterContainer
    static void cleanUpAndReport() throws IOException {
        System.out.printf(
                Locale.ROOT,
                "BadInputPropertiesTest: %d cases (%d accepted, %d real runs) in %.1f s; covered %s%n",
                CASES.get(),
                ACCEPTED.get(),
                REAL_RUNS.get(),
                (System.nanoTime() - started) / 1e9,
                COVERED.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue().size())
                        .toList());
        STATS.forEach((k, v) ->
                System.out.printf(Locale.ROOT, "  %-16s %5d cases, %4d accepted, %6d ms%n", k, v[0], v[1], v[2]));
        if (root != null && Files.exists(root)) {
            AtomicFiles.deleteRecursively(root);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // 1. Every option and positional parameter of every subcommand.

    /** One argument of one subcommand, as picocli describes it. */
    record Arg(String command, ArgSpec spec) {
        String name() {
            return spec instanceof OptionSpec o
                    ? o.longestName()
                    : "<" + ((PositionalParamSpec) spec).paramLabel() + ">";
        }

        @Override
        public String toString() {
            return command + " " + name();
        }
    }

    /** Every argument of every subcommand but {@link #NOT_INPUTS}, from the live command line. */
    static List<Arg> allArgs() {
        List<Arg> args = new ArrayList<>();
        for (Map.Entry<String, CommandLine> sub :
                LatentLab.commandLine().getSubcommands().entrySet()) {
            CommandSpec spec = sub.getValue().getCommandSpec();
            for (OptionSpec o : spec.options()) {
                if (!o.usageHelp() && !o.versionHelp() && !NOT_INPUTS.contains(o.longestName())) {
                    args.add(new Arg(sub.getKey(), o));
                }
            }
            for (PositionalParamSpec p : spec.positionalParameters()) {
                args.add(new Arg(sub.getKey(), p));
            }
        }
        return args;
    }

    @Property(tries = 10, seed = "20261203", shrinking = ShrinkingMode.OFF)
    void everyOptionOfEveryCommandWorksOrFailsWithOneLineNamingIt(@ForAll("values") String value) throws IOException {
        Path work = Files.createDirectories(root.resolve("options-" + CASES.get()));
        Path file = Files.writeString(work.resolve("a-file"), "not a folder");
        Path dir = Files.createDirectories(work.resolve("a-folder"));
        String concrete = value.replace("@MISSING", work.resolve("missing").toString())
                .replace("@FILE", file.toString())
                .replace("@DIR", dir.toString());
        List<String> failures = new ArrayList<>();
        for (Arg arg : allArgs()) {
            List<List<String>> variants = new ArrayList<>();
            if (arg.spec() instanceof OptionSpec o && o.arity().max() == 0) {
                variants.add(List.of(o.longestName()));
                variants.add(List.of(o.longestName() + "=" + concrete));
            } else if (arg.spec() instanceof OptionSpec o) {
                variants.add(List.of(o.longestName(), concrete));
            } else {
                variants.add(List.of(concrete));
            }
            for (List<String> variant : variants) {
                List<String> args = invocation(arg, variant, work);
                List<String> names = arg.spec() instanceof OptionSpec o ? List.of(o.names()) : List.of(arg.name());
                String problem = check(args, names, concrete, work, arg.spec() instanceof PositionalParamSpec);
                COVERED.computeIfAbsent("options", k -> new LinkedHashSet<>()).add(arg.toString());
                if (problem != null) {
                    failures.add(problem);
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " bad-input failures:\n" + String.join("\n", failures));
        }
    }

    /** The command line for {@code arg} set to {@code variant}: the subcommand's cheap base arguments plus it. */
    private static List<String> invocation(Arg arg, List<String> variant, Path work) {
        Path out = work.resolve("out-" + CASES.get());
        Map<String, List<String>> options = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        switch (arg.command()) {
            case "train" -> {
                options.put("--out", List.of(out.toString()));
                options.put("--data-dir", List.of(emptyDataDir.toString()));
            }
            case "evaluate", "plot", "report" -> positional.add(runDir.toString());
            case "probe-samples" -> positional.add(cvaeRunDir.toString());
            case "sweep" -> {
                positional.add(TinyVaeSweep.class.getName());
                options.put("--out", List.of(out.toString()));
            }
            case "collect" -> options.put("--sweep", List.of(emptySweep.toString()));
            case "fetch-data" -> {
                positional.add("mnist");
                options.put("--data-dir", List.of(emptyDataDir.toString()));
            }
            case "new-experiment" -> {
                positional.add("probe-experiment");
                options.put("--dir", List.of(out.toString()));
            }
            case "bench" -> options.put("--out", List.of(out.toString()));
            case "bench-worker" -> {
                options.put("--task", List.of("latentlab"));
                options.put("--workload", List.of("vae128"));
                options.put("--result", List.of(out.resolve("r.json").toString()));
            }
            default -> {}
        }
        List<String> args = new ArrayList<>(List.of(arg.command()));
        if (arg.spec() instanceof OptionSpec o) {
            for (String name : o.names()) {
                options.remove(name);
            }
            args.addAll(positional);
        } else {
            PositionalParamSpec p = (PositionalParamSpec) arg.spec();
            int index = p.index().min();
            if (index < positional.size()) {
                positional.set(index, null);
            }
            for (String s : positional) {
                if (s == null) {
                    args.addAll(variant);
                } else {
                    args.add(s);
                }
            }
            if (positional.isEmpty()) {
                args.addAll(variant);
            }
        }
        options.forEach((name, values) -> {
            args.add(name);
            args.addAll(values);
        });
        if (arg.spec() instanceof OptionSpec) {
            args.addAll(variant);
        }
        if (!CHEAP.contains(arg.command())) {
            args.add("--dry-run");
        }
        return args;
    }

    @Provide
    Arbitrary<String> values() {
        Arbitrary<String> junk = Arbitraries.of(
                "",
                " ",
                "-1",
                "0",
                "-0",
                "1",
                "2",
                "1.5",
                "-2.5",
                "2147483647",
                "2147483648",
                "-2147483649",
                "9223372036854775808",
                "99999999999999999999",
                "NaN",
                "-NaN",
                "Infinity",
                "-Infinity",
                "1e309",
                "1e-320",
                "0x10",
                "1_000",
                "abc",
                "ABC",
                "true",
                "FALSE",
                ",",
                ",,",
                "1,,2",
                "1,x,",
                "0,1,2",
                "-1,5",
                "=",
                "a=b",
                "--",
                "-",
                "ü✓日本",
                "\t",
                "\u00a0",
                "' OR 1",
                "%s%n",
                "..",
                "@MISSING",
                "@FILE",
                "@DIR",
                "@FILE/below",
                "@MISSING/deeper/still",
                "@DIR/../a-folder",
                "vae",
                "ae",
                "auto",
                "cpu",
                "cuda",
                "adam",
                "SGD",
                "cosine",
                "mnist",
                "mnist-sample",
                "gemm",
                "vae128",
                "pytorch",
                "bce",
                "neg_elbo");
        Arbitrary<String> ints = Arbitraries.integers().map(String::valueOf);
        Arbitrary<String> doubles = Arbitraries.doubles().map(d -> String.valueOf(d));
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(10);
        Arbitrary<String> lists = Arbitraries.integers()
                .between(-3, 12)
                .map(String::valueOf)
                .injectDuplicates(0.1)
                .list()
                .ofMaxSize(4)
                .map(l -> String.join(",", l));
        return Arbitraries.frequencyOf(
                Tuple.of(6, junk), Tuple.of(1, ints), Tuple.of(1, doubles), Tuple.of(1, text), Tuple.of(1, lists));
    }

    // ---------------------------------------------------------------------------------------------------------
    // 2. Every --set key of every model.

    /** One config key of one model, from the registry. */
    record Key(String model, RecordComponent component) {
        @Override
        public String toString() {
            return model + "." + component.getName();
        }
    }

    static List<Key> allKeys() {
        List<Key> keys = new ArrayList<>();
        for (ModelType<?> type : Models.registry().types()) {
            for (RecordComponent c : type.configClass().getRecordComponents()) {
                keys.add(new Key(type.name(), c));
            }
        }
        return keys;
    }

    @Property(tries = 6, seed = "20261203", shrinking = ShrinkingMode.OFF)
    void everySetKeyOfEveryModelWorksOrFailsWithOneLineNamingIt(@ForAll("mutations") Mutation mutation)
            throws IOException {
        Path work = Files.createDirectories(root.resolve("set-" + CASES.get()));
        List<String> failures = new ArrayList<>();
        for (Key key : allKeys()) {
            String value = mutation.valueFor(key.component().getGenericType(), defaultOf(key));
            List<String> args = List.of(
                    "train",
                    "--model",
                    key.model(),
                    "--set",
                    key.component().getName() + "=" + value,
                    "--out",
                    work.resolve("out-" + CASES.get()).toString(),
                    "--data-dir",
                    emptyDataDir.toString(),
                    "--dry-run");
            COVERED.computeIfAbsent("set keys", k -> new LinkedHashSet<>()).add(key.toString());
            String problem = check(args, List.of(key.component().getName()), value, work, false);
            if (problem != null) {
                failures.add(problem);
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " --set failures:\n" + String.join("\n", failures));
        }
    }

    private static Object defaultOf(Key key) {
        ModelType<?> type = Models.registry().get(key.model());
        try {
            return key.component().getAccessor().invoke(type.defaults());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * How to mutate a value of a given type: {@code kind} picks the mutation, {@code r} is a random number that
     * feeds it. Kept abstract of the key so that one try mutates every key the same way.
     */
    record Mutation(int kind, long r) {
        String valueFor(Type type, Object def) {
            String d = def instanceof List<?> l
                    ? String.join(",", l.stream().map(String::valueOf).toList())
                    : def instanceof Enum<?> e ? e.name().toLowerCase(Locale.ROOT) : String.valueOf(def);
            boolean list = type instanceof ParameterizedType;
            boolean isEnum = type instanceof Class<?> c && c.isEnum();
            return switch (kind) {
                case 0 -> ""; // empty
                case 1 -> list ? d + ",-" + Math.abs(r % 5) : "-" + Math.abs(r % 1000); // negative
                case 2 -> list ? "2147483647" : "99999999999"; // huge
                case 3 -> "NaN";
                case 4 -> "abc"; // wrong type
                case 5 -> list ? d + ",,x" : d + ",junk"; // list with junk
                case 6 -> "ü✓日本"; // unicode
                case 7 -> isEnum ? enumConstant(type, r) : d; // valid-looking: the default or another constant
                case 8 -> "0"; // zero
                case 9 -> list ? "," : "1e309"; // empty list / overflowing double
                case 10 -> isEnum ? d.toUpperCase(Locale.ROOT).replace('_', '-') : scaled(d, r);
                default -> String.valueOf(r); // any long
            };
        }

        private static String enumConstant(Type type, long r) {
            Object[] constants = ((Class<?>) type).getEnumConstants();
            return ((Enum<?>) constants[(int) Math.floorMod(r, constants.length)])
                    .name()
                    .toLowerCase(Locale.ROOT);
        }

        private static String scaled(String d, long r) {
            try {
                double v = Double.parseDouble(d);
                double factor = new double[] {0.5, 2, 10, -1, 1e-9}[(int) Math.floorMod(r, 5)];
                return d.contains(".") || d.contains("e")
                        ? String.valueOf(v * factor)
                        : String.valueOf((long) Math.ceil(v * factor));
            } catch (NumberFormatException e) {
                return d + d;
            }
        }
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        return Combinators.combine(Arbitraries.integers().between(0, 11), Arbitraries.longs())
                .as(Mutation::new);
    }

    // ---------------------------------------------------------------------------------------------------------
    // 3. Every field of a real config.json, then --resume and evaluate on it.

    /** A JSON path in config.json: keys, and array indices as numbers. */
    static List<List<Object>> allPaths(JsonNode node, List<Object> prefix) {
        List<List<Object>> paths = new ArrayList<>();
        if (node.isObject()) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                List<Object> p = new ArrayList<>(prefix);
                p.add(k);
                paths.add(p);
                paths.addAll(allPaths(node.get(k), p));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                List<Object> p = new ArrayList<>(prefix);
                p.add(i);
                paths.add(p);
                paths.addAll(allPaths(node.get(i), p));
            }
        }
        return paths;
    }

    @Property(tries = 6, seed = "20261203", shrinking = ShrinkingMode.OFF)
    void everyConfigJsonFieldWorksOrFailsWithOneLineNamingIt(@ForAll("mutations") Mutation mutation)
            throws IOException {
        JsonNode original = JSON.readTree(runDir.resolve("config.json").toFile());
        List<List<Object>> paths = allPaths(original, List.of());
        List<String> failures = new ArrayList<>();
        int n = 0;
        for (List<Object> path : paths) {
            Path copy = root.resolve("config-" + CASES.get() + "-" + n++);
            copyTree(runDir, copy);
            String key = lastKey(path);
            String text = mutate(original, path, mutation);
            Files.writeString(copy.resolve("config.json"), text, StandardCharsets.UTF_8);
            COVERED.computeIfAbsent("config.json fields", k -> new LinkedHashSet<>())
                    .add(pathString(path));
            for (List<String> args : List.of(
                    List.of("train", "--resume", "--out", copy.toString(), "--dry-run"),
                    List.of("evaluate", copy.toString(), "--dry-run"))) {
                // the key itself: every message names the file anyway
                String problem = check(args, List.of(key), null, copy, false);
                if (problem != null) {
                    failures.add(problem + "\n    config.json: " + text.replaceAll("\\s+", " "));
                }
            }
            AtomicFiles.deleteRecursively(copy);
        }
        // Truncated JSON: cut at a random point.
        String whole = original.toString();
        Path copy = root.resolve("config-" + CASES.get() + "-cut");
        copyTree(runDir, copy);
        int cut = (int) Math.floorMod(mutation.r(), whole.length() - 1);
        Files.writeString(copy.resolve("config.json"), whole.substring(0, cut));
        for (List<String> args : List.of(
                List.of("train", "--resume", "--out", copy.toString()),
                List.of("evaluate", copy.toString(), "--dry-run"))) {
            String problem = check(args, List.of("config.json"), null, copy, false);
            if (problem != null) {
                failures.add(problem + "\n    truncated at " + cut);
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " config.json failures:\n" + String.join("\n", failures));
        }
    }

    private static String mutate(JsonNode original, List<Object> path, Mutation m) {
        JsonNode tree = original.deepCopy();
        JsonNode parent = tree;
        for (Object step : path.subList(0, path.size() - 1)) {
            parent = step instanceof String s ? parent.get(s) : parent.get((Integer) step);
        }
        Object last = path.get(path.size() - 1);
        JsonNode current = last instanceof String s ? parent.get(s) : parent.get((Integer) last);
        JsonNodeFactory f = JsonNodeFactory.instance;
        JsonNode replacement;
        switch (m.kind() % 8) {
            case 0 -> { // drop the key (or the list element)
                if (parent instanceof ObjectNode o) {
                    o.remove((String) last);
                } else {
                    ((ArrayNode) parent).remove((Integer) last);
                }
                return tree.toString();
            }
            case 1 -> { // an unknown key beside it
                if (parent instanceof ObjectNode o) {
                    o.put(last + "Typo", 1);
                    return tree.toString();
                }
                replacement = f.textNode("junk");
            }
            case 2 -> replacement = f.textNode(current.isTextual() ? current.asText() + "x" : current.toString() + "x");
            case 3 ->
                replacement = current.isNumber() ? f.numberNode(-Math.abs(current.asDouble()) - 1) : f.numberNode(-1);
            case 4 -> replacement = current.isNumber() ? f.numberNode(new BigDecimal("1e400")) : f.arrayNode();
            case 5 -> replacement = f.nullNode();
            case 6 -> replacement = current instanceof ContainerNode<?> ? f.booleanNode(true) : f.objectNode();
            default ->
                replacement =
                        current.isNumber() ? f.numberNode(current.asDouble() * 1e9 + m.r() % 7) : f.numberNode(m.r());
        }
        if (parent instanceof ObjectNode o) {
            o.set((String) last, replacement);
        } else {
            ((ArrayNode) parent).set((Integer) last, replacement);
        }
        return tree.toString();
    }

    private static String lastKey(List<Object> path) {
        for (int i = path.size() - 1; i >= 0; i--) {
            if (path.get(i) instanceof String s) {
                return s;
            }
        }
        return "config.json";
    }

    private static String pathString(List<Object> path) {
        StringBuilder b = new StringBuilder();
        for (Object step : path) {
            b.append(step instanceof Integer ? "[]" : (b.length() == 0 ? "" : ".") + step);
        }
        return b.toString();
    }

    // ---------------------------------------------------------------------------------------------------------
    // 4. Accepted values, for real: train, resume, evaluate and plot without --dry-run.

    @Property(tries = 2, seed = "20261203", shrinking = ShrinkingMode.OFF)
    void acceptedValuesReallyRun(
            @ForAll @IntRange(min = 30, max = 600) int batchSize,
            @ForAll @DoubleRange(min = 1e-4, max = 1e-2) double lr,
            @ForAll @DoubleRange(min = 0, max = 0.3) double validation,
            @ForAll @IntRange(min = -1, max = 9) int trainClass,
            @ForAll("smallModels") List<String> model)
            throws IOException {
        Path out = root.resolve("real-" + CASES.get());
        List<String> train = new ArrayList<>(List.of(
                "train",
                "--epochs",
                "1",
                "--batch-size",
                String.valueOf(batchSize),
                "--lr",
                String.valueOf(lr),
                "--validation-fraction",
                String.valueOf(validation),
                "--out",
                out.toString()));
        train.addAll(model);
        if (trainClass >= 0) {
            train.addAll(List.of("--train-classes", String.valueOf(trainClass)));
        }
        List<String> failures = new ArrayList<>();
        for (List<String> args : List.of(
                train,
                List.of("train", "--resume", "--epochs", "2", "--out", out.toString()),
                List.of("evaluate", out.toString(), "--is-samples", "4", "--is-images", "20", "--probe-size", "200"),
                List.of("plot", out.toString(), "--points", "60", "--tsne-points", "0"))) {
            String problem = check(args, List.of(), null, out, false);
            REAL_RUNS.incrementAndGet();
            Result last = LAST.get();
            if (problem != null || last.exit() != 0) {
                failures.add(problem != null ? problem : String.join(" ", args) + " failed: " + last.err());
            }
        }
        for (String f : List.of("summary.json", "evaluation.json", "checkpoints/epoch-0002/state.json", "plots")) {
            if (!Files.exists(out.resolve(f))) {
                failures.add("missing " + f + " after " + train);
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(String.join("\n", failures));
        }
    }

    @Provide
    Arbitrary<List<String>> smallModels() {
        return Arbitraries.of(
                List.of("--model", "vae", "--set", "hiddenSizes=16", "--set", "latentSize=2"),
                List.of("--model", "ae", "--set", "encoderSizes=16,2"));
    }

    private static final ThreadLocal<Result> LAST = new ThreadLocal<>();

    // ---------------------------------------------------------------------------------------------------------
    // The check every case must pass.

    /**
     * Runs {@code args}; returns null if the outcome is acceptable, else what is wrong. {@code names}: strings
     * of which the error line must contain one (the option or key); for a positional parameter the value will do.
     */
    private static String check(List<String> args, List<String> names, String value, Path work, boolean positional) {
        CASES.incrementAndGet();
        boolean dryRun = args.contains("--dry-run");
        Map<Path, Long> before = dryRun ? snapshot(work) : Map.of();
        Map<Path, Long> runBefore = dryRun ? runSnapshots() : Map.of();
        long t0 = System.nanoTime();
        Result r = CliRunner.run(args.toArray(String[]::new));
        LAST.set(r);
        long[] stat =
                STATS.computeIfAbsent(args.get(0) + (args.contains("--resume") ? " --resume" : ""), k -> new long[3]);
        stat[0]++;
        stat[1] += r.exit() == 0 ? 1 : 0;
        stat[2] += (System.nanoTime() - t0) / 1_000_000;
        String what = "["
                + String.join(
                        " ", args.stream().map(BadInputPropertiesTest::quote).toList()) + "] exit " + r.exit()
                + "\n    stderr: " + r.err().replace("\n", "\n            ");
        String leftovers = leftovers(work);
        if (leftovers != null) {
            return what + "\n    " + leftovers;
        }
        if (r.exit() == 0) {
            ACCEPTED.incrementAndGet();
            if (dryRun && (!before.equals(snapshot(work)) || !runBefore.equals(runSnapshots()))) {
                return what + "\n    a dry run changed files";
            }
            return null;
        }
        List<String> lines = r.err().lines().toList();
        List<String> errors = lines.stream().filter(l -> l.startsWith("error:")).toList();
        if (errors.size() != 1) {
            return what + "\n    expected exactly one 'error:' line";
        }
        for (String line : lines) {
            if (!line.startsWith("error:") && !line.matches("Try '.*--help'")) {
                return what + "\n    unexpected stderr line: " + line;
            }
        }
        if (r.err().contains("Exception")
                || r.err().contains("\tat ")
                || r.err().contains("Error:")) {
            return what + "\n    looks like a stack trace or an exception name";
        }
        String line = errors.get(0);
        String squashed = squash(line);
        for (String name : names) {
            if (line.contains(name) || squashed.contains(squash(name))) {
                return null;
            }
        }
        if (positional && value != null && !value.isBlank() && line.contains(value.strip())) {
            return null;
        }
        return what + "\n    the error line names none of " + names;
    }

    /** Lower case, letters and digits only: "--batch-size", "batchSize" and "batch size" all match. */
    private static String squash(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    private static String quote(String s) {
        return s.matches("[A-Za-z0-9_./=,:@+-]+") ? s : "'" + s + "'";
    }

    /** Temporary files of atomic writes left behind, or a .json file that does not parse; null if none. */
    private static String leftovers(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                if (name.endsWith(".tmp") || name.matches("\\..*\\.(new|old)\\d*")) {
                    return "left a temporary file: " + p;
                }
                if (name.endsWith(".json") && Files.isRegularFile(p) && !name.equals("config.json")) {
                    try {
                        JSON.readTree(p.toFile());
                    } catch (IOException e) {
                        return "left a .json that does not parse: " + p;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return null;
    }

    /** Every file under {@code dir} with its size and modification time. */
    /** {@link #snapshot} of both fixture runs, which dry runs read. */
    private static Map<Path, Long> runSnapshots() {
        Map<Path, Long> files = snapshot(runDir);
        files.putAll(snapshot(cvaeRunDir));
        return files;
    }

    private static Map<Path, Long> snapshot(Path dir) {
        Map<Path, Long> files = new TreeMap<>();
        if (!Files.exists(dir)) {
            return files;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                files.put(
                        p,
                        Files.isRegularFile(p)
                                ? Files.size(p) * 31
                                        + Files.getLastModifiedTime(p).toMillis()
                                : -1L);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
