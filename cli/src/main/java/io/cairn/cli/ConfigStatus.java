package io.cairn.cli;

import io.cairn.client.Client;
import io.cairn.client.config.Receipt;
import io.cairn.client.config.Rollout;
import picocli.CommandLine.Command;

/**
 * {@code cairnctl config status NAME}: a config's rollout, from the receipts its running clients
 * report. Simple output: the config's line ({@code group/dataId, current VERSION}, and the gray
 * release's base if one is under way), one line per version in use
 * ({@code VERSION[, gray], N instances, M failed}), then one per client
 * ({@code CLIENT-ID, VERSION[, gray], applied|failed: ERROR, ADDRESS}).
 */
@Command(name = "status", description = {"Prints a config's rollout: how many running clients use each version, "
        + "which failed to apply it and why, and who runs a gray release's candidate.",
        "Clients report what their listeners applied (sdk-java and the Spring Boot starter do), and drop out when they stop."})
final class ConfigStatus extends ConfigCommands.OfConfig {
    @Override
    int run(Client client) {
        Rollout r = await(client.config().status(key()));
        if (json()) {
            printJson(json(r));
            return 0;
        }
        out().println(r.key().group() + "/" + r.key().dataId() + ", current " + r.current()
                + r.gray().map(g -> ", gray release on " + g.baseVersion()).orElse(""));
        for (Rollout.Count c : r.versions()) {
            out().println(c.version() + (c.gray() ? ", gray" : "") + ", " + c.instances() + " instances, " + c.failed() + " failed");
        }
        for (Receipt receipt : r.receipts()) {
            out().println(String.join(", ", receipt.clientId(), receipt.version() + (receipt.gray() ? ", gray" : ""),
                    receipt.applied() ? "applied" : "failed: " + receipt.error(), receipt.seenAddress()));
        }
        return 0;
    }

    static String json(Rollout r) {
        return new JsonRecord().string("namespace", r.key().namespace()).string("group", r.key().group())
                .string("dataId", r.key().dataId()).number("current", r.current())
                .raw("gray", r.gray().map(ConfigJson::gray).orElse("null"))
                .array("versions", r.versions(), c -> new JsonRecord().number("version", c.version()).bool("gray", c.gray())
                        .number("instances", c.instances()).number("failed", c.failed()).end())
                .array("receipts", r.receipts(), ConfigStatus::json).end();
    }

    private static String json(Receipt r) {
        return new JsonRecord().string("clientId", r.clientId()).map("labels", r.labels()).string("address", r.address())
                .string("seenAddress", r.seenAddress()).number("version", r.version()).string("md5", r.md5())
                .bool("gray", r.gray()).bool("applied", r.applied()).string("error", r.error())
                .number("timeMs", r.time().toEpochMilli()).end();
    }
}
