package io.cairn.server.discovery;

import io.cairn.api.discovery.Instance;
import io.cairn.api.discovery.ListInstancesRequest;
import io.cairn.api.discovery.ListInstancesResponse;
import io.cairn.api.discovery.ServiceSettings;
import io.cairn.api.discovery.Status;
import java.util.List;
import java.util.Map;

/**
 * A lookup's answer from a service's instances: those matching the zone, tags and metadata asked
 * for; of them the healthy (UP) ones, unless all were asked for or, as Nacos protects a service,
 * the healthy share is below the service's protection threshold, when sending every caller to the
 * few healthy ones would overload them.
 */
public final class InstanceFilter {
    private InstanceFilter() {
    }

    public static ListInstancesResponse.Builder select(List<Instance> instances, ServiceSettings settings,
                                                       ListInstancesRequest r) {
        List<Instance> matching = instances.stream().filter(i -> matches(i, r)).toList();
        ListInstancesResponse.Builder resp = ListInstancesResponse.newBuilder();
        if (r.getAll()) {
            return resp.addAllInstances(matching);
        }
        List<Instance> healthy = matching.stream().filter(InstanceFilter::healthy).toList();
        if (protectionTriggered(healthy.size(), matching.size(), settings)) {
            return resp.addAllInstances(matching).setProtectionTriggered(true);
        }
        return resp.addAllInstances(healthy);
    }

    public static boolean healthy(Instance i) {
        return i.getStatus() == Status.UP;
    }

    static boolean protectionTriggered(int healthy, int total, ServiceSettings settings) {
        double threshold = settings.getProtectionThreshold();
        return threshold > 0 && total > 0 && (double) healthy / total < threshold;
    }

    private static boolean matches(Instance i, ListInstancesRequest r) {
        if (!r.getZone().isEmpty() && !r.getZone().equals(i.getZone())) {
            return false;
        }
        if (!i.getTagsList().containsAll(r.getTagsList())) {
            return false;
        }
        for (Map.Entry<String, String> e : r.getMetadataMap().entrySet()) {
            if (!e.getValue().equals(i.getMetadataMap().get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
