package io.cairn.server.auth;

import io.cairn.server.errors.ServerError;
import java.security.SecureRandom;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * etcd's simple tokens: a random string and the raft index that issued it ({@code
 * "fQgkPXtYmTvoJnAb.42"}), which each member keeps in memory with a time to live, renewed by
 * every use. The index tells a member that does not know a token yet whether it is behind.
 * They do not survive a restart; clients then authenticate again.
 */
public final class SimpleTokens implements Tokens {
    private static final char[] LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();
    private static final int LENGTH = 16;

    private record Entry(String user, long expiresAtNanos) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Entry> tokens = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final LongSupplier clock;
    private int sinceSweep;

    public SimpleTokens(long ttlSeconds, LongSupplier nanoClock) {
        this.ttlNanos = ttlSeconds * 1_000_000_000L;
        this.clock = nanoClock;
    }

    @Override
    public boolean issuedThroughRaft() {
        return true;
    }

    @Override
    public String issue(String user, long authRevision) {
        StringBuilder token = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            token.append(LETTERS[random.nextInt(LETTERS.length)]);
        }
        return token.toString();
    }

    @Override
    public String register(String user, String proposed, long raftIndex) {
        String token = proposed + "." + raftIndex;
        tokens.put(token, new Entry(user, clock.getAsLong() + ttlNanos));
        if (++sinceSweep >= 1024) {
            sinceSweep = 0;
            long now = clock.getAsLong();
            tokens.values().removeIf(e -> e.expiresAtNanos() - now < 0);
        }
        return token;
    }

    @Override
    public long issuingIndex(String token) {
        int dot = token.lastIndexOf('.');
        if (dot < 0 || dot == token.length() - 1 || token.length() - dot > 20) {
            return 0;
        }
        for (int i = dot + 1; i < token.length(); i++) {
            if (token.charAt(i) < '0' || token.charAt(i) > '9') {
                return 0;
            }
        }
        try {
            return Long.parseLong(token, dot + 1, token.length(), 10);
        } catch (NumberFormatException e) {
            return 0; // more than a raft index can be: not one of ours
        }
    }

    @Override
    public void invalidate(String user) {
        for (Iterator<Entry> it = tokens.values().iterator(); it.hasNext(); ) {
            if (it.next().user().equals(user)) {
                it.remove();
            }
        }
    }

    @Override
    public String resolve(String token, long authRevision) {
        long now = clock.getAsLong();
        Entry entry = tokens.get(token);
        if (entry == null || entry.expiresAtNanos() - now < 0) {
            if (entry != null) {
                tokens.remove(token, entry);
            }
            throw ServerError.INVALID_AUTH_TOKEN.exception();
        }
        tokens.replace(token, entry, new Entry(entry.user(), now + ttlNanos));
        return entry.user();
    }
}
