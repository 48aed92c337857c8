package io.cairn.cli;

import io.cairn.client.Client;
import io.cairn.client.Header;
import io.cairn.client.config.AuditPage;
import io.cairn.client.config.AuditQuery;
import io.cairn.client.config.AuditRecord;
import io.cairn.client.config.ConfigAccess;
import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.ImportPolicy;
import io.cairn.client.config.ImportResult;
import io.cairn.client.config.Namespace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairnctl config} commands about whole namespaces and who may do what: namespaces,
 * schemas, export and import, audit, and granting a role access to a namespace.
 */
final class ConfigAdmin {
    private ConfigAdmin() {
    }

    @Command(name = "namespace", description = "Namespaces (an environment or a tenant): create, list, describe, review, delete.",
            subcommands = {NamespaceCommands.Create.class, NamespaceCommands.ListNamespaces.class,
                    NamespaceCommands.Describe.class, NamespaceCommands.Review.class, NamespaceCommands.DeleteNamespace.class})
    static final class NamespaceCommands {
        /**
         * {@code name, configs, description}; the built-in "default" says so when it has no
         * description, and one that requires review ends with ", review required".
         */
        static String line(Namespace n) {
            return String.join(", ", n.name(), Integer.toString(n.configs()),
                    n.description().isEmpty() && n.builtin() ? "(built in)" : n.description())
                    + (n.reviewRequired() ? ", review required" : "");
        }

        /** A command about one namespace, named first. */
        abstract static class OfNamespace extends ConfigCommands.ConfigBase {
            @Parameters(index = "0", paramLabel = "NAMESPACE", description = "the namespace")
            String name;
        }

        @Command(name = "create", description = "Creates a namespace.")
        static final class Create extends OfNamespace {
            @Option(names = "--description", defaultValue = "", description = "what it is for")
            String description;

            @Option(names = "--require-review", description = "publishes, deletes and rollbacks become drafts a reviewer approves")
            boolean requireReview;

            @Override
            int run(Client client) {
                Namespace n = await(client.config().createNamespace(name, description, requireReview));
                out().println(json() ? ConfigJson.namespace(n) : "Namespace " + n.name() + " created");
                return 0;
            }
        }

        @Command(name = "list", description = {"Lists the namespaces.", "Prints one line per namespace: name, configs, description."})
        static final class ListNamespaces extends ConfigCommands.ConfigBase {
            @Override
            int run(Client client) {
                List<Namespace> all = await(client.config().listNamespaces());
                if (json()) {
                    printJson(new JsonRecord().array("namespaces", all, ConfigJson::namespace).end());
                } else {
                    all.forEach(n -> out().println(line(n)));
                }
                return 0;
            }
        }

        @Command(name = "describe", description = {"Prints a namespace: name, configs, description, then when it was created."})
        static final class Describe extends OfNamespace {
            @Override
            int run(Client client) {
                Namespace n = await(client.config().describeNamespace(name));
                out().println(json() ? ConfigJson.namespace(n) : line(n) + ", " + n.created());
                return 0;
            }
        }

        @Command(name = "review", description = {"Turns review on or off (root only; not for the default namespace).",
                "On, publishes, deletes and rollbacks become drafts that a reviewer other than their author approves "
                        + "(config draft); drafts made while it was on stay."})
        static final class Review extends OfNamespace {
            @Parameters(index = "1", paramLabel = "on|off", description = "on or off")
            String state;

            @Override
            int run(Client client) {
                boolean on = word("state", state, List.of("on", "off"), List.of(true, false));
                Namespace n = await(client.config().setReviewRequired(name, on));
                out().println(json() ? ConfigJson.namespace(n) : "Namespace " + n.name() + (on ? " requires review" : " does not require review"));
                return 0;
            }
        }

        @Command(name = "delete", description = "Deletes a namespace that holds no configs; its history goes, its audit stays.")
        static final class DeleteNamespace extends OfNamespace {
            @Override
            int run(Client client) {
                Header h = await(client.config().deleteNamespace(name));
                out().println(json() ? new JsonRecord().header(h).end() : "Namespace " + name + " deleted");
                return 0;
            }
        }
    }

    @Command(name = "schema", description = {"Attaches a JSON Schema to a YAML or JSON config (--file), or removes it (--clear).",
            "The current content must satisfy it; every later publish is checked against it."})
    static final class Schema extends ConfigCommands.OfConfig {
        @Option(names = "--file", description = "the JSON Schema (draft 2020-12 unless it says otherwise)")
        Path file;

        @Option(names = "--clear", description = "remove the schema")
        boolean clear;

        @Override
        int run(Client client) {
            if (clear == (file != null)) {
                throw new IllegalArgumentException("give --file SCHEMA or --clear");
            }
            Header h = await(client.config().setSchema(key(), clear ? "" : read(file)));
            String name = key().group() + "/" + key().dataId();
            out().println(json() ? new JsonRecord().header(h).end()
                    : clear ? "Schema of " + name + " removed" : "Schema of " + name + " set");
            return 0;
        }
    }

    @Command(name = "export", description = "Prints a namespace as one JSON document (every config with its format, "
            + "version and schema), or writes it to --output.")
    static final class Export extends ConfigCommands.InNamespace {
        @Option(names = "--output", description = "write the document to this file")
        Path output;

        @Override
        int run(Client client) throws IOException {
            String document = await(client.config().exportNamespace(namespace));
            if (output == null) {
                out().print(ConfigCommands.content(document));
            } else {
                Files.writeString(output, document, StandardCharsets.UTF_8);
                out().printf("Namespace %s exported to %s%n", namespace, output);
            }
            return 0;
        }
    }

    @Command(name = "import", description = {"Imports an exported document into the namespace -n (which must exist), "
            + "as one change.", "--policy says what happens to configs that exist already: abort (nothing is imported), "
            + "skip them, or overwrite them with a new version. Prints what was created, updated and skipped."})
    static final class Import extends ConfigCommands.InNamespace {
        @Parameters(index = "0", paramLabel = "FILE", description = "the document, as export writes it")
        Path file;

        @Option(names = "--policy", defaultValue = "abort", description = "abort, skip or overwrite (default: ${DEFAULT-VALUE})")
        String policy;

        @Option(names = "--comment", defaultValue = "", description = "kept with the versions and in the audit record")
        String comment;

        @Override
        int run(Client client) {
            ImportPolicy p = word("policy", policy, List.of("abort", "skip", "overwrite"),
                    List.of(ImportPolicy.ABORT_ON_CONFLICT, ImportPolicy.SKIP_EXISTING, ImportPolicy.OVERWRITE));
            ImportResult r = await(client.config().importNamespace(namespace, read(file), p, comment));
            out().println(json() ? new JsonRecord().number("created", r.created()).number("updated", r.updated())
                    .number("skipped", r.skipped()).end()
                    : String.format("Imported into %s: %d created, %d updated, %d skipped", namespace, r.created(),
                    r.updated(), r.skipped()));
            return 0;
        }
    }

    @Command(name = "audit", description = {"Lists who changed what in a namespace, newest first.",
            "Prints one line per change: time, user (- with auth off), client address, action, config (- for the "
                    + "namespace itself), old version -> new version, comment, and \"approved by REVIEWER\" for a reviewed change.",
            "--since and --until take a time (2026-05-01T10:00:00Z), a day (2026-05-01, UTC) or a time ago (90s, 30m, 2h)."})
    static final class Audit extends ConfigCommands.InNamespace {
        /** Not --user, which is cairnctl's (and etcdctl's) flag for who runs the command. */
        @Option(names = "--by", paramLabel = "USER", description = "only the changes this user made")
        String by = "";

        @Option(names = "--since", description = "only changes at or after this time")
        String since;

        @Option(names = "--until", description = "only changes before this time")
        String until;

        @Override
        int run(Client client) {
            AuditQuery.Builder q = AuditQuery.builder(namespace).user(by);
            if (since != null) {
                q.since(time(since));
            }
            if (until != null) {
                q.until(time(until));
            }
            List<AuditRecord> records = new ArrayList<>();
            AuditQuery query = q.build();
            do {
                AuditPage page = await(client.config().audit(query));
                records.addAll(page.records());
                query = query.page(page.nextPageToken());
            } while (!query.pageToken().isEmpty());
            if (json()) {
                printJson(new JsonRecord().string("namespace", namespace).array("records", records, ConfigJson::audit).end());
                return 0;
            }
            for (AuditRecord a : records) {
                out().println(String.join(", ", a.time().toString(), ConfigCommands.orDash(a.user()), a.clientAddress(),
                        a.action(), a.key().map(k -> k.group() + "/" + k.dataId()).orElse("-"),
                        a.oldVersion() + " -> " + a.newVersion(), ConfigCommands.orDash(a.comment()))
                        + (a.reviewer().isEmpty() || a.action().equals("draft-reject") ? "" : ", approved by " + a.reviewer()));
            }
            return 0;
        }

        /** An instant, a day (UTC), or a Go duration meaning that long ago. */
        static Instant time(String text) {
            if (text.matches("\\d+(ms|s|m|h)")) {
                return Instant.now().minus(Cairnctl.duration(text));
            }
            try {
                return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("invalid time \"" + text + "\" (2026-05-01T10:00:00Z, 2026-05-01 or 30m)");
            }
        }
    }

    @Command(name = "grant", description = {"Gives a role read or readwrite access to a namespace's configs, as key-range "
            + "permissions on its prefixes (replacing what the role had on them). Only root may grant."})
    static final class Grant extends ConfigCommands.ConfigBase {
        @Parameters(index = "0", paramLabel = "ROLE", description = "the role (etcdctl role add / cairnctl role add)")
        String role;

        @Parameters(index = "1", paramLabel = "NAMESPACE", description = "the namespace")
        String namespace;

        @Parameters(index = "2", paramLabel = "ACCESS", description = "read, readwrite, review (read, and approve or "
                + "reject drafts) or reveal (read, with secret values in clear)")
        String access;

        @Override
        int run(Client client) {
            ConfigAccess.Level level = word("access", access, List.of("read", "readwrite", "review", "reveal"),
                    List.of(ConfigAccess.Level.READ, ConfigAccess.Level.READ_WRITE, ConfigAccess.Level.REVIEW,
                            ConfigAccess.Level.REVEAL));
            ConfigKey.checkName("namespace", namespace);
            await(ConfigAccess.grant(client, role, namespace, level));
            out().printf("Role %s updated: %s on config namespace %s%n", role, access.toLowerCase(Locale.ROOT), namespace);
            return 0;
        }
    }

    @Command(name = "rotate-secrets", description = {"Wraps every namespace's data key again with the master key's new "
            + "primary (after bin/cairn --secrets-add-key FILE, and every member given the new file). Root's.",
            "Prints how many data keys were rewrapped; the old master key can then be dropped from the file."})
    static final class RotateSecrets extends ConfigCommands.ConfigBase {
        @Override
        int run(Client client) {
            int rewrapped = await(client.config().rotateSecrets());
            out().println(json() ? new JsonRecord().number("rewrapped", rewrapped).end() : "Rewrapped " + rewrapped + " data keys");
            return 0;
        }
    }
}
