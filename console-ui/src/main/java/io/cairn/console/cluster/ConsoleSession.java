package io.cairn.console.cluster;

import com.vaadin.flow.spring.annotation.VaadinSessionScope;
import io.cairn.client.Client;
import jakarta.annotation.PreDestroy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Who is signed in to this browser session and the clients acting as them. While the cluster
 * has auth off, sessions are "open" and share the console's client; once auth is switched on an
 * open session is signed out at its next call, so nobody keeps acting without a user (or as the
 * console's certificate). Clients are closed when the person signs out or the session expires.
 * Thread-safe: the dashboard reads from a background thread.
 */
@Component
@VaadinSessionScope
public class ConsoleSession {
    private static final long AUTH_RECHECK_MILLIS = 5_000;

    private final ClusterAccess access;
    private final Map<String, Client> members = new HashMap<>();
    private Client client;
    private String user;
    // kept only to open per-member clients as the same person (the SDK keeps it to renew tokens too)
    private String password;
    private boolean open;
    private long authCheckedAt;

    public ConsoleSession(ClusterAccess access) {
        this.access = access;
    }

    /** Signs in as {@code user}; throws with the cluster's refusal. */
    public void signIn(String user, String password) {
        Client signedIn = access.signIn(user, password); // a call to the cluster: not under the lock
        synchronized (this) {
            signOut();
            this.client = signedIn;
            this.user = user;
            this.password = password;
        }
    }

    /** Enters without a user: only while the cluster has auth off. */
    public synchronized void enterOpen() {
        signOut();
        this.client = access.anonymous();
        this.open = true;
        this.authCheckedAt = System.currentTimeMillis();
    }

    public synchronized boolean signedIn() {
        return client != null;
    }

    /** True while the console acts without a user because auth is off. */
    public synchronized boolean open() {
        return open;
    }

    /** The signed-in user; empty in open mode. */
    public synchronized Optional<String> user() {
        return Optional.ofNullable(user);
    }

    /** The client acting as this session's person. */
    public Client client() {
        checkStillAllowed();
        synchronized (this) {
            requireSignedIn();
            return client;
        }
    }

    /** A client of the member at {@code clientUrl} alone, acting as this session's person. */
    public Client member(String clientUrl) {
        checkStillAllowed();
        synchronized (this) {
            requireSignedIn();
            return members.computeIfAbsent(clientUrl, url -> access.connect(List.of(url), user, password));
        }
    }

    /** Closes the clients of members no longer in {@code clientUrls}. */
    public synchronized void keepMembers(List<String> clientUrls) {
        members.entrySet().removeIf(e -> {
            if (clientUrls.contains(e.getKey())) {
                return false;
            }
            e.getValue().close();
            return true;
        });
    }

    private void requireSignedIn() {
        if (client == null) {
            throw new IllegalStateException("Signed out: sign in again");
        }
    }

    /**
     * An open session ends once auth is on. The question goes to the cluster outside the lock,
     * so a slow cluster does not hold up the session's other threads.
     */
    private void checkStillAllowed() {
        synchronized (this) {
            requireSignedIn();
            if (!open || System.currentTimeMillis() - authCheckedAt <= AUTH_RECHECK_MILLIS) {
                return;
            }
            authCheckedAt = System.currentTimeMillis();
        }
        boolean authOn;
        try {
            authOn = access.authEnabled();
        } catch (RuntimeException unreachable) {
            authOn = false; // the call itself will fail and say why
        }
        synchronized (this) {
            if (authOn && open) { // still open: not signed in meanwhile
                signOut();
                throw new IllegalStateException("Auth has been switched on: sign in to go on");
            }
        }
    }

    @PreDestroy
    public synchronized void signOut() {
        if (client != null && !open) {
            client.close();
        }
        members.values().forEach(Client::close);
        members.clear();
        client = null;
        user = null;
        password = null;
        open = false;
    }
}
