package org.latentlab.cli;

import org.latentlab.report.RunPlots;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The defaults of the figure options of {@code plot} and {@code report}, read from {@link RunPlots.Options#defaults()}
 * so that each is defined once and {@code --help} shows it.
 */
final class PlotDefaults implements IDefaultValueProvider {
    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)) {
            return null;
        }
        RunPlots.Options d = RunPlots.Options.defaults();
        Object value =
                switch (option.longestName()) {
                    case "--points" -> d.points();
                    case "--tsne-points" -> d.tsnePoints();
                    case "--seed" -> d.seed();
                    default -> null;
                };
        return value == null ? null : String.valueOf(value);
    }
}
