package io.cairn.client;

import io.cairn.api.discovery.DeregisterRequest;
import io.cairn.api.discovery.GetServiceRequest;
import io.cairn.api.discovery.ListServicesRequest;
import io.cairn.api.discovery.PutServiceRequest;
import io.cairn.api.discovery.RegistryGrpc;
import io.cairn.client.discovery.InstanceKey;
import io.cairn.client.discovery.InstanceList;
import io.cairn.client.discovery.InstanceListener;
import io.cairn.client.discovery.InstanceQuery;
import io.cairn.client.discovery.InstanceUpdate;
import io.cairn.client.discovery.RegistrationSpec;
import io.cairn.client.discovery.ServiceInstance;
import io.cairn.client.discovery.ServiceKey;
import io.cairn.client.discovery.ServicePage;
import io.cairn.client.discovery.ServiceSettings;
import io.cairn.client.discovery.ServiceSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Service discovery on Cairn's registry: register instances and keep them registered, look
 * them up, subscribe to a service and choose an instance for each request. The types it speaks
 * are in {@link io.cairn.client.discovery}.
 *
 * <p>Every call answers a future completed on a client thread (do not block in its callbacks),
 * failed with a {@link CairnException} carrying the server's message; {@link #sync()} waits
 * instead. Lookups are retried on another member when one is unavailable; registrations only
 * when they name their instance id (so that a retry replaces rather than duplicates).
 *
 * <p>All of a client's views of one service share one subscription stream, however many there
 * are; it ends when the last view closes.
 */
public final class Discovery {
    private final Calls calls;
    private final Lease lease;
    private final Executor listeners;
    private final Sync sync = new Sync();
    /** Guards the map and every feed's joining and leaving, so that a feed is never joined as it stops. */
    private final Map<ServiceKey, ServiceFeed> feeds = new HashMap<>();
    private final Map<InstanceKey, Registration> registrations = new ConcurrentHashMap<>();

    Discovery(Calls calls, Lease lease, Executor listeners) {
        this.calls = calls;
        this.lease = lease;
        this.listeners = listeners;
    }

    /**
     * Registers an instance and keeps it registered until the answer is closed: see
     * {@link Registration} for how each kind of registration stays alive. Registering an id
     * that is registered already replaces that instance.
     */
    public CompletableFuture<Registration> register(RegistrationSpec spec) {
        return register(spec, null);
    }

    /** The same, telling {@code listener} when the lease is lost and the instance registered again. */
    public CompletableFuture<Registration> register(RegistrationSpec spec, Registration.Listener listener) {
        return registerOnce(spec).thenApply(r -> {
            Registration registration = new Registration(this, spec, r.instance(), r.ttlSeconds(), listener);
            Registration before = registrations.put(registration.key(), registration);
            if (before != null) {
                before.replaced(); // the same id registered again through this client: the newer handle keeps it
            }
            registration.start();
            return registration;
        });
    }

    /** An instance as registered, and the TTL of the lease granted with it (0 for none). */
    record Registered(ServiceInstance instance, long ttlSeconds) {
    }

    CompletableFuture<Registered> registerOnce(RegistrationSpec spec) {
        return calls.unary(RegistryGrpc.getRegisterMethod(), DiscoveryWire.register(spec), spec.id() != null)
                .thenApply(r -> new Registered(DiscoveryWire.instance(r.getInstance()), r.getTtl()));
    }

    /**
     * Removes an instance; subscribers see it go. A live {@link Registration} of it in this
     * client is not stopped (close that instead).
     */
    public CompletableFuture<Header> deregister(InstanceKey key) {
        DeregisterRequest r = DeregisterRequest.newBuilder().setKey(DiscoveryWire.key(key)).build();
        return calls.unary(RegistryGrpc.getDeregisterMethod(), r, false).thenApply(d -> Wire.header(d.getHeader()));
    }

    /**
     * Changes a registered instance's status, weight, tags or metadata, keeping its lease; a
     * {@link Registration} of it in this client keeps the change when it registers again.
     */
    public CompletableFuture<ServiceInstance> update(InstanceKey key, InstanceUpdate update) {
        return calls.unary(RegistryGrpc.getUpdateMethod(), DiscoveryWire.update(key, update), true).thenApply(r -> {
            ServiceInstance now = DiscoveryWire.instance(r.getInstance());
            Registration live = registrations.get(key);
            if (live != null) {
                live.updated(update, now);
            }
            return now;
        });
    }

    /**
     * One page of a namespace's services with their instance counts.
     *
     * @param pageSize  at most this many (0: the server's default, 1000, which is also its maximum)
     * @param pageToken empty for the first page, then the previous page's {@link ServicePage#nextPageToken()}
     */
    public CompletableFuture<ServicePage> listServices(String namespace, int pageSize, String pageToken) {
        if (pageSize < 0) {
            throw new IllegalArgumentException("page size " + pageSize + " is negative");
        }
        ListServicesRequest r = ListServicesRequest.newBuilder().setNamespace(ServiceKey.checkNamespace(namespace))
                .setPageSize(pageSize).setPageToken(Objects.requireNonNull(pageToken, "pageToken")).build();
        return calls.unary(RegistryGrpc.getListServicesMethod(), r, true).thenApply(p -> new ServicePage(Wire.header(p.getHeader()),
                p.getServicesList().stream().map(DiscoveryWire::summary).toList(), p.getNextPageToken()));
    }

    /** Every service of the namespace, page after page. */
    public CompletableFuture<List<ServiceSummary>> allServices(String namespace) {
        return pages(namespace, "", new ArrayList<>());
    }

    private CompletableFuture<List<ServiceSummary>> pages(String namespace, String token, List<ServiceSummary> found) {
        return listServices(namespace, 0, token).thenCompose(page -> {
            found.addAll(page.services());
            return page.hasMore() ? pages(namespace, page.nextPageToken(), found)
                    : CompletableFuture.completedFuture(List.copyOf(found));
        });
    }

    /** The instances {@code query} asks for. */
    public CompletableFuture<InstanceList> listInstances(InstanceQuery query) {
        return calls.unary(RegistryGrpc.getListInstancesMethod(), DiscoveryWire.lookup(query), true)
                .thenApply(r -> new InstanceList(Wire.header(r.getHeader()),
                        r.getInstancesList().stream().map(DiscoveryWire::instance).toList(), r.getProtectionTriggered()));
    }

    /** The service's healthy instances (all of them while its protection threshold is crossed). */
    public CompletableFuture<InstanceList> listInstances(ServiceKey service) {
        return listInstances(InstanceQuery.builder(service).build());
    }

    /** Replaces the service's settings. */
    public CompletableFuture<Header> putService(ServiceKey service, ServiceSettings settings) {
        PutServiceRequest r = PutServiceRequest.newBuilder().setNamespace(service.namespace()).setService(service.service())
                .setSettings(DiscoveryWire.settings(settings)).build();
        return calls.unary(RegistryGrpc.getPutServiceMethod(), r, true).thenApply(p -> Wire.header(p.getHeader()));
    }

    /** The service's settings. */
    public CompletableFuture<ServiceSettings> getService(ServiceKey service) {
        GetServiceRequest r = GetServiceRequest.newBuilder().setNamespace(service.namespace()).setService(service.service()).build();
        return calls.unary(RegistryGrpc.getGetServiceMethod(), r, true).thenApply(g -> DiscoveryWire.settings(g.getSettings()));
    }

    /**
     * Subscribes to the service: {@code listener} is told its instances, then every change to
     * them, until the answer is closed. The answer is also a view of the instances, to read
     * and to pick from.
     */
    public ServiceInstances subscribe(ServiceKey service, InstanceListener listener) {
        return view(service, Objects.requireNonNull(listener, "listener"));
    }

    /** {@link #subscribe(ServiceKey, InstanceListener)} for {@code service} in {@code namespace}. */
    public ServiceInstances subscribe(String namespace, String service, InstanceListener listener) {
        return subscribe(new ServiceKey(namespace, service), listener);
    }

    /** A view of the service's instances, kept current until closed; see {@link ServiceInstances#ready()}. */
    public ServiceInstances instances(ServiceKey service) {
        return view(service, null);
    }

    /** {@link #instances(ServiceKey)} for {@code service} in {@code namespace}. */
    public ServiceInstances instances(String namespace, String service) {
        return instances(new ServiceKey(namespace, service));
    }

    private ServiceInstances view(ServiceKey service, InstanceListener listener) {
        synchronized (feeds) {
            // a feed that was refused (permission denied, say) has stopped: a new view tries afresh
            ServiceFeed feed = feeds.compute(service, (s, f) -> f == null || f.stopped() ? new ServiceFeed(s, calls) : f);
            ServiceInstances view = new ServiceInstances(feed, listener, listeners, this);
            feed.join(view);
            return view;
        }
    }

    void release(ServiceFeed feed, ServiceInstances view) {
        synchronized (feeds) {
            if (feed.leave(view)) {
                feeds.remove(feed.service(), feed);
            }
        }
    }

    /** How many service subscriptions (streams) the client has open: one per service viewed. */
    int subscriptions() {
        synchronized (feeds) {
            return feeds.size();
        }
    }

    void forget(Registration registration) {
        registrations.remove(registration.key(), registration);
    }

    /** The client is closing: subscriptions stop, registrations stop being renewed and run out within their TTL. */
    void closeAll() {
        synchronized (feeds) {
            feeds.values().forEach(ServiceFeed::close);
            feeds.clear();
        }
        registrations.values().forEach(Registration::abandon);
        registrations.clear();
    }

    Calls calls() {
        return calls;
    }

    Lease lease() {
        return lease;
    }

    Executor listeners() {
        return listeners;
    }

    /** The same calls, waiting for their answers. */
    public Sync sync() {
        return sync;
    }

    /** Blocking twins of {@link Discovery}'s calls; failures are thrown as {@link CairnException}. */
    public final class Sync {
        /** Waits for {@link Discovery#register(RegistrationSpec)}. */
        public Registration register(RegistrationSpec spec) {
            return Calls.await(Discovery.this.register(spec));
        }

        /** Waits for {@link Discovery#register(RegistrationSpec, Registration.Listener)}. */
        public Registration register(RegistrationSpec spec, Registration.Listener listener) {
            return Calls.await(Discovery.this.register(spec, listener));
        }

        /** Waits for {@link Discovery#deregister(InstanceKey)}. */
        public Header deregister(InstanceKey key) {
            return Calls.await(Discovery.this.deregister(key));
        }

        /** Waits for {@link Discovery#update(InstanceKey, InstanceUpdate)}. */
        public ServiceInstance update(InstanceKey key, InstanceUpdate update) {
            return Calls.await(Discovery.this.update(key, update));
        }

        /** Waits for {@link Discovery#listServices(String, int, String)}. */
        public ServicePage listServices(String namespace, int pageSize, String pageToken) {
            return Calls.await(Discovery.this.listServices(namespace, pageSize, pageToken));
        }

        /** Waits for {@link Discovery#allServices(String)}. */
        public List<ServiceSummary> allServices(String namespace) {
            return Calls.await(Discovery.this.allServices(namespace));
        }

        /** Waits for {@link Discovery#listInstances(InstanceQuery)}. */
        public InstanceList listInstances(InstanceQuery query) {
            return Calls.await(Discovery.this.listInstances(query));
        }

        /** Waits for {@link Discovery#listInstances(ServiceKey)}. */
        public InstanceList listInstances(ServiceKey service) {
            return Calls.await(Discovery.this.listInstances(service));
        }

        /** Waits for {@link Discovery#putService(ServiceKey, ServiceSettings)}. */
        public Header putService(ServiceKey service, ServiceSettings settings) {
            return Calls.await(Discovery.this.putService(service, settings));
        }

        /** Waits for {@link Discovery#getService(ServiceKey)}. */
        public ServiceSettings getService(ServiceKey service) {
            return Calls.await(Discovery.this.getService(service));
        }

        /**
         * A view of the service, once its instances have been read (up to the client's timeout);
         * a view that fails to get ready is closed.
         */
        public ServiceInstances instances(ServiceKey service) {
            ServiceInstances view = Discovery.this.instances(service);
            return Calls.awaitReady(view.ready(), calls.timeout(), view, "the instances of " + service);
        }

        /** {@link #instances(ServiceKey)} for {@code service} in {@code namespace}. */
        public ServiceInstances instances(String namespace, String service) {
            return instances(new ServiceKey(namespace, service));
        }
    }
}
