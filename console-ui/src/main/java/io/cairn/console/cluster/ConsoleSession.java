package io.cairn.console.cluster;

import com.vaadin.flow.spring.annotation.VaadinSessionScope;
import io.cairn.client.Client;
import jakarta.annotation.PreDestroy;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Who is signed in to this browser session and the client acting as them. When the cluster
 * has auth off, everyone shares the console's client and is "open"; the session's client is
 * closed when the person signs out or the session expires.
 */
@Component
@VaadinSessionScope
public class ConsoleSession {
    private final ClusterAccess access;
    private Client client;
    private String user;
    private boolean open;

    public ConsoleSession(ClusterAccess access) {
        this.access = access;
    }

    /** Signs in as {@code user}; throws with the cluster's refusal. */
    public void signIn(String user, String password) {
        Client signedIn = access.signIn(user, password);
        signOut();
        this.client = signedIn;
        this.user = user;
    }

    /** Enters without a user: only while the cluster has auth off. */
    public void enterOpen() {
        signOut();
        this.client = access.anonymous();
        this.open = true;
    }

    public boolean signedIn() {
        return client != null;
    }

    /** True while the console acts without a user because auth is off. */
    public boolean open() {
        return open;
    }

    /** The signed-in user; empty in open mode. */
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    /** The client acting as this session's person. */
    public Client client() {
        if (client == null) {
            throw new IllegalStateException("not signed in");
        }
        return client;
    }

    @PreDestroy
    public void signOut() {
        if (client != null && !open) {
            client.close();
        }
        client = null;
        user = null;
        open = false;
    }
}
