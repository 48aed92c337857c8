package io.cairn.cli;

import io.cairn.client.Client;
import io.cairn.client.Header;
import io.cairn.client.config.Config;
import io.cairn.client.config.Format;
import io.cairn.client.config.GrayRelease;
import io.cairn.client.config.GrayRules;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairnctl config gray}: a candidate served beside the current version to the clients its
 * rules match (clients carrying the labels, at the addresses, or in the percentage), then
 * promoted to all or aborted. A release's line is
 * {@code group/dataId, base VERSION, FORMAT, {labels}, [addresses], PERCENT%}.
 */
@Command(name = "gray", description = "Gray releases: start, get, promote, abort.",
        subcommands = {ConfigGray.Start.class, ConfigGray.Get.class, ConfigGray.Promote.class, ConfigGray.Abort.class})
final class ConfigGray {
    private ConfigGray() {
    }

    static String line(GrayRelease g) {
        GrayRules r = g.rules();
        return String.join(", ", g.key().group() + "/" + g.key().dataId(), "base " + g.baseVersion(), g.format().name(),
                new TreeMap<>(r.labels()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(" ", "{", "}")),
                "[" + String.join(" ", r.addresses()) + "]", r.percent() + "%");
    }

    @Command(name = "start", description = {"Starts a gray release of --file's content to the clients the rules match "
            + "(any of them): --label k=v (all of them), --address, --percent.",
            "The format is --format, else the file's extension, else the config's. Prints the release's line."})
    static final class Start extends ConfigCommands.Commented {
        @Option(names = "--file", required = true, description = "the candidate")
        Path file;

        @Option(names = "--format", description = "text, properties, yaml, json or xml")
        String format;

        @Option(names = "--label", description = "clients carrying this label, key=value (repeatable: all of them)")
        Map<String, String> labels = Map.of();

        @Option(names = "--address", description = "clients at this address or in this CIDR block (repeatable)")
        List<String> addresses = List.of();

        @Option(names = "--percent", defaultValue = "0", description = "this share of clients, 1 to 100, by a stable hash of their ids")
        int percent;

        @Override
        int run(Client client) {
            GrayRules rules = new GrayRules(labels, addresses, percent);
            if (rules.labels().isEmpty() && rules.addresses().isEmpty() && percent == 0) {
                throw new IllegalArgumentException("a gray release needs a rule: --label, --address or --percent");
            }
            Format f = ConfigCommands.format(format, file.getFileName().toString());
            GrayRelease g = await(client.config().startGray(key(), read(file), f, rules, comment));
            out().println(json() ? ConfigJson.gray(g) : line(g));
            return 0;
        }
    }

    @Command(name = "get", description = "Prints the gray release under way: its line, then the candidate (nothing when there is none).")
    static final class Get extends ConfigCommands.OfConfig {
        @Override
        int run(Client client) {
            Optional<GrayRelease> g = await(client.config().getGray(key()));
            if (json()) {
                g.ifPresent(r -> printJson(ConfigJson.gray(r)));
            } else if (g.isPresent()) {
                out().println(line(g.get()));
                out().print(ConfigCommands.content(g.get().content()));
            }
            return 0;
        }
    }

    @Command(name = "promote", description = "Publishes the candidate to all, as a new version, and ends the release; prints its line.")
    static final class Promote extends ConfigCommands.Commented {
        @Override
        int run(Client client) {
            Config c = await(client.config().promoteGray(key(), comment));
            out().println(json() ? ConfigJson.config(c) : ConfigCommands.line(c));
            return 0;
        }
    }

    @Command(name = "abort", description = "Ends the gray release; its clients go back to the current version.")
    static final class Abort extends ConfigCommands.Commented {
        @Override
        int run(Client client) {
            Header h = await(client.config().abortGray(key(), comment));
            if (json()) {
                printJson(new JsonRecord().header(h).end());
            } else {
                out().printf("gray release of %s aborted%n", key().group() + "/" + key().dataId());
            }
            return 0;
        }
    }
}
