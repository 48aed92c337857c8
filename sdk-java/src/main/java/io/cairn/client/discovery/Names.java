package io.cairn.client.discovery;

import java.util.regex.Pattern;

/**
 * The registry's rules for names and numbers, checked before a call is sent so that a mistake
 * fails where it was made. The server checks the same and stays the authority.
 */
final class Names {
    /** Namespaces, services and instance ids are segments of a registry key: safe in keys and URLs. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:@#-]{1,200}");
    static final int MAX_WEIGHT = 10_000;

    private Names() {
    }

    /** {@code name}, or an IllegalArgumentException that says which name is wrong and why. */
    static String check(String what, String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        if (!NAME.matcher(name).matches()) {
            String shown = name.length() <= 40 ? name : name.substring(0, 40) + "…";
            throw new IllegalArgumentException(what + " \"" + shown + "\" must be 1 to 200 of A-Z a-z 0-9 . _ - : @ #");
        }
        return name;
    }

    static int checkPort(int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is out of range (1 to 65535)");
        }
        return port;
    }

    static int checkWeight(int weight) {
        if (weight < 0 || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("weight " + weight + " is out of range (0 to " + MAX_WEIGHT + ")");
        }
        return weight;
    }

    static String checkPresent(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        return value;
    }
}
