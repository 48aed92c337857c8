package io.cairn.server.robust;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a lock's safety from the store's own history, as the watchers saw it. Holders of etcd's
 * Lock get a key whose create revision is their fencing token, and write the guarded resource
 * only in a txn that holds while that key exists. Safe means: every write of the resource
 * happened while its writer held the lock, that is while its key was the oldest under the lock's
 * prefix (a lock granted to a second client, or a write after the lease ended, breaks it); tokens
 * never go back in the order the writes were applied; each acknowledged write is there and each
 * refused one is not.
 */
public final class LockFencing {
    /**
     * One fenced write as its client saw it.
     *
     * @param token the create revision of the writer's lock key
     * @param value what it wrote; unique within a run
     */
    public record Write(int process, long token, String value, Outcome outcome) {
        public enum Outcome { OK, REFUSED, UNKNOWN }
    }

    private LockFencing() {
    }

    /**
     * The anomalies found, empty when none.
     *
     * @param events     every event of a range holding the lock's keys and the resource, in revision order
     * @param lockPrefix the prefix of the lock's keys (the lock's name and "/")
     * @param resource   the guarded key
     * @param writes     the clients' fenced writes
     */
    public static List<String> check(List<WatchCompleteness.Seen> events, String lockPrefix, String resource,
                                     List<Write> writes) {
        List<String> anomalies = new ArrayList<>();
        Map<String, Write> byValue = new HashMap<>();
        writes.forEach(w -> byValue.put(w.value(), w));
        Map<String, Long> holders = new HashMap<>(); // live lock key -> its create revision
        Map<String, Long> applied = new HashMap<>(); // resource value -> revision
        long lastToken = 0;
        for (int i = 0, next; i < events.size(); i = next) {
            long revision = events.get(i).revision();
            for (next = i; next < events.size() && events.get(next).revision() == revision; next++) {
                WatchCompleteness.Seen e = events.get(next);
                if (!e.key().equals(resource) || e.value() == null) {
                    continue;
                }
                applied.put(e.value(), revision);
                Write w = byValue.get(e.value());
                if (w == null) {
                    anomalies.add("revision " + revision + " wrote " + resource + "=" + e.value() + ", which no lock holder wrote");
                    continue;
                }
                long holder = holders.values().stream().min(Long::compare).orElse(0L);
                if (w.token() != holder) {
                    anomalies.add("revision " + revision + ": p" + w.process() + " wrote " + e.value() + " with token "
                            + w.token() + " while " + (holder == 0 ? "nobody" : "token " + holder) + " held the lock");
                }
                if (w.token() < lastToken) {
                    anomalies.add("revision " + revision + ": token " + w.token() + " written after token " + lastToken);
                }
                lastToken = Math.max(lastToken, w.token());
            }
            for (WatchCompleteness.Seen e : events.subList(i, next)) {
                if (!e.key().startsWith(lockPrefix)) {
                    continue;
                }
                if (e.value() == null) {
                    holders.remove(e.key());
                } else {
                    holders.putIfAbsent(e.key(), revision);
                }
            }
        }
        for (Write w : writes) {
            if (w.outcome() == Write.Outcome.OK && !applied.containsKey(w.value())) {
                anomalies.add("acknowledged fenced write " + w + " is not in the history");
            } else if (w.outcome() == Write.Outcome.REFUSED && applied.containsKey(w.value())) {
                anomalies.add("refused fenced write " + w + " was applied at revision " + applied.get(w.value()));
            }
        }
        return anomalies;
    }
}
