package io.cairn.cli;

import io.cairn.client.Client;
import io.cairn.client.Header;
import io.cairn.client.ReviewRequiredException;
import io.cairn.client.config.Config;
import io.cairn.client.config.Draft;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairnctl config draft ...}: reviewed publishing. In a namespace that requires review,
 * {@code put}, {@code delete} and {@code rollback} store a draft and print its line
 * ({@code Draft ID of group/dataId, CHANGE, base VERSION, awaits review}); a reviewer lists,
 * shows (with the diff it makes), approves or rejects it.
 */
@Command(name = "draft", description = "Drafts awaiting review, in a namespace that requires it: list, show, approve, reject.",
        subcommands = {ConfigDrafts.ListDrafts.class, ConfigDrafts.Show.class, ConfigDrafts.Approve.class, ConfigDrafts.Reject.class})
final class ConfigDrafts {
    private ConfigDrafts() {
    }

    /**
     * A publish, delete or rollback: its version, or null when the namespace requires review and
     * a draft was stored instead, which is printed here.
     */
    static Config publishedOrDraft(Base command, CompletableFuture<Config> change) {
        try {
            return change.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ReviewRequiredException r) {
                command.out().println(command.json() ? json(r.draft()) : awaiting(r.draft()));
                return null;
            }
            return Base.await(change);
        }
    }

    static String awaiting(Draft d) {
        return "Draft " + d.id() + " of " + d.key().group() + "/" + d.key().dataId() + ", " + d.change() + ", base "
                + d.baseVersion() + ", awaits review";
    }

    static String json(Draft d) {
        return new JsonRecord().string("namespace", d.key().namespace()).string("group", d.key().group())
                .string("dataId", d.key().dataId()).number("id", d.id()).string("change", d.change().name())
                .string("format", d.format().name()).string("content", d.content()).string("md5", d.md5())
                .number("baseVersion", d.baseVersion()).number("sourceVersion", d.sourceVersion()).string("author", d.author())
                .string("clientAddress", d.clientAddress()).string("comment", d.comment())
                .number("timeMs", d.time().toEpochMilli()).end();
    }

    @Command(name = "list", description = {"Lists the drafts awaiting review in a namespace (of one config if NAME), oldest first.",
            "Prints one line per draft: id, group/dataId, CHANGE, base version, author (- with auth off), time, comment."})
    static final class ListDrafts extends ConfigCommands.WithGroup {
        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "only this config's drafts")
        String name;

        @Override
        int run(Client client) {
            List<Draft> drafts = await(name == null ? client.config().drafts(namespace) : client.config().drafts(key(name)));
            if (json()) {
                printJson(new JsonRecord().string("namespace", namespace).array("drafts", drafts, ConfigDrafts::json).end());
                return 0;
            }
            for (Draft d : drafts) {
                out().println(String.join(", ", Long.toString(d.id()), d.key().group() + "/" + d.key().dataId(), d.change().name(),
                        Long.toString(d.baseVersion()), ConfigCommands.orDash(d.author()), d.time().toString(),
                        ConfigCommands.orDash(d.comment())));
            }
            return 0;
        }
    }

    /** A command about one draft of one config: NAME ID. */
    abstract static class OfDraft extends ConfigCommands.Commented {
        @Parameters(index = "1", paramLabel = "ID", description = "the draft's id (config draft list)")
        long id;
    }

    @Command(name = "show", description = {"Prints a draft: its line, author and comment, then the diff it makes to the current version."})
    static final class Show extends OfDraft {
        @Override
        int run(Client client) {
            Draft.WithDiff d = await(client.config().draft(key(), id));
            if (json()) {
                printJson(new JsonRecord().raw("draft", ConfigDrafts.json(d.draft())).number("currentVersion", d.currentVersion())
                        .string("unifiedDiff", d.unifiedDiff()).end());
                return 0;
            }
            out().println(awaiting(d.draft()));
            out().println("by " + ConfigCommands.orDash(d.draft().author()) + " at " + d.draft().time() + ": "
                    + ConfigCommands.orDash(d.draft().comment()));
            if (!d.unifiedDiff().isEmpty()) {
                out().print(ConfigCommands.content(d.unifiedDiff()));
            }
            return 0;
        }
    }

    @Command(name = "approve", description = {"Approves a draft, which publishes it as its author's; prints the version's line.",
            "Not by the draft's author, and only with auth on; the config must still be at the draft's base version."})
    static final class Approve extends OfDraft {
        @Override
        int run(Client client) {
            Config c = await(client.config().approve(key(), id, comment));
            out().println(json() ? ConfigJson.config(c) : ConfigCommands.line(c));
            return 0;
        }
    }

    @Command(name = "reject", description = "Rejects a draft (or, by its author, withdraws it): nothing is published.")
    static final class Reject extends OfDraft {
        @Override
        int run(Client client) {
            Header h = await(client.config().reject(key(), id, comment));
            out().println(json() ? new JsonRecord().header(h).end() : "Draft " + id + " rejected");
            return 0;
        }
    }
}
