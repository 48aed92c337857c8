package io.cairn.console.views.services;

import io.cairn.client.discovery.HealthCheck;
import io.cairn.client.discovery.InstanceStatus;
import io.cairn.client.discovery.ServiceInstance;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Why a service gets the traffic it gets, in one line an operator reads at a glance:
 * "2 instances: 1 out of service, 1 failing its HTTP check". Each instance falls in one
 * group, so the counts add up to the total.
 */
public final class ServiceDiagnosis {
    private ServiceDiagnosis() {
    }

    public static String of(List<ServiceInstance> instances) {
        if (instances.isEmpty()) {
            return "No instances registered";
        }
        int healthy = 0;
        int weightZero = 0;
        int outOfService = 0;
        int downByOwner = 0;
        Map<HealthCheck.Kind, Integer> failingChecks = new EnumMap<>(HealthCheck.Kind.class);
        for (ServiceInstance i : instances) {
            if (i.status() == InstanceStatus.UP) {
                if (i.weight() > 0) {
                    healthy++;
                } else {
                    weightZero++; // UP, yet balancers never choose it
                }
            } else if (i.status() == InstanceStatus.OUT_OF_SERVICE) {
                outOfService++;
            } else if (i.healthCheck() != null) {
                failingChecks.merge(i.healthCheck().kind(), 1, Integer::sum);
            } else {
                downByOwner++; // a leased instance is DOWN only when its owner says so
            }
        }
        String total = count(instances.size(), "instance", "instances");
        if (healthy == instances.size()) {
            return instances.size() == 1 ? "1 instance, healthy" : total + ", all healthy";
        }
        List<String> parts = new ArrayList<>();
        if (healthy > 0) {
            parts.add(healthy + " healthy");
        }
        if (weightZero > 0) {
            parts.add(weightZero + " up but with weight 0 (takes no traffic)");
        }
        if (outOfService > 0) {
            parts.add(outOfService + " out of service");
        }
        failingChecks.forEach((kind, n) -> parts.add(n + (n == 1 ? " failing its " : " failing their ") + kind + " check"));
        if (downByOwner > 0) {
            parts.add(downByOwner + (downByOwner == 1 ? " marked down by its owner" : " marked down by their owners"));
        }
        return total + ": " + String.join(", ", parts);
    }

    private static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
