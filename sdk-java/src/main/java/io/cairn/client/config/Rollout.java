package io.cairn.client.config;

import java.util.List;
import java.util.Optional;

/**
 * Where a config's rollout stands: every running client's receipt, and how many run each
 * version. Clients drop out by themselves when they stop (their receipts hang on their lease).
 *
 * @param key      the config
 * @param current  its current version; 0 if it never existed
 * @param gray     the gray release under way, without its content
 * @param receipts by client id
 * @param versions newest version first, a gray candidate before the version it is built on
 */
public record Rollout(ConfigKey key, long current, Optional<GrayRelease> gray, List<Receipt> receipts, List<Count> versions) {
    public Rollout {
        receipts = List.copyOf(receipts);
        versions = List.copyOf(versions);
    }

    /** How many clients run one version (or its gray candidate), and how many of them failed to apply it. */
    public record Count(long version, boolean gray, int instances, int failed) {
    }

    /**
     * The clients that failed to apply {@code version} or a later one. Clients on a gray
     * release's candidate are not told new versions until it ends: they are left out.
     */
    public List<Receipt> failed(long version) {
        return receipts.stream().filter(r -> !pinned(r) && !r.applied() && r.version() >= version).toList();
    }

    /**
     * The clients that have not reported {@code version} (or a later one) applied, failures
     * included; clients on a gray release's candidate (see {@link #onGrayCandidate()}) are left out.
     */
    public List<Receipt> notApplied(long version) {
        return receipts.stream().filter(r -> !pinned(r) && !r.appliedAtLeast(version)).toList();
    }

    /** On the candidate of the gray release under way, so told no new version until it ends. */
    private boolean pinned(Receipt r) {
        return r.gray() && gray.isPresent();
    }

    /** The clients a gray release serves its candidate to, as they reported it. */
    public List<Receipt> onGrayCandidate() {
        return receipts.stream().filter(Receipt::gray).toList();
    }
}
