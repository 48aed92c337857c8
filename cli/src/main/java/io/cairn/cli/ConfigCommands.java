package io.cairn.cli;

import io.cairn.client.Client;
import io.cairn.client.config.Config;
import io.cairn.client.config.ConfigDiff;
import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.Secrets;
import io.cairn.client.config.ConfigPage;
import io.cairn.client.config.ConfigQuery;
import io.cairn.client.config.Expect;
import io.cairn.client.config.Format;
import io.cairn.client.config.Publish;
import io.cairn.client.config.Rollout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairnctl config}: the config center, as a Nacos or Apollo operator would use it. A
 * config is named by its data id (NAME), in a group ({@code -g}, DEFAULT_GROUP) of a namespace
 * ({@code -n}, default). Simple output is etcdctl's: a config's line is
 * {@code group/dataId, version, FORMAT}, and {@code get} prints it as etcdctl prints a key,
 * followed by the content; {@code -w json} prints the records (see {@link ConfigJson}).
 */
@Command(name = "config", description = "Config center: namespaces, publish, read, history, rollback, watch, gray releases, audit, rollout status, drafts for review.",
        subcommands = {ConfigAdmin.NamespaceCommands.class, ConfigCommands.Get.class, ConfigCommands.Put.class,
                ConfigCommands.ListConfigs.class, ConfigCommands.History.class, ConfigCommands.Diff.class,
                ConfigCommands.Rollback.class, ConfigCommands.Delete.class, ConfigWatch.class, ConfigAdmin.Schema.class,
                ConfigGray.class, ConfigAdmin.Export.class, ConfigAdmin.Import.class, ConfigAdmin.Audit.class,
                ConfigAdmin.Grant.class, ConfigStatus.class, ConfigDrafts.class, ConfigAdmin.RotateSecrets.class})
final class ConfigCommands {
    private ConfigCommands() {
    }

    /**
     * What every config command shares: bad input (a name the config center refuses, a flag
     * that makes no sense, a file that cannot be read) ends the command as a bad argument.
     */
    abstract static class ConfigBase extends Base.Checked {
        /** A file's content as UTF-8; a missing file is a bad argument. */
        static String read(Path file) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + file + ": "
                        + (e instanceof NoSuchFileException ? "no such file" : e.getMessage()), e);
            }
        }
    }

    /** A command in one namespace. */
    abstract static class InNamespace extends ConfigBase {
        @Option(names = {"-n", "--namespace"}, defaultValue = ConfigKey.DEFAULT_NAMESPACE,
                description = "the namespace (default: ${DEFAULT-VALUE})")
        String namespace;
    }

    /**
     * A command that may take a group: absent, it means DEFAULT_GROUP for a config named, and
     * every group where none is (list, watch).
     */
    abstract static class WithGroup extends InNamespace {
        @Option(names = {"-g", "--group"}, description = "the group (default: " + ConfigKey.DEFAULT_GROUP + ")")
        String group;

        ConfigKey key(String dataId) {
            return new ConfigKey(namespace, group == null ? ConfigKey.DEFAULT_GROUP : group, dataId);
        }
    }

    /** A command about one config, named first. */
    abstract static class OfConfig extends WithGroup {
        @Parameters(index = "0", paramLabel = "NAME", description = "the config's data id")
        String name;

        ConfigKey key() {
            return key(name);
        }
    }

    /** A change to one config, with a comment. */
    abstract static class Commented extends OfConfig {
        @Option(names = "--comment", defaultValue = "", description = "kept in the audit record (and with the version it makes)")
        String comment;
    }

    /** A change that can be made conditional on the current version. */
    abstract static class Change extends Commented {
        @Option(names = "--expect-version", description = "only if this is the current version (a compare-and-set)")
        Long expectVersion;

        Expect expect() {
            return expectVersion == null ? Expect.ANY : Expect.version(expectVersion);
        }
    }

    /** {@code group/dataId, version, FORMAT}, and ", gray" for a gray release's candidate. */
    static String line(Config c) {
        return c.key().group() + "/" + c.key().dataId() + ", " + c.version() + ", " + c.format() + (c.gray() ? ", gray" : "");
    }

    /** An empty field of a line as "-". */
    static String orDash(String field) {
        return field.isEmpty() ? "-" : field;
    }

    /** Content as it is, ended by one newline (a delete's empty content is an empty line, as etcdctl prints an empty value). */
    static String content(String content) {
        return content.endsWith("\n") ? content : content + "\n";
    }

    private static final List<Format> FORMATS = List.of(Format.values());
    private static final List<String> FORMAT_NAMES = FORMATS.stream().map(f -> f.name().toLowerCase(Locale.ROOT)).toList();

    /**
     * --format in any case (yml too); else the format a file name's extension says (.properties,
     * .yaml/.yml, .json, .xml); else null: the config's current format, or TEXT for a new one.
     */
    static Format format(String option, String... names) {
        if (option != null) {
            return Base.Checked.word("format", option.equalsIgnoreCase("yml") ? "yaml" : option, FORMAT_NAMES, FORMATS);
        }
        for (String n : names) {
            Format f = n == null ? Format.TEXT : Format.fromFileName(n);
            if (f != Format.TEXT) {
                return f;
            }
        }
        return null;
    }

    @Command(name = "get", description = {"Prints a config: its line (group/dataId, version, FORMAT), then its content.",
            "The current version, or --version N while history keeps it."})
    static final class Get extends OfConfig {
        @Option(names = "--version", description = "a past version")
        Long version;

        @Option(names = "--print-value-only", description = "only the content")
        boolean valueOnly;

        @Override
        int run(Client client) {
            Config c = await(version == null ? client.config().get(key()) : client.config().get(key(), version));
            if (json()) {
                printJson(ConfigJson.config(c));
                return 0;
            }
            if (!valueOnly) {
                out().println(line(c));
            }
            out().print(content(c.content()));
            if (c.masked()) {
                root().err.println("secret values are masked (" + Secrets.MASK + "): this user may not reveal them in namespace "
                        + c.key().namespace() + " (cairnctl config grant ROLE " + c.key().namespace() + " reveal)");
            }
            return 0;
        }
    }

    @Command(name = "put", description = {"Publishes a config: the content of --file, else VALUE, else standard input.",
            "The format is --format, else the file's extension, else the data id's, else the config's current one "
                    + "(TEXT for a new config). Returns once the version is committed and prints its line."})
    static final class Put extends Change {
        @Parameters(index = "1", arity = "0..1", paramLabel = "VALUE", description = "the content (else --file or stdin)")
        String value;

        @Option(names = "--file", description = "read the content from this file")
        Path file;

        @Option(names = "--format", description = "text, properties, yaml, json or xml")
        String format;

        @Option(names = "--create", description = "only if the config does not exist (never published, or deleted)")
        boolean create;

        @Option(names = "--wait-applied", paramLabel = "DURATION", description = "then wait (up to DURATION, such as 30s) "
                + "until every running client applied the version; fails when one failed to, or on the timeout")
        String waitApplied;

        @Option(names = "--secret-keys", split = ",", paramLabel = "KEY", description = "the values of these keys "
                + "(properties) or paths (yaml, json: db.password, servers[0].token) are secret from this version on")
        List<String> secretKeys;

        @Option(names = "--secret", description = "the whole content is secret from this version on")
        boolean secret;

        @Option(names = "--no-secrets", description = "nothing is secret from this version on (without any of these "
                + "three, what was secret stays so; a value left as ****** keeps the secret it hides)")
        boolean noSecrets;

        @Override
        int run(Client client) throws IOException {
            if (file != null && value != null) {
                throw new IllegalArgumentException("give the content as VALUE or --file, not both");
            }
            if (create && expectVersion != null) {
                throw new IllegalArgumentException("give --create or --expect-version, not both");
            }
            String content = file != null ? read(file) : value != null ? value
                    : new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            Publish.Builder p = Publish.builder(key(), content).expect(create ? Expect.absent() : expect()).comment(comment);
            if ((secretKeys != null ? 1 : 0) + (secret ? 1 : 0) + (noSecrets ? 1 : 0) > 1) {
                throw new IllegalArgumentException("give one of --secret-keys, --secret and --no-secrets");
            }
            if (secretKeys != null) {
                p.secrets(new Secrets(false, secretKeys));
            } else if (secret) {
                p.secrets(Secrets.wholeContent());
            } else if (noSecrets) {
                p.secrets(Secrets.none());
            }
            Format f = format(format, file == null ? null : file.getFileName().toString(), name);
            if (f != null) {
                p.format(f);
            }
            Duration wait = waitApplied == null ? null : Cairnctl.duration(waitApplied);
            Config c = ConfigDrafts.publishedOrDraft(this, client.config().publish(p.build()));
            if (c == null && wait != null) {
                root().err.println("Error: a draft awaits review: nothing was published to wait for");
                return Cairnctl.EXIT_ERROR;
            }
            if (c == null) {
                return 0;
            }
            out().println(json() ? ConfigJson.config(c) : line(c));
            if (wait != null) {
                Rollout r = await(client.config().awaitApplied(key(), c.version(), wait));
                if (!json()) {
                    out().println("applied by " + r.receipts().size() + " instances");
                }
            }
            return 0;
        }
    }

    @Command(name = "list", description = {"Lists a namespace's configs (of every group unless -g), filtered.",
            "Prints one line per config: group/dataId, version, FORMAT."})
    static final class ListConfigs extends WithGroup {
        @Option(names = "--data-id", description = "data ids matching this; * matches any run of characters")
        String dataId = "";

        @Option(names = "--contains", description = "only configs whose content contains this")
        String contains = "";

        @Override
        int run(Client client) {
            ConfigQuery q = ConfigQuery.builder(namespace).group(group == null ? "" : group).dataIdPattern(dataId)
                    .contentContains(contains).build();
            List<Config> found = await(client.config().listAll(q));
            if (json()) {
                printJson(new JsonRecord().string("namespace", namespace).array("configs", found, ConfigJson::config).end());
                return 0;
            }
            found.forEach(c -> out().println(line(c)));
            return 0;
        }
    }

    @Command(name = "history", description = {"Lists a config's versions, newest first.",
            "Prints one line per version: version, CHANGE, FORMAT, time, author (- with auth off), comment."})
    static final class History extends OfConfig {
        @Override
        int run(Client client) {
            List<Config> versions = new ArrayList<>();
            String token = "";
            do {
                ConfigPage page = await(client.config().history(key(), 0, token));
                versions.addAll(page.configs());
                token = page.nextPageToken();
            } while (!token.isEmpty());
            if (json()) {
                printJson(new JsonRecord().array("versions", versions, ConfigJson::config).end());
                return 0;
            }
            for (Config v : versions) {
                out().println(String.join(", ", Long.toString(v.version()), v.change().name(), v.format().name(),
                        v.time().toString(), orDash(v.author()), orDash(v.comment())));
            }
            return 0;
        }
    }

    @Command(name = "diff", description = "Prints a unified diff between two versions (to the current one unless TO).")
    static final class Diff extends OfConfig {
        @Parameters(index = "1", paramLabel = "FROM", description = "the older version")
        long from;

        @Parameters(index = "2", arity = "0..1", paramLabel = "TO", description = "the newer version (default: the current one)")
        long to;

        @Override
        int run(Client client) {
            ConfigDiff d = await(client.config().diff(key(), from, to));
            if (json()) {
                printJson(new JsonRecord().number("fromVersion", d.fromVersion()).number("toVersion", d.toVersion())
                        .string("unifiedDiff", d.unifiedDiff()).end());
            } else if (!d.unifiedDiff().isEmpty()) {
                out().print(content(d.unifiedDiff()));
            }
            return 0;
        }
    }

    @Command(name = "rollback", description = "Publishes a past version's content and format again, as a new version; prints its line.")
    static final class Rollback extends Change {
        @Parameters(index = "1", paramLabel = "VERSION", description = "the version to go back to")
        long version;

        @Override
        int run(Client client) {
            Config c = ConfigDrafts.publishedOrDraft(this, client.config().rollback(key(), version, expect(), comment));
            if (c != null) {
                out().println(json() ? ConfigJson.config(c) : line(c));
            }
            return 0;
        }
    }

    @Command(name = "delete", description = "Deletes a config: a new version with no content, kept in history; prints its line.")
    static final class Delete extends Change {
        @Override
        int run(Client client) {
            Config c = ConfigDrafts.publishedOrDraft(this, client.config().delete(key(), expect(), comment));
            if (c != null) {
                out().println(json() ? ConfigJson.config(c) : line(c));
            }
            return 0;
        }
    }
}
