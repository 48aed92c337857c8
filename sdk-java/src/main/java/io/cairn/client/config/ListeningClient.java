package io.cairn.client.config;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A client listening to a config through one member, and what that member last sent it.
 *
 * @param clientId    the id it gave (what percentage rules hash)
 * @param labels      the labels it gave (what label rules match)
 * @param address     the address it gave; empty when it gave none
 * @param seenAddress the address the member saw it connect from
 * @param version     the version it was last sent; 0 before any (the config does not exist)
 * @param md5         that content's MD5
 * @param gray        whether that was a gray release's candidate
 * @param sentAt      when it was sent; empty before any
 * @param since       when its listen began
 */
public record ListeningClient(String clientId, Map<String, String> labels, String address, String seenAddress,
                              long version, String md5, boolean gray, Optional<Instant> sentAt, Instant since) {
    public ListeningClient {
        labels = Map.copyOf(labels);
    }
}
