package io.cairn.client;

import io.cairn.api.config.ClientInfo;
import io.cairn.api.config.ConfigEvent;
import io.cairn.api.config.ConfigGrpc;
import io.cairn.api.config.GetRequest;
import io.cairn.api.config.HistoryRequest;
import io.cairn.api.config.ListenRequest;
import io.cairn.api.config.ListenResponse;
import io.cairn.client.config.Config;
import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.ConfigSelection;
import io.grpc.stub.ClientCallStreamObserver;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A client's one Listen stream for a selection of configs, shared by every subscription to that
 * selection. (The server takes a selection when a stream opens and never another, so one stream
 * cannot serve two selections without being reopened for both whenever either comes or goes.)
 *
 * <p>The stream brings the current version of each config, then marks itself ready, then every
 * new version. The feed keeps the last version of each config, which a subscription joining
 * later is told first, and the revision up to which it has everything: the revision of the
 * last event, or of a heartbeat or the ready mark. When the stream breaks it is opened again (on
 * another member, as the channel spreads calls) from that revision, so nothing is missed or told
 * twice, however far the keyspace was compacted meanwhile (the server resumes from its history
 * keys). A stream that breaks before it is ready is opened again from the start. A version identical to the one last told of
 * its config (as a fresh start sends again) is not told again. When a stream is ready, the
 * configs it could not have mentioned are read once more: after a fresh start, those told before
 * that it left out (deleted meanwhile); after a resume, those whose gray candidate is in use (the
 * release may have ended meanwhile).
 *
 * <p>When the cluster cannot be reached before the stream is first ready (the first attempt
 * fails, or no answer comes within the client's timeout), the versions in the client's snapshot
 * files are told instead, marked as from the snapshot, and the subscriptions are ready and stale;
 * once the stream is ready the versions that differ follow.
 *
 * <p>All state is guarded by the feed's monitor; subscriptions are told on their own serial
 * queues, in order.
 */
final class ConfigFeed implements Calls.StreamListener<ListenRequest, ListenResponse> {
    private static final System.Logger LOG = System.getLogger(ConfigFeed.class.getName());

    private final ConfigSelection selection;
    private final Calls calls;
    private final ClientInfo client;
    /** Null when the client keeps no snapshots. */
    private final ConfigSnapshots snapshots;
    private final Set<ConfigSubscription> subscriptions = new LinkedHashSet<>();
    /** The last version told of each config, in the order first told. */
    private final Map<ConfigKey, Config> current = new LinkedHashMap<>();
    /** Every version up to this revision has been told; 0 until a stream has been ready. */
    private long revision;
    /** The current versions have been told: from a ready stream, or from the snapshot files. */
    private boolean ready;
    private boolean stale;
    private boolean snapshotsRead;
    private ClientCallStreamObserver<ListenRequest> stream;
    /** Whether the current stream's revisions can be trusted as a resume point: it resumed, or it said it was ready. */
    private boolean inStep;
    /** The configs the current stream has brought until it said it was ready. */
    private final Set<ConfigKey> sentBeforeReady = new HashSet<>();
    private ScheduledFuture<?> fallback;
    private boolean started;
    private boolean closed;
    private CairnException refused;
    private int failures;

    ConfigFeed(ConfigSelection selection, Calls calls, ClientInfo client, ConfigSnapshots snapshots) {
        this.selection = selection;
        this.calls = calls;
        this.client = client;
        this.snapshots = snapshots;
    }

    ConfigSelection selection() {
        return selection;
    }

    synchronized boolean stale() {
        return stale;
    }

    /** The last version of each config selected, deleted ones left out. */
    synchronized Map<ConfigKey, Config> current() {
        Map<ConfigKey, Config> live = new LinkedHashMap<>();
        current.forEach((k, c) -> {
            if (!c.deleted()) {
                live.put(k, c);
            }
        });
        return live;
    }

    /** The last version received of one config (deleted or not); null for none. */
    synchronized Config latest(ConfigKey key) {
        return current.get(key);
    }

    /** The revision up to which every version has been received; 0 before the stream was first ready. */
    synchronized long revision() {
        return revision;
    }

    /** A subscription starts: it is told what is known already, then every new version. */
    synchronized void join(ConfigSubscription s) {
        subscriptions.add(s);
        current.values().forEach(s::tellConfig);
        if (ready) {
            s.tellReady();
        }
        if (stale) {
            s.tellStale(true);
        }
        if (refused != null) {
            s.tellError(refused);
        }
        if (!started) {
            started = true;
            open();
            if (snapshots != null) {
                fallback = calls.timer().schedule(() -> fallBack("no answer within " + calls.timeout().toMillis() + " ms"),
                        calls.timeout().toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** A subscription is done; answers whether it was the last (the feed has then stopped). */
    synchronized boolean leave(ConfigSubscription s) {
        subscriptions.remove(s);
        if (subscriptions.isEmpty()) {
            close();
            return true;
        }
        return false;
    }

    /** Whether the feed has stopped: its last subscription left, or the listen was refused. */
    synchronized boolean stopped() {
        return closed;
    }

    synchronized void close() {
        closed = true;
        if (fallback != null) {
            fallback.cancel(false);
        }
        if (stream != null) {
            stream.cancel("the listen is closed", null);
            stream = null;
        }
    }

    /** Call with the monitor held. */
    private void open() {
        calls.ensureToken().whenComplete((ok, failure) -> {
            synchronized (this) {
                if (closed || stream != null) {
                    return;
                }
                if (failure != null && Calls.isCredentialsRefusal(failure)) {
                    refuse(CairnException.of(failure)); // wrong credentials: trying again cannot help
                    return;
                } else if (failure != null) {
                    broken(null, failure);
                    return;
                }
                inStep = revision > 0;
                sentBeforeReady.clear();
                ListenRequest request = ConfigWire.listen(selection, revision, client);
                calls.serverStream(ConfigGrpc.getListenMethod(), request, "the listen stream", this);
            }
        });
    }

    @Override
    public void opening(ClientCallStreamObserver<ListenRequest> call) {
        stream = call; // called with the monitor held, from open()
    }

    @Override
    public void next(ClientCallStreamObserver<ListenRequest> from, ListenResponse r) {
        received(from, r);
    }

    @Override
    public void ended(ClientCallStreamObserver<ListenRequest> from, Throwable failure) {
        broken(from, failure);
    }

    private synchronized void received(ClientCallStreamObserver<ListenRequest> from, ListenResponse r) {
        if (from != stream || closed) {
            return;
        }
        failures = 0;
        long lastEvent = 0;
        for (ConfigEvent e : r.getEventsList()) {
            Config c = ConfigWire.config(e.getConfig(), e.getGray());
            lastEvent = Math.max(lastEvent, c.revision());
            sentBeforeReady.add(c.key());
            accept(c);
        }
        boolean fresh = !inStep;
        inStep |= r.getReady();
        if (inStep) {
            // events: the revision of the last; a heartbeat or the ready mark: the revision reached,
            // which may be past events still to come in a message that carries them
            long reached = r.getEventsCount() == 0 || r.getReady() ? r.getHeader().getRevision() : lastEvent;
            revision = Math.max(revision, reached);
            caughtUp();
        }
        if (r.getReady()) {
            reconcile(fresh, sentBeforeReady);
            sentBeforeReady.clear();
        }
    }

    /** Call with the monitor held: tells a version, unless it is the one last told of its config. */
    private void accept(Config c) {
        Config before = current.get(c.key());
        if (before != null && sameVersion(before, c)) {
            current.put(c.key(), c); // the live copy of what a snapshot told: told already
            return;
        }
        current.put(c.key(), c);
        if (snapshots != null) {
            snapshots.save(c);
        }
        subscriptions.forEach(s -> s.tellConfig(c));
    }

    /**
     * Call with the monitor held, as a stream says it is ready, {@code sent} being the configs
     * it brought until then. Two things no stream tells: a config deleted while the client
     * was away, which a fresh start leaves out (so a version told before, or read from the
     * snapshot files, would stay in use); and a gray release that ended while the client was
     * away, which a resumed stream does not mention (so the candidate would stay in use). Each
     * such config is read once more, and the version read is told if the stream has passed it
     * and nothing newer of that config came meanwhile (the stream tells anything later itself).
     */
    private void reconcile(boolean fresh, Set<ConfigKey> sent) {
        for (Config before : List.copyOf(current.values())) {
            boolean suspect = !sent.contains(before.key()) && (fresh ? !before.deleted() : before.gray());
            if (suspect) {
                reread(before);
            }
        }
    }

    private void reread(Config before) {
        ConfigKey key = before.key();
        GetRequest get = GetRequest.newBuilder().setKey(ConfigWire.key(key)).setClient(client).build();
        calls.unary(ConfigGrpc.getGetMethod(), get, true)
                .thenApply(g -> ConfigWire.config(g.getConfig(), g.getGray()))
                .exceptionallyCompose(failure -> CairnException.of(failure).code() == CairnException.Code.NOT_FOUND
                        ? lastDelete(key) : CompletableFuture.failedFuture(failure))
                .whenComplete((read, failure) -> {
                    synchronized (this) {
                        if (read != null && !closed && current.get(key) == before && read.revision() <= revision) {
                            accept(read);
                        }
                    }
                });
    }

    /** The config's newest version in history if it is a delete; fails otherwise. */
    private CompletableFuture<Config> lastDelete(ConfigKey key) {
        HistoryRequest h = HistoryRequest.newBuilder().setKey(ConfigWire.key(key)).setPageSize(1).build();
        return calls.unary(ConfigGrpc.getHistoryMethod(), h, true).thenCompose(page -> {
            Config newest = page.getVersionsCount() == 0 ? null : ConfigWire.config(page.getVersions(0), false);
            return newest != null && newest.deleted() ? CompletableFuture.completedFuture(newest)
                    : CompletableFuture.failedFuture(new IllegalStateException(key + " is not found, and has no delete in history"));
        });
    }

    static boolean sameVersion(Config a, Config b) {
        return a.version() == b.version() && a.revision() == b.revision() && a.gray() == b.gray()
                && a.change() == b.change() && a.md5().equals(b.md5());
    }

    /** Call with the monitor held: the stream is in step with the cluster. */
    private void caughtUp() {
        if (stale) {
            stale = false;
            subscriptions.forEach(s -> s.tellStale(false));
        }
        if (!ready) {
            ready = true;
            if (fallback != null) {
                fallback.cancel(false);
            }
            subscriptions.forEach(ConfigSubscription::tellReady);
        }
    }

    /**
     * The stream failed or ended ({@code from} null: it could not be opened). A refusal that
     * trying again cannot change stops the feed; anything else (a member gone, no leader, a
     * stale token) makes the subscriptions stale until a new stream is in step.
     */
    private synchronized void broken(ClientCallStreamObserver<ListenRequest> from, Throwable t) {
        if (from != stream || closed) {
            return;
        }
        stream = null;
        calls.streamFailed(t);
        CairnException why = CairnException.of(t);
        if (Calls.isStreamRefusal(why) || why.code() == CairnException.Code.NOT_FOUND) { // NOT_FOUND: no such namespace
            refuse(why);
            return;
        }
        goStale(why);
        reopen(Calls.reopenDelayMs(failures++));
    }

    /** Call with the monitor held. */
    private void goStale(CairnException why) {
        if (!stale) {
            stale = true;
            subscriptions.forEach(s -> s.tellStale(true));
        }
        if (!ready) {
            fallBack(why.getMessage());
        }
    }

    /** Call with the monitor held. */
    private void reopen(long delayMs) {
        calls.timer().schedule(() -> {
            synchronized (this) {
                if (stream == null && !closed) {
                    open();
                }
            }
        }, delayMs, TimeUnit.MILLISECONDS);
    }

    /**
     * The cluster cannot be reached and the stream has never been ready: the versions in the
     * snapshot files are told, once, and the subscriptions are ready (and stale).
     */
    private synchronized void fallBack(String reason) {
        if (ready || closed || snapshots == null || snapshotsRead) {
            return;
        }
        snapshotsRead = true;
        List<Config> kept = snapshots.load(selection);
        if (kept.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "config listen on " + selection + ": the cluster cannot be reached ("
                    + reason + ") and " + snapshots.dir() + " holds no snapshot of it; waiting for the cluster");
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "config listen on " + selection + ": the cluster cannot be reached (" + reason
                + "); using " + kept.size() + " config(s) from the snapshot files in " + snapshots.dir() + " until it can");
        for (Config c : kept) {
            if (!current.containsKey(c.key())) {
                current.put(c.key(), c);
                subscriptions.forEach(s -> s.tellConfig(c));
            }
        }
        ready = true;
        subscriptions.forEach(ConfigSubscription::tellReady);
        if (!stale) {
            stale = true;
            subscriptions.forEach(s -> s.tellStale(true));
        }
    }

    /** Call with the monitor held: the feed stops, and every subscription is told why. */
    private void refuse(CairnException why) {
        refused = why;
        close();
        subscriptions.forEach(s -> s.tellError(why));
    }
}
