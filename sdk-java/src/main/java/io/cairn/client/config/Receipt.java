package io.cairn.client.config;

import java.time.Instant;
import java.util.Map;

/**
 * What one client applied of a config, as it reported it: the version its listeners were last
 * told, and whether they all took it.
 *
 * @param clientId    the id it gave
 * @param labels      the labels it gave
 * @param address     the address it gave; empty when it gave none
 * @param seenAddress the address the member saw the report come from
 * @param version     the version it uses now
 * @param md5         that content's MD5
 * @param gray        whether that is a gray release's candidate
 * @param applied     every listener took it
 * @param error       else the first failure, as the client described it
 * @param time        when the report was recorded (the leader's clock)
 */
public record Receipt(String clientId, Map<String, String> labels, String address, String seenAddress, long version,
                      String md5, boolean gray, boolean applied, String error, Instant time) {
    public Receipt {
        labels = Map.copyOf(labels);
    }

    /** Whether this client runs {@code version} (or a later one) published to all, and took it. */
    public boolean appliedAtLeast(long version) {
        return applied && !gray && this.version >= version;
    }
}
