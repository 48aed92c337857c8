package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CommandLineTest {
    @Test
    void onlyTheNamedCommandsAreBuiltAndTheyStillInheritTheRootsFlags() {
        CommandLine cli = Cairnctl.commandLine(new Cairnctl(), "--user", "root:x", "lease", "grant", "10", "-w", "json");
        assertThat(cli.getSubcommands()).containsOnlyKeys("lease");
        CommandLine grant = cli.getSubcommands().get("lease").getSubcommands().get("grant");
        assertThat(grant.getCommandSpec().findOption("--endpoints")).as("a flag inherited two levels down").isNotNull();
        CommandLine.ParseResult parsed = cli.parseArgs("--user", "root:x", "lease", "grant", "10", "-w", "json");
        assertThat(parsed.subcommand().subcommand().matchedOptionValue("-w", "")).isEqualTo("json");
    }

    @Test
    void repeatedWordsAndOptionValuesThatNameACommandAreFine() {
        CommandLine cli = Cairnctl.commandLine(new Cairnctl(), "user", "revoke-role", "root", "root", "--user", "get");
        assertThat(cli.getSubcommands()).containsOnlyKeys("user", "get");
    }

    @Test
    void withoutACommandEveryCommandIsThereForHelpAndErrors() {
        assertThat(Cairnctl.commandLine(new Cairnctl(), "--help").getSubcommands()).hasSize(Cairnctl.COMMANDS.size());
        assertThat(Cairnctl.commandLine(new Cairnctl(), "nosuch").getSubcommands()).hasSize(Cairnctl.COMMANDS.size());
    }
}
