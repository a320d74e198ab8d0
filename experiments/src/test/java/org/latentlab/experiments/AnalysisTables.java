package org.latentlab.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads the pipe tables of an {@code analysis.md} back, for tests. */
final class AnalysisTables {
    private AnalysisTables() {}

    /** Every pipe table of the file, each as rows of trimmed cells (the header first, the rule left out). */
    static List<List<List<String>>> read(Path analysisMd) throws IOException {
        List<List<List<String>>> tables = new ArrayList<>();
        List<List<String>> current = null;
        for (String line : Files.readAllLines(analysisMd)) {
            if (!line.startsWith("|")) {
                current = null;
                continue;
            }
            if (current == null) {
                current = new ArrayList<>();
                tables.add(current);
            }
            if (line.startsWith("|---")) {
                continue;
            }
            String inner = line.substring(1, line.length() - 1);
            current.add(Arrays.stream(inner.split("\\|", -1)).map(String::trim).toList());
        }
        return tables;
    }
}
