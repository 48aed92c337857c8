package io.cairn.server.config;

import io.cairn.api.config.ConfigReceipt;
import io.cairn.api.config.ConfigVersion;
import io.cairn.api.config.GrayRelease;
import io.cairn.api.config.StatusResponse;
import io.cairn.api.config.VersionCount;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Where a config's rollout stands, from its clients' receipts: who runs which version, who failed it. */
public final class Rollouts {
    /** One version, or the gray candidate built on it. */
    private record Used(long version, boolean gray) {
    }

    private static final Comparator<Used> NEWEST_FIRST =
            Comparator.comparingLong(Used::version).reversed().thenComparing(Used::gray, Comparator.reverseOrder());

    private Rollouts() {
    }

    /**
     * @param current  the config's metadata; null if it never existed
     * @param gray     the gray release under way; null for none
     * @param receipts every receipt of the config, in any order
     */
    public static StatusResponse.Builder status(ConfigVersion current, GrayRelease gray, List<ConfigReceipt> receipts) {
        StatusResponse.Builder status = StatusResponse.newBuilder();
        if (current != null) {
            status.setCurrent(current.toBuilder().clearContent().clearJsonSchema());
        }
        if (gray != null) {
            status.setGray(gray.toBuilder().clearContent());
        }
        Map<Used, VersionCount.Builder> counts = new TreeMap<>(NEWEST_FIRST);
        receipts.stream().sorted(Comparator.comparing(r -> r.getClient().getClientId())).forEach(r -> {
            status.addReceipts(r);
            VersionCount.Builder c = counts.computeIfAbsent(new Used(r.getVersion(), r.getGray()),
                    u -> VersionCount.newBuilder().setVersion(u.version()).setGray(u.gray()));
            c.setInstances(c.getInstances() + 1);
            if (!r.getApplied()) {
                c.setFailed(c.getFailed() + 1);
            }
        });
        counts.values().forEach(status::addVersions);
        return status;
    }
}
