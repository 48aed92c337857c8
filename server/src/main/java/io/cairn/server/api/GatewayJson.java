package io.cairn.server.api;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON of etcd's grpc-gateway: requests and responses as protobuf JSON with the proto's
 * field names (bytes in base64, 64-bit numbers as strings), and its error body and status codes.
 */
final class GatewayJson {
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().preservingProtoFieldNames()
            .omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();

    private GatewayJson() {
    }

    static String print(Message message) throws InvalidProtocolBufferException {
        return PRINTER.print(message);
    }

    /**
     * One JSON object, or for a bidirectional stream one or more in a row; an empty body is
     * the empty request.
     *
     * @throws InvalidProtocolBufferException when the body is not such JSON
     */
    static List<Message> parse(MethodDescriptor<Message, Message> method, String body)
            throws InvalidProtocolBufferException {
        Message prototype = ((MethodDescriptor.PrototypeMarshaller<Message>) method.getRequestMarshaller())
                .getMessagePrototype();
        List<Message> requests = new ArrayList<>();
        JsonReader reader = new JsonReader(new StringReader(body));
        reader.setLenient(true);
        try {
            while (reader.peek() != JsonToken.END_DOCUMENT) {
                JsonElement element = JsonParser.parseReader(reader);
                Message.Builder builder = prototype.newBuilderForType();
                PARSER.merge(element.toString(), builder);
                requests.add(builder.build());
                if (method.getType() != MethodDescriptor.MethodType.BIDI_STREAMING) {
                    break;
                }
            }
        } catch (IOException | JsonParseException | IllegalStateException e) {
            throw new InvalidProtocolBufferException("malformed JSON: " + e.getMessage());
        }
        if (requests.isEmpty()) {
            requests.add(prototype);
        }
        return requests;
    }

    /** grpc-gateway's error body: the message twice, as etcd's clients read either. */
    static String error(Status status) {
        String message = new JsonPrimitive(String.valueOf(status.getDescription())).toString();
        return "{\"error\":" + message + ",\"message\":" + message + ",\"code\":" + status.getCode().value() + "}";
    }

    /** grpc-gateway's mapping of gRPC codes to HTTP statuses. */
    static int httpStatus(Status.Code code) {
        return switch (code) {
            case OK -> 200;
            case CANCELLED -> 408;
            case INVALID_ARGUMENT, OUT_OF_RANGE -> 400;
            case DEADLINE_EXCEEDED -> 504;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, ABORTED -> 409;
            case PERMISSION_DENIED -> 403;
            case UNAUTHENTICATED -> 401;
            case RESOURCE_EXHAUSTED -> 429;
            case FAILED_PRECONDITION -> 412;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
            default -> 500;
        };
    }
}
