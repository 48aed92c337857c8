/** SOFAJRaft glue: the state machine that applies committed commands, proposals and read index. */
package io.cairn.server.raft;
