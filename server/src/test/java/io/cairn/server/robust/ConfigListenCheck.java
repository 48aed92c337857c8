package io.cairn.server.robust;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks what config listeners were sent against the store's history of the configs' contents,
 * as the watchers saw it: every version once, in order, with the content and version number the
 * store has for it. A fresh listen starts with each config's version at the start's revision;
 * a resumed one, and a live one, must then send every later version, none twice, none skipped
 * (not even across a resume); once a listener is told it has everything up to revision R, no
 * version up to R may be missing; every listener gets to the last change of the run; and every
 * acknowledged publish is in the history at the revision it was acknowledged with.
 */
public final class ConfigListenCheck {
    /** A version as a listener got it. */
    public record Version(String dataId, long version, long revision, String content) {
    }

    /**
     * One message as a listener got it.
     *
     * @param session  which listen, counted from 1 (a new one opens after the last broke)
     * @param start    part of a fresh listen's start (the current versions, before it is ready)
     * @param claimed  everything up to it was sent; 0 for no such claim
     */
    public record Response(int session, boolean start, List<Version> versions, long claimed) {
    }

    /** A content written to a config by the store, and which version of it that was. */
    private record Write(long revision, long version, String content) {
    }

    private ConfigListenCheck() {
    }

    /**
     * @param events    every event of a range holding the configs' content keys, in revision order,
     *                  from before the first publish
     * @param prefix    the configs' content keys' prefix (a data id follows it)
     * @param listeners what each listener got, in order, by its name
     * @param to        the run's last revision; a listener still listening may be sent later ones, not checked
     * @param acked     publishes acknowledged to their clients
     */
    public static List<String> check(List<WatchCompleteness.Seen> events, String prefix,
                                     Map<String, List<Response>> listeners, long to,
                                     List<ConfigPublisher.Publish> acked) {
        Map<String, TreeMap<Long, Write>> writes = new HashMap<>();
        long last = 0;
        for (WatchCompleteness.Seen e : events) {
            if (e.key().startsWith(prefix) && e.value() != null) {
                TreeMap<Long, Write> w = writes.computeIfAbsent(e.key().substring(prefix.length()), k -> new TreeMap<>());
                w.put(e.revision(), new Write(e.revision(), w.size() + 1, e.value()));
                if (e.revision() <= to) {
                    last = Math.max(last, e.revision());
                }
            }
        }
        List<String> anomalies = new ArrayList<>();
        for (ConfigPublisher.Publish p : acked) {
            Write w = writes.getOrDefault(p.dataId(), new TreeMap<>()).get(p.revision());
            if (w == null || !w.content().equals(p.content())) {
                anomalies.add("acknowledged publish " + p + " is not in the history (there: " + w + ")");
            }
        }
        for (Map.Entry<String, List<Response>> l : listeners.entrySet()) {
            String problem = replay(writes, l.getValue(), to, last);
            if (problem != null) {
                anomalies.add(l.getKey() + ": " + problem);
            }
        }
        return anomalies;
    }

    /** The first thing wrong with one listener's messages, or null. */
    private static String replay(Map<String, TreeMap<Long, Write>> writes, List<Response> responses, long to, long last) {
        Map<String, Long> heardAt = new HashMap<>(); // per config, the revision of the last version sent
        Map<String, Long> atSessionStart = Map.of();
        boolean sessionClaimed = true;
        long claimed = 0;
        int session = 0;
        for (Response r : responses) {
            if (r.session() != session) {
                if (!sessionClaimed) {
                    // a listen that broke before it was ready is sent again: what it sent does not count
                    heardAt = new HashMap<>(atSessionStart);
                }
                if (r.start()) {
                    heardAt.clear(); // a fresh listen: it starts from what is current
                }
                atSessionStart = Map.copyOf(heardAt);
                sessionClaimed = false;
                session = r.session();
            }
            for (Version v : r.versions()) {
                if (v.revision() > to) {
                    continue; // past the history the watchers were kept for: nothing to compare it with
                }
                Write w = writes.getOrDefault(v.dataId(), new TreeMap<>()).get(v.revision());
                if (w == null || !w.content().equals(v.content()) || w.version() != v.version()) {
                    return "sent " + v + " where the store wrote " + w;
                }
                long before = heardAt.getOrDefault(v.dataId(), 0L);
                if (!r.start() && v.revision() <= before) {
                    return "sent " + v + " after the version of revision " + before + ": repeated or gone back";
                }
                Map.Entry<Long, Write> skipped = writes.get(v.dataId()).subMap(before, false, v.revision(), false).firstEntry();
                if (!r.start() && skipped != null) {
                    return "sent " + v + " but never " + skipped.getValue() + " before it";
                }
                heardAt.put(v.dataId(), v.revision());
            }
            if (r.claimed() > 0) {
                sessionClaimed = true;
                // everything up to a claim past the run's end includes everything up to its end
                long upTo = Math.min(r.claimed(), to);
                if (upTo < claimed) {
                    return "its revision went back from " + claimed + " to " + upTo;
                }
                claimed = upTo;
                for (Map.Entry<String, TreeMap<Long, Write>> c : writes.entrySet()) {
                    Map.Entry<Long, Write> newest = c.getValue().floorEntry(claimed);
                    long heard = heardAt.getOrDefault(c.getKey(), 0L);
                    if (newest != null && newest.getKey() > heard) {
                        return "told it had everything up to revision " + claimed + " without " + c.getKey() + " "
                                + newest.getValue() + " (its last of it: revision " + heard + ")";
                    }
                }
            }
        }
        return claimed >= last ? null : "got to revision " + claimed + " only, not to the last change, " + last;
    }
}
