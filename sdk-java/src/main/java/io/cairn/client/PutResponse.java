package io.cairn.client;

/** @param prevKv the key before the put, when asked for and it existed; else null */
public record PutResponse(Header header, KeyValue prevKv) implements OpResponse {
}
