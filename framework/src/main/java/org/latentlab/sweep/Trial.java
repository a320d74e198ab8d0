package org.latentlab.sweep;

import java.util.Map;
import org.latentlab.run.RunConfig;

/**
 * One point of a sweep.
 *
 * @param index  position in the sweep's trial order (shards take every count-th index)
 * @param id     folder name under {@code trials/}: the index and the parameter values
 * @param params the swept values, by the resolved run-config path
 * @param config the complete, validated run config of this trial
 */
public record Trial(int index, String id, Map<String, Object> params, RunConfig config) {}
