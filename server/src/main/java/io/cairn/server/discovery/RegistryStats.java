package io.cairn.server.discovery;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.Event;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts, as each member applies the log (so every member counts the same): instances that
 * appeared, and instances that went with their lease (expired or revoked).
 */
public final class RegistryStats {
    private final LongAdder registrations = new LongAdder();
    private final LongAdder expirations = new LongAdder();

    /** Committed events: a registry key created is a registration. */
    public void committed(List<Event> events) {
        for (Event e : events) {
            if (e.getType() == Event.EventType.PUT && e.getKv().getVersion() == 1 && RegistryKeys.isInstance(e.getKv().getKey())) {
                registrations.increment();
            }
        }
    }

    /** A key deleted because its lease ended. */
    public void leaseDeleted(ByteString key) {
        if (RegistryKeys.isInstance(key)) {
            expirations.increment();
        }
    }

    public long registrations() {
        return registrations.sum();
    }

    public long expirations() {
        return expirations.sum();
    }
}
