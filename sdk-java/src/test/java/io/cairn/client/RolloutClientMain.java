package io.cairn.client;

import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.ConfigSelection;

/**
 * A client process that listens to one config and does nothing else, for tests that kill it:
 * prints READY once its listener has the current version, then runs until killed.
 *
 * <p>Arguments: endpoint, namespace, group, data id, client id.
 */
public final class RolloutClientMain {
    private RolloutClientMain() {
    }

    public static void main(String[] args) throws Exception {
        ConfigKey key = new ConfigKey(args[1], args[2], args[3]);
        try (Client client = Client.builder().endpoints(args[0]).clientId(args[4]).build()) {
            client.config().sync().listen(ConfigSelection.configs(key), config -> { });
            System.out.println("READY");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
