package io.cairn.server.discovery;

import io.cairn.api.discovery.Instance;
import io.cairn.api.discovery.InstanceChange;
import io.cairn.api.etcd.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * A service's watch events as registry changes. A key whose value is not an instance (written by
 * hand) counts as no instance: overwriting one with garbage removes it, and garbage made valid adds it.
 */
public final class InstanceChanges {
    private InstanceChanges() {
    }

    /** Needs the events' previous key-values to tell an update from an addition and to report removals. */
    public static List<InstanceChange> of(InstanceCache instances, String namespace, List<Event> events) {
        List<InstanceChange> changes = new ArrayList<>();
        for (Event e : events) {
            Instance before = e.hasPrevKv() ? instances.decode(namespace, e.getPrevKv()) : null;
            long revision = e.getKv().getModRevision();
            if (e.getType() == Event.EventType.DELETE) {
                if (before == null && !e.hasPrevKv()) {
                    // history no longer has the value it deleted (a delete at the compacted
                    // revision): the key still says which instance went
                    before = removedByKey(namespace, e);
                }
                if (before != null) {
                    changes.add(change(InstanceChange.Type.REMOVED, before.toBuilder().setRevision(revision).build(), revision));
                }
                continue;
            }
            Instance after = instances.decode(namespace, e.getKv());
            if (after != null) {
                changes.add(change(before != null ? InstanceChange.Type.UPDATED : InstanceChange.Type.ADDED, after, revision));
            } else if (before != null) {
                changes.add(change(InstanceChange.Type.REMOVED, before.toBuilder().setRevision(revision).build(), revision));
            }
        }
        return changes;
    }

    private static Instance removedByKey(String namespace, Event e) {
        RegistryKeys.Path path = RegistryKeys.parse(e.getKv().getKey(), namespace);
        return path == null || path.instanceId() == null ? null : Instance.newBuilder().setNamespace(namespace)
                .setService(path.service()).setId(path.instanceId()).build();
    }

    private static InstanceChange change(InstanceChange.Type type, Instance instance, long revision) {
        return InstanceChange.newBuilder().setType(type).setInstance(instance).setRevision(revision).build();
    }
}
