/** The errors a Cairn node reports, each with the exact text etcd clients expect. */
package io.cairn.server.errors;
