package io.cairn.client.config;

/**
 * A config's name: its namespace (an environment or a tenant), its group and its data id. Each
 * is 1 to 128 of A-Z a-z 0-9 . _ - : (no slash), so that each is one segment of a key.
 */
public record ConfigKey(String namespace, String group, String dataId) {
    /** The namespace used when none is given; it always exists. */
    public static final String DEFAULT_NAMESPACE = "default";
    /** The group used when none is given. */
    public static final String DEFAULT_GROUP = "DEFAULT_GROUP";
    private static final int MAX_NAME = 128;

    /** @throws IllegalArgumentException for a name that is empty, too long or has other characters */
    public ConfigKey {
        checkName("namespace", namespace);
        checkName("group", group);
        checkName("data id", dataId);
    }

    /** {@code dataId} in the default group of the default namespace. */
    public static ConfigKey of(String dataId) {
        return new ConfigKey(DEFAULT_NAMESPACE, DEFAULT_GROUP, dataId);
    }

    /** {@code dataId} in {@code group} of the default namespace. */
    public static ConfigKey of(String group, String dataId) {
        return new ConfigKey(DEFAULT_NAMESPACE, group, dataId);
    }

    /**
     * Checks a namespace, group or data id.
     *
     * @param what what the name is, for the message: "namespace", "group" ...
     * @return the name
     * @throws IllegalArgumentException for a name that is empty, too long or has other characters
     */
    public static String checkName(String what, String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME) {
            throw new IllegalArgumentException("a " + what + " is 1 to " + MAX_NAME + " characters: " + quoted(name));
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-' || c == ':';
            if (!ok) {
                throw new IllegalArgumentException("a " + what + " is made of A-Z a-z 0-9 . _ - : only: " + quoted(name));
            }
        }
        return name;
    }

    private static String quoted(String name) {
        return name == null ? "null" : "\"" + name + "\"";
    }

    @Override
    public String toString() {
        return namespace + "/" + group + "/" + dataId;
    }
}
