/**
 * Leases: the replicated leases and the keys attached to them ({@link io.cairn.server.lease.LeaseStore}),
 * and the leader's clock that renews and expires them ({@link io.cairn.server.lease.Lessor}).
 */
package io.cairn.server.lease;
