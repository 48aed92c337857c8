package io.cairn.console.cluster;

import io.cairn.client.CairnException;
import io.cairn.client.Client;
import io.cairn.console.ConsoleProperties;
import jakarta.annotation.PreDestroy;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Makes the console's clients: one shared client without a user, for asking whether auth is on
 * and for sessions while it is off, and clients per signed-in person, which authenticate as
 * that person so that the cluster's permissions decide what they may do.
 */
@Component
public class ClusterAccess {
    /** etcd's refusal of a request without a user while auth is on. */
    private static final String USER_EMPTY = "user name is empty";
    private final ConsoleProperties properties;
    private final Client anonymous;

    public ClusterAccess(ConsoleProperties properties) {
        this.properties = properties;
        this.anonymous = builder(properties.endpoints()).build();
        LoggerFactory.getLogger(ClusterAccess.class).info("console of the cluster at {}", properties.endpoints());
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
     * A new client of {@code endpoints}, acting as {@code user} (none when null); not yet
     * authenticated. The caller closes it.
     */
    public Client connect(List<String> endpoints, String user, String password) {
        Client.Builder b = builder(endpoints);
        if (user != null) {
            b.user(user, password);
        }
        return b.build();
    }

    private Client.Builder builder(List<String> endpoints) {
        Client.Builder b = Client.builder().endpoints(endpoints).timeout(properties.timeout())
                .clientId("cairn-console").configReceipts(false); // it shows configs, it does not run on them
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
    }
}
