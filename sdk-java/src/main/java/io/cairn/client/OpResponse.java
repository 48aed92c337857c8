package io.cairn.client;

/** The answer to one operation of a txn branch: one of the four KV answers. */
public sealed interface OpResponse permits GetResponse, PutResponse, DeleteResponse, TxnResponse {
    /** The header of the answer. */
    Header header();
}
