/** One Cairn member assembled: its configuration, identity, and the core services the adapters call. */
package io.cairn.server.node;
