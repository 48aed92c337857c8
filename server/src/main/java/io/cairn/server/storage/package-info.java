/** The LMDB backend: environment, databases and meta keys, named in one place ({@link io.cairn.server.storage.Schema}). */
package io.cairn.server.storage;
