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
 * @param parent for a trial that continues another (successive halving promotes a trial to more epochs), that
 *               trial's index, whose folder it starts from; null for a trial trained from scratch
 */
public record Trial(int index, String id, Map<String, Object> params, RunConfig config, Integer parent) {
    /** A trial trained from scratch. */
    public Trial(int index, String id, Map<String, Object> params, RunConfig config) {
        this(index, id, params, config, null);
    }
}
