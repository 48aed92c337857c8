package io.cairn.server.raft;

import com.alipay.remoting.CustomSerializerManager;
import com.alipay.remoting.DefaultCustomSerializer;
import com.alipay.remoting.InvokeContext;
import com.alipay.remoting.exception.DeserializationException;
import com.alipay.remoting.rpc.RequestCommand;
import com.alipay.remoting.rpc.ResponseCommand;
import com.alipay.remoting.rpc.protocol.RpcRequestCommand;
import com.alipay.remoting.rpc.protocol.RpcResponseCommand;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.cairn.server.command.ForwardRequest;
import io.cairn.server.command.ForwardResponse;
import io.cairn.server.command.LeaderAnswer;
import io.cairn.server.command.LeaderQuery;
import java.util.Map;

/**
 * Encodes the messages members exchange beside raft's own as plain protobuf on JRaft's transport (bolt). JRaft's own
 * protobuf serializer knows only JRaft's messages, and bolt's default is Hessian, which Cairn
 * keeps off the wire.
 */
final class ForwardSerializer extends DefaultCustomSerializer {
    private static final Map<String, Parser<? extends Message>> PARSERS = Map.of(
            ForwardRequest.class.getName(), ForwardRequest.parser(),
            ForwardResponse.class.getName(), ForwardResponse.parser(),
            LeaderQuery.class.getName(), LeaderQuery.parser(),
            LeaderAnswer.class.getName(), LeaderAnswer.parser());

    static void register() {
        ForwardSerializer serializer = new ForwardSerializer();
        for (String type : PARSERS.keySet()) {
            CustomSerializerManager.registerCustomSerializer(type, serializer);
        }
    }

    @Override
    public <T extends RequestCommand> boolean serializeContent(T request, InvokeContext ctx) {
        RpcRequestCommand r = (RpcRequestCommand) request;
        r.setContent(((Message) r.getRequestObject()).toByteArray());
        return true;
    }

    @Override
    public <T extends RequestCommand> boolean deserializeContent(T request) throws DeserializationException {
        RpcRequestCommand r = (RpcRequestCommand) request;
        r.setRequestObject(parse(r.getRequestClass(), r.getContent()));
        return true;
    }

    @Override
    public <T extends ResponseCommand> boolean serializeContent(T response) {
        RpcResponseCommand r = (RpcResponseCommand) response;
        r.setContent(((Message) r.getResponseObject()).toByteArray());
        return true;
    }

    @Override
    public <T extends ResponseCommand> boolean deserializeContent(T response, InvokeContext ctx)
            throws DeserializationException {
        RpcResponseCommand r = (RpcResponseCommand) response;
        r.setResponseObject(parse(r.getResponseClass(), r.getContent()));
        return true;
    }

    private static Message parse(String type, byte[] content) throws DeserializationException {
        Parser<? extends Message> parser = PARSERS.get(type);
        if (parser == null) {
            throw new DeserializationException("not a forwarding message: " + type);
        }
        try {
            return parser.parseFrom(content);
        } catch (InvalidProtocolBufferException e) {
            throw new DeserializationException("malformed " + type + ": " + e.getMessage());
        }
    }
}
