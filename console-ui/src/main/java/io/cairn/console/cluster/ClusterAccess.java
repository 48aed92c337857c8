package io.cairn.console.cluster;

import io.cairn.client.CairnException;
import io.cairn.client.Client;
import io.cairn.console.ConsoleProperties;
import jakarta.annotation.PreDestroy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Makes the console's clients: one shared client without a user, for what needs none (whether
 * auth is on, the member list, /metrics), and one client per signed-in person, which
 * authenticates as that person so that the cluster's permissions decide what they may do.
 */
@Component
public class ClusterAccess {
    /** etcd's refusal of a request without a user while auth is on. */
    private static final String USER_EMPTY = "user name is empty";
    private final ConsoleProperties properties;
    private final Client anonymous;
    private final Map<String, Client> members = new ConcurrentHashMap<>();

    public ClusterAccess(ConsoleProperties properties) {
        this.properties = properties;
        this.anonymous = builder(properties.endpoints()).build();
    }

    /** The shared client without a user; never closed by a session. */
    public Client anonymous() {
        return anonymous;
    }

    /**
     * Whether the cluster asks for a user; throws with the cluster's error when it cannot say.
     * With auth on, etcd (and Cairn) answer even the status call only to a user: that refusal
     * is the answer.
     */
    public boolean authEnabled() {
        try {
            return anonymous.auth().sync().status().enabled();
        } catch (CairnException e) {
            if (e.code() == CairnException.Code.UNAUTHENTICATED || String.valueOf(e.getMessage()).contains(USER_EMPTY)) {
                return true;
            }
            throw e;
        }
    }

    /**
     * A client acting as {@code user}, authenticated before it is returned.
     *
     * @throws CairnException with the cluster's refusal (wrong password, no such user)
     */
    public Client signIn(String user, String password) {
        Client client = builder(properties.endpoints()).user(user, password).build();
        try {
            client.login().join();
            return client;
        } catch (RuntimeException e) {
            client.close();
            throw CairnErrors.unwrap(e);
        }
    }

    /** The endpoints the console was given, for the header and the dashboard. */
    public List<String> endpoints() {
        return properties.endpoints();
    }

    /**
     * A client of one member only, without a user (a member's status needs none): the dashboard
     * asks each member for its own term, index and size, as {@code etcdctl endpoint status} does.
     */
    public Client member(String clientUrl) {
        return members.computeIfAbsent(clientUrl, url -> builder(List.of(url)).build());
    }

    private Client.Builder builder(List<String> endpoints) {
        Client.Builder b = Client.builder().endpoints(endpoints).timeout(properties.timeout())
                .clientId("cairn-console");
        if (properties.trustedCa() != null) {
            b.trustedCa(properties.trustedCa());
        }
        if (properties.cert() != null && properties.key() != null) {
            b.clientCertificate(properties.cert(), properties.key());
        }
        return b;
    }

    @PreDestroy
    void close() {
        anonymous.close();
        members.values().forEach(Client::close);
    }
}
