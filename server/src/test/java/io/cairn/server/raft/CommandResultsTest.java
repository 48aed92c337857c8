package io.cairn.server.raft;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import io.cairn.api.config.ConfigProto;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A follower forwards a command and sends back its response: every command's response must fit. */
class CommandResultsTest {
    /** The config service's calls that only read: they propose nothing. */
    private static final Set<String> READS = Set.of("ListNamespaces", "DescribeNamespace", "Get", "List", "History",
            "Diff", "Listen", "GetGray", "Listeners", "Export", "Audit", "Status", "ListDrafts", "GetDraft");

    @Test
    void everyConfigChangeAnswersWithAResponseTheLeaderCanSendBack() {
        Descriptors.ServiceDescriptor config = ConfigProto.getDescriptor().findServiceByName("Config");
        for (Descriptors.MethodDescriptor m : config.getMethods()) {
            if (READS.contains(m.getName())) {
                continue;
            }
            DynamicMessage response = DynamicMessage.getDefaultInstance(m.getOutputType());
            assertThat(CommandResults.unwrap(CommandResults.wrap(response)).getDescriptorForType())
                    .as(m.getName()).isEqualTo(m.getOutputType());
        }
    }
}
