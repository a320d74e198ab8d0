package org.latentlab.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of docs/ARCHITECTURE.md, checked on the compiled classes of every module (main code only).
 * Each layer may use only the layers listed before it; a new package must be added here, in its place.
 * There is no list of exceptions: an import that runs back up is a failure to fix, not to record.
 */
class ArchitectureTest {

    /** Bottom to top. Each entry: layer name, package pattern. */
    static final List<String[]> LAYERS = List.of(
            // framework: the engine first; it uses nothing else of Latent Lab
            new String[] {"engine", "org.latentlab.engine.."},
            new String[] {"io", "org.latentlab.io.."},
            new String[] {"config", "org.latentlab.config.."},
            new String[] {"graph", "org.latentlab.graph.."},
            new String[] {"loss", "org.latentlab.loss.."},
            new String[] {"data", "org.latentlab.data.."},
            new String[] {"core", "org.latentlab.core.."},
            new String[] {"train", "org.latentlab.train.."},
            new String[] {"eval", "org.latentlab.eval.."},
            new String[] {"plot", "org.latentlab.plot.."},
            new String[] {"tensorboard", "org.latentlab.tensorboard.."},
            new String[] {"run", "org.latentlab.run.."},
            new String[] {"sweep", "org.latentlab.sweep.."},
            new String[] {"report", "org.latentlab.report.."},
            // modules above the framework
            new String[] {"models", "org.latentlab.models.."},
            new String[] {"experiments", "org.latentlab.experiments.."},
            new String[] {"bench", "org.latentlab.bench.."},
            new String[] {"cli", "org.latentlab.cli.."});

    /** Layers that sit side by side: neither may use the other. */
    static final List<List<String>> SIDE_BY_SIDE = List.of(List.of("experiments", "bench"));

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.latentlab");
    }

    @Test
    void everyClassBelongsToALayer() {
        List<String> orphans = new ArrayList<>();
        for (JavaClass c : classes) {
            String pkg = c.getPackageName();
            boolean inLayer = LAYERS.stream()
                    .anyMatch(l -> pkg.equals(l[1].substring(0, l[1].length() - 2))
                            || pkg.startsWith(l[1].substring(0, l[1].length() - 1)));
            if (!inLayer) {
                orphans.add(c.getName());
            }
        }
        assertEquals(List.of(), orphans, "classes in a package that ArchitectureTest.LAYERS does not name");
    }

    @Test
    void importsRunOnlyDownTheLayers() {
        LayeredArchitecture arch = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String[] l : LAYERS) {
            arch = arch.layer(l[0]).definedBy(l[1]);
        }
        for (int i = 0; i < LAYERS.size(); i++) {
            String name = LAYERS.get(i)[0];
            List<String> below = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                String other = LAYERS.get(j)[0];
                boolean sideBySide = SIDE_BY_SIDE.stream().anyMatch(s -> s.contains(name) && s.contains(other));
                if (!sideBySide) {
                    below.add(other);
                }
            }
            arch = below.isEmpty()
                    ? arch.whereLayer(name).mayNotAccessAnyLayer()
                    : arch.whereLayer(name).mayOnlyAccessLayers(below.toArray(String[]::new));
        }
        arch.check(classes);
    }

    /**
     * The engine's switches are read once, into {@code EngineOptions} ({@code EngineOptions.fromEnvironment()}),
     * and passed from there: no other class of the engine reads the environment.
     */
    @Test
    void onlyEngineOptionsReadsTheEnvironmentInTheEngine() {
        noClasses()
                .that()
                .resideInAPackage("org.latentlab.engine..")
                .and()
                .doNotHaveSimpleName("EngineOptions")
                .should()
                .callMethod(System.class, "getenv", String.class)
                .orShould()
                .callMethod(System.class, "getenv")
                .check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching("org.latentlab.(**)").should().beFreeOfCycles().check(classes);
    }

    /**
     * {@code model} beside {@code models}, {@code experiment} beside {@code experiments}: easy to mix up. Short
     * abbreviations ({@code ae}, {@code vae}: three letters or fewer) are told apart by their meaning.
     */
    @Test
    void noTwoPackagesDifferByOneLetter() {
        TreeSet<String> packages = new TreeSet<>();
        classes.forEach(c -> packages.add(c.getPackageName()));
        List<String> confusable = new ArrayList<>();
        List<String> all = new ArrayList<>(packages);
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                String a = lastSegment(all.get(i));
                String b = lastSegment(all.get(j));
                if (Math.min(a.length(), b.length()) > 3 && editDistance(a, b) <= 1) {
                    confusable.add(all.get(i) + " / " + all.get(j));
                }
            }
        }
        assertEquals(List.of(), confusable);
    }

    private static String lastSegment(String pkg) {
        return pkg.substring(pkg.lastIndexOf('.') + 1);
    }

    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
