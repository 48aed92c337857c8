package io.cairn.client.discovery;

import io.cairn.client.CairnException;
import java.util.List;

/**
 * What a subscriber to a service is told, one call at a time, in revision order, on a client
 * thread (do not block in it).
 */
public interface InstanceListener {
    /**
     * The service's instances changed. The first call brings every instance there is, each as
     * ADDED (none at all when the service has no instance yet); every later call brings what
     * changed since the call before, each change once, none missed, across reconnections.
     *
     * @param instances the instances now, in id order
     * @param changes   what changed since the last call, in revision order
     */
    void onUpdate(List<ServiceInstance> instances, List<InstanceChange> changes);

    /**
     * The cluster became unreachable ({@code true}): the last known instances are being served
     * while the SDK reconnects; or it is reachable again ({@code false}), and any changes made
     * meanwhile follow.
     */
    default void onStale(boolean stale) {
    }

    /**
     * The subscription was refused (for example "etcdserver: permission denied", or a server
     * without the registry) and has stopped; the last known instances stay in view.
     */
    default void onError(CairnException error) {
    }
}
