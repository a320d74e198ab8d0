package org.latentlab.sweep;

import java.util.Map;

/**
 * Which trials one process runs: those whose index is {@code index} modulo {@code count}. Array
 * jobs get theirs from the cluster engine's environment (Slurm job arrays, Kubernetes Indexed
 * Jobs), local workers from flags.
 *
 * @param index this shard, 0-based
 * @param count number of shards
 */
public record Shard(int index, int count) {
    public static final Shard ALL = new Shard(0, 1);

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException(
                    "shard index must be in [0, count) with count >= 1, got index " + index + " of " + count);
        }
    }

    public boolean contains(Trial trial) {
        return trial.index() % count == index;
    }

    /**
     * The shard from the environment: Slurm ({@code SLURM_ARRAY_TASK_ID}, with
     * {@code SLURM_ARRAY_TASK_COUNT}, or min/max when the count is absent), Kubernetes Indexed Jobs
     * ({@code JOB_COMPLETION_INDEX} with {@code LATENTLAB_SHARD_COUNT}, since Kubernetes does not
     * export the completion count), or {@link #ALL}.
     */
    public static Shard fromEnvironment(Map<String, String> env) {
        String slurmId = env.get("SLURM_ARRAY_TASK_ID");
        if (slurmId != null) {
            int id = parse(env, "SLURM_ARRAY_TASK_ID");
            int min = env.containsKey("SLURM_ARRAY_TASK_MIN") ? parse(env, "SLURM_ARRAY_TASK_MIN") : 0;
            int count;
            if (env.containsKey("SLURM_ARRAY_TASK_COUNT")) {
                count = parse(env, "SLURM_ARRAY_TASK_COUNT");
            } else if (env.containsKey("SLURM_ARRAY_TASK_MAX")) {
                count = parse(env, "SLURM_ARRAY_TASK_MAX") - min + 1;
            } else {
                throw new IllegalArgumentException("SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor "
                        + "SLURM_ARRAY_TASK_MAX is: pass --shard-count");
            }
            return new Shard(id - min, count);
        }
        if (env.containsKey("JOB_COMPLETION_INDEX")) {
            if (!env.containsKey("LATENTLAB_SHARD_COUNT")) {
                throw new IllegalArgumentException(
                        "JOB_COMPLETION_INDEX is set but LATENTLAB_SHARD_COUNT is not: set it to "
                                + "the Job's completions (the manifest in docker/ does), or pass --shard-count");
            }
            return new Shard(parse(env, "JOB_COMPLETION_INDEX"), parse(env, "LATENTLAB_SHARD_COUNT"));
        }
        return ALL;
    }

    private static int parse(Map<String, String> env, String key) {
        try {
            return Integer.parseInt(env.get(key).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "environment variable " + key + "='" + env.get(key) + "' is not an integer");
        }
    }
}
