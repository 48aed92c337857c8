package io.cairn.cli;

import io.cairn.client.CairnException;
import io.cairn.client.Client;
import io.cairn.client.Header;
import io.cairn.client.ServiceInstances;
import io.cairn.client.discovery.FlapDamping;
import io.cairn.client.discovery.InstanceChange;
import io.cairn.client.discovery.InstanceKey;
import io.cairn.client.discovery.InstanceList;
import io.cairn.client.discovery.InstanceListener;
import io.cairn.client.discovery.InstanceQuery;
import io.cairn.client.discovery.InstanceStatus;
import io.cairn.client.discovery.InstanceUpdate;
import io.cairn.client.discovery.ServiceInstance;
import io.cairn.client.discovery.ServiceKey;
import io.cairn.client.discovery.ServicePage;
import io.cairn.client.discovery.ServiceSettings;
import io.cairn.client.discovery.ServiceSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairnctl service}: the registry's services and instances, as a Nacos or Consul user
 * would look for them. Simple output is etcdctl's (one line per item, fields separated by ", ");
 * {@code -w json} prints the registry's records (see {@link ServiceJson}).
 */
@Command(name = "service", description = "Service discovery: list, look up, register, update and watch instances.",
        subcommands = {ServiceCommands.ListServices.class, ServiceCommands.Get.class, ServiceRegister.class,
                ServiceCommands.Deregister.class, ServiceCommands.Update.class, ServiceCommands.Watch.class,
                ServiceCommands.Settings.class})
final class ServiceCommands {
    private ServiceCommands() {
    }

    /**
     * What every service command shares: the namespace, and bad input (a name the registry
     * refuses, a port out of range) ending the command as a bad argument rather than an error.
     */
    abstract static class ServiceBase extends Base.Checked {
        @Option(names = {"-n", "--namespace"}, defaultValue = ServiceKey.DEFAULT_NAMESPACE,
                description = "the namespace (default: ${DEFAULT-VALUE})")
        String namespace;

        ServiceKey service(String name) {
            return new ServiceKey(namespace, name);
        }
    }

    /** A command about one service, named first. */
    abstract static class OfService extends ServiceBase {
        @Parameters(index = "0", description = "the service")
        String service;

        ServiceKey service() {
            return service(service);
        }
    }

    /** A command about one instance: the service, then the instance id. */
    abstract static class OfInstance extends OfService {
        @Parameters(index = "1", description = "the instance id")
        String id;

        InstanceKey instance() {
            return InstanceKey.of(service(), id);
        }
    }

    /**
     * An instance in one line: {@code id, host:port, status, weight, zone, [tags], {metadata}},
     * an empty zone as "-", the metadata sorted by key, and "DOWN (flapping)" for an instance
     * held for flapping.
     */
    static String line(ServiceInstance i) {
        return String.join(", ", i.id(), i.address(), i.status().name() + (i.flapping() ? " (flapping)" : ""),
                Integer.toString(i.weight()),
                i.zone().isEmpty() ? "-" : i.zone(), "[" + String.join(" ", i.tags()) + "]",
                new TreeMap<>(i.metadata()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(" ", "{", "}")));
    }

    /** UP, DOWN or OUT_OF_SERVICE, in any case, with - for _. */
    static InstanceStatus status(String text) {
        try {
            return InstanceStatus.valueOf(text.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown status \"" + text + "\" (UP, DOWN or OUT_OF_SERVICE)");
        }
    }

    @Command(name = "list", description = {"Lists a namespace's services.",
            "Prints one line per service: name, instances, healthy (UP) instances."})
    static final class ListServices extends ServiceBase {
        @Override
        int run(Client client) {
            ServiceKey.checkNamespace(namespace);
            List<ServiceSummary> services = new ArrayList<>();
            Header first = null;
            String token = "";
            do {
                ServicePage page = await(client.discovery().listServices(namespace, 0, token));
                first = first == null ? page.header() : first;
                services.addAll(page.services());
                token = page.nextPageToken();
            } while (!token.isEmpty());
            if (json()) {
                printJson(ServiceJson.services(first, namespace, services));
                return 0;
            }
            for (ServiceSummary s : services) {
                out().printf("%s, %d, %d%n", s.name(), s.instances(), s.healthy());
            }
            return 0;
        }
    }

    @Command(name = "get", description = {"Looks up a service's instances: the healthy (UP) ones unless --all.",
            "Prints one line per instance: id, host:port, status, weight, zone, [tags], {metadata}."})
    static final class Get extends OfService {
        @Option(names = "--all", description = "every instance, whatever its status")
        boolean all;

        @Option(names = "--zone", description = "only instances in this zone")
        String zone;

        @Option(names = "--tag", split = ",", description = "only instances carrying this tag (repeatable: all of them)")
        List<String> tags = List.of();

        @Option(names = "--meta", description = "only instances with this metadata entry, key=value (repeatable)")
        Map<String, String> metadata = Map.of();

        @Option(names = "--serializable", description = "let any member answer from its own copy (faster, may be behind)")
        boolean serializable;

        @Override
        int run(Client client) {
            InstanceQuery.Builder q = InstanceQuery.builder(service()).tags(tags.toArray(String[]::new));
            metadata.forEach(q::metadata);
            if (all) {
                q.all();
            }
            if (zone != null) {
                q.zone(zone);
            }
            if (serializable) {
                q.serializable();
            }
            InstanceList found = await(client.discovery().listInstances(q.build()));
            if (json()) {
                printJson(ServiceJson.instances(found));
                return 0;
            }
            if (found.protectionTriggered()) {
                root().err.println("protection threshold crossed: unhealthy instances are included");
            }
            found.instances().forEach(i -> out().println(line(i)));
            return 0;
        }
    }

    @Command(name = "settings", description = {"Shows a service's settings, or changes those the options name.",
            "Prints protection threshold, flap damping and metadata, one per line, as they are after the change."})
    static final class Settings extends OfService {
        private static final java.time.Duration DEFAULT_FLAP = java.time.Duration.ofSeconds(60);

        @Option(names = "--protection-threshold", description = "look up every instance while the UP share is below it (0 to 1; 0: off)")
        Double protectionThreshold;

        @Option(names = "--flap-changes", description = "hold a health-checked instance DOWN when its health changes more often than this within the window (1 to 100)")
        Integer flapChanges;

        @Option(names = "--flap-window", description = "how far back health changes count (default 60s)")
        String flapWindow;

        @Option(names = "--flap-hold", description = "how long health must not change before a held instance is released (default 60s)")
        String flapHold;

        @Option(names = "--no-flap-damping", description = "turn flap damping off")
        boolean noFlapDamping;

        @Override
        int run(Client client) {
            ServiceSettings now = await(client.discovery().getService(service()));
            ServiceSettings next = protectionThreshold == null ? now : now.withProtectionThreshold(protectionThreshold);
            boolean damping = flapChanges != null || flapWindow != null || flapHold != null;
            if (noFlapDamping && damping) {
                throw new IllegalArgumentException("--no-flap-damping goes without --flap-changes, --flap-window and --flap-hold");
            }
            if (noFlapDamping) {
                next = next.withFlapDamping(null);
            } else if (damping) {
                FlapDamping was = now.flapDamping();
                if (flapChanges == null && was == null) {
                    throw new IllegalArgumentException("--flap-changes turns flap damping on; --flap-window and --flap-hold only tune it");
                }
                next = next.withFlapDamping(new FlapDamping(flapChanges != null ? flapChanges : was.changes(),
                        flapWindow != null ? Cairnctl.duration(flapWindow) : was != null ? was.window() : DEFAULT_FLAP,
                        flapHold != null ? Cairnctl.duration(flapHold) : was != null ? was.hold() : DEFAULT_FLAP));
            }
            if (!next.equals(now)) {
                await(client.discovery().putService(service(), next));
            }
            if (json()) {
                printJson(ServiceJson.settings(next));
                return 0;
            }
            FlapDamping d = next.flapDamping();
            out().printf("protection-threshold: %s%n", next.protectionThreshold());
            out().printf("flap-damping: %s%n", d == null ? "off"
                    : "over " + d.changes() + " changes in " + text(d.window()) + ", held until stable for " + text(d.hold()));
            out().printf("metadata: %s%n", new TreeMap<>(next.metadata()).entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ", "{", "}")));
            return 0;
        }

        private static String text(java.time.Duration d) {
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
        }
    }

    @Command(name = "deregister", description = "Removes an instance; subscribers see it go.")
    static final class Deregister extends OfInstance {
        @Override
        int run(Client client) {
            Header h = await(client.discovery().deregister(instance()));
            if (json()) {
                printJson(ServiceJson.headerOnly(h));
            } else {
                out().printf("instance %s deregistered%n", id);
            }
            return 0;
        }
    }

    @Command(name = "update", description = {"Changes an instance's status, weight, tags or metadata, keeping its lease.",
            "--tag and --meta replace all the tags or all the metadata. Prints the instance as get does."})
    static final class Update extends OfInstance {
        @Option(names = "--status", description = "UP, DOWN or OUT_OF_SERVICE")
        String status;

        @Option(names = "--weight", description = "share of traffic, 0 to 10000")
        Integer weight;

        @Option(names = "--tag", split = ",", description = "the new tags (repeatable; replaces them all)")
        List<String> tags;

        @Option(names = "--no-tags", description = "remove every tag")
        boolean noTags;

        @Option(names = "--meta", description = "the new metadata, key=value (repeatable; replaces it all)")
        Map<String, String> metadata;

        @Option(names = "--no-meta", description = "remove all the metadata")
        boolean noMeta;

        @Override
        int run(Client client) {
            if (noTags && tags != null || noMeta && metadata != null) {
                throw new IllegalArgumentException("give --tag or --no-tags, --meta or --no-meta, not both");
            }
            InstanceUpdate.Builder u = InstanceUpdate.builder();
            if (status != null) {
                u.status(status(status));
            }
            if (weight != null) {
                u.weight(weight);
            }
            if (tags != null || noTags) {
                u.tags(noTags ? List.of() : tags);
            }
            if (metadata != null || noMeta) {
                u.metadata(noMeta ? Map.of() : metadata);
            }
            ServiceInstance now = await(client.discovery().update(instance(), u.build()));
            out().println(json() ? ServiceJson.instance(now) : line(now));
            return 0;
        }
    }

    @Command(name = "watch", description = {"Watches a service: prints its instances, then each change, until interrupted.",
            "Prints one line per change: ADDED, UPDATED or REMOVED, id, host:port, status; the instances there are "
                    + "when it starts come first, each as ADDED."})
    static final class Watch extends OfService {
        /** Completes with an exit code when the subscription is refused. */
        private final CompletableFuture<Integer> ended = new CompletableFuture<>();

        @Override
        int run(Client client) throws Exception {
            try (ServiceInstances view = client.discovery().subscribe(service(), new InstanceListener() {
                @Override
                public void onUpdate(List<ServiceInstance> instances, List<InstanceChange> changes) {
                    for (InstanceChange c : changes) {
                        ServiceInstance i = c.instance();
                        out().println(json() ? ServiceJson.change(c)
                                : c.type() + " " + i.id() + " " + i.address() + " " + i.status());
                    }
                }

                @Override
                public void onStale(boolean stale) {
                    tellStale(stale);
                }

                @Override
                public void onError(CairnException error) {
                    refused(error, ended);
                }
            })) {
                return ended.get();
            }
        }
    }
}
