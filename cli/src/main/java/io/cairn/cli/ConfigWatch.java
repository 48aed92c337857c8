package io.cairn.cli;

import io.cairn.client.CairnException;
import io.cairn.client.Client;
import io.cairn.client.ConfigSubscription;
import io.cairn.client.config.Config;
import io.cairn.client.config.ConfigListener;
import io.cairn.client.config.ConfigSelection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code cairnctl config watch}: every version of the configs named (or of a group, or of the
 * whole namespace), as {@code cairnctl watch} prints events: what made the version (PUBLISHED,
 * DELETED, ROLLED_BACK, IMPORTED, GRAY_PROMOTED), the config's line, its content.
 */
@Command(name = "watch", description = {"Watches configs: prints the current version of each, then every new one, "
        + "until interrupted.",
        "The configs NAME... of the group, else every config of -g GROUP, else every config of the namespace. Prints, "
                + "for each version: what made it, its line (group/dataId, version, FORMAT), its content."})
final class ConfigWatch extends ConfigCommands.WithGroup {
    @Parameters(arity = "0..*", paramLabel = "NAME", description = "the data ids")
    List<String> names = List.of();

    /** Completes with an exit code when the listen is refused. */
    private final CompletableFuture<Integer> ended = new CompletableFuture<>();

    @Override
    int run(Client client) throws Exception {
        try (ConfigSubscription s = client.config().listen(selection(), new ConfigListener() {
            @Override
            public void onConfig(Config c) {
                if (json()) {
                    out().println(ConfigJson.config(c));
                } else {
                    out().print(c.change() + "\n" + ConfigCommands.line(c) + "\n" + ConfigCommands.content(c.content()));
                }
            }

            @Override
            public void onStale(boolean stale) {
                tellStale(stale);
            }

            @Override
            public void onError(CairnException error) {
                refused(error, ended);
            }
        })) {
            return ended.get();
        }
    }

    private ConfigSelection selection() {
        if (!names.isEmpty()) {
            return ConfigSelection.configs(names.stream().map(this::key).toList());
        }
        return group == null ? ConfigSelection.namespace(namespace) : ConfigSelection.group(namespace, group);
    }
}
