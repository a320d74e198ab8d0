package org.latentlab.engine;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.samediff.internal.Variable;

/**
 * The order of a plan's ops: those the required variables depend on, in topological order
 * (depth-first, post-order), with each fused subgraph ({@link FusedBernoulli}) standing as one
 * pseudo-op in place of its ops.
 */
final class OpOrder {
    private OpOrder() {}

    /**
     * Appends to {@code order} the ops that the {@code required} variables of {@code g} depend on,
     * each after its inputs' ops; returns why the graph cannot be ordered, or null.
     */
    static String order(SameDiff g, Fusions fusions, Collection<String> required, List<String> order) {
        Set<String> done = new HashSet<>();
        Set<String> onStack = new HashSet<>();
        for (String var : required) {
            String reason = visitVariable(g, fusions, var, order, done, onStack);
            if (reason != null) {
                return reason;
            }
        }
        return null;
    }

    /** The fused subgraphs of a plan, by the pseudo-op names that stand for them in its order. */
    static final class Fusions {
        final Map<String, FusedBernoulli.Match> byName = new HashMap<>();
        /** Variable name to the pseudo-op that computes it. */
        final Map<String, String> producerOf = new HashMap<>();

        final Map<String, List<String>> inputsOf = new HashMap<>();

        Fusions(List<FusedBernoulli.Match> matches) {
            for (FusedBernoulli.Match m : matches) {
                byName.put(m.forwardName(), m);
                producerOf.put(m.terms(), m.forwardName());
                inputsOf.put(m.forwardName(), List.of(m.logits(), m.target()));
                if (m.logitsGrad() != null) {
                    byName.put(m.backwardName(), m);
                    producerOf.put(m.logitsGrad(), m.backwardName());
                    // terms: the forward loop, which keeps what the backward loop reads, runs first
                    inputsOf.put(m.backwardName(), List.of(m.termsGrad(), m.logits(), m.target(), m.terms()));
                }
            }
        }
    }

    private static String visitVariable(
            SameDiff g, Fusions fusions, String var, List<String> order, Set<String> done, Set<String> onStack) {
        String pseudo = fusions.producerOf.get(var);
        if (pseudo != null) {
            if (done.contains(pseudo)) {
                return null;
            }
            for (String in : fusions.inputsOf.get(pseudo)) {
                String reason = visitVariable(g, fusions, in, order, done, onStack);
                if (reason != null) {
                    return reason;
                }
            }
            done.add(pseudo);
            order.add(pseudo);
            return null;
        }
        Variable v = g.getVariables().get(var);
        if (v == null) {
            return "variable '" + var + "' is not in the gradient function";
        }
        if (v.getControlDeps() != null && !v.getControlDeps().isEmpty()) {
            return "variable '" + var + "' has control dependencies";
        }
        String op = v.getOutputOfOp();
        if (op == null) {
            return null; // placeholder, constant or parameter
        }
        return visitOp(g, fusions, op, order, done, onStack);
    }

    private static String visitOp(
            SameDiff g, Fusions fusions, String opName, List<String> order, Set<String> done, Set<String> onStack) {
        if (done.contains(opName)) {
            return null;
        }
        if (!onStack.add(opName)) {
            return "the graph has a cycle through op '" + opName + "'";
        }
        SameDiffOp op = g.getOps().get(opName);
        if (op.getControlDeps() != null && !op.getControlDeps().isEmpty()) {
            return "op '" + opName + "' has control dependencies";
        }
        if (op.getInputsToOp() != null) {
            for (String in : op.getInputsToOp()) {
                String reason = visitVariable(g, fusions, in, order, done, onStack);
                if (reason != null) {
                    return reason;
                }
            }
        }
        onStack.remove(opName);
        done.add(opName);
        order.add(opName);
        return null;
    }
}
