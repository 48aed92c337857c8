/**
 * The config center's vocabulary: a config's name ({@link io.cairn.client.config.ConfigKey}:
 * namespace, group, data id), a version of it ({@link io.cairn.client.config.Config}), how to
 * publish one ({@link io.cairn.client.config.Publish} with an {@link io.cairn.client.config.Expect}),
 * list and search ({@link io.cairn.client.config.ConfigQuery}), what to listen to
 * ({@link io.cairn.client.config.ConfigSelection}) and what a listener is told
 * ({@link io.cairn.client.config.ConfigListener}), gray releases
 * ({@link io.cairn.client.config.GrayRules}), audit records, the content read as flat keys and
 * values ({@link io.cairn.client.config.ConfigValues}), and the permissions a role needs on a
 * namespace ({@link io.cairn.client.config.ConfigAccess}).
 *
 * <p>The calls themselves are on {@link io.cairn.client.Configs}, from {@code client.config()}:
 *
 * <pre>{@code
 * try (Client client = Client.builder().endpoints("http://127.0.0.1:2379")
 *         .labels(Map.of("zone", "eu-1")).configSnapshots(Path.of("/var/lib/orders/config")).build()) {
 *     ConfigKey key = ConfigKey.of("orders.yaml");
 *     client.config().sync().publish(Publish.builder(key, "db:\n  pool: 40\n").format(Format.YAML).build());
 *
 *     // kept current, and served from the snapshot file when the cluster is down at start
 *     try (ConfigView orders = client.config().sync().view(key)) {
 *         int pool = orders.getInt("db.pool", 10);
 *     }
 * }
 * }</pre>
 */
package io.cairn.client.config;
