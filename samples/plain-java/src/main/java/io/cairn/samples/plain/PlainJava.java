package io.cairn.samples.plain;

import io.cairn.client.Client;
import io.cairn.client.ConfigView;
import io.cairn.client.Lock;
import io.cairn.client.Registration;
import io.cairn.client.Session;
import io.cairn.client.config.Config;
import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.ConfigListener;
import io.cairn.client.config.Format;
import io.cairn.client.discovery.RegistrationSpec;
import io.cairn.client.discovery.ServiceInstance;
import io.cairn.client.discovery.ServiceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Cairn from plain Java, no Spring: register an instance, look the service up, watch a config
 * change, and take a lock. Run it with {@code CAIRN_ENDPOINTS} naming the cluster (default
 * {@code http://127.0.0.1:2379}).
 */
public final class PlainJava {
    private PlainJava() {
    }

    public static void main(String[] args) throws Exception {
        String endpoints = System.getenv().getOrDefault("CAIRN_ENDPOINTS", "http://127.0.0.1:2379");
        try (Client client = Client.builder().endpoints(endpoints.split(",")).build()) {
            // 1. register: kept alive by heartbeats until closed, then gone at once
            RegistrationSpec spec = RegistrationSpec.builder("plain-java").id("plain-1")
                    .address("127.0.0.1", 9000).ttl(Duration.ofSeconds(10)).metadata("version", "1").build();
            try (Registration registration = client.discovery().sync().register(spec)) {
                System.out.println("REGISTERED " + registration.instance().id() + " on lease " + Long.toHexString(registration.leaseId()));

                // 2. look up: the instances that take traffic
                for (ServiceInstance i : client.discovery().sync().listInstances(ServiceKey.of("plain-java")).instances()) {
                    System.out.println("LOOKUP plain-java: " + i.id() + " at " + i.address() + " " + i.metadata());
                }

                // 3. watch a config: the view holds the current version and is told each new one
                ConfigKey key = ConfigKey.of("plain-java.properties");
                BlockingQueue<Config> told = new LinkedBlockingQueue<>();
                ConfigListener listener = told::add;
                try (ConfigView view = client.config().sync().view(key, listener)) {
                    String greeting = "hello at " + Instant.now();
                    client.config().sync().publish(key, "greeting=" + greeting + "\n", Format.PROPERTIES);
                    Config c = told.poll(10, TimeUnit.SECONDS);
                    while (c != null && !c.values().getString("greeting", "").equals(greeting)) {
                        c = told.poll(10, TimeUnit.SECONDS);
                    }
                    System.out.println("CONFIG " + key + " version " + view.config().map(Config::version).orElse(0L)
                            + ": greeting=" + view.getString("greeting", "(none)"));
                }
            }

            // 4. lock: one holder at a time across every process; a dead holder's lock goes with its session
            try (Session session = client.session(Duration.ofSeconds(10)).join()) {
                Lock.Held held = client.lock().lockSync("plain-java", session);
                System.out.println("LOCKED plain-java (fencing revision " + held.revision() + ")");
                client.lock().unlockSync(held);
                System.out.println("UNLOCKED plain-java");
            }
        }
    }
}
