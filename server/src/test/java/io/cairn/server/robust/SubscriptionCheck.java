package io.cairn.server.robust;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks what registry subscribers were told against the store's history of the service's keys,
 * as the watchers saw it. Replaying a subscriber's responses in order (a full list replaces what
 * it knew; each change adds, updates or removes one instance) must give, whenever a response says
 * "everything up to revision R was sent", exactly the instances the store held at R, each at the
 * revision that last wrote it; a change must fit what the subscriber knew (no instance added twice,
 * none updated or removed that it did not have), changes come in revision order, R never goes
 * back, and every subscriber gets to the service's last change in the run.
 */
public final class SubscriptionCheck {
    /** A change as a subscriber got it. */
    public enum Kind { ADDED, UPDATED, REMOVED }

    public record Change(Kind kind, String id, long revision) {
    }

    /**
     * One response as a subscriber got it.
     *
     * @param full      for a full list, the instances (id to the revision that wrote it); null otherwise
     * @param changes   the changes it carried
     * @param revision  everything up to it was sent
     */
    public record Response(Map<String, Long> full, List<Change> changes, long revision) {
    }

    private SubscriptionCheck() {
    }

    /**
     * @param events      every event of a range holding the service's instance keys, in revision order
     * @param prefix      the service's instance keys' prefix (an instance's id follows it)
     * @param subscribers what each subscriber got, in order, by its name
     * @param to          the run's last revision; a subscriber still listening may be told of later ones, not checked
     */
    public static List<String> check(List<WatchCompleteness.Seen> events, String prefix,
                                     Map<String, List<Response>> subscribers, long to) {
        List<String> anomalies = new ArrayList<>();
        for (Map.Entry<String, List<Response>> s : subscribers.entrySet()) {
            String problem = replay(events, prefix, s.getValue(), to);
            if (problem != null) {
                anomalies.add(s.getKey() + ": " + problem);
            }
        }
        return anomalies;
    }

    /** The first thing wrong with one subscriber's responses, or null. */
    private static String replay(List<WatchCompleteness.Seen> events, String prefix, List<Response> responses, long to) {
        Map<String, Long> known = new HashMap<>();
        Map<String, Long> stored = new HashMap<>();
        int applied = 0; // events applied to stored: those up to storedAt
        long storedAt = 0;
        long lastChange = 0;
        long lastRevision = 0;
        for (Response r : responses) {
            if (r.revision() > to) {
                lastRevision = Math.max(lastRevision, r.revision());
                break; // past the history the watchers were kept for: nothing to compare it with
            }
            if (r.revision() < lastRevision) {
                return "revision went back from " + lastRevision + " to " + r.revision();
            }
            if (r.full() != null) {
                known = new HashMap<>(r.full());
                lastChange = r.revision();
            }
            for (Change c : r.changes()) {
                if (c.revision() < lastChange) {
                    return c + " came after a change at revision " + lastChange;
                }
                boolean had = known.containsKey(c.id());
                if (c.kind() == Kind.ADDED ? had : !had) {
                    return c + " does not fit what it knew: " + known;
                }
                if (c.kind() == Kind.REMOVED) {
                    known.remove(c.id());
                } else {
                    known.put(c.id(), c.revision());
                }
                lastChange = c.revision();
            }
            if (r.revision() < lastChange) {
                return "a response claims revision " + r.revision() + " with a change at " + lastChange;
            }
            lastRevision = r.revision();
            for (; applied < events.size() && events.get(applied).revision() <= r.revision(); applied++) {
                WatchCompleteness.Seen e = events.get(applied);
                if (e.key().startsWith(prefix)) {
                    String id = e.key().substring(prefix.length());
                    if (e.value() == null) {
                        stored.remove(id);
                    } else {
                        stored.put(id, e.revision());
                    }
                }
                storedAt = e.revision();
            }
            if (!known.equals(stored)) {
                return "at revision " + r.revision() + " it knew " + known + " where the store held " + stored
                        + " (events seen up to " + storedAt + ")";
            }
        }
        long last = events.stream().filter(e -> e.key().startsWith(prefix) && e.revision() <= to)
                .mapToLong(WatchCompleteness.Seen::revision).max().orElse(0);
        return lastRevision < last ? "got to revision " + lastRevision + " only, not to the last change, " + last : null;
    }
}
