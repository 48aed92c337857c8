package io.cairn.spring.discovery;

import io.cairn.client.CairnException;
import io.cairn.client.Client;
import io.cairn.client.discovery.InstanceStatus;
import io.cairn.client.discovery.InstanceUpdate;
import io.cairn.client.discovery.ServiceInstance;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;

/**
 * Registers instances through the SDK, which keeps each one's lease alive and registers it
 * again if the lease is lost; {@code /actuator/serviceregistry} sets a status of UP, DOWN or
 * OUT_OF_SERVICE, which a re-registration keeps.
 */
public class CairnServiceRegistry implements ServiceRegistry<CairnRegistration> {
    private static final Log log = LogFactory.getLog(CairnServiceRegistry.class);

    private final Client client;
    private final Map<String, io.cairn.client.Registration> registered = new ConcurrentHashMap<>();

    public CairnServiceRegistry(Client client) {
        this.client = client;
    }

    @Override
    public void register(CairnRegistration registration) {
        io.cairn.client.Registration handle = client.discovery().sync().register(registration.spec(), new io.cairn.client.Registration.Listener() {
            @Override
            public void onLeaseLost(ServiceInstance lost) {
                log.warn("Registration " + registration + " lost its lease; registering again");
            }

            @Override
            public void onReregistered(ServiceInstance instance) {
                log.info("Registered " + registration + " again, on lease " + Long.toHexString(instance.lease()));
            }

            @Override
            public void onReregisterFailed(CairnException error) {
                log.warn("Registering " + registration + " again failed, will retry: " + error.getMessage());
            }
        });
        io.cairn.client.Registration before = registered.put(registration.getInstanceId(), handle);
        if (before != null && before != handle) {
            before.closeAsync();
        }
        log.info("Registered " + registration + " with a TTL of " + registration.properties().getTtl().toSeconds() + " s");
    }

    @Override
    public void deregister(CairnRegistration registration) {
        io.cairn.client.Registration handle = registered.remove(registration.getInstanceId());
        if (handle != null) {
            handle.close();
            log.info("Deregistered " + registration);
        }
    }

    /** Whether the instance is registered and its lease alive, as far as this application knows. */
    public boolean isRegistered(CairnRegistration registration) {
        io.cairn.client.Registration handle = registered.get(registration.getInstanceId());
        return handle != null && handle.registered();
    }

    @Override
    public void close() {
        registered.values().forEach(io.cairn.client.Registration::closeAsync);
        registered.clear();
    }

    @Override
    public void setStatus(CairnRegistration registration, String status) {
        InstanceStatus to;
        try {
            to = InstanceStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("status is UP, DOWN or OUT_OF_SERVICE, not " + status, e);
        }
        client.discovery().sync().update(handle(registration).key(), InstanceUpdate.builder().status(to).build());
    }

    @Override
    public Object getStatus(CairnRegistration registration) {
        return handle(registration).instance().status().name();
    }

    private io.cairn.client.Registration handle(CairnRegistration registration) {
        io.cairn.client.Registration handle = registered.get(registration.getInstanceId());
        if (handle == null) {
            throw new IllegalStateException(registration + " is not registered");
        }
        return handle;
    }
}
