package io.cairn.client.discovery;

/** Whether an instance takes traffic. */
public enum InstanceStatus {
    /** Healthy: lookups and load balancers choose it. */
    UP,
    /** Unhealthy, as its health check or its owner says; chosen only under protection (see {@link ServiceSettings}). */
    DOWN,
    /** Taken out by an operator (for maintenance, say) while still running; treated as DOWN by lookups. */
    OUT_OF_SERVICE
}
