package io.cairn.server.discovery;

import io.cairn.api.discovery.FlapDamping;
import io.cairn.api.discovery.HealthCheck;
import io.cairn.api.discovery.Instance;
import io.cairn.api.discovery.RegisterRequest;
import io.cairn.api.discovery.ServiceSettings;
import io.cairn.api.discovery.Status;
import io.cairn.api.discovery.UpdateRequest;
import io.cairn.server.errors.ServerError;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The registry's rules for what may be stored: each request is checked whole before anything is
 * proposed, so bad input changes nothing and says exactly what was wrong.
 */
public final class Registrations {
    static final int MAX_WEIGHT = 10_000;
    static final int MAX_METADATA_BYTES = 16 * 1024;
    static final int MAX_TAGS = 64;
    static final int MAX_TEXT = 253;
    static final int MIN_CHECK_INTERVAL_MS = 500;
    static final int MAX_CHECK_INTERVAL_MS = 3_600_000;
    static final int MAX_THRESHOLD = 100;
    static final int MIN_FLAP_MS = 1000;
    static final int DEFAULT_FLAP_MS = 60_000;

    private static final java.util.regex.Pattern HTTP_PATH = java.util.regex.Pattern.compile("[A-Za-z0-9._~/?=&%+:@-]{0,1024}");

    private Registrations() {
    }

    /**
     * The instance to store for {@code r}: checked, with an id generated if it had none, status
     * and weight defaulted, and the registration time stamped.
     */
    public static Instance instance(RegisterRequest r, long nowMs) {
        Instance in = r.getInstance();
        RegistryKeys.checkName("namespace", in.getNamespace());
        RegistryKeys.checkName("service", in.getService());
        String id = in.getId().isEmpty() ? generatedId() : RegistryKeys.checkName("instance id", in.getId());
        checkHost(in.getHost());
        if (in.getPort() < 1 || in.getPort() > 65535) {
            throw invalid("port " + in.getPort() + " is out of range (1 to 65535)");
        }
        Instance.Builder b = in.toBuilder().setId(id).setRegisteredAtMs(nowMs).clearRevision().clearLease()
                .clearFlapping(); // the leader's to mark, never a client's
        b.setWeight(in.hasWeight() ? checkWeight(in.getWeight()) : InstanceCodec.DEFAULT_WEIGHT);
        b.setStatus(checkStatus(in.getStatus(), Status.UP));
        checkText("zone", in.getZone());
        checkTags(in.getTagsList());
        checkMetadata(in.getMetadataMap());
        switch (r.getLivenessCase()) {
            case TTL -> {
                if (r.getTtl() <= 0) {
                    throw invalid("the TTL must be a positive number of seconds, not " + r.getTtl());
                }
                b.clearCheck();
            }
            case LEASE -> {
                if (r.getLease() <= 0) {
                    throw invalid("the lease must be a lease ID, not " + r.getLease());
                }
                b.clearCheck();
            }
            case CHECK -> b.setCheck(check(r.getCheck()));
            default -> throw invalid("give a TTL, a lease or a health check");
        }
        return b.build();
    }

    /** {@code current} with the changes {@code r} asks for, checked. */
    public static Instance updated(Instance current, UpdateRequest r) {
        Instance.Builder b = current.toBuilder();
        if (r.getStatus() != Status.STATUS_UNSPECIFIED) {
            b.setStatus(checkStatus(r.getStatus(), current.getStatus()));
        }
        if (r.hasWeight()) {
            b.setWeight(checkWeight(r.getWeight()));
        }
        if (r.getReplaceTags()) {
            checkTags(r.getTagsList());
            b.clearTags().addAllTags(r.getTagsList());
        }
        if (r.getReplaceMetadata()) {
            checkMetadata(r.getMetadataMap());
            b.clearMetadata().putAllMetadata(r.getMetadataMap());
        }
        return b.build();
    }

    public static ServiceSettings settings(ServiceSettings s) {
        double t = s.getProtectionThreshold();
        if (!(t >= 0 && t <= 1)) {
            throw invalid("the protection threshold must be between 0 and 1, not " + t);
        }
        checkMetadata(s.getMetadataMap());
        return s.hasFlapDamping() ? s.toBuilder().setFlapDamping(flapDamping(s.getFlapDamping())).build() : s;
    }

    /** Damping with its defaults filled in; left as it is when turned off. */
    public static FlapDamping flapDamping(FlapDamping d) {
        if (d.getChanges() == 0) {
            return d;
        }
        FlapDamping.Builder b = d.toBuilder();
        if (b.getWindowMs() == 0) {
            b.setWindowMs(DEFAULT_FLAP_MS);
        }
        if (b.getHoldMs() == 0) {
            b.setHoldMs(DEFAULT_FLAP_MS);
        }
        // unsigned, as the check's fields: a huge value is not a negative one
        if (Integer.compareUnsigned(b.getChanges(), MAX_THRESHOLD) > 0) {
            throw invalid("flap damping's changes must be 1 to " + MAX_THRESHOLD + " (0 turns it off)");
        }
        for (int ms : new int[] {b.getWindowMs(), b.getHoldMs()}) {
            if (Integer.compareUnsigned(ms, MIN_FLAP_MS) < 0 || Integer.compareUnsigned(ms, MAX_CHECK_INTERVAL_MS) > 0) {
                throw invalid("flap damping's window and hold must be " + MIN_FLAP_MS + " to " + MAX_CHECK_INTERVAL_MS + " ms");
            }
        }
        return b.build();
    }

    /** A check with its defaults filled in. */
    public static HealthCheck check(HealthCheck c) {
        if (c.getKindCase() == HealthCheck.KindCase.KIND_NOT_SET) {
            throw invalid("a health check needs a kind: tcp, http or grpc");
        }
        HealthCheck.Builder b = c.toBuilder();
        if (b.getIntervalMs() == 0) {
            b.setIntervalMs(5000);
        }
        if (b.getTimeoutMs() == 0) {
            b.setTimeoutMs(Math.min(2000, b.getIntervalMs()));
        }
        if (b.getFailureThreshold() == 0) {
            b.setFailureThreshold(3);
        }
        if (b.getSuccessThreshold() == 0) {
            b.setSuccessThreshold(1);
        }
        // the fields are unsigned: compared as such, a huge value is not a negative one
        if (Integer.compareUnsigned(b.getIntervalMs(), MIN_CHECK_INTERVAL_MS) < 0
                || Integer.compareUnsigned(b.getIntervalMs(), MAX_CHECK_INTERVAL_MS) > 0) {
            throw invalid("a health check's interval must be " + MIN_CHECK_INTERVAL_MS + " to " + MAX_CHECK_INTERVAL_MS + " ms");
        }
        if (Integer.compareUnsigned(b.getFailureThreshold(), MAX_THRESHOLD) > 0
                || Integer.compareUnsigned(b.getSuccessThreshold(), MAX_THRESHOLD) > 0) {
            throw invalid("a health check's thresholds must be 1 to " + MAX_THRESHOLD);
        }
        if (Integer.compareUnsigned(b.getTimeoutMs(), b.getIntervalMs()) > 0) {
            throw invalid("a health check's timeout must not exceed its interval");
        }
        if (c.hasHttp() && !c.getHttp().getPath().isEmpty() && !c.getHttp().getPath().startsWith("/")) {
            throw invalid("an HTTP check's path must start with /");
        }
        if (c.hasHttp() && !HTTP_PATH.matcher(c.getHttp().getPath()).matches()) {
            throw invalid("an HTTP check's path must be a URL path (letters, digits and - . _ ~ / ? = & % + : @)");
        }
        return b.build();
    }

    private static Status checkStatus(Status s, Status unset) {
        return switch (s) {
            case UP, DOWN, OUT_OF_SERVICE -> s;
            case STATUS_UNSPECIFIED -> unset;
            default -> throw invalid("unknown status (UP, DOWN or OUT_OF_SERVICE)");
        };
    }

    private static int checkWeight(int weight) {
        if (Integer.compareUnsigned(weight, MAX_WEIGHT) > 0) {
            throw invalid("weight " + Integer.toUnsignedString(weight) + " is out of range (0 to " + MAX_WEIGHT + ")");
        }
        return weight;
    }

    private static void checkHost(String host) {
        if (host.isEmpty()) {
            throw invalid("host is empty");
        }
        checkText("host", host);
    }

    private static void checkText(String what, String text) {
        if (text.length() > MAX_TEXT || text.chars().anyMatch(ch -> ch <= ' ' || ch == 0x7f)) {
            throw invalid(what + " must be at most " + MAX_TEXT + " characters, without spaces or control characters");
        }
    }

    private static void checkTags(java.util.List<String> tags) {
        if (tags.size() > MAX_TAGS) {
            throw invalid("at most " + MAX_TAGS + " tags, not " + tags.size());
        }
        for (String tag : tags) {
            if (tag.isEmpty()) {
                throw invalid("a tag is empty");
            }
            checkText("a tag", tag);
        }
    }

    private static void checkMetadata(Map<String, String> metadata) {
        long bytes = 0;
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (e.getKey().isEmpty()) {
                throw invalid("a metadata key is empty");
            }
            bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (bytes > MAX_METADATA_BYTES) {
            throw invalid("metadata is " + bytes + " bytes, more than " + MAX_METADATA_BYTES);
        }
    }

    private static String generatedId() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    }

    private static RuntimeException invalid(String detail) {
        return ServerError.REGISTRY_INVALID.exception(detail);
    }
}
