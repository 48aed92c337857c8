package io.cairn.server.raft;

import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import io.cairn.server.command.CommandResult;

/**
 * Puts a command's response into {@link CommandResult} and takes it out again, by message type:
 * the envelope has one field per response type, so no table has to be kept in step with it.
 */
final class CommandResults {
    private CommandResults() {
    }

    static CommandResult wrap(Message response) {
        for (Descriptors.FieldDescriptor field : CommandResult.getDescriptor().getFields()) {
            if (field.getMessageType().equals(response.getDescriptorForType())) {
                return CommandResult.newBuilder().setField(field, response).build();
            }
        }
        throw new IllegalArgumentException("CommandResult has no field for " + response.getDescriptorForType().getFullName());
    }

    static Message unwrap(CommandResult result) {
        Descriptors.OneofDescriptor oneof = CommandResult.getDescriptor().getOneofs().get(0);
        Descriptors.FieldDescriptor field = result.getOneofFieldDescriptor(oneof);
        if (field == null) {
            throw new IllegalArgumentException("an empty CommandResult");
        }
        return (Message) result.getField(field);
    }
}
