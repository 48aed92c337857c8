/** The cluster's members as raft has agreed on them: ids, names, peer and client URLs, learners. */
package io.cairn.server.membership;
