package io.cairn.server.config;

import com.google.protobuf.ByteString;
import io.cairn.api.config.Change;
import io.cairn.api.config.ClientInfo;
import io.cairn.api.config.ConfigEvent;
import io.cairn.api.config.ConfigKey;
import io.cairn.api.config.ConfigVersion;
import io.cairn.api.config.GrayRelease;
import io.cairn.api.config.ListenResponse;
import io.cairn.api.config.Listener;
import io.cairn.api.etcd.Event;
import io.cairn.api.etcd.KeyValue;
import io.cairn.api.etcd.ResponseHeader;
import io.cairn.api.etcd.WatchCreateRequest;
import io.cairn.api.etcd.WatchRequest;
import io.cairn.api.etcd.WatchResponse;
import io.cairn.server.errors.ServerError;
import io.cairn.server.time.WallClock;
import io.cairn.server.watch.WatchHub;
import io.cairn.server.watch.StreamSink;
import io.cairn.server.watch.WatchedStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.function.Predicate;

/**
 * One listener on a selection of configs. It starts from a state read at revision R (the current
 * versions, and when resuming after revision r, every version kept in history with r < revision
 * <= R), then watches history and gray releases from R + 1: history is its own keys, so a resume
 * works however far the keyspace was compacted. Each client is sent what it should use: a gray
 * candidate whose rules match it pins it to that content until the release ends.
 */
public final class ConfigListen extends WatchedStream<ListenResponse> {
    /** What the listen starts from, read at one revision. */
    public record Start(ResponseHeader header, List<KeyValue> metas, Map<ByteString, String> contents,
                        List<KeyValue> grays, List<KeyValue> history) {
    }

    /** Events per message of a listen's start. */
    private static final int READY_PART = 100;
    private static final long WATCH_ID = 1;

    private final String namespace;
    private final Predicate<ConfigKey> selected;
    private final ClientInfo client;
    private final String seenAddress;
    private final ConfigStats stats;
    /** The newest version of each selected config seen so far, with its content (for when a gray release ends). */
    private final Map<ConfigKey, ConfigVersion> latest = new HashMap<>();
    /** The gray releases that match this client, by config. */
    private final Map<ConfigKey, GrayRelease> pinned = new HashMap<>();
    private long sent;
    /** What each config was last sent as, for {@link #describe}. */
    private final Map<ConfigKey, Listener> lastSent = new HashMap<>();
    private final long sinceMs = WallClock.nowMs();
    private final Consumer<ConfigListen> onClose;
    /** Set once the start was read, permissions checked: before that the listen is nobody's to see. */
    private boolean begun;
    private volatile SecretText.Shown shown = SecretText.MASKED;

    public ConfigListen(String namespace, Predicate<ConfigKey> selected, ClientInfo client, String seenAddress,
                        StreamSink<ListenResponse> sink, ConfigStats stats, WatchHub watches, AtomicInteger open,
                        ScheduledExecutorService timer, BooleanSupplier hasLeader, Consumer<ConfigListen> onClose) {
        // the caller's permission was checked on the selection; this watcher's wider range is internal
        super(sink, watches, create -> null, open, timer, hasLeader);
        this.stats = stats;
        this.namespace = namespace;
        this.selected = selected;
        this.client = client;
        this.seenAddress = seenAddress;
        this.onClose = onClose;
    }

    /** How contents are shown to this listener: set as its start is read, before anything is sent. */
    public void show(SecretText.Shown shown) {
        this.shown = shown;
    }

    /** {@code events} with their contents as this listener may see them. */
    private List<ConfigEvent> shown(List<ConfigEvent> events) {
        List<ConfigEvent> out = new ArrayList<>(events.size());
        for (ConfigEvent e : events) {
            ConfigVersion v = e.getConfig();
            out.add(v.getContent().isEmpty() ? e : e.toBuilder().setConfig(v.toBuilder()
                    .setContent(shown.show(v.getKey(), v.getFormat(), v.getContent()))
                    .setMasked(!shown.opens() && SecretText.isSealed(v.getContent()))).build());
        }
        return out;
    }

    /** Reads the start with {@code read} (given the revision resumed after, 0 for none), then watches. */
    public void start(long resumeAfter, LongFunction<CompletableFuture<Start>> read) {
        read.apply(resumeAfter).whenComplete((start, failure) -> {
            if (failure != null) {
                fail(failure);
            } else if (!closed.get()) {
                try {
                    begin(start, resumeAfter);
                } catch (RuntimeException e) {
                    fail(e); // a secret that does not open here (no master key, say)
                }
            }
        });
    }

    private void begin(Start start, long resumeAfter) {
        long revision = start.header().getRevision();
        synchronized (this) {
            for (KeyValue kv : start.metas()) {
                ConfigVersion meta = ConfigJson.version(kv);
                if (meta != null && selected.test(meta.getKey())) {
                    latest.put(meta.getKey(), meta.toBuilder().clearJsonSchema()
                            .setContent(start.contents().getOrDefault(ConfigKeys.content(meta.getKey()), "")).build());
                }
            }
            for (KeyValue kv : start.grays()) {
                GrayRelease g = ConfigJson.gray(kv);
                if (g != null && selected.test(g.getKey()) && matches(g) && latest.containsKey(g.getKey())) {
                    pinned.put(g.getKey(), g);
                }
            }
            List<ConfigEvent> events = resumeAfter > 0 ? missed(start, resumeAfter) : current();
            if (resumeAfter > 0) {
                // a resumed client holds what it was sent before: what a fresh start would send now
                current().forEach(e -> recordSent(e, 0));
            }
            events.forEach(e -> recordSent(e, WallClock.nowMs()));
            begun = true;
            sent = revision;
            // in parts, so no message outgrows what a client takes; the last says the listen is ready
            for (int from = 0; from < events.size() || from == 0; from += READY_PART) {
                List<ConfigEvent> part = events.subList(from, Math.min(events.size(), from + READY_PART));
                boolean last = from + READY_PART >= events.size();
                sink.send(ListenResponse.newBuilder().setHeader(start.header()).addAllEvents(shown(part)).setReady(last).build());
            }
        }
        ByteString from = ConfigKeys.grayPrefix(namespace);
        stream.handle(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                .setKey(from).setRangeEnd(ConfigKeys.end(ConfigKeys.historyPrefix(namespace)))
                .setStartRevision(revision + 1).setProgressNotify(true).setWatchId(WATCH_ID)).build());
    }

    /** A fresh listen's start: each config's version to use now, in (group, data id) order. */
    private List<ConfigEvent> current() {
        List<ConfigEvent> events = new ArrayList<>();
        latest.values().stream().filter(v -> v.getChange() != Change.DELETED)
                .sorted(Comparator.comparing((ConfigVersion v) -> v.getKey().getGroup()).thenComparing(v -> v.getKey().getDataId()))
                .forEach(v -> events.add(pinned.containsKey(v.getKey()) ? grayEvent(pinned.get(v.getKey()))
                        : ConfigEvent.newBuilder().setConfig(v).build()));
        return events;
    }

    /**
     * A resumed listen's start: every version written after {@code resumeAfter}, and every gray
     * release begun since that pins this client, in revision order. A version written while a
     * release pins the client is not its to use, as it would not have been told it live.
     */
    private List<ConfigEvent> missed(Start start, long resumeAfter) {
        java.util.TreeMap<Long, List<ConfigEvent>> byRevision = new java.util.TreeMap<>();
        for (KeyValue kv : start.history()) {
            ConfigVersion v = kv.getModRevision() > resumeAfter ? ConfigJson.version(kv) : null;
            GrayRelease pin = v == null ? null : pinned.get(v.getKey());
            if (v != null && selected.test(v.getKey()) && (pin == null || v.getRevision() < pin.getRevision())) {
                byRevision.computeIfAbsent(v.getRevision(), r -> new ArrayList<>()).add(ConfigEvent.newBuilder().setConfig(v).build());
            }
        }
        for (GrayRelease g : pinned.values()) {
            if (g.getRevision() > resumeAfter) {
                byRevision.computeIfAbsent(g.getRevision(), r -> new ArrayList<>()).add(grayEvent(g));
            }
        }
        List<ConfigEvent> events = new ArrayList<>();
        byRevision.values().forEach(events::addAll);
        return events;
    }

    @Override
    protected void onWatch(WatchResponse w) {
        if (closed.get()) {
            return;
        }
        if (w.getCreated() && !w.getCanceled()) {
            watching = true;
            return;
        }
        if (w.getCanceled()) {
            // the store was compacted past a watcher that fell behind, or the member stopped
            fail(w.getCancelReason().equals(ServerError.STOPPED.text()) ? ServerError.STOPPED.exception()
                    : ServerError.COMPACTED.exception());
            return;
        }
        ListenResponse.Builder r = ListenResponse.newBuilder().setHeader(w.getHeader());
        synchronized (this) {
            for (Event e : w.getEventsList()) {
                ConfigEvent event = event(e);
                if (event != null) {
                    r.addEvents(event);
                }
            }
            long revision = w.getEventsCount() > 0 ? w.getEvents(w.getEventsCount() - 1).getKv().getModRevision()
                    : w.getHeader().getRevision();
            if (r.getEventsCount() == 0 && (w.getEventsCount() > 0 || revision <= sent || !watching)) {
                // nothing this listener needs (events of other configs say nothing to it), and
                // no progress to report: only progress notices move a quiet listener's revision
                return;
            }
            sent = Math.max(sent, revision);
            List<ConfigEvent> events = new ArrayList<>(r.getEventsList());
            List<ConfigEvent> shownEvents;
            try {
                shownEvents = shown(events);
            } catch (RuntimeException e) {
                fail(e); // a secret that does not open here (no master key, say)
                return;
            }
            sink.send(r.clearEvents().addAllEvents(shownEvents).setHeader(w.getHeader().toBuilder().setRevision(revision)).build());
            for (ConfigEvent e : events) {
                recordSent(e, WallClock.nowMs());
                if (!e.getGray() && !e.getGrayEnded()) {
                    stats.pushed(e.getConfig().getTimeMs());
                }
            }
        }
    }

    /** What one watched event means to this client; null for nothing. */
    private ConfigEvent event(Event e) {
        ByteString key = e.getKv().getKey();
        if (ConfigKeys.isGray(key)) {
            ConfigKey config = ConfigKeys.parse(key);
            if (config == null || !config.getNamespace().equals(namespace) || !selected.test(config)) {
                return null;
            }
            GrayRelease g = e.getType() == Event.EventType.PUT ? ConfigJson.gray(e.getKv()) : null;
            if (g != null && matches(g)) {
                pinned.put(config, g);
                return grayEvent(g);
            }
            ConfigVersion current = latest.get(config);
            return pinned.remove(config) != null && current != null
                    ? ConfigEvent.newBuilder().setConfig(current).setGrayEnded(true).build() : null;
        }
        if (e.getType() != Event.EventType.PUT || !key.startsWith(ConfigKeys.historyPrefix(namespace))) {
            return null; // history trimmed, or another namespace's
        }
        ConfigVersion v = ConfigJson.versionOfEvent(e.getKv());
        if (v == null || !selected.test(v.getKey())) {
            return null;
        }
        latest.put(v.getKey(), v);
        // a client pinned to a candidate keeps it; when the release ends it is sent the newest version
        return pinned.containsKey(v.getKey()) ? null : ConfigEvent.newBuilder().setConfig(v).build();
    }

    /** What the client holds of the event's config from now on; {@code atMs} 0 when not known. */
    private void recordSent(ConfigEvent e, long atMs) {
        ConfigVersion v = e.getConfig();
        if (v.getChange() == Change.DELETED) {
            lastSent.remove(v.getKey()); // as for a config that never was: version 0
            return;
        }
        lastSent.put(v.getKey(), Listener.newBuilder().setVersion(v.getVersion()).setMd5(v.getMd5()).setGray(e.getGray())
                .setSentMs(atMs).build());
    }

    /**
     * This client as a listener of {@code key}, with what it was last sent of it; null when
     * this listen does not select the config.
     */
    public synchronized Listener describe(ConfigKey key) {
        if (!begun || closed.get() || !namespace.equals(key.getNamespace()) || !selected.test(key)) {
            return null;
        }
        return lastSent.getOrDefault(key, Listener.getDefaultInstance()).toBuilder()
                .setClient(client).setSeenAddress(seenAddress).setSinceMs(sinceMs).build();
    }

    /** Closes the listen and tells its owner ({@code onClose}); a second close does nothing. */
    @Override
    public void close() {
        if (!closed.get()) {
            super.close();
            if (onClose != null) { // null only for a close from the constructor's own timer, before it returned
                onClose.accept(this); // removing twice, from two racing closes, is harmless
            }
        }
    }

    private ConfigEvent grayEvent(GrayRelease g) {
        ConfigVersion base = latest.get(g.getKey());
        return ConfigEvent.newBuilder().setConfig(GrayMatcher.candidate(g, base == null ? g.getBaseVersion() : base.getVersion()))
                .setGray(true).build();
    }

    private boolean matches(GrayRelease g) {
        return GrayMatcher.matches(g.getRules(), g.getKey(), client, seenAddress);
    }
}
