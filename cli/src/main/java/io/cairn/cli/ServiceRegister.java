package io.cairn.cli;

import io.cairn.client.CairnException;
import io.cairn.client.Client;
import io.cairn.client.Registration;
import io.cairn.client.discovery.HealthCheck;
import io.cairn.client.discovery.RegistrationSpec;
import io.cairn.client.discovery.ServiceInstance;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairnctl service register}: an instance that lives on a lease of its own (--ttl), kept
 * alive by this process with --keep-alive as {@code etcdctl lease keep-alive} keeps a lease, or
 * a persistent one the cluster health-checks (--check).
 */
@Command(name = "register", description = {"Registers an instance of a service.",
        "With --ttl it lives on a lease of its own: until the TTL runs out, or, with --keep-alive, while this "
                + "command runs (it stays in the foreground; SIGINT or SIGTERM deregisters). With --check it stays "
                + "until deregistered, its status kept by the cluster's health check.",
        "Prints: instance <id> registered with lease <lease> TTL(<ttl>s), or with check <check>."})
final class ServiceRegister extends ServiceCommands.OfService {
    @Option(names = "--host", required = true, description = "the host (name or address) the instance is reached at")
    String host;

    @Option(names = "--port", required = true, description = "the port the instance is reached at")
    int port;

    @Option(names = "--id", description = "a stable id (registering it again replaces the instance); made up when absent")
    String id;

    @Option(names = "--weight", defaultValue = "100", description = "share of traffic, 0 to 10000 (default: ${DEFAULT-VALUE})")
    int weight;

    @Option(names = "--zone", defaultValue = "", description = "where it runs (a data centre, an availability zone)")
    String zone;

    @Option(names = "--tag", split = ",", description = "a tag such as v2 or canary (repeatable)")
    List<String> tags = List.of();

    @Option(names = "--meta", description = "a metadata entry, key=value (repeatable)")
    Map<String, String> metadata = Map.of();

    @Option(names = "--status", defaultValue = "UP", description = "UP, DOWN or OUT_OF_SERVICE (default: ${DEFAULT-VALUE})")
    String status;

    @Option(names = "--ttl", description = "seconds the instance lives without a keep-alive")
    Long ttl;

    @Option(names = "--keep-alive", description = "stay in the foreground keeping the instance alive (TTL 10 s unless --ttl)")
    boolean keepAlive;

    @Option(names = "--check", description = "a persistent instance checked by the cluster: tcp, http:/path, grpc or grpc:service")
    String check;

    @Option(names = "--interval", description = "time between two checks (default 5s)")
    String interval;

    @Option(names = "--check-timeout", description = "time one check may take (default 2s, or the interval when shorter)")
    String checkTimeout;

    @Option(names = "--failures", description = "failures in a row that turn the instance DOWN (default 3)")
    Integer failures;

    @Option(names = "--successes", description = "passes in a row that turn it UP again (default 1)")
    Integer successes;

    @Override
    int run(Client client) throws InterruptedException {
        RegistrationSpec spec = spec();
        Registration registration = await(client.discovery().register(spec, new Registration.Listener() {
            @Override
            public void onLeaseLost(ServiceInstance lost) {
                out().printf("lease %016x of instance %s lost; registering again%n", lost.lease(), lost.id());
            }

            @Override
            public void onReregistered(ServiceInstance instance) {
                out().printf("instance %s registered again with lease %016x%n", instance.id(), instance.lease());
            }

            @Override
            public void onReregisterFailed(CairnException error) {
                root().err.println("registering again failed: " + Cairnctl.message(error) + "; retrying");
            }
        }));
        ServiceInstance instance = registration.instance();
        long ttlSeconds = spec.ttl() == null ? 0 : spec.ttl().toSeconds();
        if (json()) {
            printJson(ServiceJson.registered(instance, ttlSeconds));
        } else if (check != null) {
            out().printf("instance %s registered with check %s%n", instance.id(), check);
        } else {
            out().printf("instance %s registered with lease %016x TTL(%ds)%n", instance.id(), instance.lease(), ttlSeconds);
        }
        if (keepAlive) {
            keepUntilStopped(registration);
        }
        // otherwise closing the client leaves the lease to run out within its TTL
        return 0;
    }

    /** Waits for SIGINT or SIGTERM, then deregisters before the JVM exits. */
    private void keepUntilStopped(Registration registration) throws InterruptedException {
        Duration timeout = Cairnctl.duration(root().commandTimeout);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                registration.closeAsync().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                out().printf("instance %s deregistered%n", registration.key().id());
            } catch (Exception e) {
                root().err.println("Error: deregistering failed (the lease runs out within its TTL): " + Cairnctl.message(e));
            }
        }, "cairnctl-deregister"));
        new CountDownLatch(1).await();
    }

    private RegistrationSpec spec() {
        RegistrationSpec.Builder b = RegistrationSpec.builder(service()).address(host, port).weight(weight)
                .zone(zone).tags(tags).metadata(metadata).status(ServiceCommands.status(status));
        if (id != null) {
            b.id(id);
        }
        if (check != null) {
            if (ttl != null || keepAlive) {
                throw new IllegalArgumentException("--check registers a persistent instance; it takes no --ttl or --keep-alive");
            }
            return b.healthCheck(healthCheck()).build();
        }
        if (interval != null || checkTimeout != null || failures != null || successes != null) {
            throw new IllegalArgumentException("--interval, --check-timeout, --failures and --successes go with --check");
        }
        if (ttl != null && ttl < 1) {
            throw new IllegalArgumentException("--ttl is in seconds, at least 1: " + ttl);
        }
        if (ttl == null && !keepAlive) {
            throw new IllegalArgumentException("register needs --ttl SECONDS (add --keep-alive to keep the instance alive) "
                    + "or --check tcp|http:/path|grpc[:service]");
        }
        return b.ttl(ttl == null ? RegistrationSpec.DEFAULT_TTL : Duration.ofSeconds(ttl)).build();
    }

    /** tcp, http:/path, grpc or grpc:service, with the timing flags. */
    private HealthCheck healthCheck() {
        String kind = check.contains(":") ? check.substring(0, check.indexOf(':')) : check;
        String target = check.contains(":") ? check.substring(check.indexOf(':') + 1) : "";
        HealthCheck c = switch (kind) {
            case "tcp" -> target.isEmpty() ? HealthCheck.tcp() : null;
            case "http" -> HealthCheck.http(target.isEmpty() ? "/" : target);
            case "grpc" -> HealthCheck.grpc(target);
            default -> null;
        };
        if (c == null) {
            throw new IllegalArgumentException("unknown check \"" + check + "\" (tcp, http:/path, grpc or grpc:service)");
        }
        if (interval != null) {
            c = c.withInterval(Cairnctl.duration(interval));
        }
        if (checkTimeout != null) {
            c = c.withTimeout(Cairnctl.duration(checkTimeout));
        } else if (c.timeout().compareTo(c.interval()) > 0) {
            c = c.withTimeout(c.interval()); // a check may take no longer than its interval
        }
        if (failures != null) {
            c = c.withFailureThreshold(failures);
        }
        return successes == null ? c : c.withSuccessThreshold(successes);
    }
}
