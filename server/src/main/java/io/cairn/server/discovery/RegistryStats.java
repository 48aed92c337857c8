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
    private static final ByteString ROOT = ByteString.copyFromUtf8(RegistryKeys.ROOT);
    private final LongAdder registrations = new LongAdder();
    private final LongAdder expirations = new LongAdder();

    /** Committed events: a registry key created is a registration. */
    public void committed(List<Event> events) {
        for (Event e : events) {
            if (e.getType() == Event.EventType.PUT && e.getKv().getVersion() == 1 && isInstanceKey(e.getKv().getKey())) {
                registrations.increment();
            }
        }
    }

    /** A key deleted because its lease ended. */
    public void leaseDeleted(ByteString key) {
        if (isInstanceKey(key)) {
            expirations.increment();
        }
    }

    /** /cairn/registry/ns/service/id, not a service's settings key. */
    private static boolean isInstanceKey(ByteString key) {
        if (!key.startsWith(ROOT)) {
            return false;
        }
        String rest = key.substring(ROOT.size()).toStringUtf8();
        return rest.chars().filter(c -> c == '/').count() == 2;
    }

    public long registrations() {
        return registrations.sum();
    }

    public long expirations() {
        return expirations.sum();
    }
}
