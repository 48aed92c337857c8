package io.cairn.client.discovery;

/**
 * A service: its name within a namespace (an environment or a tenant). Namespaces are isolated:
 * the same service name in two namespaces is two services.
 *
 * @param namespace 1 to 200 of A-Z a-z 0-9 . _ - : @ #
 * @param service   the same rules
 */
public record ServiceKey(String namespace, String service) {
    /** The namespace used when none is given. */
    public static final String DEFAULT_NAMESPACE = "default";

    /** @throws IllegalArgumentException for an empty name, or one with other characters or longer than 200 */
    public ServiceKey {
        Names.check("namespace", namespace);
        Names.check("service", service);
    }

    /**
     * {@code namespace}, checked as a ServiceKey checks it, for calls that name a namespace alone.
     *
     * @throws IllegalArgumentException for an empty name, or one with other characters or longer than 200
     */
    public static String checkNamespace(String namespace) {
        return Names.check("namespace", namespace);
    }

    /** {@code service} in the {@value #DEFAULT_NAMESPACE} namespace. */
    public static ServiceKey of(String service) {
        return new ServiceKey(DEFAULT_NAMESPACE, service);
    }

    @Override
    public String toString() {
        return namespace + "/" + service;
    }
}
