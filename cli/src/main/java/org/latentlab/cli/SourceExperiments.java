package org.latentlab.cli;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.latentlab.sweep.Experiment;

/**
 * Experiments from one Java source file, compiled when a sweep names it ({@code latentlab sweep MyExperiment.java}):
 * javac (through {@code javax.tools}) compiles the file against the jars this process runs on, and the class of the
 * file's name is loaded and created. Compile errors are shown as javac prints them. Compiling needs a JDK; a Java
 * runtime without javac is told so.
 */
final class SourceExperiments {
    private SourceExperiments() {}

    /** Whether {@code arg} names a Java source file. */
    static boolean isSource(String arg) {
        return arg.toLowerCase(Locale.ROOT).endsWith(".java");
    }

    /** Compiles {@code source} and creates its experiment. */
    static Experiment compile(Path source) {
        if (!Files.isRegularFile(source)) {
            throw new UserException(source + ": no such file");
        }
        String file = source.getFileName().toString();
        String simpleName = file.substring(0, file.length() - ".java".length());
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new UserException(source + ": compiling an experiment needs a JDK (javac), and this Java ("
                    + System.getProperty("java.home") + ") is a runtime only; run Latent Lab with a JDK, or add the "
                    + "class to experiments/ and rebuild");
        }
        Path classes;
        try {
            classes = Files.createTempDirectory("latentlab-experiment-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a folder for the compiled " + source, e);
        }
        StringWriter messages = new StringWriter();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of(
                    "-classpath", compileClasspath(), "-d", classes.toString(), "-proc:none", "-encoding", "UTF-8");
            Boolean ok = javac.getTask(messages, files, null, options, null, files.getJavaFileObjects(source.toFile()))
                    .call();
            if (!Boolean.TRUE.equals(ok)) {
                throw new UserException(
                        "cannot compile " + source + ":\n" + messages.toString().stripTrailing());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compile " + source, e);
        }
        String className = classNameIn(classes, simpleName)
                .orElseThrow(() -> new UserException(source + ": defines no class " + simpleName
                        + " (a public class named as its file, extending org.latentlab.sweep.Experiment)"));
        try {
            URLClassLoader loader =
                    new URLClassLoader(new URL[] {classes.toUri().toURL()}, SourceExperiments.class.getClassLoader());
            Class<?> cls = Class.forName(className, true, loader);
            if (!Experiment.class.isAssignableFrom(cls)) {
                throw new UserException(
                        source + ": class " + className + " does not extend " + Experiment.class.getName());
            }
            return (Experiment) cls.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | IOException | LinkageError e) {
            throw new UserException(
                    source + ": cannot create " + className + " (it needs a public constructor without "
                            + "arguments): " + e,
                    e);
        }
    }

    /**
     * The class path of this process as javac needs it: {@code java.class.path}, with the {@code Class-Path} of a
     * manifest-only jar spelled out (test runners start the JVM with one jar whose manifest lists the real path).
     */
    static String compileClasspath() {
        List<String> entries = new java.util.ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            entries.add(entry);
            if (!entry.endsWith(".jar") || !Files.isRegularFile(Path.of(entry))) {
                continue;
            }
            try (java.util.jar.JarFile jar = new java.util.jar.JarFile(entry)) {
                java.util.jar.Manifest manifest = jar.getManifest();
                String classPath = manifest == null
                        ? null
                        : manifest.getMainAttributes().getValue(java.util.jar.Attributes.Name.CLASS_PATH);
                if (classPath == null) {
                    continue;
                }
                java.net.URI base = Path.of(entry).toAbsolutePath().toUri();
                for (String ref : classPath.trim().split("\\s+")) {
                    try {
                        entries.add(Path.of(base.resolve(ref)).toString());
                    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
                        // not a file: skip it
                    }
                }
            } catch (IOException e) {
                // not a readable jar: javac will say what it misses
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    /** The binary name of the top-level class {@code simpleName} among the compiled classes, in any package. */
    private static java.util.Optional<String> classNameIn(Path classes, String simpleName) {
        try (Stream<Path> all = Files.walk(classes)) {
            return all.filter(p -> p.getFileName().toString().equals(simpleName + ".class"))
                    .map(p -> classes.relativize(p).toString())
                    .map(rel ->
                            rel.substring(0, rel.length() - ".class".length()).replace('/', '.'))
                    .findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + classes, e);
        }
    }
}
