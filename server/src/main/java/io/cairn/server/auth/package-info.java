/**
 * etcd's authentication and authorization: users, roles and key-range permissions replicated
 * through raft, password hashes, tokens, and the one policy that decides who may do what.
 */
package io.cairn.server.auth;
