package io.cairn.client;

import io.cairn.api.discovery.GetServiceRequest;
import io.cairn.api.discovery.RegistryGrpc;
import io.cairn.api.discovery.SubscribeRequest;
import io.cairn.api.discovery.SubscribeResponse;
import io.cairn.client.discovery.InstanceChange;
import io.cairn.client.discovery.ServiceKey;
import io.cairn.client.discovery.ServiceSettings;
import io.grpc.stub.ClientCallStreamObserver;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A client's one subscription to a service, shared by every view of it. It keeps the service's
 * instances current from the registry's Subscribe stream: a full list first, then changes. When
 * the stream breaks it is opened again (on another member, as the channel spreads calls) from the
 * last revision received, so that nothing is missed or told twice; meanwhile the views serve the
 * last known list and say it is stale. A full list sent again (after a compaction) replaces the
 * copy, and the views are told the difference. The service's settings (its protection threshold)
 * are read when the feed starts and every {@value #SETTINGS_REFRESH_SECONDS} s after.
 *
 * <p>The feed lives while a view uses it: the last view to close cancels the stream. All state
 * is guarded by the feed's monitor; views are told on their own serial executors, in order.
 */
final class ServiceFeed implements Calls.StreamListener<SubscribeRequest, SubscribeResponse> {
    static final long SETTINGS_REFRESH_SECONDS = 30;

    private final ServiceKey service;
    private final Calls calls;
    private final InstanceSet copy = new InstanceSet();
    private final Set<ServiceInstances> views = new LinkedHashSet<>();
    private final CompletableFuture<Void> listed = new CompletableFuture<>();
    private final CompletableFuture<Void> settingsRead = new CompletableFuture<>();
    private volatile ServiceState state = ServiceState.EMPTY;
    private volatile boolean stale;
    private ClientCallStreamObserver<SubscribeRequest> stream;
    private ScheduledFuture<?> settingsRefresh;
    private boolean started;
    private boolean closed;
    private CairnException refused;
    private int failures;

    ServiceFeed(ServiceKey service, Calls calls) {
        this.service = service;
        this.calls = calls;
    }

    ServiceKey service() {
        return service;
    }

    ServiceState state() {
        return state;
    }

    boolean stale() {
        return stale;
    }

    /** Completes when the first full list and the settings are in; fails if the subscription is refused. */
    CompletableFuture<Void> ready() {
        return CompletableFuture.allOf(listed, settingsRead);
    }

    /** A view starts using the feed: it is told what is known already, then every change. */
    synchronized void join(ServiceInstances view) {
        views.add(view);
        if (copy.listed()) {
            view.tellUpdate(state.all(), copy.asAdded());
        }
        if (stale) {
            view.tellStale(true);
        }
        if (refused != null) {
            view.tellError(refused);
        }
        if (!started) {
            started = true;
            open();
            readSettings();
            settingsRefresh = calls.timer().scheduleWithFixedDelay(this::readSettings,
                    SETTINGS_REFRESH_SECONDS, SETTINGS_REFRESH_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** A view is done with the feed; answers whether it was the last (the feed has then stopped). */
    synchronized boolean leave(ServiceInstances view) {
        views.remove(view);
        if (views.isEmpty()) {
            close();
            return true;
        }
        return false;
    }

    /** Whether the feed has stopped: its last view left, or the subscription was refused. */
    synchronized boolean stopped() {
        return closed;
    }

    /** Stops the stream and the settings refresh; the views keep what they were told. */
    synchronized void close() {
        closed = true;
        if (settingsRefresh != null) {
            settingsRefresh.cancel(false);
        }
        if (stream != null) {
            stream.cancel("the subscription is closed", null);
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
                SubscribeRequest request = SubscribeRequest.newBuilder().setNamespace(service.namespace())
                        .setService(service.service()).setRevision(copy.listed() ? copy.revision() : 0).build();
                calls.serverStream(RegistryGrpc.getSubscribeMethod(), request, "the subscription's stream", this);
                if (stale) {
                    confirmReachable(stream);
                }
            }
        });
    }

    /**
     * A stream resumed after a revision says nothing until something changes (or the server's
     * next progress report, minutes away), so the views would look stale long after the cluster
     * is back. When the cluster answers a call meanwhile, and the resumed stream is still up, the
     * views are current again; the settings are worth reading again then anyway.
     */
    private void confirmReachable(ClientCallStreamObserver<SubscribeRequest> resumed) {
        readSettings().thenAccept(answered -> {
            synchronized (this) {
                if (answered && resumed == stream && stale) {
                    stale = false;
                    views.forEach(v -> v.tellStale(false));
                }
            }
        });
    }

    @Override
    public void opening(ClientCallStreamObserver<SubscribeRequest> call) {
        stream = call; // called with the monitor held, from open()
    }

    @Override
    public void next(ClientCallStreamObserver<SubscribeRequest> from, SubscribeResponse r) {
        received(from, r);
    }

    @Override
    public void ended(ClientCallStreamObserver<SubscribeRequest> from, Throwable failure) {
        broken(from, failure);
    }

    private synchronized void received(ClientCallStreamObserver<SubscribeRequest> from, SubscribeResponse r) {
        if (from != stream || closed) {
            return;
        }
        failures = 0;
        boolean first = !copy.listed();
        List<InstanceChange> changes = new ArrayList<>();
        if (r.getSnapshot()) {
            changes.addAll(copy.replace(r.getInstancesList().stream().map(DiscoveryWire::instance).toList(), r.getRevision()));
        }
        changes.addAll(copy.apply(r.getChangesList().stream().map(DiscoveryWire::change).toList(), r.getRevision()));
        state = ServiceState.of(copy.instances(), state.settings(), copy.revision());
        if (stale) {
            stale = false;
            views.forEach(v -> v.tellStale(false));
        }
        if (copy.listed() && (first || !changes.isEmpty())) {
            List<InstanceChange> told = List.copyOf(changes);
            views.forEach(v -> v.tellUpdate(state.all(), told));
        }
        if (copy.listed()) {
            listed.complete(null);
        }
    }

    /**
     * The stream failed or ended ({@code from} null: it could not be opened). A refusal that
     * trying again cannot change stops the feed; anything else (a member gone, no leader, a
     * stale token) makes the views stale until a new stream answers.
     */
    private synchronized void broken(ClientCallStreamObserver<SubscribeRequest> from, Throwable t) {
        if (from != stream || closed) {
            return;
        }
        stream = null;
        calls.streamFailed(t);
        CairnException why = CairnException.of(t);
        if (Calls.isStreamRefusal(why)) {
            refuse(why);
            return;
        }
        if (!stale) {
            stale = true;
            views.forEach(v -> v.tellStale(true));
        }
        long delayMs = Calls.reopenDelayMs(failures++);
        calls.timer().schedule(() -> {
            synchronized (this) {
                if (stream == null && !closed) {
                    open();
                }
            }
        }, delayMs, TimeUnit.MILLISECONDS);
    }

    /** Call with the monitor held: the feed stops, and every view is told why. */
    private void refuse(CairnException why) {
        refused = why;
        close();
        views.forEach(v -> v.tellError(why));
        listed.completeExceptionally(why);
        settingsRead.complete(null);
    }

    /**
     * Reads the settings; a service that has none has the defaults, and a failed read keeps the
     * last ones. Completes with whether the cluster answered.
     */
    private CompletableFuture<Boolean> readSettings() {
        GetServiceRequest request = GetServiceRequest.newBuilder()
                .setNamespace(service.namespace()).setService(service.service()).build();
        return calls.unary(RegistryGrpc.getGetServiceMethod(), request, true).handle((r, failure) -> {
            boolean answered = r != null || CairnException.of(failure).code() == CairnException.Code.NOT_FOUND;
            if (answered) {
                ServiceSettings read = r == null ? ServiceSettings.DEFAULT : DiscoveryWire.settings(r.getSettings());
                synchronized (this) {
                    state = state.withSettings(read);
                }
            }
            settingsRead.complete(null);
            return answered;
        });
    }
}
