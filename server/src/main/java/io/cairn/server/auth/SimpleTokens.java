package io.cairn.server.auth;

import io.cairn.server.errors.ServerError;
import java.security.SecureRandom;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * etcd's simple tokens: random strings that each member keeps in memory with a time to live,
 * renewed by every use. They do not survive a restart; clients then authenticate again.
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
        StringBuilder token = new StringBuilder(LENGTH + 20);
        for (int i = 0; i < LENGTH; i++) {
            token.append(LETTERS[random.nextInt(LETTERS.length)]);
        }
        return token.append('.').append(Long.toUnsignedString(random.nextLong() >>> 1, 36)).toString();
    }

    @Override
    public void register(String user, String token) {
        tokens.put(token, new Entry(user, clock.getAsLong() + ttlNanos));
        if (++sinceSweep >= 1024) {
            sinceSweep = 0;
            long now = clock.getAsLong();
            tokens.values().removeIf(e -> e.expiresAtNanos() - now < 0);
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
