package io.cairn.server.node;

import io.cairn.server.auth.JwtTokens;
import io.cairn.server.auth.SimpleTokens;
import io.cairn.server.auth.Tokens;
import io.cairn.server.time.WallClock;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a member authenticates, from etcd's flags.
 *
 * @param authToken        {@code simple}, or {@code jwt,pub-key=...,priv-key=...,sign-method=...,ttl=...}
 * @param tokenTtlSeconds  how long an unused simple token lives
 * @param bcryptCost       the cost of new password hashes
 */
public record AuthConfig(String authToken, long tokenTtlSeconds, int bcryptCost) {
    public static final AuthConfig DEFAULTS = new AuthConfig("simple", 300, 10);

    public AuthConfig {
        if (!authToken.equals("simple") && !authToken.startsWith("jwt,")) {
            throw new IllegalArgumentException("--auth-token must be simple or jwt,<options>, got " + authToken);
        }
        if (tokenTtlSeconds <= 0) {
            throw new IllegalArgumentException("--auth-token-ttl must be positive");
        }
        if (bcryptCost < 4 || bcryptCost > 31) {
            throw new IllegalArgumentException("--bcrypt-cost must be between 4 and 31, got " + bcryptCost);
        }
    }

    Tokens tokens() throws IOException {
        if (authToken.equals("simple")) {
            return new SimpleTokens(tokenTtlSeconds, System::nanoTime);
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (String part : authToken.substring(4).split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--auth-token option \"" + part + "\" is not name=value");
            }
            options.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return JwtTokens.fromOptions(options, WallClock::nowMs);
    }
}
