/** Transport adapters: gRPC services that check nothing themselves and delegate to the node's core services. */
package io.cairn.server.api;
