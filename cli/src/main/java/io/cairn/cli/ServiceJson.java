package io.cairn.cli;

import io.cairn.client.Header;
import io.cairn.client.discovery.FlapDamping;
import io.cairn.client.discovery.HealthCheck;
import io.cairn.client.discovery.InstanceChange;
import io.cairn.client.discovery.InstanceList;
import io.cairn.client.discovery.ServiceInstance;
import io.cairn.client.discovery.ServiceSettings;
import io.cairn.client.discovery.ServiceSummary;
import java.util.List;

/**
 * The registry's answers for {@code cairnctl service ... -w json}: an instance with the field
 * names the registry stores it under (its key's JSON value, as {@code etcdctl get} shows it, plus
 * the revision), every field present, numbers as JSON numbers and metadata sorted by key. For
 * example {@code {"namespace":"default","service":"orders","id":"orders-1","host":"10.0.0.5",
 * "port":8080,"weight":100,"zone":"","tags":["v2"],"metadata":{},"status":"UP",
 * "lease":7587869452381077002,"registeredAtMs":1796162400000,"revision":12}}; a health-checked
 * instance has {@code "lease":0} and a {@code "check"}.
 */
final class ServiceJson {
    private ServiceJson() {
    }

    /** A lookup: the answering member's header, the instances, and whether protection let unhealthy ones in. */
    static String instances(InstanceList list) {
        return new JsonRecord().header(list.header()).array("instances", list.instances(), ServiceJson::instance)
                .bool("protectionTriggered", list.protectionTriggered()).end();
    }

    /** A namespace's services, every page of them; {@code h} is the first page's header. */
    static String services(Header h, String namespace, List<ServiceSummary> services) {
        return new JsonRecord().header(h).string("namespace", namespace).array("services", services,
                s -> new JsonRecord().string("name", s.name()).number("instances", s.instances())
                        .number("healthy", s.healthy()).end()).end();
    }

    /** A registration: the instance as registered, and the TTL of its lease (0 for a health-checked one). */
    static String registered(ServiceInstance instance, long ttlSeconds) {
        return new JsonRecord().raw("instance", instance(instance)).number("ttl", ttlSeconds).end();
    }

    /** A change a watch was told of. */
    static String change(InstanceChange c) {
        return new JsonRecord().string("type", c.type().name()).number("revision", c.revision())
                .raw("instance", instance(c.instance())).end();
    }

    /** An answer that is only a header (a deregistration). */
    static String headerOnly(Header h) {
        return new JsonRecord().header(h).end();
    }

    /** A service's settings as the registry stores them, field for field. */
    static String settings(ServiceSettings s) {
        JsonRecord j = new JsonRecord().raw("protectionThreshold", Double.toString(s.protectionThreshold()));
        FlapDamping d = s.flapDamping();
        if (d != null) {
            j.raw("flapDamping", new JsonRecord().number("changes", d.changes()).number("windowMs", d.window().toMillis())
                    .number("holdMs", d.hold().toMillis()).end());
        }
        return j.map("metadata", s.metadata()).end();
    }

    static String instance(ServiceInstance i) {
        JsonRecord j = new JsonRecord().string("namespace", i.namespace()).string("service", i.service())
                .string("id", i.id()).string("host", i.host()).number("port", i.port()).number("weight", i.weight())
                .string("zone", i.zone()).array("tags", i.tags(), GoJson::quote).map("metadata", i.metadata())
                .string("status", i.status().name()).number("lease", i.lease());
        if (i.flapping()) {
            j.bool("flapping", true); // as the registry stores it: only when held
        }
        if (i.healthCheck() != null) {
            j.raw("check", check(i.healthCheck()));
        }
        return j.number("registeredAtMs", i.registeredAt() == null ? 0 : i.registeredAt().toEpochMilli())
                .number("revision", i.revision()).end();
    }

    /** A check as the registry stores it: its kind as a one-field object, then its timing. */
    private static String check(HealthCheck c) {
        JsonRecord j = new JsonRecord();
        switch (c.kind()) {
            case TCP -> j.raw("tcp", "{}");
            case HTTP -> j.raw("http", new JsonRecord().string("path", c.target()).end());
            case GRPC -> j.raw("grpc", new JsonRecord().string("service", c.target()).end());
        }
        return j.number("intervalMs", c.interval().toMillis()).number("timeoutMs", c.timeout().toMillis())
                .number("failureThreshold", c.failureThreshold()).number("successThreshold", c.successThreshold()).end();
    }
}
